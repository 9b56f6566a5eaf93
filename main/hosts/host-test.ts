/**
 * The host connection test, one for every door (the API's testHost and `dda hosts test`): a remote host
 * is connected first (timed), then one inventory round trip (timed) says what answered. A host that
 * cannot be reached or read throws InventoryError, whose raw error is the host's own message.
 */
import type { HostTestResult } from '../../shared/contract';
import { describeTarget, type RemoteTarget } from '../../shared/hosts';
import type { Inventory } from '../../shared/inventory';
import { InventoryError } from '../host/inventory-service';
import type { ScriptRunner } from '../powershell/session-types';
import { readinessOf } from './host-status';

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
    if (s.ok && s.value?.error) throw new InventoryError(`Cannot connect to ${host.target.name} (${describeTarget(host.target)}): ${s.value.error}`, { kind: 'connection', message: s.value.error, computerName: host.target.name });
    if (!s.ok) throw new InventoryError(s.error.message, s.error);
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
