/** This machine as the prepare-this-host helper needs it (shared by the app's API and the CLI). */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RemoteTarget } from '../../shared/hosts';
import type { ClientSituation } from '../../shared/prepare-host';
import { projectRoot } from '../project-root';

/** The DDAStudio.Host module folder shipped with the app (what the JEA setup copies to the host). */
export function jeaModuleSource(): string | null {
  const dir = join(projectRoot(), 'main', 'powershell', 'jea', 'DDAStudio.Host');
  return existsSync(dir) ? dir : null;
}

/** The platform, the SSH public key beside the target's private key (or the default one), the module. */
export function clientSituation(target: RemoteTarget): ClientSituation {
  const platform = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : process.platform === 'linux' ? 'linux' : 'other';
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
