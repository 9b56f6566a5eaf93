import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../shared/contract';
import { sshTargetSchema } from '../../shared/hosts';
import { projectRoot } from '../project-root';
import { findPowerShell } from './find-pwsh';
import { PowerShellSession } from './session';
import type { SessionStatus } from './session-types';

const pwsh = findPowerShell({ projectRoot: projectRoot() });
if (!pwsh) throw new Error('PowerShell is required for these tests (npm test installs it into .tools/pwsh).');
const fixtures = join(import.meta.dirname, 'test-fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'dda-session-'));

/** One session for the whole file; it lives through a timeout and a crash on purpose. */
const session = new PowerShellSession({ executable: pwsh.path, scriptDirs: [fixtures], defaultTimeoutMs: 30_000 });
const statuses: SessionStatus[] = [];
session.on('status', (s: SessionStatus) => statuses.push(s));
const takeStatuses = () => statuses.splice(0);

/** Linux: gone or a zombie (nobody may reap orphans in a container). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

beforeAll(async () => {
  // defect 1 of node-powershell: NODE_POWERSHELL must not replace the executable we chose
  const saved = process.env.NODE_POWERSHELL;
  process.env.NODE_POWERSHELL = '/bin/false';
  try {
    const started = await session.start();
    if (!started.ok) throw new Error(started.error.message);
  } finally {
    if (saved === undefined) delete process.env.NODE_POWERSHELL;
    else process.env.NODE_POWERSHELL = saved;
  }
});
afterAll(() => session.dispose());

describe('PowerShellSession against the real pwsh', () => {
  it('starts once, reports its PowerShell and walks starting -> ready -> busy -> ready', async () => {
    expect(session.info?.edition).toBeTruthy();
    expect(session.info?.pid).toBeTypeOf('number'); // PowerShell's $PID; a launcher shim may sit above it
    expect(session.pid).toBeTypeOf('number');
    expect(takeStatuses()).toEqual(['starting', 'ready']);
    const r = await session.invoke('echo', { Value: 1 });
    expect(r.ok).toBe(true);
    expect(takeStatuses()).toEqual(['busy', 'ready']);
    expect(session.counters).toMatchObject({ starts: 1, restarts: 0 });
  });

  it('round-trips hostile values exactly and never executes them (canary)', async () => {
    const canary = join(tmp, 'pwned');
    const hostile = [
      "it's",
      '"double"',
      `$(Set-Content -Path '${canary}' -Value pwned)`,
      '`$(whoami)`',
      '$env:PATH',
      '${canary}',
      `'; Set-Content -Path '${canary}' -Value x; '`,
      `"; Set-Content -Path "${canary}" -Value x #`,
      'a;b',
      '@{a=1}',
      '}{',
      'line1\nline2\r\nline3',
      '中文设备名',
      '😀 emoji',
      '\u2018smart\u2019 \u201cquotes\u201d',
      '\u0000nul',
      '2026-11-25T02:59:34Z',
      '',
    ];
    const r = await session.invoke<{ values: string[] }>('canary', { Values: hostile });
    expect(r.ok && r.value.values).toEqual(hostile);
    expect(existsSync(canary)).toBe(false);
  });

  it('returns nested data, numbers, null and one-element arrays faithfully', async () => {
    const value = {
      n: 1.5,
      big: 68719476736,
      neg: -3,
      t: true,
      nothing: null,
      list: ['x'],
      empty: [],
      deep: { a: [{ b: 'c' }] },
    };
    const r = await session.invoke('echo', { Value: value, Other: null });
    expect(r.ok && r.value).toEqual({ value, other: null });
  });

  it('follows the result rule: one object as is, ,@() arrays stay arrays, nothing is null', async () => {
    const shapes: Array<[string, unknown]> = [
      ['null', null],
      ['none', null],
      ['one', ['x']],
      ['empty', []],
      ['many', [1, 2, 3]],
      ['scalar', 'text'],
      ['nested', { list: ['only'], empty: [], obj: { a: 1, b: null } }],
    ];
    for (const [kind, expected] of shapes) {
      const r = await session.invoke('shape', { Kind: kind });
      expect(r.ok && r.value, kind).toEqual(expected);
    }
    const deep = await session.invoke('shape', { Kind: 'deep' });
    expect(!deep.ok && deep.error.kind).toBe('protocol'); // never silently truncated
  });

  it('a thrown error comes back structured: id, category, command, script and line', async () => {
    const r = await session.invoke('throw');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({
      kind: 'powershell',
      fullyQualifiedErrorId: 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand',
      category: 'ObjectNotFound',
      command: 'Get-Item',
      scriptLine: 4,
      exceptionType: 'System.Management.Automation.ItemNotFoundException',
    });
    expect(r.error.scriptName).toBe(join(fixtures, 'throw.ps1'));
    expect(r.error.line).toMatch(/^Get-Item -LiteralPath/);
  });

  it('a non-terminating error comes back structured next to the value', async () => {
    const r = await session.invoke<{ after: string }>('nonterminating');
    expect(r.ok && r.value.after).toBe('still ran');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({
      kind: 'powershell',
      message: 'soft failure',
      category: 'InvalidData',
      command: 'Write-Error',
      scriptLine: 3,
    });
    expect(r.errors[0]?.fullyQualifiedErrorId).toMatch(/^DdaSoft/);
    expect(r.errors[0]?.line).toMatch(/^Write-Error -Message 'soft failure'/);
  });

  it("a stack frame's script and line are found in any language's wording, only for our own scripts", async () => {
    const r = await session.invoke<Record<string, { path: string; line: number } | null>>('script-frame', {});
    const me = join(fixtures, 'script-frame.ps1');
    expect(r.ok && r.value).toEqual({
      en: { path: me, line: 12 },
      de: { path: me, line: 7 },
      zh: { path: me, line: 9 },
      unknown: null,
    });
  });

  it('a script that does not parse fails as a value, and the session goes on', async () => {
    const r = await session.invoke('syntax-error');
    expect(!r.ok && r.error).toMatchObject({
      kind: 'powershell',
      category: 'ParserError',
      fullyQualifiedErrorId: 'MissingEndCurlyBrace',
      scriptLine: 3,
    });
    expect((await session.invoke('echo', { Value: 2 })).ok).toBe(true);
  });

  it("only the script's declared parameters are splatted: common parameters and unknown names are refused", async () => {
    const canary = join(tmp, 'common-params');
    for (const extra of [
      { ErrorAction: 'SilentlyContinue' },
      { WhatIf: true },
      { OutVariable: 'x' },
      { Nope: 1 },
      { [`x$(Set-Content '${canary}' y)`]: 1 },
    ]) {
      const r = await session.invoke('echo', { Value: 1, ...extra });
      expect(!r.ok && r.error, JSON.stringify(extra)).toMatchObject({
        kind: 'protocol',
        message: `echo.ps1 has no parameter '${Object.keys(extra)[0]}'.`,
      });
    }
    expect(existsSync(canary)).toBe(false);
    // Parameter names are matched as PowerShell matches them: case-insensitively.
    const ok = await session.invoke<{ value: number }>('echo', { value: 3 });
    expect(ok.ok && ok.value.value).toBe(3);
  });
  it('ignores stray output, stderr and forged markers around the result', async () => {
    const r = await session.invoke('stray-output', { Noise: '<<DDA-END>> <<DDA-RESULT:1>>' });
    expect(r.ok && r.value).toEqual({ real: true });
  });

  it('refuses script names that could leave the script folders, without starting anything', async () => {
    const calls = session.counters.calls;
    for (const name of [
      '../session',
      'a/b',
      'a\\b',
      '',
      'x.ps1;y',
      '..',
      'a..b',
      '/etc/passwd',
      'C:\\x',
      'missing-script',
    ]) {
      const r = await session.invoke(name);
      expect(!r.ok && r.error.kind, name).toBe('protocol');
    }
    expect(session.counters.calls).toBe(calls);
  });

  it('a hung call times out alone: its process tree is killed, queued calls run on a new process', async () => {
    const before = session.pid!;
    const beforePwsh = session.info!.pid;
    takeStatuses();
    const childPidFile = join(tmp, 'child.pid');
    const say = 'Cannot invoke method. Method invocation is supported only on core types in this language mode.';
    const hung = session.invoke('hang', { Seconds: 600, ChildPidFile: childPidFile, Say: say }, { timeoutMs: 4000 });
    const queued = session.invoke<{ pid: number }>('pid');
    const r = await hung;
    expect(!r.ok && r.error.kind).toBe('timeout');
    expect(!r.ok && r.error.message).toMatch(/hang\.ps1 did not finish within 4000 ms/);
    // what PowerShell wrote to stderr says why (here, as a host policy's language mode would)
    expect(!r.ok && r.error.message).toContain(say);
    const after = await queued;
    expect(after.ok && after.value.pid).not.toBe(beforePwsh);
    if (process.platform === 'linux')
      await expect.poll(() => [alive(before), alive(beforePwsh)]).toEqual([false, false]);
    if (process.platform === 'linux') {
      const child = Number(readFileSync(childPidFile, 'utf8'));
      expect(child).toBeGreaterThan(0);
      await expect.poll(() => alive(child)).toBe(false); // node-powershell's dispose() would have left it running
    }
    expect(takeStatuses()).toEqual(['busy', 'restarting', 'ready', 'busy', 'ready']);
    expect(session.counters).toMatchObject({ timeouts: 1, restarts: 1 });
  });

  it('pwsh killed mid-call fails that call clearly; the session restarts and the next call works', async () => {
    const pid = session.info!.pid; // PowerShell itself, not a launcher above it
    const call = session.invoke('hang', { Seconds: 600 });
    await expect.poll(() => session.currentStatus).toBe('busy');
    process.kill(pid, 'SIGKILL');
    const r = await call;
    expect(!r.ok && r.error.kind).toBe('crashed');
    expect(!r.ok && r.error.message).toMatch(
      /^PowerShell exited during hang\.ps1 \(PowerShell exited with (SIGKILL|code 137)\)/,
    );
    await expect.poll(() => session.currentStatus, { timeout: 30_000 }).toBe('ready'); // restarted eagerly, not on the next call
    const next = await session.invoke<{ pid: number }>('pid');
    expect(next.ok && next.value.pid).not.toBe(pid);
    expect(session.counters.crashes).toBe(1);
  });

  it('1,000 sequential calls keep memory bounded', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const payload = 'x'.repeat(10_000);
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = await session.invoke<{ other: number }>('echo', { Value: payload, Other: i });
        if (!r.ok || r.value.other !== i) throw new Error(`call ${i} failed`);
      }
    };
    await run(50);
    gc();
    const before = process.memoryUsage().heapUsed;
    await run(1000);
    gc();
    const grownMB = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    // keeping each call's command and output (node-powershell's history) would add ~40 MB here
    expect(grownMB).toBeLessThan(8);
    const f = session.footprint();
    expect(f.readerChars).toBe(0);
    expect(f.stderrChars).toBeLessThanOrEqual(4096);
  }, 60_000);

  it('dispose() stops the process, fails queued calls as not-started and says disposed', async () => {
    const s = new PowerShellSession({ executable: pwsh.path, scriptDirs: [fixtures] });
    const seen: SessionStatus[] = [];
    s.on('status', (x: SessionStatus) => seen.push(x));
    const first = s.invoke('hang', { Seconds: 600 });
    await expect.poll(() => s.currentStatus, { timeout: 30_000 }).toBe('busy');
    const pid = s.info!.pid;
    const queued = s.invoke('echo', { Value: 1 });
    await s.dispose();
    expect(!(await first).ok).toBe(true);
    const q = await queued;
    expect(!q.ok && q.error.kind).toBe('not-started');
    await expect.poll(() => alive(pid)).toBe(false); // SIGKILL lands asynchronously
    expect(seen.at(-1)).toBe('disposed');
  }, 30_000);

  it('a start-up secret reaches its script but never a line PowerShell compiles nor a parameter binding', async () => {
    const password = `pw'"$(x)\`;:#\u2019中文`;
    const trace = join(tmp, 'bindings.log');
    const seenFile = join(tmp, 'secret-seen.json');
    const secrets = { Password: password };
    const s = new PowerShellSession({
      executable: pwsh.path,
      scriptDirs: [fixtures, join(projectRoot(), 'main', 'powershell', 'scripts')],
      startup: [
        { script: 'trace-binding', params: { File: trace } },
        { script: 'secret-echo', params: { Visible: 'shown', Out: seenFile }, secrets },
        // the product's own use of a secret: a remote host's WinRM password (no connection is made here)
        {
          script: 'use-remote',
          params: { Transport: 'winrm', HostName: 'hv.example', UserName: 'LAB\\admin', Endpoint: 'jea' },
          secrets,
        },
      ],
    });
    try {
      // remote-status runs locally: the session, pointed at the remote host, goes on reading calls.
      const status = await s.invoke<{ remote: boolean; host: string }>('remote-status');
      expect(status.ok && status.value).toMatchObject({ remote: true, host: 'hv.example' });
      const seen = JSON.parse(readFileSync(seenFile, 'utf8')) as {
        password: string;
        visible: string;
        frames: string[];
      };
      expect(seen).toMatchObject({ password, visible: 'shown' });
      // The outermost frame is the call line itself: it says a secret follows, and holds neither it nor its base64.
      expect(seen.frames.some((f) => f.includes('Invoke-DdaCall') && f.includes('-ReadSecrets'))).toBe(true);
      const b64 = Buffer.from(password, 'utf8').toString('base64');
      for (const f of seen.frames) {
        expect(f).not.toContain(password);
        expect(f).not.toContain(b64);
      }
      // Every parameter binding was traced (the visible values are there), the secret in no form.
      const traced = readFileSync(trace, 'utf8');
      expect(traced).toContain('shown');
      expect(traced).toContain('hv.example');
      for (const form of [password, b64, 'pw\'"$(x)']) expect(traced).not.toContain(form);
    } finally {
      await s.dispose();
    }
  }, 60_000);

  it("Windows PowerShell 5.1's host reads stdin through a buffered reader of its own: the secret line is read from it (stand-in host objects of 5.1's shape)", async () => {
    const r = await session.invoke<{ first: string; second: string }>('read-host-line', {});
    expect(r.ok && r.value).toEqual({ first: '#Password:cHc=', second: 'next' });
  });

  it('a host policy that forces Constrained Language Mode is said at once: nothing runs, no start-up timeout', async () => {
    // A stand-in for the policy: this PowerShell switches itself to ConstrainedLanguage before our first line.
    const wrapper = join(tmp, 'clm-pwsh.sh');
    writeFileSync(
      wrapper,
      `#!/bin/sh\n(printf '%s\\n' '$ExecutionContext.SessionState.LanguageMode = "ConstrainedLanguage"'; cat) | exec '${pwsh.path}' -NoLogo -NoProfile -NonInteractive -Command -\n`,
      { mode: 0o755 },
    );
    const s = new PowerShellSession({ executable: wrapper, scriptDirs: [fixtures] });
    try {
      const r = await s.start();
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('not-started');
        expect(r.error.message).toMatch(/restricted language mode/);
        expect(r.error.message).not.toMatch(/did not finish within/);
      }
    } finally {
      await s.dispose();
    }
  });

  it('a stray secret line would be a comment: run as code it does nothing and prints nothing', () => {
    const line = `#Password:${Buffer.from('pw$(x)', 'utf8').toString('base64')}`;
    const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', '-'], {
      input: `${line}\n'after'\n`,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.replace(/\u001b\[\?1[hl]/g, '').trim()).toBe('after');
  });

  it("a remote session's connect allowance is added to each call's own timeout", async () => {
    const s = new PowerShellSession({ executable: pwsh.path, scriptDirs: [fixtures], connectAllowanceMs: 3_000 });
    try {
      // 500 ms alone would stop a 1 s call; with the allowance it finishes, and a timeout names the sum.
      const r = await s.invoke<{ woke: boolean }>('hang', { Seconds: 1 }, { timeoutMs: 500 });
      expect(r.ok && r.value).toEqual({ woke: true });
      const stuck = await s.invoke('hang', { Seconds: 600 }, { timeoutMs: 1 });
      expect(!stuck.ok && stuck.error.message).toMatch(/did not finish within 3001 ms/);
    } finally {
      await s.dispose();
    }
  }, 60_000);
});

describe('PowerShellSession without PowerShell', () => {
  it('a missing executable fails calls as not-started and never crashes Node', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { session: missing, started } = await PowerShellSession.start({
        executable: join(tmp, 'no-such-pwsh'),
        scriptDirs: [fixtures],
      });
      expect(!started.ok && started.error.kind).toBe('not-started');
      expect(!started.ok && started.error.message).toMatch(/PowerShell was not found at .*no-such-pwsh/);
      expect(missing.currentStatus).toBe('failed');
      const r = await missing.invoke('echo', { Value: 1 });
      expect(!r.ok && r.error.kind).toBe('not-started');
      await missing.dispose();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('an executable that is not PowerShell fails as not-started', async () => {
    const wrong = new PowerShellSession({ executable: '/bin/false', scriptDirs: [fixtures] });
    const r = await wrong.invoke('echo', {});
    expect(!r.ok && r.error.kind).toBe('not-started');
    expect(!r.ok && r.error.message).toMatch(/code 1/);
    await wrong.dispose();
  });
});

describe('findPowerShell: setting > DDA_PWSH > project .tools > PATH > Windows PowerShell', () => {
  const exists = (set: string[]) => (p: string) => set.includes(p);
  it('walks the rule in order', () => {
    const all = ['/s/pwsh', '/e/pwsh', '/root/.tools/pwsh/pwsh', '/usr/bin/pwsh'];
    const base = { projectRoot: '/root', platform: 'linux' as const, exists: exists(all) };
    expect(findPowerShell({ ...base, setting: '/s/pwsh', env: { DDA_PWSH: '/e/pwsh', PATH: '/usr/bin' } })).toEqual({
      path: '/s/pwsh',
      source: 'setting',
    });
    expect(findPowerShell({ ...base, env: { DDA_PWSH: '/e/pwsh', PATH: '/usr/bin' } })).toEqual({
      path: '/e/pwsh',
      source: 'env',
    });
    expect(findPowerShell({ ...base, env: { PATH: '/usr/bin' } })).toEqual({
      path: '/root/.tools/pwsh/pwsh',
      source: 'project',
    });
    expect(findPowerShell({ ...base, exists: exists(['/usr/bin/pwsh']), env: { PATH: '/opt:/usr/bin' } })).toEqual({
      path: '/usr/bin/pwsh',
      source: 'path',
    });
    expect(findPowerShell({ ...base, exists: exists([]), env: { PATH: '/usr/bin' } })).toBeNull();
  });
  it('resolves a bare command name in the setting on PATH', () => {
    const r = findPowerShell({
      setting: 'pwsh-preview',
      env: { PATH: '/opt/p' },
      projectRoot: '/r',
      platform: 'linux',
      exists: exists(['/opt/p/pwsh-preview']),
    });
    expect(r).toEqual({ path: '/opt/p/pwsh-preview', source: 'setting' });
  });
  it('on Windows: pwsh.exe on Path, then Windows PowerShell 5.1', () => {
    const base = { projectRoot: 'C:\\app', platform: 'win32' as const };
    const ps7 = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
    const ps51 = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
    const env = { SystemRoot: 'C:\\Windows', Path: 'C:\\Windows;C:\\Program Files\\PowerShell\\7' };
    expect(findPowerShell({ ...base, env, exists: exists([ps7, ps51]) })).toEqual({ path: ps7, source: 'path' });
    expect(findPowerShell({ ...base, env, exists: exists([ps51]) })).toEqual({
      path: ps51,
      source: 'windows-powershell',
    });
    expect(findPowerShell({ ...base, env, exists: exists(['C:\\app\\.tools\\pwsh\\pwsh.exe', ps51]) })?.source).toBe(
      'project',
    );
  });
  it('a named but missing setting or DDA_PWSH is not silently replaced by another PowerShell', () => {
    const base = { projectRoot: '/r', platform: 'linux' as const, exists: exists(['/usr/bin/pwsh']) };
    expect(findPowerShell({ ...base, setting: '/nope', env: { PATH: '/usr/bin' } })).toBeNull();
    expect(findPowerShell({ ...base, env: { DDA_PWSH: '/nope', PATH: '/usr/bin' } })).toBeNull();
  });
  it("never a UNC or device path, from the setting or DDA_PWSH (opening one sends the admin's NTLM response)", () => {
    const unc = '\\\\evil.example\\share\\pwsh.exe';
    const base = { projectRoot: 'C:\\app', platform: 'win32' as const, exists: () => true, env: { Path: '' } };
    for (const p of [unc, '//evil.example/share/pwsh.exe', '\\\\?\\C:\\pwsh.exe', '\\\\.\\pipe\\x']) {
      expect(findPowerShell({ ...base, setting: p })).toBeNull();
      expect(findPowerShell({ ...base, env: { DDA_PWSH: p } })).toBeNull();
    }
    const fields = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
      (r.error?.issues ?? []).map((i) => i.path.join('.'));
    expect(
      settingsSchema.safeParse({
        language: null,
        theme: 'system',
        powershellPath: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
        simulatorProfile: null,
      }).success,
    ).toBe(true);
    expect(
      fields(
        settingsSchema.safeParse({ language: null, theme: 'system', powershellPath: unc, simulatorProfile: null }),
      ),
    ).toEqual(['powershellPath']);
    expect(fields(sshTargetSchema.safeParse({ transport: 'ssh', hostName: 'h', keyFilePath: unc }))).toContain(
      'keyFilePath',
    );
    expect(
      fields(sshTargetSchema.safeParse({ transport: 'ssh', hostName: 'h', knownHostsFile: '//evil/kh' })),
    ).toContain('knownHostsFile');
    expect(
      fields(sshTargetSchema.safeParse({ transport: 'ssh', hostName: 'h', keyFilePath: '/home/me/.ssh/id' })),
    ).not.toContain('keyFilePath');
  });
  it('finds the project root from its own location', () => {
    expect(existsSync(join(projectRoot(), 'package.json'))).toBe(true);
    expect(existsSync(join(projectRoot(), 'main', 'powershell', 'dispatcher.ps1'))).toBe(true);
  });
});
