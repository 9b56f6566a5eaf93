/**
 * PowerShellSession: one long-lived PowerShell process, calls serialized by our own queue, each call a
 * named .ps1 from our script folders with its parameters passed as data, the result a JSON envelope
 * written by dispatcher.ps1. The session owns timeouts, crash recovery and restarts, so a stuck or dead
 * call fails alone and the next call works.
 *
 * Lifecycle: the process starts lazily on the first call (or eagerly with `start()` /
 * `PowerShellSession.start()`); start-up scripts run after every (re)start; after a timeout or a crash
 * the process is replaced at once (status 'restarting' then 'ready'). Statuses: starting, ready, busy,
 * restarting, failed, disposed.
 *
 * ============================================================================================
 * Transport: our own child process, not node-powershell 5.0.1. Its end-of-output detection looks only
 * at the last 17 bytes of the first chunk; pwsh on Linux/macOS writes terminal mode sequences
 * (ESC[?1h ESC[?1l) after each statement and Windows ends lines with CRLF, so when one chunk holds a
 * whole reply the end is missed and the call hangs forever: 1 call in ~140 here. TERM=dumb plus LF line
 * ends would neutralize that (5,000/5,000 calls completed), and a version over node-powershell exists,
 * but the dependency was removed from package.json while this was written, so this file replaces that
 * piece behind the same interface. Each defect we found in it, and what stands in for it:
 *  1. NODE_POWERSHELL silently overriding the executable -> we spawn exactly the path we are given.
 *  2. `hadErrors` = "anything on stderr"; a throw does not stop the next line -> each call is ONE line
 *     calling Invoke-DdaCall, which runs the whole script in one try/catch with ErrorActionPreference
 *     Stop and returns a structured envelope on stdout; stderr never decides a call's outcome. [tested]
 *  3. invocationTimeout leaves the command running (every later call times out) -> our timer kills the
 *     process tree; queued calls run on a fresh process. [tested]
 *  4. An unclosed quote or brace hangs forever -> script, params and path travel as base64: one line,
 *     ASCII only, no quote that could stay open; a script that does not parse fails as a value. [tested]
 *  5. Non-ASCII garbled -> UTF-8 set first thing, and results are base64 of UTF-8 anyway. [tested]
 *  6. $ / command helpers double-quote values, so $(...) executes -> none exist; values are JSON data
 *     splatted as parameters. [tested: canary file never created]
 *  7. A missing executable crashes Node with an unhandled rejection -> spawn errors are events that turn
 *     into a failed start ('not-started'); stdin EPIPE is handled. [tested]
 *  8. dispose() sends SIGTERM and leaves children -> we kill the process tree (POSIX: freeze the tree
 *     with SIGSTOP, re-read it, SIGKILL all; Windows: taskkill /T /F). [tested on Linux] Not covered:
 *     children of a pwsh that died on its own are orphans by then and are not hunted down.
 *  9. Unbounded history -> none is kept; the reader holds only the current result, capped. [tested]
 * ============================================================================================
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  InvokeOptions,
  PowerShellInfo,
  PowerShellSessionOptions,
  PsErrorInfo,
  PsResult,
  ScriptRunner,
  SessionCounters,
  SessionStatus,
} from './session-types';
import { killLive, spawnLive, type Live } from './live-process';
import { MAX_RESULT_CHARS } from './result-reader';
import { b64, CallFailure, dispatcherBase64, parseEnvelope, ScriptCache, secretsLine } from './call-line';

export type { PowerShellInfo, PowerShellSessionOptions, SessionCounters } from './session-types';

/** A process that dies on its own sooner than this after starting is not restarted eagerly (no loops). */
const MIN_LIFETIME_FOR_EAGER_RESTART_MS = 5000;

/** Why a session cannot start where a host policy restricts PowerShell's language mode. */
const RESTRICTED_LANGUAGE =
  "PowerShell runs in a restricted language mode here (Constrained Language Mode, forced by a host policy such as App Control for Business or AppLocker script rules), and DDA Studio's PowerShell needs FullLanguage: nothing was run. Ask who manages that policy to allow DDA Studio's PowerShell, or run DDA Studio on a machine without it.";

