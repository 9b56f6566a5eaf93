/**
 * PowerShellSession: one long-lived PowerShell process driven through node-powershell 5.0.1, calls
 * serialized by our own queue, each call a named .ps1 from our script folders with its parameters passed
 * as data, the result a JSON envelope written by dispatcher.ps1. The session owns timeouts, crash
 * recovery and restarts, so a stuck or dead call fails alone and the next call works.
 *
 * Lifecycle: the process starts lazily on the first call (or eagerly with `start()`); start-up scripts
 * run after every (re)start; after a timeout, a crash or a stall the process is replaced at once
 * (status 'restarting' then 'ready'). Statuses: starting, ready, busy, restarting, failed, disposed.
 *
 * ============================================================================================
 * node-powershell 5.0.1 defects (docs: environment.md) and how each is neutralized here.
 * Tests in session.test.ts exercise every line marked [tested].
 *  1. Env NODE_POWERSHELL silently wins over the executable we pass -> PinnedPowerShell overrides
 *     setExecutable() and spawns exactly the path it is given. [tested]
 *  2. `hadErrors` = "something was written to stderr", a call rejects with the stderr text, and a throw
 *     on one line does not stop the next -> throwOnInvocationError: false; each call is ONE line that
 *     calls Invoke-DdaCall, which runs the whole script in one try/catch with ErrorActionPreference
 *     Stop and returns a structured envelope on stdout; stderr never decides a call's outcome. [tested]
 *  3. invocationTimeout rejects but leaves the command running (later calls all time out) -> never
 *     used: our timer kills the process tree, drops that shell, and a new one starts. [tested]
 *  4. An unclosed quote or brace hangs forever -> script, params and path travel as base64: one line,
 *     ASCII only, no quote that could stay open. [tested with hostile values]
 *  5. Non-ASCII output garbled -> [Console]::OutputEncoding/$OutputEncoding = UTF-8 first thing, and
 *     results are base64 of UTF-8 anyway. [tested: CJK, emoji]
 *  6. PowerShell.$ / command helpers put values in double quotes, so $(...) executes -> never used;
 *     values are JSON data splatted as parameters. [tested: canary file never created]
 *  7. A missing executable crashes Node with an unhandled rejection (its exit promise rejects with
 *     nobody listening), and a second EPIPE on stdin would be an uncaught 'error' -> we attach a
 *     handler to the exit promise and to stdin right after construction; the spawn error becomes a
 *     failed start ('not-started'). [tested]
 *  8. dispose() sends SIGTERM and leaves children -> never called; we kill the process tree (Windows:
 *     taskkill /T /F; POSIX: freeze the tree with SIGSTOP, re-read it, SIGKILL all). [tested on Linux]
 *  9. `history` keeps every command, stdout and stderr forever -> emptied after every call. [tested]
 * 10. Found here, not in environment.md: its end-of-output check only looks at the last 17 bytes of
 *     the first chunk. pwsh on Linux/macOS writes terminal mode sequences (ESC[?1h ESC[?1l) after each
 *     statement, and Windows ends lines with CRLF, so when one chunk holds a whole reply the end is
 *     missed and the call hangs forever (1 call in ~140 here). -> the child gets TERM=dumb (no mode
 *     sequences; 5,000/5,000 calls completed) and `[Console]::Out.NewLine = "`n"` (no CRLF). Safety net:
 *     our own reader sees the result marker; if node-powershell has not finished 2 s later the result
 *     is returned anyway and the process is replaced (counted in `counters.stalls`).
 * Internals of node-powershell we rely on (typed in ShellInternals): `process`, `exitPromise`.
 * ============================================================================================
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PowerShell } from 'node-powershell';
import type { InvokeOptions, PsErrorInfo, PsResult, ScriptRunner, SessionStatus } from './session-types';

/** How to start a session. */
export interface PowerShellSessionOptions {
  /** Full path of pwsh / powershell.exe (see findPowerShell). */
  executable: string;
  /** Folders searched, in order, for `<name>.ps1`. */
  scriptDirs: string[];
  /** Extra environment for the PowerShell process. */
  env?: Record<string, string>;
  /** Per-call timeout unless the call says otherwise (ms); default 120,000. */
  defaultTimeoutMs?: number;
  /** Limit for starting the process plus the start-up scripts (ms); default 60,000. */
  startupTimeoutMs?: number;
  /** Scripts run after every (re)start, e.g. loading the simulator and our host functions. */
  startup?: Array<{ script: string; params?: Record<string, unknown> }>;
}

