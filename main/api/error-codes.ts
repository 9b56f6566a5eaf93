/**
 * The one table of what our exceptions mean: the error code an API envelope carries, and the exit code
 * the `dda` command line ends with for that code. The API (create-api.ts) and the CLI (cli/dda.ts,
 * cli/operation-commands.ts) both read it, so an error means the same on every door.
 */
import type { ErrorCode } from '../../shared/result';
import { PowerShellMissingError } from '../host/host-connection';
import { InventoryError } from '../host/inventory-service';
import { HostRegistryError } from '../hosts/host-registry';
import { HostBusyError } from '../hosts/host-busy';
import { UnknownHostError } from '../hosts/host-ids';

/** The code of an error that is the admin's to read; null for anything else (a bug). */
export function errorCodeOf(e: unknown): ErrorCode | null {
  if (e instanceof InventoryError) {
    const kind = e.raw?.kind;
    if (kind === 'not-started') return 'powershell-missing';
    return kind === 'connection' || kind === 'timeout' || kind === 'crashed' ? 'session' : 'powershell';
  }
  if (e instanceof UnknownHostError) return 'not-found';
  if (e instanceof HostBusyError) return 'busy';
  if (e instanceof HostRegistryError) return e.kind === 'unreadable' ? 'internal' : 'bad-request';
  if (e instanceof PowerShellMissingError) return 'powershell-missing';
  return null;
}

/** The CLI's exit codes: 0 done, 1 failed, 2 refused (consent, not allowed, busy, or the host changed), 3 bad arguments. */
export const EXIT = { ok: 0, failed: 1, refused: 2, usage: 3 } as const;

/** The exit code for an error code. */
export function exitCodeOf(code: ErrorCode): number {
  switch (code) {
    case 'bad-request':
      return EXIT.usage;
    case 'busy':
    case 'refused':
    case 'stale-plan':
      return EXIT.refused;
    default:
      return EXIT.failed;
  }
}
