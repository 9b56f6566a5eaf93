/**
 * The host connection test, one for every door (the API's testHost and `dda hosts test`): a remote host
 * is connected first (timed), then one inventory round trip (timed) says what answered. A host that
 * cannot be connected throws HostUnreachableError, one that cannot be read InventoryError (the first is
 * one of the second: the same error codes on every door).
 */
import type { HostTestResult } from '../../shared/contract';
import { describeTarget, type RemoteTarget } from '../../shared/hosts';
import type { Inventory } from '../../shared/inventory';
import { InventoryError } from '../host/inventory-service';
import type { PsErrorInfo, ScriptRunner } from '../powershell/session-types';
import { readinessOf } from './host-status';

/** The remote host could not be connected; `reason` is the host's (or the transport's) own words. */
export class HostUnreachableError extends InventoryError {
  constructor(
    message: string,
    readonly reason: string,
    raw: PsErrorInfo,
  ) {
    super(message, raw);
  }
}

/** What the test needs of an open host: its id, its definition (null: this machine) and its runner. */
export interface TestableHost {
  id: string;
  target: RemoteTarget | null;
  runner: ScriptRunner;
}

/** The test's result in the contract's shape, and the inventory it read. */
export interface HostTestOutcome {
  result: HostTestResult;
  inventory: Inventory;
}

/** Connects (a remote host) and reads the inventory with `read`; throws InventoryError when either fails. */
export async function testHostConnection(host: TestableHost, read: () => Promise<Inventory>): Promise<HostTestOutcome> {
  let connectMs: number | null = null;
  if (host.target) {
    const t0 = performance.now();
    const s = await host.runner.invoke<{ state?: string; error?: string | null }>('remote-status', { Connect: true });
    if (s.ok && s.value?.error)
      throw new HostUnreachableError(
        `Cannot connect to ${host.target.name} (${describeTarget(host.target)}): ${s.value.error}`,
        s.value.error,
        { kind: 'connection', message: s.value.error, computerName: host.target.name },
      );
    if (!s.ok) throw new HostUnreachableError(s.error.message, s.error.message, s.error);
    connectMs = Math.round(performance.now() - t0);
  }
  const t1 = performance.now();
  const inv = await read();
  const roundTripMs = Math.round(performance.now() - t1);
  const r = inv.host;
  return {
    inventory: inv,
    result: {
      host: host.id,
      name: host.target?.name ?? r.computerName,
      connectMs,
      roundTripMs,
      computerName: r.computerName,
      psEdition: r.psEdition,
      psVersion: r.psVersion,
      readiness: readinessOf(inv),
      devices: inv.devices.length,
      vms: inv.vms.length,
    },
  };
}
