/** The one way our data files are replaced: a private temporary file, then an atomic rename. */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
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

export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number; dirMode?: number } = {},
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
  renameSync(tmp, file);
}
