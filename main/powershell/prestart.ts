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
  child: ChildProcessWithoutNullStreams;
  startedAt: number;
  /** It failed to start or has ended ('error' or 'exit' was seen). */
  gone: boolean;
}

const SLOT = Symbol.for('dda-studio.prestarted-powershell');
type Slot = { [SLOT]?: Prestarted | undefined };
const slot = globalThis as Slot;

/** Starts pwsh the one way every session does; `env` is added to this process's environment. */
export function spawnPowerShell(executable: string, env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(executable, POWERSHELL_ARGS, {
    // TERM=dumb: .NET writes no terminal mode sequences into our stdout
    // engineEnv: none of the variables that load a profiler or hook into the runtime, or restrict the language.
    // DOTNET_JITMinOpts=1: the JIT compiles every method without optimizing it. PowerShell runs scripts
    // through code it generates as it goes (a dynamic method per call site's binding rule, compiled
    // script blocks), which .NET compiles fully optimized (a fresh process's first inventory: 377 rules
    // and 128 compiled lambdas at FullOpts, DOTNET_JitStdOutFile). Measured 2026-12-02, pwsh 7.6.9, 2
    // cores, the 256-function simulated host: a fresh process that imports the simulator and reads the
    // inventory twice 4.1-4.8 s of CPU without, 2.9-3.2 s with; the first bare cmdlet calls 2.2-2.3 s,
    // 1.5-1.8 s; `dda inventory` 3.1-3.5 s, 2.6-3.0 s. The price is in warm inventories: at 256
    // functions 0-15% longer (within this machine's noise), at 1,024 15-25% (1.0-1.1 s against
    // 1.2-1.3 s), with less CPU. Every command and every start of the app pays the first cost, a refresh
    // the second. PowerShell's own code is precompiled (ReadyToRun) and used as it is. The setting is
    // the runtime's (JITMinOpts, dotnet/runtime clrconfigvalues.h, a retail one marked unsupported): a
    // runtime without it ignores it and starts as before, as Windows PowerShell 5.1 does (.NET
    // Framework reads no DOTNET_ variable).
    env: { ...engineEnv(process.env), POWERSHELL_UPDATECHECK: 'Off', ...env, TERM: 'dumb', DOTNET_JITMinOpts: '1' },
    stdio: 'pipe',
    windowsHide: true,
    // Not detached: pwsh stays in our process group, so killing the app's group (the CLI, tests)
    // takes PowerShell with it mid-step. Its children are found by walking the tree instead.
  });
}

/** Starts `executable` now for the first session that needs it (see above); one at a time. Returns the process. */
export function prestartPowerShell(executable: string): ChildProcessWithoutNullStreams {
  discardPrestarted();
  const child = spawnPowerShell(executable);
  const entry: Prestarted = { executable, child, startedAt: performance.now(), gone: false };
  // A start that fails (ENOENT) or a process that ends is noted here, never an unhandled 'error'.
  child.on('error', () => (entry.gone = true));
  child.on('exit', () => (entry.gone = true));
  child.stdin.on('error', () => {});
  slot[SLOT] = entry;
  return child;
}

/**
 * The waiting process when it is `executable` with no extra environment and still running, else null
 * (a waiting process that does not fit is ended). Either way the slot is empty afterwards.
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
  const fits = entry.executable === executable && Object.keys(env ?? {}).length === 0;
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
