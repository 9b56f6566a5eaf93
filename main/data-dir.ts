/** Where DDA Studio keeps its journal, measurements, settings and logs. */
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
