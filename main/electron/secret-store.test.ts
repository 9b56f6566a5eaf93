/** The safeStorage secret store with a fake safeStorage: encrypted blobs per host, never clear text. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeStorageSecretStore, safeStorageUsable, type SafeStorageLike } from './secret-store';

/** Reversible "encryption" that never leaves the clear text in the bytes. */
function fakeSafe(available = true, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(Buffer.from(`v10:${s}`, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b) => {
      const s = Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8');
      if (!s.startsWith('v10:'))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return s.slice(4);
    },
    getSelectedStorageBackend: () => backend,
  };
}

describe('safeStorage secret store', () => {
  it('keeps one encrypted blob per host in <userData>/secrets, readable back, removable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dda-secrets-'));
    const store = safeStorageSecretStore(dir, fakeSafe(), 'linux');
    expect(store.available).toBe(true);
    expect(store.get('hv-01')).toBeNull();
    store.set('hv-01', 'P@ss "word" $(x)');
    expect(readdirSync(join(dir, 'secrets'))).toEqual(['hv-01.bin']);
    const file = join(dir, 'secrets', 'hv-01.bin');
    expect(readFileSync(file).toString('utf8')).not.toContain('P@ss');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    expect(store.get('hv-01')).toBe('P@ss "word" $(x)');
    store.delete('hv-01');
    expect(existsSync(file)).toBe(false);
    store.delete('hv-01');
  });

  it('refuses ids that are not host ids (no paths)', () => {
    const store = safeStorageSecretStore(mkdtempSync(join(tmpdir(), 'dda-secrets-')), fakeSafe(), 'linux');
    for (const id of ['../x', 'a/b', 'A', '-a', '']) expect(() => store.set(id, 'x')).toThrow(/host id/);
  });

  it('a blob it cannot decrypt reads as no password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dda-secrets-'));
    const store = safeStorageSecretStore(dir, fakeSafe(), 'linux');
    store.set('hv-01', 'x');
    const other = safeStorageSecretStore(
      dir,
      {
        ...fakeSafe(),
        decryptString: () => {
          throw new Error('bad key');
        },
      },
      'linux',
    );
    expect(other.get('hv-01')).toBeNull();
  });

  it('unavailable where the OS cannot really encrypt: then nothing is stored', () => {
    expect(safeStorageUsable(fakeSafe(false), 'win32')).toBe(false);
    expect(safeStorageUsable(fakeSafe(true, 'basic_text'), 'linux')).toBe(false);
    expect(safeStorageUsable(fakeSafe(true, 'basic_text'), 'win32')).toBe(true);
    expect(
      safeStorageUsable(
        {
          ...fakeSafe(),
          isEncryptionAvailable: () => {
            throw new Error('not ready');
          },
        },
        'win32',
      ),
    ).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'dda-secrets-'));
    const store = safeStorageSecretStore(dir, fakeSafe(true, 'basic_text'), 'linux');
    expect(store.available).toBe(false);
    expect(() => store.set('hv-01', 'x')).toThrow(/not available/);
    expect(store.get('hv-01')).toBeNull();
    expect(existsSync(join(dir, 'secrets'))).toBe(false);
  });
});
