/** A size-bounded log in the data folder: one file plus one rotated predecessor. Never logs secrets. */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { refuseLink } from '../write-file-atomic';

export const MAX_LOG_BYTES = 2 * 1024 * 1024;

/** Appends timestamped lines; rotates to <file>.1 past the size limit. */
export function createLog(
  file: string,
  maxBytes = MAX_LOG_BYTES,
): (level: 'info' | 'warn' | 'error', message: string) => void {
  mkdirSync(dirname(file), { recursive: true });
  return (level, message) => {
    try {
      // Never through a link: the folder is the user's, and an elevated app would write where it points.
      refuseLink(dirname(file));
      refuseLink(file);
      refuseLink(`${file}.1`);
      if (existsSync(file) && statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
      appendFileSync(file, `${new Date().toISOString()} ${level.toUpperCase()} ${message.replace(/[\r\n]+/g, ' ')}\n`);
    } catch {
      // logging must never take the app down
    }
  };
}