/** What the session knows about the PowerShell it runs. */
export interface PowerShellInfo {
  version: string;
  edition: string;
  pid: number;
}

/** Counters for tests, diagnostics and the benchmark. */
export interface SessionCounters {
  calls: number;
  starts: number;
  restarts: number;
  timeouts: number;
  crashes: number;
  stalls: number;
}

const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DISPATCHER_B64 = Buffer.from(readFileSync(new URL('./dispatcher.ps1', import.meta.url), 'utf8'), 'utf8').toString('base64');
const MAX_RESULT_CHARS = 256 * 1024 * 1024;
const STDERR_TAIL = 4096;
const STALL_GRACE_MS = 2000;
/** A process that dies on its own sooner than this after starting is not restarted eagerly (no loops). */
const MIN_LIFETIME_FOR_EAGER_RESTART_MS = 5000;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

class CallFailure extends Error {
  constructor(readonly info: PsErrorInfo) {
    super(info.message);
  }
}

/** node-powershell's shell, pinned to the executable we give it (defect 1). */
class PinnedPowerShell extends PowerShell {
  protected override setExecutable(options: { executable?: string }): string {
    if (!options.executable) throw new Error('No PowerShell executable given');
    return options.executable;
  }
}

/** The private members of node-powershell's Shell we need (see the banner). */
interface ShellInternals {
  process: ChildProcess;
  exitPromise: Promise<void>;
}

/** Finds `<<DDA-RESULT:id>>payload<<DDA-END>>` in stdout with bounded memory; ignores all other output. */
class ResultReader {
  private text = '';
  private begin = '';
  private beginAt = -1;
  private scanFrom = 0;
  private onResult: ((payload: string) => void) | null = null;
  private onOverflow: (() => void) | null = null;

  /** Characters held right now (for the memory test). */
  get buffered(): number {
    return this.text.length;
  }

  expect(callId: string, onResult: (payload: string) => void, onOverflow: () => void): void {
    this.text = '';
    this.begin = `<<DDA-RESULT:${callId}>>`;
    this.beginAt = -1;
    this.scanFrom = 0;
    this.onResult = onResult;
    this.onOverflow = onOverflow;
  }

  cancel(): void {
    this.onResult = this.onOverflow = null;
    this.text = '';
  }

  feed(chunk: string): void {
    if (!this.onResult) return; // output between calls is noise
    this.text += chunk;
    if (this.beginAt < 0) {
      const i = this.text.indexOf(this.begin, this.scanFrom);
      if (i < 0) {
        // keep only what could be the start of a split marker
        this.text = this.text.slice(-(this.begin.length - 1));
        this.scanFrom = 0;
        return;
      }
      this.text = this.text.slice(i);
      this.beginAt = 0;
      this.scanFrom = this.begin.length;
    }
    const j = this.text.indexOf('<<DDA-END>>', this.scanFrom);
    if (j < 0) {
      if (this.text.length > MAX_RESULT_CHARS) {
        const overflow = this.onOverflow;
        this.cancel();
        overflow?.();
        return;
      }
      this.scanFrom = Math.max(this.begin.length, this.text.length - 10);
      return;
    }
    const payload = this.text.slice(this.begin.length, j);
    const onResult = this.onResult;
    this.cancel();
    onResult(payload);
  }
}

