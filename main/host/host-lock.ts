/**
 * The host-wide locks of an operation (main/powershell/scripts/host-lock.ps1): the same devices and VMs
 * the app's own locks name (locks.ts lockKeysOf), kept on the host by the PowerShell process that runs
 * the operation, so the `dda` CLI, another admin's DDA Studio on the same host and another workstation's
 * session on a remote host never change them at the same time. A lock dies with that process.
 * The host sees each key only as its SHA-256 (a file name), never as text.
 */
import { createHash } from 'node:crypto';
import type { ScriptRunner } from '../powershell/session-types';
import { BusyError } from './locks';

/** A lock key's file name on the host (keys compare without case, as the app's own locks do). */
export const hostLockName = (key: string): string =>
  createHash('sha256').update(key.toUpperCase(), 'utf8').digest('hex').slice(0, 32);

interface Holder {
  holder?: string;
  user?: string;
  computer?: string;
  pid?: number;
  since?: string;
}

type Acquired = { acquired: true } | { acquired: false; heldBy: Holder | null };

/** A field of the holder file, which any process that can write to ProgramData could have written. */
const field = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 200) : '');

/** Who holds a lock, as the busy message says it. */
function describeHolder(h: Holder | null): string {
  if (!h || typeof h !== 'object') return 'another DDA Studio (it did not say who)';
  const who = [
    field(h.user),
    field(h.computer) && `on ${field(h.computer)}`,
    field(h.pid) && `process ${field(h.pid)}`,
    field(h.since) && `since ${field(h.since)}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${field(h.holder) || 'another DDA Studio'}${who ? ` (${who})` : ''}`;
}

/**
 * Takes the host's locks of `keys` for `token` (the operation id) and returns their release, which never
 * throws. Throws BusyError when another process holds one, and an Error when they cannot be kept at all:
 * the operation does not run either way.
 */
export async function acquireHostLocks(
  runner: ScriptRunner,
  token: string,
  keys: string[],
  holder: string,
): Promise<() => Promise<void>> {
  const names = [...new Set(keys.map(hostLockName))];
  const r = await runner.invoke<Acquired>('host-lock', {
    Action: 'Acquire',
    Token: token,
    Names: names,
    Holder: holder,
  });
  if (!r.ok)
    throw new Error(`The operation's locks on the host could not be taken, so it did not run: ${r.error.message}`);
  if (!r.value.acquired)
    throw new BusyError(
      `A device or VM of this operation is busy with an operation of ${describeHolder(r.value.heldBy)}; try again when it has finished.`,
    );
  return async () => {
    // A session that died took its locks with it.
    await runner.invoke('host-lock', { Action: 'Release', Token: token }).catch(() => undefined);
  };
}
