import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPowerShell } from './find-pwsh';
import { PowerShellSession } from './session';
import { projectRoot } from '../project-root';

const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform });
if (!pwsh) throw new Error('PowerShell is required for these tests (npm test installs it).');
const fixtures = join(import.meta.dirname, 'test-fixtures');
const session = new PowerShellSession({ executable: pwsh.path, scriptDirs: [fixtures], defaultTimeoutMs: 30_000 });
afterAll(() => session.dispose());

describe('PowerShellSession against the real pwsh', () => {
  it('round-trips hostile values exactly and never executes them (canary)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dda-canary-'));
    const canary = join(dir, 'pwned');
    const hostile = [
      "it's", '"double"', `$(Set-Content -Path '${canary}' -Value pwned)`, '`$(whoami)`', `'; Set-Content -Path '${canary}' -Value x; '`,
      `"; Set-Content -Path "${canary}" -Value x #`, 'a;b', 'line1\nline2\r\nline3', '中文设备名', '😀 emoji', '\u2018smart\u2019', '@{a=1}', '\u0000nul',
    ];
    const r = await session.invoke<{ values: string[] }>('canary', { Values: hostile });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.values).toEqual(hostile);
    expect(existsSync(canary)).toBe(false);
  });

  it('returns nested data, null and numbers faithfully', async () => {
    const r = await session.invoke('echo', { Value: { n: 1.5, big: 68719476736, t: true, nothing: null, list: ['x'] }, Other: null });
    expect(r.ok && r.value).toEqual({ value: { n: 1.5, big: 68719476736, t: true, nothing: null, list: ['x'] }, other: null });
  });

  it('a thrown error comes back structured, with its id, category, command and line', async () => {
    const r = await session.invoke('throw');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('powershell');
    expect(r.error.fullyQualifiedErrorId).toBe('PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand');
    expect(r.error.category).toBe('ObjectNotFound');
    expect(r.error.command).toBe('Get-Item');
    expect(r.error.scriptLine).toBe(4);
    expect(r.error.line).toContain('Get-Item');
    expect(r.error.scriptName).toBe('throw');
  });

  it('a non-terminating error comes back structured next to the value', async () => {
    const r = await session.invoke<{ after: string }>('nonterminating');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.after).toBe('still ran');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ kind: 'powershell', message: 'soft failure', category: 'InvalidData' });
    expect(r.errors[0]?.fullyQualifiedErrorId).toContain('DdaSoft');
  });

  it('refuses script names that could leave the script folders', async () => {
    for (const name of ['../session', 'a/b', 'a\\b', '', 'x.ps1;y']) {
      const r = await session.invoke(name);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe('protocol');
    }
  });

  it('a hung call times out alone: the process is replaced and the next call works', async () => {
    const before = await session.invoke<{ pid: number }>('pid');
    const statuses: string[] = [];
    const onStatus = (s: string) => statuses.push(s);
    session.on('status', onStatus);
    const hung = session.invoke('hang', { Seconds: 600 }, { timeoutMs: 1500 });
    const queued = session.invoke<{ pid: number }>('pid');
    const r = await hung;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('timeout');
    const after = await queued;
    expect(after.ok).toBe(true);
    if (before.ok && after.ok) expect(after.value.pid).not.toBe(before.value.pid);
    session.off('status', onStatus);
    expect(statuses).toContain('restarting');
    expect(statuses.at(-1)).toBe('ready');
  });

  it('pwsh killed mid-call fails that call clearly and the next call succeeds', async () => {
    await session.invoke('pid');
    const pid = session.pid;
    expect(pid).toBeTypeOf('number');
    const call = session.invoke('hang', { Seconds: 600 });
    await expect.poll(() => session.currentStatus).toBe('busy');
    process.kill(pid!, 'SIGKILL');
    const r = await call;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('crashed');
      expect(r.error.message).toMatch(/PowerShell exited/);
    }
    const next = await session.invoke<{ pid: number }>('pid');
    expect(next.ok && next.value.pid).not.toBe(pid);
  });

  it('1,000 sequential calls keep memory bounded (no growing history)', async () => {
    const internals = () => (session as unknown as { proc: { buffer: string } }).proc.buffer.length;
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1000; i++) {
      const r = await session.invoke('echo', { Value: 'x'.repeat(2000), Other: i });
      if (!r.ok) throw new Error(r.error.message);
    }
    expect(internals()).toBeLessThan(1024);
    globalThis.gc?.();
    const grownMB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    expect(grownMB).toBeLessThan(40);
  }, 120_000);
});

describe('PowerShellSession without PowerShell', () => {
  it('a missing executable fails calls as not-started and never crashes Node', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const missing = new PowerShellSession({ executable: '/nonexistent/pwsh', scriptDirs: [fixtures] });
    const statuses: string[] = [];
    missing.on('status', (s: string) => statuses.push(s));
    const r = await missing.invoke('echo', { Value: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('not-started');
    const again = await missing.invoke('echo', { Value: 1 });
    expect(again.ok).toBe(false);
    await missing.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    expect(statuses).toContain('failed');
  });

  it('an executable that is not PowerShell fails as not-started', async () => {
    const wrong = new PowerShellSession({ executable: '/bin/false', scriptDirs: [fixtures], defaultTimeoutMs: 5000 });
    const r = await wrong.invoke('echo', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('not-started');
    await wrong.dispose();
  });
});

describe('findPowerShell: setting > env > project > PATH > Windows PowerShell', () => {
  const exists = (set: string[]) => (p: string) => set.includes(p);
  it('walks the rule in order', () => {
    const all = ['/s/pwsh', '/e/pwsh', '/root/.tools/pwsh/pwsh', '/usr/bin/pwsh'];
    const base = { projectRoot: '/root', platform: 'linux' as const, exists: exists(all) };
    expect(findPowerShell({ ...base, setting: '/s/pwsh', env: { DDA_PWSH: '/e/pwsh', PATH: '/usr/bin' } })?.source).toBe('setting');
    expect(findPowerShell({ ...base, env: { DDA_PWSH: '/e/pwsh', PATH: '/usr/bin' } })?.source).toBe('env');
    expect(findPowerShell({ ...base, env: { PATH: '/usr/bin' } })?.source).toBe('project');
    expect(findPowerShell({ ...base, exists: exists(['/usr/bin/pwsh']), env: { PATH: '/usr/bin' } })).toEqual({ path: '/usr/bin/pwsh', source: 'path' });
    expect(findPowerShell({ ...base, exists: exists([]), env: { PATH: '/usr/bin' } })).toBeNull();
  });
  it('falls back to Windows PowerShell 5.1 on Windows only', () => {
    const ps51 = 'C:\\Windows/System32/WindowsPowerShell/v1.0/powershell.exe';
    const r = findPowerShell({ projectRoot: 'C:\\app', platform: 'win32', env: { SystemRoot: 'C:\\Windows', PATH: '' }, exists: (p) => p.replace(/\\/g, '/') === ps51.replace(/\\/g, '/') });
    expect(r?.source).toBe('windows-powershell');
  });
  it('a named but missing setting is not silently replaced', () => {
    expect(findPowerShell({ setting: '/nope', env: { PATH: '/usr/bin' }, projectRoot: '/r', platform: 'linux', exists: () => true && false })).toBeNull();
  });
});
