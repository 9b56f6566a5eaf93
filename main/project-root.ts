/** The repository (or unpacked app) root, found from this file's location. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * The folder holding package.json, main/ and shared/: the nearest ancestor of this file with a
 * package.json (tsx, tests). The Electron bundle sets DDA_PROJECT_ROOT instead: there the scripts
 * PowerShell reads live outside the asar, and the bundle has no import.meta.
 */
export function projectRoot(): string {
  if (process.env.DDA_PROJECT_ROOT) return process.env.DDA_PROJECT_ROOT;
  if (cached) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return (cached = join(here, '..'));
    dir = up;
  }
  return (cached = dir);
}

let version: string | null = null;

/** This app's version from package.json, read once (when first asked, so bundles can set DDA_PROJECT_ROOT first). */
export function appVersion(): string {
  if (version) return version;
  try {
    return (version = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string })
      .version);
  } catch {
    return '0.0.0';
  }
}
