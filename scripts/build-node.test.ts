/** bin/dda.mjs runs the bundled CLI (dist/node/dda.mjs), built when missing or stale, and finds the project's files from there. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPowerShell } from '../main/powershell/find-pwsh';
import { projectRoot } from '../main/project-root';

const root = projectRoot();
const dda = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'dda.mjs'), ...args], { cwd: root, encoding: 'utf8' });

describe('bin/dda.mjs', () => {
  it('runs the bundle (building it when stale), never tsx, and leaves it fresh', async () => {
    const r = dda('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: dda <command>/);
    expect(r.stderr).not.toMatch(/tsx/);
    const bundle = join(root, 'dist', 'node', 'dda.mjs');
    expect(existsSync(bundle)).toBe(true);
    const { bundleIsFresh } = (await import(join(root, 'bin', 'node-bundle.mjs'))) as {
      bundleIsFresh: (name: string) => boolean;
    };
    expect(bundleIsFresh('dda')).toBe(true);
    expect(statSync(bundle).size).toBeGreaterThan(0);
  });

  // Linux: the wrapper is a shell script that notes each start of PowerShell, then runs it.
  it.skipIf(process.platform === 'win32')(
    'reads a host through the one PowerShell it started ahead, and ends every process it started',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'dda-bin-'));
      const pwsh = findPowerShell({ projectRoot: root });
      if (!pwsh) throw new Error('PowerShell is required for this test');
      const log = join(dir, 'starts.log');
      const wrapper = join(dir, 'pwsh-wrapper');
      writeFileSync(wrapper, `#!/bin/sh\necho start >> "$DDA_TEST_START_LOG"\nexec "${pwsh.path}" "$@"\n`, {
        mode: 0o755,
      });
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [join(root, 'bin', 'dda.mjs'), ...args, '--pwsh', wrapper], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, DDA_TEST_START_LOG: log },
          // a PowerShell left running would keep the command from ending
          timeout: 60_000,
        });
      const r = run('inventory', '--json', '--sim-state', join(dir, 'host.json'));
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { devices: unknown[] }).devices.length).toBeGreaterThan(0);
      // one start: the session took over the process started before the CLI loaded
      expect(readFileSync(log, 'utf8')).toBe('start\n');
      // a command that stops before opening its host ends the one started for it (or it would not end)
      expect(run('inventory', '--bogus').status).toBe(3);
    },
  );

  it('finds the simulator and profiles from dist/node as it does from main/', () => {
    const r = dda('simulator', 'module-path');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(join(root, 'main', 'simulator', 'DdaSim.psm1'));
    expect(dda('simulator', 'profiles').stdout).toMatch(/ml30-connectx4/);
  });
});
