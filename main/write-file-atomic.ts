/** The one way our data files are replaced: a private temporary file, then an atomic rename. */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `data` to `file` so a reader sees the old file or the new one, never half of one. The temporary
 * name is private to this write (pid + random), so two processes writing at once never share one.
 */
/**
 * The elevated app never writes through a link: a standard user could point a data file (or the data
 * folder) at a system file with a symbolic link or a junction (Node reports both as links). Throws
 * when `path` exists and is one.
 */
export function refuseLink(path: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return; // absent: nothing to follow
  }
  if (isLink)
    throw new Error(
      `${path} is a link (symbolic link or junction); DDA Studio does not write through links. Remove it.`,
    );
}

/** What the rename needs from the system (a test gives its own). */
export interface RenameIo {
  platform: NodeJS.Platform;
  rename: (from: string, to: string) => void;
  sleep: (ms: number) => void;
  now: () => number;
}
const systemIo: RenameIo = {
  platform: process.platform,
  rename: renameSync,
  sleep: (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms),
  // a clock that never goes back (a wall clock set back would keep the main thread waiting)
  now: () => performance.now(),
};
/** How long a rename Windows refuses for a while is tried again (graceful-fs tries for 60 s, asynchronously). */
export const WINDOWS_RENAME_RETRY_MS = 3000;

/**
 * Renames `from` over `to`. On Windows a rename over a file another process holds open without
 * FILE_SHARE_DELETE (an antivirus scan, the search indexer, a backup agent) fails for a while with
 * EPERM, EACCES or EBUSY: tried again with a growing pause (graceful-fs's rename, and VS Code's, do the
 * same), for WINDOWS_RENAME_RETRY_MS at most.
 */
function renameReplacing(from: string, to: string, io: RenameIo = systemIo): void {
  const start = io.now();
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    try {
      io.rename(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const transient = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (io.platform !== 'win32' || !transient || io.now() - start >= WINDOWS_RENAME_RETRY_MS) throw e;
      io.sleep(pause);
    }
  }
}

export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number; dirMode?: number } = {},
  io: RenameIo = systemIo,
): void {
  mkdirSync(dirname(file), { recursive: true, ...(options.dirMode !== undefined ? { mode: options.dirMode } : {}) });
  refuseLink(dirname(file));
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // Flushed before the rename: after a crash the new name never points at data still in a cache.
  const fd = openSync(tmp, 'wx', options.mode ?? 0o666);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameReplacing(tmp, file, io);
  } catch (e) {
    // The old file stands; the temporary one is not left behind (if it can be removed: the rename's error is the one told).
    try {
      rmSync(tmp, { force: true });
    } catch {
      // held open too (an antivirus scanning the new file): it stays, under its private name
    }
    throw e;
  }
}
