/** A PowerShell started ahead (bin/dda.mjs) is taken over by the session that fits it, and ended otherwise. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { operationCommands } from '../cli/operation-commands';
import { HOST_COMMANDS, prestartFor } from '../cli/prestart-cli';
import { projectRoot } from '../project-root';
import { findPowerShell } from './find-pwsh';
import { compileQuickly, discardPrestarted, prestartPowerShell, takePrestarted } from './prestart';
import { PowerShellSession } from './session';

const pwsh = findPowerShell({ projectRoot: projectRoot() });
if (!pwsh) throw new Error('PowerShell is required for these tests (npm test installs it into .tools/pwsh).');
// These sessions stand in for the CLI's, which run in the JIT's quick mode like the process started ahead.
compileQuickly();

/** Resolves when the process has ended (at once when it already has). */
const ended = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit').then(() => {});

const sessions: PowerShellSession[] = [];
afterEach(async () => {
  discardPrestarted();
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});
const newSession = (env?: Record<string, string>) => {
  const s = new PowerShellSession({ executable: pwsh.path, scriptDirs: [], ...(env ? { env } : {}) });
  sessions.push(s);
  return s;
};

describe('prestarted PowerShell', () => {
  it('is taken over by a session with the same executable and no extra environment', async () => {
    const child = prestartPowerShell(pwsh.path);
    const session = newSession();
    const started = await session.start();
    expect(started.ok).toBe(true);
    expect(session.pid).toBe(child.pid);
    // taken: nothing is left to hand over, and disposing the session ends the process
    expect(takePrestarted(pwsh.path, undefined)).toBeNull();
    await session.dispose();
    await ended(child);
  });

  it('is ended, not used, by a session that needs its own environment; that session starts its own', async () => {
    const child = prestartPowerShell(pwsh.path);
    const session = newSession({ DDA_TEST_MARK: 'x' });
    expect((await session.start()).ok).toBe(true);
    expect(session.pid).not.toBe(child.pid);
    await ended(child);
  });

  it('is ended when nobody takes it, and when another executable is asked for', async () => {
    const first = prestartPowerShell(pwsh.path);
    discardPrestarted();
    await ended(first);
    const second = prestartPowerShell(pwsh.path);
    expect(takePrestarted('/nonexistent/pwsh', undefined)).toBeNull();
    await ended(second);
  });

  it('is not used once it has died: the session starts a new one', async () => {
    const child = prestartPowerShell(pwsh.path);
    child.kill();
    await ended(child);
    const session = newSession();
    expect((await session.start()).ok).toBe(true);
    expect(session.pid).not.toBe(child.pid);
  });

  it('is started by the CLI only for commands that open a host, with --pwsh as the setting', () => {
    const waiting = () => (globalThis as Record<symbol, unknown>)[Symbol.for('dda-studio.prestarted-powershell')];
    const startedFor = (...argv: string[]) => {
      prestartFor(argv);
      const started = waiting() !== undefined;
      discardPrestarted();
      return started;
    };
    expect(startedFor('inventory', '--json')).toBe(true);
    expect(startedFor('assign', '--device', 'PCIROOT(0)#PCI(0100)', '--vm', 'x', `--pwsh=${pwsh.path}`)).toBe(true);
    expect(startedFor('hosts', 'test', 'local')).toBe(true);
    expect(startedFor('host', 'capture', '--out', 'x.json')).toBe(true);
    for (const argv of [
      [],
      ['--help'],
      ['simulator', 'module-path'],
      ['hosts', 'list'],
      ['inventory', '-h'],
      ['invnetory'],
      ['host', 'bogus'],
    ])
      expect(startedFor(...argv), argv.join(' ')).toBe(false);
    // a --pwsh that names nothing: no process (the command reports it)
    expect(startedFor('inventory', '--pwsh', '/nonexistent/pwsh')).toBe(false);
  });

  it('knows every command that opens a host', () => {
    const opening = ['inventory', 'doctor', ...Object.keys(operationCommands)];
    for (const command of opening) expect(HOST_COMMANDS, command).toContain(command);
  });

  it("starts without this process's profiler, runtime-hook and language-mode variables (an elevated app must not pass them on), and in the JIT's quick mode (this file stands in for the CLI; jit-mode.test.ts for the rest)", async () => {
    const planted = {
      COR_PROFILER_PATH: '/tmp/dda-not-a-profiler.so',
      DOTNET_STARTUP_HOOKS: '/tmp/dda-hook.dll',
      DOTNET_JITMinOpts: '0',
    };
    Object.assign(process.env, planted);
    try {
      const s = new PowerShellSession({
        executable: pwsh.path,
        scriptDirs: [join(projectRoot(), 'main', 'host', 'test-fixtures')],
      });
      sessions.push(s);
      const r = await s.invoke<string>('run-script', {
        Command:
          "'[' + $env:COR_PROFILER_PATH + '|' + $env:DOTNET_STARTUP_HOOKS + '|' + [bool]$env:PATH + '|' + $env:DOTNET_JITMinOpts + ']'",
      });
      expect(r.ok && r.value).toBe('[||True|1]');
    } finally {
      for (const k of Object.keys(planted)) delete process.env[k];
    }
  });
});
