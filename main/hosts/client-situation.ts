/** This machine as the prepare-this-host helper needs it (shared by the app's API and the CLI). */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RemoteTarget } from '../../shared/hosts';
import type { ClientSituation } from './setup-commands';
import { defaultDataDir } from '../data-dir';
import { buildJeaModule } from './jea-module';

const built = new Map<string, string>();

/**
 * The DDAStudio.Host module folder the JEA setup copies to the host: built from this app's own files
 * into `<data folder>/jea-module/` (so its version is always this app's) once per process, not on every
 * request (an admin may be copying from it), or null when that fails (the helper then says how to
 * write it with `dda hosts jea-module`).
 */
export function jeaModuleSource(dataDir: string = defaultDataDir()): string | null {
  const folder = join(dataDir, 'jea-module');
  const done = built.get(folder);
  if (done) return done;
  try {
    const source = buildJeaModule(folder);
    built.set(folder, source);
    return source;
  } catch {
    return null;
  }
}

/** The platform, the SSH public key beside the target's private key (or the default one), the module. */
export function clientSituation(target: RemoteTarget): ClientSituation {
  const platform =
    process.platform === 'win32'
      ? 'windows'
      : process.platform === 'darwin'
        ? 'macos'
        : process.platform === 'linux'
          ? 'linux'
          : 'other';
  let publicKey: string | null = null;
  if (target.transport === 'ssh') {
    const pub = target.keyFilePath ? `${target.keyFilePath}.pub` : join(homedir(), '.ssh', 'id_ed25519.pub');
    try {
      publicKey = readFileSync(pub, 'utf8').split(/\r?\n/)[0]?.trim() || null;
    } catch {
      // no public key there: the helper asks for it instead
    }
  }
  return { platform, publicKey, jeaModuleSource: jeaModuleSource() };
}