/** One running PowerShell process with its node-powershell shell. */
interface Live {
  shell: PinnedPowerShell;
  child: ChildProcess;
  reader: ResultReader;
  startedAt: number;
  /** Script hashes whose parsed block this process already caches. */
  sentScripts: Set<string>;
  info: PowerShellInfo | null;
  exited: boolean;
  killed: boolean;
  exitReason: string;
  stderrTail: string;
}

/** Kills a process and its descendants; see defect 8. */
function killProcessTree(pid: number): void {
  if (process.platform === 'win32') {
    const r = spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    if (r.status !== 0) signal(pid, 'SIGKILL');
    return;
  }
  const first = [pid, ...descendants(pid)];
  for (const p of first) signal(p, 'SIGSTOP'); // a stopped process cannot fork while we look again
  const all = new Set([...first, ...descendants(pid)]);
  for (const p of all) signal(p, 'SIGKILL');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Descendant pids of `root`, from /proc on Linux, else from ps. */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  if (existsSync('/proc/self/stat')) {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parentOf.set(Number(name), ppid);
      } catch {
        // exited while we read
      }
    }
  } else {
    const r = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
    for (const line of (r.stdout ?? '').split('\n')) {
      const [p, pp] = line.trim().split(/\s+/).map(Number);
      if (p && pp !== undefined) parentOf.set(p, pp);
    }
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop();
    for (const [p, pp] of parentOf) {
      if (pp === parent && p !== root && !out.includes(p)) {
        out.push(p);
        frontier.push(p);
      }
    }
  }
  return out;
}

/** One PowerShell process at a time, calls in order; see the file comment. */
export class PowerShellSession extends EventEmitter implements ScriptRunner {
  private live: Live | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private status: SessionStatus = 'starting';
  private disposed = false;
  private inCall = false;
  private nextId = 1;
  private readonly nonce = randomBytes(6).toString('hex');
  private readonly scripts = new Map<string, { text: string; path: string; hash: string }>();
  /** Counters for tests, diagnostics and the benchmark. */
  readonly counters: SessionCounters = { calls: 0, starts: 0, restarts: 0, timeouts: 0, crashes: 0, stalls: 0 };

  constructor(private readonly options: PowerShellSessionOptions) {
    super();
  }

  /** Creates a session and starts its process now; the result says whether the start worked. */
  static async start(options: PowerShellSessionOptions): Promise<{ session: PowerShellSession; started: PsResult<PowerShellInfo> }> {
    const session = new PowerShellSession(options);
    return { session, started: await session.start() };
  }

  /** The current status. */
  get currentStatus(): SessionStatus {
    return this.status;
  }

  /** The PowerShell process id, when one runs. */
  get pid(): number | undefined {
    return this.live && !this.live.exited ? this.live.child.pid : undefined;
  }

  /** Version and edition of the running PowerShell, once started. */
  get info(): PowerShellInfo | null {
    return this.live?.info ?? null;
  }

  /** What the session holds in memory: node-powershell's history length and our reader's buffer. */
  footprint(): { historyLength: number; readerChars: number; scriptsCached: number } {
    return {
      historyLength: this.live?.shell.history.length ?? 0,
      readerChars: this.live?.reader.buffered ?? 0,
      scriptsCached: this.scripts.size,
    };
  }

  /** Starts the process now rather than on the first call; queued like a call. */
  start(): Promise<PsResult<PowerShellInfo>> {
    return this.enqueue(async () => {
      const t0 = performance.now();
      try {
        const live = await this.ensureLive();
        return { ok: true as const, value: live.info as PowerShellInfo, errors: [], durationMs: performance.now() - t0 };
      } catch (e) {
        return this.failure<PowerShellInfo>(e, t0);
      }
    });
  }

