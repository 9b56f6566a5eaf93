/** Where DDA Studio keeps its journal, measurements, settings and logs. */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'DDA Studio';

/**
 * The same folder Electron's app.getPath('userData') gives, so the app and the `dda` CLI share one
 * journal: %APPDATA%\DDA Studio, ~/Library/Application Support/DDA Studio, $XDG_CONFIG_HOME/DDA Studio.
 * DDA_DATA_DIR overrides it. A simulated host keeps its own folder beside its state file instead.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.DDA_DATA_DIR) return env.DDA_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

/** The data folder of a simulated host: beside its state file, so each simulated host has its own journal. */
export function simulatedDataDir(stateFile: string): string {
  return `${stateFile}.data`;
}

/**
 * The local host's own data (its journal, the VM settings it must put back, measurements, the assignments
 * seen): machine data, which must not roam. On Windows %LOCALAPPDATA%\DDA Studio, which a roaming profile
 * or a redirected AppData folder never carries to another host (two hosts would otherwise write one
 * folder); elsewhere the data folder itself. DDA_DATA_DIR overrides both.
 */
export function localHostDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.DDA_DATA_DIR) return env.DDA_DATA_DIR;
  if (platform !== 'win32') return defaultDataDir(env, platform);
  return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), PRODUCT_NAME);
}

/** The local host's files in a data folder (journal.jsonl and its rotation, kept-aside copies included). */
const LOCAL_HOST_FILE =
  /^(journal(\.\d+)?\.jsonl|(vm-originals|assignments)(\.corrupt-[\w-]+)?\.json|measurements\.json)$/;

/**
 * The local host's data folder, with the files it kept in the data folder before (until it moved out of
 * the roaming folder) copied in once: only while it has no journal of its own. Copied, not moved, so a
 * failure half-way loses nothing (and another host sharing the old folder finds them too: what another
 * computer journaled or measured is never used as this one's, shared/computer-name.ts). Never throws.
 */
export function openLocalHostDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { dir: string; copied: string[]; error: string | null } {
  const dir = localHostDataDir(env, platform);
  const before = defaultDataDir(env, platform);
  const copied: string[] = [];
  if (dir === before || existsSync(join(dir, 'journal.jsonl'))) return { dir, copied, error: null };
  try {
    const names = existsSync(before) ? readdirSync(before).filter((n) => LOCAL_HOST_FILE.test(n)) : [];
    if (names.length === 0) return { dir, copied, error: null };
    mkdirSync(dir, { recursive: true });
    // the journal last: its presence says the copy is complete
    for (const n of names.sort((a, b) => Number(a === 'journal.jsonl') - Number(b === 'journal.jsonl'))) {
      if (existsSync(join(dir, n))) continue;
      copyFileSync(join(before, n), join(dir, n));
      copied.push(n);
    }
    return { dir, copied, error: null };
  } catch (e) {
    return { dir, copied, error: `The local host's data could not be copied from ${before}: ${(e as Error).message}` };
  }
}
