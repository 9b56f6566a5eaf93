/**
 * The JIT's quick mode (DOTNET_JITMinOpts, prestart.ts) is for a one-command process only: the CLI, and
 * the process bin/dda.mjs starts ahead for it. A process that lives on (the app, the server) keeps the
 * runtime's default, and never takes a process started in quick mode. Its own file: the mode is this
 * process's, and the CLI's main() sets it for good.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../cli/dda';
import { projectRoot } from '../project-root';
import { findPowerShell } from './find-pwsh';
import { compilesQuickly, discardPrestarted, prestartPowerShell } from './prestart';
import { PowerShellSession } from './session';

const pwsh = findPowerShell({ projectRoot: projectRoot() })!;
const sessions: PowerShellSession[] = [];
afterEach(async () => {
  discardPrestarted();
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

/** A new session's process id and its DOTNET_JITMinOpts. */
async function sessionMode(): Promise<{ pid: number | undefined; minOpts: string }> {
  const s = new PowerShellSession({
    executable: pwsh.path,
    scriptDirs: [join(projectRoot(), 'main', 'host', 'test-fixtures')],
  });
  sessions.push(s);
  const r = await s.invoke<string>('run-script', { Command: "'[' + $env:DOTNET_JITMinOpts + ']'" });
  if (!r.ok) throw new Error(r.error.message);
  return { pid: s.pid, minOpts: r.value };
}

describe.skipIf(process.platform === 'win32')('the JIT mode of a session', () => {
  it('a process that lives on keeps the default and never takes a quick one; the CLI turns quick mode on', async () => {
    delete process.env.DOTNET_JITMinOpts;
    expect(compilesQuickly()).toBe(false);
    expect(await sessionMode()).toMatchObject({ minOpts: '[]' });
    // the process started ahead for `dda` is always quick (its environment, as the kernel has it)...
    const ahead = prestartPowerShell(pwsh.path);
    expect(readFileSync(`/proc/${ahead.pid}/environ`, 'utf8').split('\0')).toContain('DOTNET_JITMinOpts=1');
    // ...so a session of this process does not take it
    const own = await sessionMode();
    expect(own).toMatchObject({ minOpts: '[]' });
    expect(own.pid).not.toBe(ahead.pid);
    // Any command of the CLI turns quick mode on for its process: its sessions, and the one started ahead.
    const io = { out: () => {}, err: () => {} };
    expect(await main(['simulator', 'profiles'], io)).toBe(0);
    expect(compilesQuickly()).toBe(true);
    expect(await sessionMode()).toMatchObject({ minOpts: '[1]' });
    const again = prestartPowerShell(pwsh.path);
    expect(await sessionMode()).toEqual({ pid: again.pid, minOpts: '[1]' });
  });
});