  /** Runs the named script with params as data; always resolves to an envelope, never rejects. */
  invoke<T = unknown>(script: string, params: Record<string, unknown> = {}, options: InvokeOptions = {}): Promise<PsResult<T>> {
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 120_000;
    return this.enqueue(async () => {
      const t0 = performance.now();
      if (this.disposed) return this.failure<T>(new CallFailure({ kind: 'not-started', message: 'The PowerShell session was disposed.' }), t0);
      let live: Live;
      try {
        this.script(script); // a bad name fails before any process is started
        live = await this.ensureLive();
      } catch (e) {
        return this.failure<T>(e, t0);
      }
      this.counters.calls++;
      this.inCall = true;
      this.setStatus('busy');
      try {
        return await this.call<T>(live, script, params, timeoutMs, t0);
      } catch (e) {
        return this.failure<T>(e, t0);
      } finally {
        this.inCall = false;
        if (live.exited || live.killed) this.replace(live);
        else if (!this.disposed) this.setStatus('ready');
      }
    });
  }

  /** Stops the process (and its children); queued and later calls fail as not-started. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.live) this.kill(this.live);
    this.live = null;
    await this.queue.catch(() => {});
    this.setStatus('disposed');
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  private setStatus(status: SessionStatus, detail?: string): void {
    if (this.status === status && status !== 'failed') return;
    this.status = status;
    this.emit('status', status, detail);
  }

  /** Looks a script up by name (never a path) in the script folders. */
  private script(name: string): { text: string; path: string; hash: string } {
    if (!SCRIPT_NAME.test(name) || name.includes('..')) {
      throw new CallFailure({ kind: 'protocol', message: `Invalid script name ${JSON.stringify(name)}: letters, digits, . _ - only.` });
    }
    const cached = this.scripts.get(name);
    if (cached) return cached;
    for (const dir of this.options.scriptDirs) {
      const path = resolve(join(dir, `${name}.ps1`));
      if (existsSync(path)) {
        const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
        const entry = { text, path, hash: createHash('sha256').update(text).digest('hex').slice(0, 32) };
        this.scripts.set(name, entry);
        return entry;
      }
    }
    throw new CallFailure({ kind: 'protocol', message: `No script named ${name}.ps1 in ${this.options.scriptDirs.join(', ')}` });
  }

  /** One call on a live process; throws CallFailure for session-level failures. */
  private async call<T>(live: Live, name: string, params: Record<string, unknown>, timeoutMs: number, t0: number): Promise<PsResult<T>> {
    const s = this.script(name);
    let json: string;
    try {
      json = JSON.stringify(params ?? {});
    } catch (e) {
      throw new CallFailure({ kind: 'protocol', message: `Parameters of ${name}.ps1 are not JSON: ${(e as Error).message}` });
    }
    const callId = `${this.nonce}-${this.nextId++}`;
    const textB64 = live.sentScripts.has(s.hash) ? '' : b64(s.text);
    // Only base64, a hex hash and the call id go into this line: no value is ever spliced into code.
    const line = `Invoke-DdaCall '${textB64}' '${b64(json)}' '${b64(s.path)}' '${callId}' '${s.hash}'`;
    const payload = await this.runLine(live, line, callId, timeoutMs, `${name}.ps1`);
    live.sentScripts.add(s.hash);
    const envelope = this.parse(payload, name);
    const errors = envelope.errors == null ? [] : Array.isArray(envelope.errors) ? envelope.errors : [envelope.errors];
    const durationMs = performance.now() - t0;
    return envelope.ok
      ? { ok: true, value: (envelope.value ?? null) as T, errors, durationMs }
      : { ok: false, error: envelope.error ?? { kind: 'protocol', message: `${name}.ps1 failed without an error record` }, errors, durationMs };
  }

  private parse(payload: string, label: string): { ok: boolean; value?: unknown; error?: PsErrorInfo; errors?: PsErrorInfo[] | PsErrorInfo | null } {
    try {
      return JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    } catch {
      throw new CallFailure({ kind: 'protocol', message: `Unreadable result from ${label}` });
    }
  }

