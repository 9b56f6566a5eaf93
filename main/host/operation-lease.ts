/**
 * Which unfinished operations are running right now, in any DDA Studio process on this data folder.
 *
 * The journal shows an operation as unfinished from its start to its end, so while the window runs one,
 * `dda recover` beside it (or the window, while the CLI runs one) would offer to finish or roll it back,
 * and run its undo steps on the devices the running operation is changing. The process running an
 * operation (or a recovery) therefore keeps a lease on it in the data folder (`running/<hash of the
 * operation id>.json`: its process id, computer and the time), renewed every LEASE_RENEW_MS and removed
 * when it ends. An operation whose lease is fresh is running: it is listed so, and not recovered.
 *
 * A lease only ever refuses: one planted or left behind blocks a recovery for LEASE_STALE_MS at most (or
 * until its process has ended, on this computer), and never makes anything run. A lease older than
 * that is from a process that died or hung (renewing never waits on PowerShell). Known gap: two
 * recoveries of one operation started in the same instant from two processes may both take it.
 * The device and VM locks of two operations are still per process (locks.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { refuseLink, writeFileAtomic } from '../write-file-atomic';

export const LEASE_RENEW_MS = 5_000;
export const LEASE_STALE_MS = 60_000;

const leaseSchema = z.object({
  op: z.string().max(200),
  pid: z.number().int().positive(),
  computer: z.string().max(260),
  at: z.number(),
  /** What runs it, for the message: 'recovery' or 'operation'. */
  what: z.enum(['operation', 'recovery']),
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

/**
 * Holds the lease on `op` until the returned function is called: written now and renewed in the
 * background. Best effort: a folder that cannot be written leaves others without the warning, as before
 * leases existed, and the operation itself is not held up.
 */
export function holdLease(dataDir: string, op: string, what: Lease['what']): () => void {
  const file = leaseFile(dataDir, op);
  const write = () => {
    try {
      mkdirSync(join(dataDir, 'running'), { recursive: true });
      refuseLink(join(dataDir, 'running'));
      const lease: Lease = { op, pid: process.pid, computer: hostname(), at: Date.now(), what };
      writeFileAtomic(file, JSON.stringify(lease));
    } catch {
      // see above
    }
  };
  heldHere.add(file);
  write();
  const timer = setInterval(write, LEASE_RENEW_MS);
  timer.unref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    heldHere.delete(file);
    try {
      refuseLink(file);
      rmSync(file, { force: true });
    } catch {
      // left behind: stale within LEASE_STALE_MS, or at once when this process has ended
    }
  };
}

/** Why `op` must be taken as running now (its lease is live), or null. */
export function runningReason(dataDir: string, op: string, now: number = Date.now()): string | null {
  const file = leaseFile(dataDir, op);
  if (heldHere.has(file)) return 'It is running now in this DDA Studio process; wait for it to end.';
  let lease: Lease;
  try {
    if (!existsSync(file)) return null;
    refuseLink(file);
    const parsed = leaseSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    // A lease is replaced whole (writeFileAtomic): a file that is not one is not ours, and not a lease.
    if (!parsed.success || parsed.data.op !== op) return null;
    lease = parsed.data;
  } catch {
    return null;
  }
  const age = now - lease.at;
  // Stale, or from a time too far ahead to be a renewal (a planted lease never blocks for longer).
  if (age > LEASE_STALE_MS || age < -LEASE_STALE_MS) return null;
  const here = lease.computer.toLowerCase() === hostname().toLowerCase();
  if (here && (lease.pid === process.pid || !processAlive(lease.pid))) return null;
  const who = here ? `process ${lease.pid}` : `process ${lease.pid} on ${lease.computer}`;
  const seen = Math.max(0, Math.round(age / 1000));
  return `Its ${lease.what === 'recovery' ? 'recovery' : 'run'} is still going on in another DDA Studio window or dda command (${who}, seen ${seen} s ago): wait for it to end. If that process has ended, this operation can be recovered ${here ? 'now' : `within ${Math.round(LEASE_STALE_MS / 1000)} s`}.`;
}
