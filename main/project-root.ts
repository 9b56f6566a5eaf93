/** The repository (or unpacked app) root, found from this file's location. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, main/ and shared/. */
export function projectRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}