  /**
   * Sends one line through node-powershell and waits for our result marker. A timeout, an exit, an
   * overflow or a stall kills the process (marked `killed`/`exited`); the caller replaces it.
   */
  private runLine(live: Live, line: string, callId: string, timeoutMs: number, label: string): Promise<string> {
    return new Promise<string>((resolvePayload, reject) => {
      let done = false;
      let payload: string | null = null;
      let stallTimer: NodeJS.Timeout | undefined;
      const finish = (act: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(stallTimer);
        live.reader.cancel();
        // defect 9: node-powershell's history would keep every command and its output forever
        live.shell.history.length = 0;
        act();
      };
      const gone = (what: string) =>
        new CallFailure({
          kind: 'crashed',
          message: this.disposed
            ? `The PowerShell session was disposed during ${label}.`
            : `PowerShell exited during ${label} (${live.exitReason || what}); the call failed and PowerShell restarts.`,
        });
      const timer = setTimeout(
        () =>
          finish(() => {
            this.counters.timeouts++;
            this.kill(live);
            reject(new CallFailure({ kind: 'timeout', message: `${label} did not finish within ${timeoutMs} ms; PowerShell was stopped with its child processes and restarts.` }));
          }),
        timeoutMs,
      );
      live.reader.expect(
        callId,
        (p) => {
          payload = p;
          // defect 10 safety net: the result is here; node-powershell should finish within moments
          stallTimer = setTimeout(
            () =>
              finish(() => {
                this.counters.stalls++;
                this.kill(live);
                resolvePayload(p);
              }),
            STALL_GRACE_MS,
          );
        },
        () =>
          finish(() => {
            this.kill(live);
            reject(new CallFailure({ kind: 'protocol', message: `The result of ${label} exceeded ${MAX_RESULT_CHARS} characters; PowerShell restarts.` }));
          }),
      );
      // defect 3: no invocationTimeout; defect 2: throwOnInvocationError is off, stderr decides nothing
      live.shell.invoke(line).then(
        () =>
          finish(() => {
            if (payload !== null) resolvePayload(payload);
            else if (live.exited) {
              this.counters.crashes++;
              reject(gone('no result'));
            } else reject(new CallFailure({ kind: 'protocol', message: `${label} gave no result${live.stderrTail ? `: ${live.stderrTail.trim().slice(-500)}` : ''}` }));
          }),
        (err: unknown) =>
          finish(() => {
            if (!live.killed) this.counters.crashes++;
            this.kill(live);
            reject(gone(err instanceof Error ? err.message : String(err)));
          }),
      );
    });
  }

  /** Forgets a dead or killed process and starts its replacement right away (queued). */
  private replace(live: Live): void {
    if (this.live === live) this.live = null;
    if (this.disposed) return;
    this.setStatus('restarting');
    void this.enqueue(() => (this.disposed || this.live ? Promise.resolve() : this.ensureLive().then(noop, noop)));
  }

  private async ensureLive(): Promise<Live> {
    if (this.disposed) throw new CallFailure({ kind: 'not-started', message: 'The PowerShell session was disposed.' });
    if (this.live && !this.live.exited && !this.live.killed) return this.live;
    this.live = null;
    const restarting = this.counters.starts > 0;
    if (restarting) this.counters.restarts++;
    this.counters.starts++;
    this.setStatus(restarting ? 'restarting' : 'starting');
    const exe = this.options.executable;
    const limit = this.options.startupTimeoutMs ?? 60_000;
    let live: Live | null = null;
    try {
      live = this.spawn();
      const id = `${this.nonce}-${this.nextId++}`;
      const setup = [
        // defect 5: UTF-8 both ways, first thing (a console-less host may refuse; results are base64 anyway)
        'try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }',
        '$OutputEncoding = New-Object System.Text.UTF8Encoding $false',
        // defect 10: LF line ends (setting OutputEncoding above replaced Console.Out, so after it)
        'try { [Console]::Out.NewLine = "`n"; [Console]::Error.NewLine = "`n" } catch { }',
        `. ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${DISPATCHER_B64}'))))`,
        `Complete-DdaStartup '${id}'`,
      ].join('; ');
      live.info = this.parse(await this.runLine(live, setup, id, limit, 'start-up'), 'start-up').value as PowerShellInfo;
      for (const s of this.options.startup ?? []) {
        const r = await this.call(live, s.script, s.params ?? {}, limit, performance.now());
        if (!r.ok) throw new CallFailure({ kind: 'not-started', message: `start-up script ${s.script}.ps1 failed: ${r.error.message}` });
      }
    } catch (e) {
      if (live) this.kill(live);
      const why = e instanceof CallFailure && e.info.kind === 'not-started' ? e.message : live?.exitReason || (e as Error).message;
      this.setStatus('failed', why);
      throw new CallFailure({ kind: 'not-started', message: `PowerShell could not start (${exe}): ${why}` });
    }
    this.live = live;
    this.setStatus('ready');
    return live;
  }

