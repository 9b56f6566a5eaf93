/**
 * Which unfinished operations are running right now, in any DDA Studio process on this data folder.
 *
 * The journal shows an operation as unfinished from its start to its end, so while the window runs one,
 * `dda recover` beside it (or the window, while the CLI runs one) would offer to finish or roll it back,
 * and run its undo steps on the devices the running operation is changing. The process running an
 * operation (or a recovery) therefore holds a lease on it in the data folder (`running/<hash of the
 * operation id>.json`: its process id, its PowerShell's, its computer, the time and a nonce), created
 * exclusively, renewed every LEASE_RENEW_MS while the file still carries its nonce, and rewritten as
 * released after the end is journaled. An operation whose lease is live is running: it is listed so,
 * and not recovered. A recovery takes the lease before it reads the journal again, so an operation that
 * ended meanwhile is read as ended, never redone.
 *
 * Live: on this computer, one of its processes is alive (the PowerShell too: on Windows it finishes its
 * step after the `dda` that started it was closed) and it was renewed within LOCAL_STALE_MS (a held-up
 * renewal, a stepped clock or a blocked event loop does not end a live process's lease); from another
 * computer (a data folder shared or copied), renewed within LEASE_STALE_MS. A file that cannot be read
 * counts while it is recent, one that does not parse while it is new (being written). A lease that holds
 * nothing is taken over once per record: an exclusive claim file named after it.
 *
 * A lease only ever refuses, for a bounded time, and never makes anything run. The app deletes nothing
 * in `running/`, which the admin's unelevated processes can write (a release is a rewrite, as every data
 * file is written: writeFileAtomic), so a small file per operation stays there. Renewals never wait (one
 * rename, tried again at the next tick), so the app's main thread is never held up by them.
 * Not covered: a remote host's command may go on after the local processes are gone (a dropped WinRM
 * connection); two operations on the same device from two processes (the locks are per process, locks.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { refuseLink, writeFileAtomic, type RenameIo } from '../write-file-atomic';

export const LEASE_RENEW_MS = 5_000;
/** Another computer's lease counts this long after its last renewal (or this far ahead of our clock). */
export const LEASE_STALE_MS = 60_000;
/** This computer's lease, while one of its processes is alive, counts this long after its last renewal. */
export const LOCAL_STALE_MS = 10 * 60_000;

