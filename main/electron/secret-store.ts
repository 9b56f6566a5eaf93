/**
 * SECURITY: passwords of remote hosts, encrypted by the OS through Electron's safeStorage (DPAPI on
 * Windows, the Keychain on macOS, libsecret/kwallet on Linux) and kept as one blob per host in
 * <userData>/secrets/<hostId>.bin (owner-only, written atomically). Nothing else ever holds them on
 * disk; nothing here logs or returns them except get() to the host pool.
 *
 * Where the OS offers no real encryption (safeStorage unavailable, or Linux's "basic_text" fallback,
 * which uses a hard-coded key) the store says it is unavailable and the app keeps passwords in memory
 * only, as in browser mode.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostIdSchema } from '../../shared/hosts';
import type { SecretStore } from '../hosts/host-registry';
import { writeFileAtomic } from '../write-file-atomic';

/** The part of Electron's safeStorage this store uses (tests bring a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Whether safeStorage really encrypts here (not Linux's hard-coded-key fallback). */
export function safeStorageUsable(safe: SafeStorageLike, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!safe.isEncryptionAvailable()) return false;
    if (platform === 'linux' && typeof safe.getSelectedStorageBackend === 'function') {
      const backend = safe.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** A SecretStore over safeStorage in `<userData>/secrets`. */
export function safeStorageSecretStore(
  userData: string,
  safe: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  const dir = join(userData, 'secrets');
  const available = safeStorageUsable(safe, platform);
  const fileOf = (hostId: string): string => {
    // The id names a file: only the schema's characters, never a path.
    if (!hostIdSchema.safeParse(hostId).success) throw new Error('Invalid host id for the credential store.');
    return join(dir, `${hostId}.bin`);
  };
  return {
    available,
    get(hostId) {
      if (!available) return null;
      const file = fileOf(hostId);
      if (!existsSync(file)) return null;
      try {
        return safe.decryptString(readFileSync(file));
      } catch {
        return null; // another user's or machine's blob: ask again
      }
    },
    set(hostId, secret) {
      if (!available) throw new Error('The OS credential store is not available.');
      writeFileAtomic(fileOf(hostId), safe.encryptString(secret), { mode: 0o600, dirMode: 0o700 });
    },
    delete(hostId) {
      rmSync(fileOf(hostId), { force: true });
    },
  };
}
