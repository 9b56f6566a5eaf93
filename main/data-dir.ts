/** Where DDA Studio keeps its journal, measurements, settings and logs. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { refuseLink, writeFileAtomic } from './write-file-atomic';

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
/** Written in the local host's folder once an older version's files were copied in (or there were none). */
const COPIED_MARK = 'copied-from-data-folder.json';

/**
 * The local host's data folder. The first time (no mark yet), the files an older version kept for this
 * host in the data folder (`from`: Electron's userData) are copied in, each atomically, never through a
 * link, the journal last, and the mark written. Copied, not moved: another host sharing that folder finds
 * them too, and what another computer journaled or measured is never used as this one's
 * (shared/computer-name.ts). When the copy fails, this run keeps using `from`, where the files are, and
 * says why: nothing is hidden. Never throws.
 */
export function openLocalHostDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  from: string = defaultDataDir(env, platform),
): { dir: string; copied: string[]; error: string | null } {
  const dir = localHostDataDir(env, platform);
  const copied: string[] = [];
  // DDA_DATA_DIR: a folder of the user's choice, nothing copied into it
  if (env.DDA_DATA_DIR || dir === from || existsSync(join(dir, COPIED_MARK))) return { dir, copied, error: null };
  try {
    refuseLink(from);
    const names = existsSync(from) ? readdirSync(from).filter((n) => LOCAL_HOST_FILE.test(n)) : [];
    for (const n of names.sort((a, b) => Number(a === 'journal.jsonl') - Number(b === 'journal.jsonl'))) {
      refuseLink(join(from, n));
      writeFileAtomic(join(dir, n), readFileSync(join(from, n)));
      copied.push(n);
    }
    writeFileAtomic(join(dir, COPIED_MARK), JSON.stringify({ from, at: new Date().toISOString(), copied }));
    return { dir, copied, error: null };
  } catch (e) {
    return {
      dir: from,
      copied,
      error: `This host's data could not be copied from ${from} to ${dir} (${(e as Error).message}); it is used where it is, in ${from}, until it can.`,
    };
  }
}

/** What the admin should hear of a local data folder's opening: what was copied, or why nothing could be. */
export function localDataNotices(r: ReturnType<typeof openLocalHostDataDir>): string[] {
  return [
    ...(r.copied.length
      ? [`This host's data was copied to ${r.dir} from the data folder: ${r.copied.join(', ')}`]
      : []),
    ...(r.error ? [r.error] : []),
  ];
}
