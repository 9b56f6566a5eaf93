/** bin/dda.mjs runs the bundled CLI (dist/node/dda.mjs), built when missing or stale, and finds the project's files from there. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('reads a host through the PowerShell it started ahead, and ends every process it started', () => {
    const state = join(mkdtempSync(join(tmpdir(), 'dda-bin-')), 'host.json');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'dda.mjs'), 'inventory', '--json', '--sim-state', state], {
      cwd: root,
      encoding: 'utf8',
      // a PowerShell left running would keep the command from ending
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { devices: unknown[] }).devices.length).toBeGreaterThan(0);
    // a command that stops before opening its host ends the one started for it
    expect(
      spawnSync(process.execPath, [join(root, 'bin', 'dda.mjs'), 'inventory', '--bogus'], { timeout: 30_000 }).status,
    ).toBe(3);
  });

  it('finds the simulator and profiles from dist/node as it does from main/', () => {
    const r = dda('simulator', 'module-path');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(join(root, 'main', 'simulator', 'DdaSim.psm1'));
    expect(dda('simulator', 'profiles').stdout).toMatch(/ml30-connectx4/);
  });
});
