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
 * A lease only ever refuses, and never makes anything run; one nobody renews refuses for a bounded time
 * (a process that keeps rewriting one planted there holds operations up while it does: each refusal
 * names the lease's file, for the admin to remove). The app deletes nothing
 * in `running/`, which the admin's unelevated processes can write (a release is a rewrite, as every data
 * file is written: writeFileAtomic), so a small file per operation stays there, with a claim file per
 * takeover. A renewal never retries its rename (the next tick does), so it holds the app's main thread up
 * for one small write only. Nothing is read or written through a leases folder that is a link.
 * A lease also names the devices and VMs its operation changes (locks.ts lockKeysOf, each as the start of
 * its SHA-256): an operation or recovery whose objects a live lease of another operation names is refused
 * (busy) before it runs anything. It publishes its own lease first and looks at the others after, so of
 * two that start together at least one sees the other (both may refuse: try again). Locks (locks.ts) do
 * this within a process; leases between processes (the window and `dda`, two `dda`s).
 * Not covered: a remote host's command may go on after the local processes are gone (a dropped WinRM
 * connection); an operation of a DDA Studio older than these lease fields names no objects.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { refuseLink, writeFileAtomic, type RenameIo } from '../write-file-atomic';
import type { Journal, OperationRecord } from './journal';

export const LEASE_RENEW_MS = 5_000;
/** Another computer's lease counts this long after its last renewal (or this far ahead of our clock). */
export const LEASE_STALE_MS = 60_000;
/** This computer's lease, while one of its processes is alive, counts this long after its last renewal. */
export const LOCAL_STALE_MS = 10 * 60_000;
/**
 * The most objects a lease names; an operation on more holds up every other one (`all`). A lease stays
 * under the 4 kB an older DDA Studio reads (more, and it would take it for no lease at all).
 */
export const MAX_LEASE_KEYS = 128;

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
  // keys, all and title: read leniently (leaseOf), so that one of another form never hides the lease.
  keys: z.unknown().optional(),
  all: z.unknown().optional(),
  title: z.unknown().optional(),
});
type Lease = Omit<z.infer<typeof leaseSchema>, 'keys' | 'all' | 'title'> & {
  /** The devices and VMs its operation changes, each as leaseKeys() writes it. */
  keys?: string[];
  /**
   * It changes more objects than a lease names (or names them in a form not known here): it holds up
   * every operation that changes any.
   */
  all?: true;
  /** Its plan's title, for the message of an operation it holds up. */
  title?: string;
};

/** A parsed lease with its objects read leniently: keys in a form not known here count as `all`. */
function leaseOf(raw: z.infer<typeof leaseSchema>): Lease {
  const { keys, all, title, ...core } = raw;
  const known =
    Array.isArray(keys) &&
    keys.length <= MAX_LEASE_KEYS &&
    keys.every((k): k is string => typeof k === 'string' && k.length <= 64);
  return {
    ...core,
    ...(known ? { keys } : {}),
    ...(all === true || (keys !== undefined && !known) ? { all: true as const } : {}),
    ...(typeof title === 'string' ? { title: title.slice(0, 300) } : {}),
  };
}

/** The leases this process holds, by file. */
const heldHere = new Set<string>();
/** Those it let go whose release is not written yet: they still name its live PowerShell. */
const releasing = new Set<string>();

/** The first `length` hex digits of the SHA-256 of `text`: names and keys made of data a user could write. */
function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Whether the file itself (never what a link points at) was written within `limit` of `now`; false when gone. */
function touchedWithin(file: string, now: number, limit: number): boolean {
  try {
    return Math.abs(now - lstatSync(file).mtimeMs) <= limit;
  } catch {
    return false;
  }
}