  private spawn(): Live {
    const shell = new PinnedPowerShell({
      executable: this.options.executable,
      executableOptions: { '-NoProfile': true, '-NonInteractive': true }, // node-powershell adds -NoLogo, -NoExit -Command -
      spawnOptions: {
        windowsHide: true,
        // defect 10: TERM=dumb stops .NET writing terminal mode sequences after every statement
        env: { ...process.env, POWERSHELL_UPDATECHECK: 'Off', ...this.options.env, TERM: 'dumb' },
      },
      throwOnInvocationError: false, // defect 2
      inputEncoding: 'utf-8',
      outputEncoding: 'utf-8',
    });
    const internals = shell as unknown as ShellInternals;
    const child = internals.process;
    const live: Live = {
      shell,
      child,
      reader: new ResultReader(),
      startedAt: performance.now(),
      sentScripts: new Set(),
      info: null,
      exited: false,
      killed: false,
      exitReason: '',
      stderrTail: '',
    };
    // defect 7: observed at once, so a spawn failure never becomes an unhandled rejection
    internals.exitPromise.catch(noop);
    shell.streams.stdin.on('error', noop); // EPIPE after an exit surfaces through 'exit'/'error' below
    shell.streams.stdout.on('data', (chunk: string | Buffer) => live.reader.feed(String(chunk)));
    shell.streams.stderr.on('data', (chunk: string | Buffer) => {
      live.stderrTail = (live.stderrTail + String(chunk)).slice(-STDERR_TAIL);
    });
    const onGone = (why: string) => {
      if (live.exited) return;
      live.exited = true;
      const tail = live.stderrTail.trim();
      live.exitReason = why + (tail ? `: ${tail.slice(-500)}` : '');
      // died on its own while idle: replace it now, unless it keeps dying young (no restart loops)
      if (this.live === live && !this.inCall && !live.killed && !this.disposed) {
        if (performance.now() - live.startedAt >= MIN_LIFETIME_FOR_EAGER_RESTART_MS) this.replace(live);
        else {
          this.live = null;
          this.setStatus('failed', live.exitReason);
        }
      }
    };
    child.on('error', (e) => onGone(e.message));
    child.on('exit', (code, sig) => onGone(`PowerShell exited with ${sig ?? `code ${code}`}`));
    return live;
  }

  /** Kills a process and its children (defect 8); node-powershell's dispose() is never used. */
  private kill(live: Live): void {
    live.killed = true;
    const pid = live.child.pid;
    if (pid === undefined || live.exited) return;
    killProcessTree(pid);
  }

  private failure<T>(e: unknown, t0: number): PsResult<T> {
    const info: PsErrorInfo = e instanceof CallFailure ? e.info : { kind: 'protocol', message: e instanceof Error ? e.message : String(e) };
    return { ok: false, error: info, errors: [], durationMs: performance.now() - t0 };
  }
}

function noop(): void {}
