// One running PowerShell process for PowerShellSession: how it is started, read, and killed.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { PowerShellInfo } from './session-types';
import { spawnPowerShell, takePrestarted } from './prestart';
import { killProcessTree } from './process-tree';
import { ResultReader } from './result-reader';

const STDERR_TAIL = 4096;
/** After 'exit', how long to wait for the pipes to close (children may hold them) before giving up. */
const CLOSE_GRACE_MS = 2000;

/** One running PowerShell process. */
export interface Live {
  child: ChildProcessWithoutNullStreams;
  reader: ResultReader;
  startedAt: number;
  /** Script hashes whose parsed block this process already caches. */
  sentScripts: Set<string>;
  info: PowerShellInfo | null;
  exited: boolean;
  killed: boolean;
  exitReason: string;
  stderrTail: string;
  /** Set by the call in flight: told when the process is gone. */
  onGone: (() => void) | null;
}

/**
 * Starts pwsh reading commands from stdin. `onIdleExit` is told when the process ends with no call in
 * flight (a call in flight sets `live.onGone` and is told instead).
 */
export function spawnLive(
  executable: string,
  env: Record<string, string> | undefined,
  onIdleExit: (live: Live) => void,
): Live {
  // The process bin/dda.mjs started ahead (prestart.ts) when it fits, else a new one.
  const ahead = takePrestarted(executable, env);
  const child = ahead?.child ?? spawnPowerShell(executable, env);
  const live: Live = {
    child,
    reader: new ResultReader(),
    startedAt: ahead?.startedAt ?? performance.now(),
    sentScripts: new Set(),
    info: null,
    exited: false,
    killed: false,
    exitReason: '',
    stderrTail: '',
    onGone: null,
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => live.reader.feed(chunk));
  child.stderr.on('data', (chunk: string) => {
    live.stderrTail = (live.stderrTail + chunk).slice(-STDERR_TAIL);
  });
  child.stdin.on('error', noop); // EPIPE after an exit surfaces through 'exit' / 'error' (defect 7)
  const gone = (why: string) => {
    if (live.exited) return;
    live.exited = true;
    const tail = live.stderrTail.trim();
    live.exitReason = why + (tail ? `: ${tail.slice(-500)}` : '');
    if (live.onGone) return live.onGone();
    onIdleExit(live);
  };
  child.on('error', (e) => gone(e.message)); // e.g. ENOENT: never an unhandled rejection (defect 7)
  child.on('exit', (code, sig) => {
    const why = `PowerShell exited with ${sig ?? `code ${code}`}`;
    // 'close' comes once the pipes are drained (the result may still be in them); orphaned children
    // can hold the pipes open, so do not wait for them longer than CLOSE_GRACE_MS
    setTimeout(() => gone(why), CLOSE_GRACE_MS).unref();
    child.once('close', () => gone(why));
  });
  return live;
}

/** Kills a process and its children (defect 8). */
export function killLive(live: Live): void {
  live.killed = true;
  const pid = live.child.pid;
  if (pid === undefined || live.exited) return;
  killProcessTree(pid);
}

function noop(): void {}