/** The lease file of an operation: the id is hashed (a journal's id is data a user could write). */
export function leaseFile(dataDir: string, op: string): string {
  return join(dataDir, 'running', `${digest(op, 32)}.json`);
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
 * Creates `file` with `text` only if there is none (false when there is), whole or not at all: the text
 * is written to a new file of an unforeseeable name, which is then hard-linked as `file`. Creating a
 * foreseeable name directly could follow a link planted there (Windows' CREATE_NEW follows a dangling
 * symbolic link); making a hard link never does, and fails when the name is taken. The new file is left
 * in place (nothing is deleted in this folder).
 */
function createExclusive(file: string, text: string): boolean {
  const own = `${file}.${randomBytes(6).toString('hex')}.new`;
  const fd = openSync(own, 'wx');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(own, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** How long a lease file that does not parse is taken as one being written. */
const BEING_WRITTEN_MS = 10_000;
/** A lease is a few hundred bytes, under 4 kB with MAX_LEASE_KEYS: a bigger file is not one (never read whole). */
const MAX_LEASE_BYTES = 4096;

type Read = { lease: Lease | null } | { absent: true } | { error: string; transient?: true } | { partial: true };

/**
 * A small regular file's JSON (never through a link, never a big file: null), absent, or why it cannot be
 * read; `partial` when it does not parse (being written, or garbage).
 */
function readSmallJson(
  file: string,
): { value: unknown } | { absent: true } | { error: string; again?: true } | { partial: true } {
  try {
    const st = lstatSync(file);
    if (!st.isFile()) return { error: `${file} is not a regular file` }; // a link, a folder, a pipe
    if (st.size > MAX_LEASE_BYTES) return { value: null };
    return { value: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { absent: true };
    if (e instanceof SyntaxError) return { partial: true };
    return { error: (e as Error).message, again: true }; // a scanner holding it on Windows: worth another try
  }
}

/** The lease in a file (null: not a lease), or why not; read again shortly when a scanner holds it. */
function readLease(file: string): Read {
  let read = readSmallJson(file);
  for (let attempt = 1; attempt < 3 && 'again' in read; attempt++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    read = readSmallJson(file);
  }
  if ('error' in read) return 'again' in read ? { error: read.error, transient: true } : { error: read.error };
  if (!('value' in read)) return read;
  // Valid JSON that is not a lease is not ours, and holds nothing.
  const parsed = leaseSchema.safeParse(read.value);
  return { lease: parsed.success ? leaseOf(parsed.data) : null };
}

/** Whether the leases' folder is a real folder of ours (absent counts: nothing is there). */
function folderUsable(dataDir: string): boolean {
  try {
    return !lstatSync(join(dataDir, 'running')).isSymbolicLink();
  } catch {
    return true;
  }
}

/** A read of an operation's lease, judged: why it holds the operation now (null: it holds nothing). */
function judge(dataDir: string, op: string, now: number): { reason: string | null; read: Read } {
  const file = leaseFile(dataDir, op);
  if (heldHere.has(file))
    return { reason: 'It is running now in this DDA Studio process; wait for it to end.', read: { absent: true } };
  // A linked folder is not ours: nothing in it is read (nor written: takeLease), as before leases existed.
  if (!folderUsable(dataDir)) return { reason: null, read: { absent: true } };
  const read = readLease(file);
  if ('absent' in read) return { reason: null, read };
  // The file's own time; none: it holds nothing.
  const recent = (limit: number) => touchedWithin(file, now, limit);
  if ('partial' in read)
    return {
      reason: recent(BEING_WRITTEN_MS)
        ? 'Another DDA Studio window or dda command is taking it right now: try again in a moment.'
        : null,
      read,
    };
  if ('error' in read)
    return {
      reason: recent(LOCAL_STALE_MS)
        ? `Its lease (${file}) cannot be read (${read.error}), and it may still be running: try again in a moment, or remove that file if no DDA Studio window or dda command runs it.`
        : null,
      read,
    };
  const lease = read.lease;
  if (!lease || lease.op !== op || lease.released) return { reason: null, read };
  const holder = liveHolder(lease, now);
  if (!holder) return { reason: null, read };
  return {
    reason: `Its ${lease.what === 'recovery' ? 'recovery' : 'run'} is still going on in another DDA Studio window or dda command (${holder}): wait for it to end. If that process has ended, this operation can be recovered ${lease.computer.toLowerCase() === hostname().toLowerCase() ? 'now' : `within ${Math.round(LEASE_STALE_MS / 1000)} s`}.`,
    read,
  };
}

/** Who holds a lease that is live now ("process 12, seen 3 s ago"), or null when it holds nothing. */
function liveHolder(lease: Lease, now: number): string | null {
  const since = now - lease.at;
  const here = lease.computer.toLowerCase() === hostname().toLowerCase();
  if (here) {
    const owners = [lease.pid, ...(lease.pids ?? [])].filter((p) => p !== process.pid);
    if (!owners.some(processAlive) || Math.abs(since) > LOCAL_STALE_MS) return null;
  } else if (Math.abs(since) > LEASE_STALE_MS) return null;
  // The name is text from a file: no control character of it reaches a terminal.
  const who = here ? `process ${lease.pid}` : `process ${lease.pid} on ${printable(lease.computer)}`;
  return `${who}, seen ${Math.max(0, Math.round(since / 1000))} s ago`;
}

/** Text from a file, as a message may show it: no control, format (bidi) or line-separator character. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');
}

/** The objects of an operation (lock keys) as its lease names them: hashed (a VM's name is the user's), bounded. */
export function leaseKeys(keys: string[]): Pick<Lease, 'keys' | 'all'> {
  const hashed = [...new Set(keys.map((k) => digest(k.toUpperCase(), 16)))];
  return hashed.length > MAX_LEASE_KEYS ? { all: true } : { keys: hashed };
}

/** Whether two leases' objects meet: a shared key, or `all` against any object. */
function overlaps(a: Pick<Lease, 'keys' | 'all'>, b: Pick<Lease, 'keys' | 'all'>): boolean {
  const any = (x: Pick<Lease, 'keys' | 'all'>) => !!x.all || (x.keys?.length ?? 0) > 0;
  if (a.all || b.all) return any(a) && any(b);
  const mine = new Set(a.keys ?? []);
  return (b.keys ?? []).some((k) => mine.has(k));
}

/**
 * Why another operation holds one of `objects` now: a live lease in the folder that names one of them.
 * Not `own`, nor a lease of this process, held or let go with its release not written yet (its locks
 * cover those; the latter names its PowerShell, which lives on). Known by file, not by process id: a
 * process id comes back, and that of a closed `dda` whose PowerShell finishes a step may be ours. A
 * file that cannot be read (a scanner holding it) counts while it is recent, as judge() counts it: its
 * objects are unknown. Files untouched for longer than any lease stays live are not read. The message
 * names the file: one planted there (the folder is the admin's, but unelevated processes can write it)
 * is found and removed.
 */
function heldElsewhere(dataDir: string, own: string, objects: Pick<Lease, 'keys' | 'all'>, now: number): string | null {
  if (!objects.all && !objects.keys?.length) return null;
  let names: string[];
  try {
    names = readdirSync(join(dataDir, 'running'));
  } catch {
    return null;
  }
  for (const name of names) {
    if (!/^[0-9a-f]{32}\.json$/.test(name)) continue;
    const file = join(dataDir, 'running', name);
    if (file === own || heldHere.has(file) || releasing.has(file)) continue;
    if (!touchedWithin(file, now, LOCAL_STALE_MS + LEASE_RENEW_MS)) continue;
    const read = readLease(file);
    if ('transient' in read)
      return `A device or VM of this operation may be busy with another operation: its lease (${file}) cannot be read (${read.error}). Try again in a moment, or remove that file if no DDA Studio window or dda command runs an operation.`;
    const other = 'lease' in read ? read.lease : null;
    // Only a lease in its own operation's file counts (a copy elsewhere names nothing).
    if (!other || other.released || leaseFile(dataDir, other.op) !== file || !overlaps(objects, other)) continue;
    const holder = liveHolder(other, now);
    if (!holder) continue;
    const title = printable(other.title ?? `operation ${other.op}`);
    return `A device or VM of this operation is busy with another operation, "${title}", ${other.what === 'recovery' ? 'being recovered' : 'running'} in another DDA Studio window or dda command (${holder}; its lease: ${file}): try again when it has finished.`;
  }
  return null;
}

/** Why `op` must be taken as running now (a live lease holds it), or null. */
export function runningReason(dataDir: string, op: string, now: number = Date.now()): string | null {
  return judge(dataDir, op, now).reason;
}

/**
 * A journal's unfinished operations, each with why it is running now (null: interrupted). The journal is
 * read again after the leases: one that ended and let its lease go in between is not listed at all.
 */
export function unfinishedNow(
  journal: Pick<Journal, 'dir' | 'findUnfinished'>,
): Array<{ record: OperationRecord; running: string | null }> {
  const listed = journal.findUnfinished().map((record) => ({ record, running: runningReason(journal.dir, record.op) }));
  const still = new Set(journal.findUnfinished().map((o) => o.op));
  return listed.filter((o) => still.has(o.record.op));
}

/** What a read holds, as a name for its claim. */
function recordOf(file: string, read: Read): string {
  if ('lease' in read && read.lease) return `${read.lease.pid}-${read.lease.at}-${read.lease.nonce ?? ''}`;
  try {
    return `file-${lstatSync(file).mtimeMs}`;
  } catch {
    return 'none';
  }
}

/** How many claims of one record may be tried (a claim whose process died leaves its file behind). */
const MAX_CLAIMS = 8;
const claimSchema = z.object({ pid: z.number().int().positive(), at: z.number() });

/**
 * Claims the takeover of `record` exclusively: the first claim file of it that does not exist yet.
 * False while a claim of it is live: its process alive, and written within BEING_WRITTEN_MS (a takeover
 * takes milliseconds). A claim left by a process that died, or that is not one (planted), is passed
 * over; past MAX_CLAIMS of those the takeover goes ahead unclaimed, so nothing blocks it for good.
 */
function claim(file: string, record: string, now: number): boolean {
  const base = `${file}.${digest(record, 16)}`;
  for (let n = 0; n < MAX_CLAIMS; n++) {
    const name = `${base}.${n}.claim`;
    if (createExclusive(name, JSON.stringify({ pid: process.pid, at: now }))) return true;
    const read = readSmallJson(name);
    const c = claimSchema.safeParse('value' in read ? read.value : null);
    if (c.success && processAlive(c.data.pid) && Math.abs(now - c.data.at) <= BEING_WRITTEN_MS) return false;
  }
  return true;
}

/**
 * Takes the lease on `op`: published when there is none, or claimed (exclusively, once per record)
 * when the one there holds nothing: released, stale, its processes gone. Renewed in the background
 * until the returned release is called. Returns why not when a live lease holds it. `pids` are the
 * other processes running its steps (the session's PowerShell), read at each renewal. Best effort
 * otherwise: a folder that cannot be written, or that is a link, leaves other processes without the
 * lease, as before leases existed, and holds nothing up.
 */
export function takeLease(
  dataDir: string,
  op: string,
  what: Lease['what'],
  pids: () => number[] = () => [],
  touches: { keys: string[]; title: string } = { keys: [], title: '' },
): { release: () => void; renew: () => void } | { busy: string } {
  const file = leaseFile(dataDir, op);
  const nonce = randomBytes(8).toString('hex');
  const objects = leaseKeys(touches.keys);
  const text = (released?: true) => {
    const lease: Lease = {
      op,
      pid: process.pid,
      pids: pids().slice(0, 8),
      computer: hostname(),
      at: Date.now(),
      nonce,
      what,
      ...objects,
      ...(touches.title ? { title: touches.title.slice(0, 120) } : {}),
    };
    // Within MAX_LEASE_BYTES whatever the title and id hold (escapes): without the title, then as `all`.
    const { title: _title, ...untitled } = lease;
    const { keys: _keys, ...bare } = untitled;
    const wide = { ...bare, ...(objects.keys?.length || objects.all ? { all: true as const } : {}) };
    const forms = [lease, untitled, wide].map((form) => JSON.stringify(released ? { ...form, released } : form));
    return forms.find((json) => Buffer.byteLength(json) <= MAX_LEASE_BYTES) ?? forms[2]!;
  };
  let usable = false;
  try {
    leaseDir(dataDir);
    usable = true;
  } catch {
    // not writable, or a link: nothing is written there (above)
  }
  /** The record this process claimed to take over: the file may still hold it until our write lands. */
  let claimed: string | null = null;
  if (usable) {
    let published = false;
    try {
      published = createExclusive(file, text());
    } catch {
      // could not write (a full disk): best effort (above), after the same check as a lease found there
    }
    if (!published) {
      const now = Date.now();
      const { reason, read } = judge(dataDir, op, now);
      if (reason) return { busy: reason };
      // What is there holds nothing: claimed once per record (the record of that same read), so two
      // processes that judged the same record dead do not both take it.
      const record = recordOf(file, read);
      try {
        if (!claim(file, record, now))
          return {
            busy: 'Another DDA Studio window or dda command is taking it over right now: try again in a moment.',
          };
        claimed = record;
        writeFileAtomic(file, text());
      } catch {
        // best effort (above): the renewal writes it again
      }
    }
  }
  // Ours is published: now the others' (see the top). One that holds our objects wins; ours is let go.
  const elsewhere = usable ? heldElsewhere(dataDir, file, objects, Date.now()) : null;
  if (elsewhere) {
    try {
      writeFileAtomic(file, text(true));
    } catch {
      // it holds our objects until its processes end or it goes stale, as a crashed one does
    }
    return { busy: elsewhere };
  }
  heldHere.add(file);
  let done = false;
  let releasedWritten = false;
  /** Writes the lease (or its release) while the file is still ours; true when written, or when lost. */
  const write = (released?: true): boolean => {
    if (!usable) return true;
    try {
      const now = readLease(file);
      const held = 'lease' in now && now.lease;
      if (held && now.lease!.nonce !== nonce && recordOf(file, now) !== claimed) return true; // taken over
      leaseDir(dataDir);
      writeFileAtomic(file, text(released), {}, renameOnce);
      return true;
    } catch {
      return false;
    }
  };
  let writtenPids = JSON.stringify(pids());
  const timer = setInterval(() => {
    if (!done) write();
    else if (!releasedWritten) releasedWritten = write(true);
    if (done && releasedWritten) {
      releasing.delete(file);
      clearInterval(timer);
    }
  }, LEASE_RENEW_MS);
  timer.unref();
  return {
    renew: () => {
      // The processes running its steps changed (a session started or restarted): said at once.
      const now = JSON.stringify(pids());
      if (done || now === writtenPids) return;
      if (write()) writtenPids = now;
    },
    release: () => {
      if (done) return;
      done = true;
      heldHere.delete(file);
      // A release that could not be written is tried again at each tick until it is.
      releasedWritten = write(true);
      if (releasedWritten) clearInterval(timer);
      else releasing.add(file);
    },
  };
}
