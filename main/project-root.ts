/** The repository (or unpacked app) root, found from this file's location. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json, main/ and shared/. A bundled build (the Electron main process) sets
 * DDA_PROJECT_ROOT, since its code no longer sits beside the scripts it runs.
 */
export function projectRoot(): string {
  return process.env.DDA_PROJECT_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
}
