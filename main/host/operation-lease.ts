/**
 * Which unfinished operations are running right now, in any DDA Studio process on this data folder.
 *
 * The journal shows an operation as unfinished from its start to its end, so while the window runs one,
 * `dda recover` beside it (or the window, while the CLI runs one) would offer to finish or roll it back,
 * and run its undo steps on the devices the running operation is changing. The process running an
 * operation (or a recovery) therefore keeps a lease on it in the data folder (`running/<hash of the
 * operation id>.json`: its process id, computer and the time), renewed every LEASE_RENEW_MS and marked
 * released when it ends (after its end is journaled). An operation whose lease is live is running: it is
 * listed so, and not recovered. A recovery takes the lease before it reads the journal again, so an
 * operation that ended meanwhile is seen ended, never rolled back.
 *
 * Live: on this computer, its process is alive and it was renewed within LOCAL_STALE_MS (a held-up
 * renewal, a stepped clock or a blocked event loop does not end a live process's lease); from another
 * computer (a data folder shared or copied), renewed within LEASE_STALE_MS. A lease that cannot be read
 * counts as live while its file is recent. A lease only ever refuses, for a bounded time, and never
 * makes anything run; the app never deletes in `running/` (a release is a rewrite, through
 * writeFileAtomic, like every data file), so one released file per operation stays there.
 * Known gaps: two recoveries of one operation that take over the same dead lease in the same instant
 * from two processes may both run; the device and VM locks of two operations are per process (locks.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { refuseLink, writeFileAtomic } from '../write-file-atomic';

export const LEASE_RENEW_MS = 5_000;
/** Another computer's lease counts this long after its last renewal (or this far ahead of our clock). */
export const LEASE_STALE_MS = 60_000;
/** This computer's lease, while its process is alive, counts this long after its last renewal. */
export const LOCAL_STALE_MS = 10 * 60_000;

const leaseSchema = z.object({
  op: z.string().max(200),
  pid: z.number().int().positive(),
  computer: z.string().max(260),
  at: z.number(),
  /** What runs it, for the message: 'recovery' or 'operation'. */
  what: z.enum(['operation', 'recovery']),
  /** Written when it ended: the lease no longer holds anything. */
  released: z.literal(true).optional(),
});
type Lease = z.infer<typeof leaseSchema>;

/** The leases this process holds, by file. */
const heldHere = new Set<string>();

/** The lease file of an operation: the id is hashed (a journal's id is data a user could write). */
export function leaseFile(dataDir: string, op: string): string {
  return join(dataDir, 'running', `${createHash('sha256').update(op).digest('hex').slice(0, 32)}.json`);
}

/** Whether a process with this id runs on this computer. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it exists, owned by someone else
  }
}

/** The folder of the leases, made when missing; never through a link. */
function leaseDir(dataDir: string): void {
  mkdirSync(join(dataDir, 'running'), { recursive: true });
  refuseLink(join(dataDir, 'running'));
}

/**
 * Takes the lease on `op`: created (exclusively, when there is none) or taken over (when the one there
 * holds nothing: released, stale, its process gone), then renewed in the background until the returned
 * release is called. Returns why not when a live lease holds it. The lease is best effort: a folder that
 * cannot be written leaves other processes without it, as before leases existed, and holds nothing up.
 */
export function takeLease(
  dataDir: string,
  op: string,
  what: Lease['what'],
): { release: () => void } | { busy: string } {
  const file = leaseFile(dataDir, op);
  const text = (released?: true) =>
    JSON.stringify({
      op,
      pid: process.pid,
      computer: hostname(),
      at: Date.now(),
      what,
      ...(released ? { released } : {}),
    });
  const write = (released?: true) => {
    try {
      leaseDir(dataDir);
      writeFileAtomic(file, text(released));
    } catch {
      // see above
    }
  };
  let created = false;
  try {
    leaseDir(dataDir);
    const fd = openSync(file, 'wx');
    try {
      writeSync(fd, text());
    } finally {
      closeSync(fd);
    }
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      const busy = runningReason(dataDir, op);
      if (busy) return { busy };
    }
  }
  heldHere.add(file);
  if (!created) write();
  const timer = setInterval(() => write(), LEASE_RENEW_MS);
  timer.unref();
  let done = false;
  return {
    release: () => {
      if (done) return;
      done = true;
      clearInterval(timer);
      heldHere.delete(file);
      write(true);
    },
  };
}

/** A lease file's contents, retried briefly when it cannot be read (a scanner holding it on Windows). */
function readLease(file: string): { text: string } | { absent: true } | { error: string } {
  let error = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      refuseLink(file);
      return { text: readFileSync(file, 'utf8') };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { absent: true };
      error = (e as Error).message;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  return { error };
}

/** Why `op` must be taken as running now (a live lease holds it), or null. */
export function runningReason(dataDir: string, op: string, now: number = Date.now()): string | null {
  const file = leaseFile(dataDir, op);
  if (heldHere.has(file)) return 'It is running now in this DDA Studio process; wait for it to end.';
  const read = readLease(file);
  if ('absent' in read) return null;
  if ('error' in read) {
    // Unreadable: live while the file is recent (a lease being renewed is), else not.
    let recent = true;
    try {
      recent = Math.abs(now - statSync(file).mtimeMs) <= LOCAL_STALE_MS;
    } catch {
      // not even its time: live, and said so
    }
    return recent
      ? `Its lease (${file}) cannot be read (${read.error}), and it may still be running: try again in a moment, or remove that file if no DDA Studio window or dda command runs it.`
      : null;
  }
  let lease: Lease;
  try {
    const parsed = leaseSchema.safeParse(JSON.parse(read.text));
    // A lease is written whole: a file that is not one is not ours, and holds nothing.
    if (!parsed.success || parsed.data.op !== op || parsed.data.released) return null;
    lease = parsed.data;
  } catch {
    return null;
  }
  const age = now - lease.at;
  const here = lease.computer.toLowerCase() === hostname().toLowerCase();
  if (here) {
    if (lease.pid === process.pid || !processAlive(lease.pid) || Math.abs(age) > LOCAL_STALE_MS) return null;
  } else if (Math.abs(age) > LEASE_STALE_MS) return null;
  // The name is text from a file: no control character of it reaches a terminal.
  const who = here ? `process ${lease.pid}` : `process ${lease.pid} on ${lease.computer.replace(/\p{Cc}/gu, '?')}`;
  const seen = Math.max(0, Math.round(age / 1000));
  return `Its ${lease.what === 'recovery' ? 'recovery' : 'run'} is still going on in another DDA Studio window or dda command (${who}, seen ${seen} s ago): wait for it to end. If that process has ended, this operation can be recovered ${here ? 'now' : `within ${Math.round(LEASE_STALE_MS / 1000)} s`}.`;
}
