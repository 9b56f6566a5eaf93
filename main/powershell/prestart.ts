/**
 * How a session's PowerShell process is started, and one started ahead of time.
 *
 * The `dda` command starts PowerShell before it loads its bundle (bin/dda.mjs), so PowerShell's own
 * start-up (0.4 s and more) overlaps Node loading the CLI (0.15 s). The first session that needs the same
 * executable with no extra environment takes that process over (spawnLive); a session that needs
 * another one ends it and starts its own. bin/dda.mjs ends one nobody took when the command is done.
 * The process is only started: nothing is written to it before a session takes it, so it runs nothing
 * of ours until then.
 *
 * The hand-over goes through a global slot, not a module variable: bin/dda.mjs loads the small prestart
 * bundle and the CLI bundle separately, and each has its own copy of this module.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { engineEnv } from '../packaged-trust';

/** pwsh reads one command line after another from stdin; no profile, no banner, never a prompt. */
const POWERSHELL_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '-'];

/** A started process waiting to be taken over. */
interface Prestarted {
  executable: string;
  /** Started in the JIT's quick mode (always: only `dda` starts one). */
  quick: boolean;
  child: ChildProcessWithoutNullStreams;
  startedAt: number;
  /** It failed to start or has ended ('error' or 'exit' was seen). */
  gone: boolean;
}

const SLOT = Symbol.for('dda-studio.prestarted-powershell');
type Slot = { [SLOT]?: Prestarted | undefined };
const slot = globalThis as Slot;

/**
 * Whether this process runs one command and ends (the CLI: compileQuickly()): its PowerShell then
 * compiles without optimizing (below). A process that lives on (the app, the browser-mode server) keeps
 * the runtime's default.
 */
let quickJit = false;
/** From now on, this process's sessions start PowerShell in the JIT's quick mode (the CLI, at start). */
export function compileQuickly(): void {
  quickJit = true;
}
/** Whether this process's sessions start PowerShell in the JIT's quick mode. */
export function compilesQuickly(): boolean {
  return quickJit;
}

/** Starts pwsh the one way every session does; `env` is added to this process's environment. */
export function spawnPowerShell(
  executable: string,
  env: Record<string, string> = {},
  quick: boolean = quickJit,
): ChildProcessWithoutNullStreams {
  return spawn(executable, POWERSHELL_ARGS, {
    // TERM=dumb: .NET writes no terminal mode sequences into our stdout
    // engineEnv: none of the variables that load a profiler or hook into the runtime, or restrict the language.
    // DOTNET_JITMinOpts=1, for a one-command process only: the JIT compiles every method without
    // optimizing it. PowerShell runs scripts through code it generates as it goes (a dynamic method per
    // call site's binding rule, compiled script blocks), which .NET compiles fully optimized, and tiered
    // compilation never revisits. Quick mode makes the first inventory cheaper and every later one
    // slower. Measured 2026-12-02, pwsh 7.6.9, 2 cores, simulated hosts: `dda inventory`, whole
    // process, 2.2-2.4 s with it against 2.4-2.7 s without at 256 functions, 4.7-5.6 s against 5.1-5.6 s
    // at 1,024; a session's twelfth inventory 470-570 ms against 310-380 ms at 256 functions and
    // 2.3-2.8 s against 0.8-1.0 s at 1,024. So the CLI, which reads the host once, uses it; the app and
    // the server, which read it again after every operation, do not. PowerShell's own code is
    // precompiled (ReadyToRun) and used as it is either way. The setting is the runtime's (JITMinOpts,
    // dotnet/runtime clrconfigvalues.h, a retail one marked unsupported): a runtime without it ignores
    // it, as Windows PowerShell 5.1 does (.NET Framework reads no DOTNET_ variable).
    env: {
      ...engineEnv(process.env),
      POWERSHELL_UPDATECHECK: 'Off',
      ...env,
      TERM: 'dumb',
      ...(quick ? { DOTNET_JITMinOpts: '1' } : {}),
    },
    stdio: 'pipe',
    windowsHide: true,
    // Not detached: pwsh stays in our process group, so killing the app's group (the CLI, tests)
    // takes PowerShell with it mid-step. Its children are found by walking the tree instead.
  });
}

/** Starts `executable` now for the first session that needs it (see above); one at a time. Returns the process. */
export function prestartPowerShell(executable: string): ChildProcessWithoutNullStreams {
  discardPrestarted();
  const quick = true; // only `dda` starts one: a one-command process
  const child = spawnPowerShell(executable, {}, quick);
  const entry: Prestarted = { executable, quick, child, startedAt: performance.now(), gone: false };
  // A start that fails (ENOENT) or a process that ends is noted here, never an unhandled 'error'.
  child.on('error', () => (entry.gone = true));
  child.on('exit', () => (entry.gone = true));
  child.stdin.on('error', () => {});
  slot[SLOT] = entry;
  return child;
}

/**
 * The waiting process when it is `executable` with no extra environment, in this process's JIT mode, and
 * still running, else null (a waiting process that does not fit is ended). Either way the slot is empty
 * afterwards.
 */
export function takePrestarted(
  executable: string,
  env: Record<string, string> | undefined,
): { child: ChildProcessWithoutNullStreams; startedAt: number } | null {
  const entry = slot[SLOT];
  if (!entry) return null;
  slot[SLOT] = undefined;
  // The process was started with this process's environment as it was then: nothing of ours changes
  // process.env between bin/dda.mjs and the session (if something ever does, compare it here too).
  const fits = entry.executable === executable && Object.keys(env ?? {}).length === 0 && entry.quick === quickJit;
  if (fits && !entry.gone) return { child: entry.child, startedAt: entry.startedAt };
  endProcess(entry);
  return null;
}

/** Ends a waiting process nobody took (bin/dda.mjs, when the command is done). */
export function discardPrestarted(): void {
  const entry = slot[SLOT];
  slot[SLOT] = undefined;
  if (entry) endProcess(entry);
}

function endProcess(entry: Prestarted): void {
  if (entry.gone) return;
  // It never ran anything of ours: nothing is lost by killing it at once.
  entry.child.kill();
}