/** One PowerShell process at a time, calls in order; see the file comment. */
export class PowerShellSession extends EventEmitter implements ScriptRunner {
  private live: Live | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private status: SessionStatus = 'starting';
  private disposed = false;
  /** The process being started (not yet `live`), so dispose() can stop it too. */
  private starting: Live | null = null;
  private nextId = 1;
  private readonly nonce = randomBytes(6).toString('hex');
  private readonly scripts: ScriptCache;
  /** Counters for tests, diagnostics and the benchmark. */
  readonly counters: SessionCounters = { calls: 0, starts: 0, restarts: 0, timeouts: 0, crashes: 0 };

  constructor(private readonly options: PowerShellSessionOptions) {
    super();
    this.scripts = new ScriptCache(options.scriptDirs);
  }

  /** Creates a session and starts its process now; the result says whether the start worked. */
  static async start(
    options: PowerShellSessionOptions,
  ): Promise<{ session: PowerShellSession; started: PsResult<PowerShellInfo> }> {
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

  /** What the session holds between calls (all bounded): reader buffer, stderr tail, cached scripts. */
  footprint(): { readerChars: number; stderrChars: number; scriptsCached: number } {
    return {
      readerChars: this.live?.reader.buffered ?? 0,
      stderrChars: this.live?.stderrTail.length ?? 0,
      scriptsCached: this.scripts.size,
    };
  }

  /** Starts the process now rather than on the first call; queued like a call. */
  start(): Promise<PsResult<PowerShellInfo>> {
    return this.enqueue(async () => {
      const t0 = performance.now();
      try {
        const live = await this.ensureLive();
        return {
          ok: true as const,
          value: live.info as PowerShellInfo,
          errors: [],
          durationMs: performance.now() - t0,
        };
      } catch (e) {
        return this.failure<PowerShellInfo>(e, t0);
      }
    });
  }

  /** Runs the named script with params as data; always resolves to an envelope, never rejects. */
  invoke<T = unknown>(
    script: string,
    params: Record<string, unknown> = {},
    options: InvokeOptions = {},
  ): Promise<PsResult<T>> {
    const ownTimeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 120_000;
    return this.enqueue(async () => {
      const t0 = performance.now();
      if (this.disposed)
        return this.failure<T>(
          new CallFailure({ kind: 'not-started', message: 'The PowerShell session was disposed.' }),
          t0,
        );
      let live: Live;
      try {
        this.scripts.lookup(script); // a bad name fails before any process is started
        live = await this.ensureLive();
      } catch (e) {
        return this.failure<T>(e, t0);
      }
      this.counters.calls++;
      this.setStatus('busy');
      try {
        return await this.call<T>(live, script, params, ownTimeoutMs, t0);
      } catch (e) {
        return this.failure<T>(e, t0);
      } finally {
        if (live.exited || live.killed) this.replace(live);
        else if (!this.disposed) this.setStatus('ready');
      }
    });
  }

  /** Stops the process (and its children); queued and later calls fail as not-started. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const live of [this.live, this.starting]) if (live) this.kill(live);
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
    // 'ready'/'busy'/'restarting' repeat harmlessly; 'starting' and 'failed' are always news
    if (this.status === status && status !== 'failed' && status !== 'starting') return;
    this.status = status;
    this.emit('status', status, detail);
  }

  /**
   * One call on a live process; throws CallFailure for session-level failures. `ownTimeoutMs` is the call's own limit: a remote host's dispatcher stops the remote command when it
   * expires (after connecting); this process is killed only when the connect allowance has passed too.
   */
  private async call<T>(
    live: Live,
    name: string,
    params: Record<string, unknown>,
    ownTimeoutMs: number,
    t0: number,
    secrets?: Record<string, string>,
  ): Promise<PsResult<T>> {
    const timeoutMs = ownTimeoutMs + (this.options.connectAllowanceMs ?? 0);
    const s = this.scripts.lookup(name);
    let json: string;
    try {
      json = JSON.stringify(params ?? {});
    } catch (e) {
      throw new CallFailure({
        kind: 'protocol',
        message: `Parameters of ${name}.ps1 are not JSON: ${(e as Error).message}`,
      });
    }
    const callId = `${this.nonce}-${this.nextId++}`;
    const textB64 = live.sentScripts.has(s.hash) ? '' : b64(s.text);
    // Only base64, a hex hash and the call id go into this line: no value is ever spliced into code.
    let line = `Invoke-DdaCall '${textB64}' '${b64(json)}' '${b64(s.path)}' '${callId}' '${s.hash}' -TimeoutMs ${Math.min(2 ** 31 - 1, Math.max(1, Math.round(ownTimeoutMs) || 1))}`;
    line += secretsLine(secrets, name);
    const payload = await this.runLine(live, line, callId, timeoutMs, `${name}.ps1`);
    live.sentScripts.add(s.hash);
    const envelope = parseEnvelope(payload, name);
    const errors = envelope.errors == null ? [] : Array.isArray(envelope.errors) ? envelope.errors : [envelope.errors];
    const durationMs = performance.now() - t0;
    return envelope.ok
      ? { ok: true, value: (envelope.value ?? null) as T, errors: errors.map((x) => this.stamp(x)), durationMs }
      : {
          ok: false,
          error: this.stamp(
            envelope.error ?? { kind: 'protocol', message: `${name}.ps1 failed without an error record` },
          ),
          errors: errors.map((x) => this.stamp(x)),
          durationMs,
        };
  }

  /**
   * Writes one line to PowerShell and waits for our result marker. A timeout or an overflow kills the
   * process (marked `killed`); an exit fails the call. The caller replaces a killed or dead process.
   */
  private runLine(live: Live, line: string, callId: string, timeoutMs: number, label: string): Promise<string> {
    return new Promise<string>((resolvePayload, reject) => {
      let done = false;
      const finish = (act: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        live.reader.cancel();
        live.onGone = null;
        act();
      };
      const timer = setTimeout(
        () =>
          finish(() => {
            this.counters.timeouts++;
            this.kill(live);
            reject(
              new CallFailure({
                kind: 'timeout',
                // What PowerShell wrote to stderr says why, e.g. a language mode a host policy forces.
                message: `${label} did not finish within ${timeoutMs} ms; PowerShell was stopped with its child processes and restarts.${live.stderrTail.trim() ? ` It wrote: ${live.stderrTail.trim().slice(-500)}` : ''}`,
              }),
            );
          }),
        timeoutMs,
      );
      live.reader.expect(
        callId,
        (payload) => finish(() => resolvePayload(payload)),
        () =>
          finish(() => {
            this.kill(live);
            reject(
              new CallFailure({
                kind: 'protocol',
                message: `The result of ${label} exceeded ${MAX_RESULT_CHARS} characters; PowerShell restarts.`,
              }),
            );
          }),
      );
      live.onGone = () =>
        finish(() => {
          if (!live.killed) this.counters.crashes++;
          const remote = this.options.computerName;
          // PowerShell 7's SSH client can take its whole process down when the connection dies
          // (an unhandled exception in SSHClientSessionTransportManager): for a remote host's
          // session that is a lost connection, and it says so.
          const lostRemote =
            !this.disposed &&
            !!remote &&
            /SSHClientSessionTransportManager|PSRemotingTransportException/.test(live.exitReason);
          reject(
            new CallFailure(
              lostRemote
                ? {
                    kind: 'connection',
                    message: `The connection to ${remote} was lost during ${label} (PowerShell's SSH transport ended the local process); the call failed and the connection reopens on the next call.`,
                  }
                : {
                    kind: 'crashed',
                    message: this.disposed
                      ? `The PowerShell session was disposed during ${label}.`
                      : `PowerShell exited during ${label} (${live.exitReason}); the call failed and PowerShell restarts.`,
                  },
            ),
          );
        });
      if (live.exited) live.onGone();
      else live.child.stdin.write(line + '\n');
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
      live = this.starting = this.spawn();
      const id = `${this.nonce}-${this.nextId++}`;
      const setup = [
        // The dispatcher first: it keeps only folders administrators own on the module path and imports
        // PowerShell's own Utility module by path. New-Object (a Utility cmdlet) used to come first and
        // loaded a Microsoft.PowerShell.Utility planted in the user's own module folder into this
        // elevated process (module-path.test.ts).
        `. ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${dispatcherBase64()}'))))`,
        // defect 5: UTF-8 both ways, before any output (a console-less host may refuse; results are base64 anyway)
        'try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }',
        '$OutputEncoding = New-Object System.Text.UTF8Encoding $false',
        `Complete-DdaStartup '${id}'`,
      ].join('; ');
      // A host policy (App Control for Business, AppLocker script rules) may force a restricted language
      // mode, where the dispatcher cannot run: said at once with what that mode allows (a property read, a
      // string), instead of a start-up that never answers.
      const restricted = b64(
        JSON.stringify({ ok: false, error: { kind: 'not-started', message: RESTRICTED_LANGUAGE }, errors: [] }),
      );
      const line = `if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') { '<<DDA-RESULT:${id}>>${restricted}<<DDA-END>>' } else { ${setup} }`;
      const started = parseEnvelope(await this.runLine(live, line, id, limit, 'start-up'), 'start-up');
      if (!started.ok)
        throw new CallFailure(
          started.error ?? { kind: 'not-started', message: 'start-up failed without an error record' },
        );
      live.info = started.value as PowerShellInfo;
      for (const s of this.options.startup ?? []) {
        const r = await this.call(live, s.script, s.params ?? {}, limit, performance.now(), s.secrets);
        if (!r.ok)
          throw new CallFailure({
            kind: 'not-started',
            message: `start-up script ${s.script}.ps1 failed: ${r.error.message}`,
          });
      }
      if (this.disposed)
        throw new CallFailure({ kind: 'not-started', message: 'The PowerShell session was disposed.' });
    } catch (e) {
      if (live) this.kill(live);
      this.starting = null;
      let why = e instanceof Error ? e.message : String(e);
      if (live?.exitReason.includes('ENOENT')) why = `PowerShell was not found at ${exe}`;
      else if (live?.exited && !(e instanceof CallFailure && e.info.kind === 'not-started')) why = live.exitReason;
      if (!this.disposed) this.setStatus('failed', why);
      throw new CallFailure({ kind: 'not-started', message: `PowerShell could not start (${exe}): ${why}` });
    }
    this.starting = null;
    this.live = live;
    this.setStatus('ready');
    return live;
  }

  private spawn(): Live {
    return spawnLive(this.options.executable, this.options.env, (live) => {
      // died on its own while idle: replace it now, unless it keeps dying young (no restart loops)
      if (this.live !== live || live.killed || this.disposed) return;
      if (performance.now() - live.startedAt >= MIN_LIFETIME_FOR_EAGER_RESTART_MS) this.replace(live);
      else {
        this.live = null;
        this.setStatus('failed', live.exitReason);
      }
    });
  }

  private kill(live: Live): void {
    killLive(live);
  }

  private failure<T>(e: unknown, t0: number): PsResult<T> {
    const info: PsErrorInfo =
      e instanceof CallFailure ? e.info : { kind: 'protocol', message: e instanceof Error ? e.message : String(e) };
    return { ok: false, error: this.stamp(info), errors: [], durationMs: performance.now() - t0 };
  }

  /** Errors of a remote host's session name the host. */
  private stamp(info: PsErrorInfo): PsErrorInfo {
    const computerName = this.options.computerName;
    return computerName && !info.computerName ? { ...info, computerName } : info;
  }
}

function noop(): void {}
