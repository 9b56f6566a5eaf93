// Loads a Node entry point as built JavaScript (dist/node/<name>.mjs, see scripts/build-node.mjs).
// A source checkout whose bundle is missing or older than main/ or shared/ is rebuilt first (esbuild,
// a fraction of a second, said on stderr); only where esbuild is not installed does it fall back to
// compiling the TypeScript through tsx at every start (and says how to build).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time of the TypeScript sources under a folder (0 when there is none). */
function newestSource(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** The newest source time, walked once per process (bin/dda.mjs loads two bundles). */
let newest = null;
const newestOfSources = () =>
  (newest ??= Math.max(newestSource(join(root, 'main')), newestSource(join(root, 'shared'))));

/** Whether the bundle exists and no source is newer than it. */
export function bundleIsFresh(name) {
  const file = join(root, 'dist', 'node', `${name}.mjs`);
  if (!existsSync(file)) return false;
  return statSync(file).mtimeMs >= newestOfSources();
}

/** Set once tsx compiles the sources in this process (bin/dda.mjs loads two entries). */
let tsxRegistered = false;

/** The module of entry `name`, from the bundle (built first when stale) or, without esbuild, from its TypeScript source. */
export async function loadEntry(name, sourceEntry) {
  if (!bundleIsFresh(name)) {
    let builder = null;
    try {
      builder = await import('../scripts/build-node.mjs');
    } catch {
      builder = null; // no esbuild (or no scripts/): run the sources below
    }
    if (builder) {
      process.stderr.write(`dda: building dist/node (the sources changed since the last build)\n`);
      await builder.buildNodeBundles();
    } else if (existsSync(join(root, sourceEntry))) {
      if (!tsxRegistered) {
        process.stderr.write(
          `dda: running the TypeScript sources through tsx (slow start); "npm run build" makes the fast bundle\n`,
        );
        const { register } = await import('tsx/esm/api');
        register();
        tsxRegistered = true;
      }
      return import(pathToFileURL(join(root, sourceEntry)).href);
    }
  }
  return import(pathToFileURL(join(root, 'dist', 'node', `${name}.mjs`)).href);
}