const leaseSchema = z.object({
  op: z.string().max(200),
  pid: z.number().int().positive(),
  /** The PowerShell process running its steps: on Windows it outlives a dda that was closed mid-step. */
  pids: z.array(z.number().int().positive()).max(8).optional(),
  computer: z.string().max(260),
  at: z.number(),
  /** Whose lease this is: renewed and released only while the file still carries it. */
  nonce: z.string().max(64).optional(),
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
function leaseDir(dataDir: string): string {
  const dir = join(dataDir, 'running');
  mkdirSync(dir, { recursive: true });
  refuseLink(dir);
  return dir;
}

/** One rename, no waiting: a renewal never holds up the app's main thread (the next one tries again). */
const renameOnce: RenameIo = { platform: process.platform, rename: renameSync, sleep: () => {}, now: () => Infinity };

/**
 * Creates `file` with `text` only if there is none (false when there is). A reader may find it empty
 * for a moment: a file that does not parse is taken as one being written while it is new (readLease).
 */
function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** How long a lease file that does not parse is taken as one being written. */
const BEING_WRITTEN_MS = 10_000;

/** The lease in a file (null: not a lease), or why not. */
function readLease(file: string): { lease: Lease | null } | { absent: true } | { error: string } | { partial: true } {
  let error = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      refuseLink(file);
      const parsed = leaseSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      // Valid JSON that is not a lease is not ours, and holds nothing.
      return { lease: parsed.success ? parsed.data : null };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { absent: true };
      if (e instanceof SyntaxError) return { partial: true }; // being written, or garbage
      error = (e as Error).message;
      // a scanner holding it on Windows: read again shortly
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  return { error };
}

/**
 * Takes the lease on `op`: published when there is none, or claimed (exclusively, once per record)
 * when the one there holds nothing: released, stale, its processes gone. Renewed in the background
 * until the returned release is called. Returns why not when a live lease holds it. `pids` are the
 * other processes running its steps (the session's PowerShell), read at each renewal. Best effort
 * otherwise: a folder that cannot be written leaves other processes without the lease, as before
 * leases existed, and holds nothing up.
 */
export function takeLease(
  dataDir: string,
  op: string,
  what: Lease['what'],
  pids: () => number[] = () => [],
): { release: () => void } | { busy: string } {
  const file = leaseFile(dataDir, op);
  const nonce = randomBytes(8).toString('hex');
  const text = (released?: true) => {
    const lease: Lease = {
      op,
      pid: process.pid,
      pids: pids().slice(0, 8),
      computer: hostname(),
      at: Date.now(),
      nonce,
      what,
    };
    return JSON.stringify(released ? { ...lease, released } : lease);
  };
  try {
    leaseDir(dataDir);
  } catch {
    // not writable: nobody else's lease can be there either (the reads below say so if one is)
  }
  let published = false;
  try {
    published = createExclusive(file, text());
  } catch {
    // could not write: best effort (above)
  }
  if (!published) {
    const busy = runningReason(dataDir, op);
    if (busy) return { busy };
    // What is there holds nothing: claimed once per record (an exclusive file named after it), so two
    // processes that judged the same record dead do not both take it.
    const read = readLease(file);
    let record = 'none';
    try {
      record =
        'lease' in read && read.lease
          ? `${read.lease.pid}-${read.lease.at}-${read.lease.nonce ?? ''}`
          : `file-${lstatSync(file).mtimeMs}`;
    } catch {
      // no file: 'none'
    }
    try {
      if (!createExclusive(`${file}.${createHash('sha256').update(record).digest('hex').slice(0, 16)}.claim`, nonce))
        return { busy: 'Another DDA Studio window or dda command is taking it over right now: try again in a moment.' };
      writeFileAtomic(file, text());
    } catch {
      // best effort (above)
    }
  }
  heldHere.add(file);
  let done = false;
  let releasedWritten = false;
  /** Writes the lease (or its release) while the file still carries our nonce; true when written or lost. */
  const write = (released?: true): boolean => {
    try {
      const now = readLease(file);
      if ('lease' in now && now.lease && now.lease.nonce !== nonce) return true; // taken over: no longer ours
      leaseDir(dataDir);
      writeFileAtomic(file, text(released), {}, renameOnce);
      return true;
    } catch {
      return false;
    }
  };
  const timer = setInterval(() => {
    if (!done) write();
    else if (!releasedWritten) releasedWritten = write(true);
    if (done && releasedWritten) clearInterval(timer);
  }, LEASE_RENEW_MS);
  timer.unref();
  return {
    release: () => {
      if (done) return;
      done = true;
      heldHere.delete(file);
      // A release that could not be written is tried again at each tick until it is.
      releasedWritten = write(true);
      if (releasedWritten) clearInterval(timer);
    },
  };
}

/** Why `op` must be taken as running now (a live lease holds it), or null. */
export function runningReason(dataDir: string, op: string, now: number = Date.now()): string | null {
  const file = leaseFile(dataDir, op);
  if (heldHere.has(file)) return 'It is running now in this DDA Studio process; wait for it to end.';
  const read = readLease(file);
  if ('absent' in read) return null;
  // The file's own time (never what a link points at); none: it holds nothing.
  const age = (limit: number) => {
    try {
      return Math.abs(now - lstatSync(file).mtimeMs) <= limit;
    } catch {
      return false;
    }
  };
  if ('partial' in read)
    return age(BEING_WRITTEN_MS)
      ? 'Another DDA Studio window or dda command is taking it right now: try again in a moment.'
      : null;
  if ('error' in read)
    return age(LOCAL_STALE_MS)
      ? `Its lease (${file}) cannot be read (${read.error}), and it may still be running: try again in a moment, or remove that file if no DDA Studio window or dda command runs it.`
      : null;
  const lease = read.lease;
  if (!lease || lease.op !== op || lease.released) return null;
  const since = now - lease.at;
  const here = lease.computer.toLowerCase() === hostname().toLowerCase();
  if (here) {
    const owners = [lease.pid, ...(lease.pids ?? [])].filter((p) => p !== process.pid);
    if (!owners.some(processAlive) || Math.abs(since) > LOCAL_STALE_MS) return null;
  } else if (Math.abs(since) > LEASE_STALE_MS) return null;
  // The name is text from a file: no control character of it reaches a terminal.
  const who = here ? `process ${lease.pid}` : `process ${lease.pid} on ${lease.computer.replace(/\p{Cc}/gu, '?')}`;
  const seen = Math.max(0, Math.round(since / 1000));
  return `Its ${lease.what === 'recovery' ? 'recovery' : 'run'} is still going on in another DDA Studio window or dda command (${who}, seen ${seen} s ago): wait for it to end. If that process has ended, this operation can be recovered ${here ? 'now' : `within ${Math.round(LEASE_STALE_MS / 1000)} s`}.`;
}
