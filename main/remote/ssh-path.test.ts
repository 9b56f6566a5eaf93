/**
 * SSH remoting runs the ssh client by its full path (issue 14, item 2): PowerShell starts the `ssh` its
 * command discovery finds on PATH, so an `ssh` planted in a folder earlier on PATH would run inside the
 * elevated app's connection. use-remote.ps1 gives that process the folder of the resolved client alone.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scriptsDir } from '../host/host-connection';
import { remoteStartupParams } from '../hosts/remote-connection';
import { findPowerShell } from '../powershell/find-pwsh';
import { PowerShellSession } from '../powershell/session';
import { sshClientPath } from '../packaged-trust';
import { projectRoot } from '../project-root';

const runnable = process.platform !== 'win32' && existsSync(sshClientPath());

describe.skipIf(!runnable)('the ssh client of a remote session', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dda-planted-ssh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is the one in the administrators' folder, never an ssh planted earlier on PATH", async () => {
    const marker = join(dir, 'planted-ssh-ran');
    writeFileSync(join(dir, 'ssh'), `#!/bin/sh\necho ran > '${marker}'\nexit 255\n`);
    chmodSync(join(dir, 'ssh'), 0o755);
    const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
    const target = {
      id: 'planted',
      name: 'planted',
      transport: 'ssh',
      hostName: '127.0.0.1',
      port: 9,
      connectTimeoutMs: 5000,
      endpoint: 'full',
    } as const;
    const session = new PowerShellSession({
      executable: pwsh.path,
      scriptDirs: [scriptsDir()],
      env: { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` },
      startup: [{ script: 'use-remote', params: remoteStartupParams(target) }],
    });
    try {
      const r = await session.invoke('inventory', {}, { timeoutMs: 120_000 });
      // Nothing listens on port 9: the real client fails to connect; the planted one never ran.
      expect(!r.ok && r.error.kind).toBe('connection');
      expect(existsSync(marker)).toBe(false);
    } finally {
      await session.dispose();
    }
  }, 300_000);
});
