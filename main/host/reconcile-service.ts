/**
 * Reconcile on connect (issue 18): every inventory read (app start, host switch, refresh, `dda
 * inventory`) is compared with the recorded assignments and the host's start-failure events, and the
 * Inventory carries the list of changes (reconcile) and each VM's last start failure, decoded. The
 * records are then updated from what is seen. The Hyper-V-Worker-Admin log's error events come in the
 * same round trip (inventory.ps1); when the log cannot be read, the inventory says so in its notes.
 */
import type { Inventory, Vm } from '../../shared/inventory';
import { reconcileHost, updateRecords, vmMisfits } from '../../shared/reconcile';
import { decodeStartFailure, startFailureItem } from '../../shared/start-failure-decoder';
import {
  hresultIn,
  hresultOf,
  startFailureCodes,
  type DecodedStartFailure,
  type StartFailureEvent,
} from '../../shared/start-failure';
import type { AssignmentStore } from './assignment-store';
import type { RawStartFailures } from './inventory-raw';
import type { InventoryRead } from './inventory-service';

type RawEvent = RawStartFailures['events'][number];

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * One event as a start failure of one of these VMs, or null. The VM: the event data value that is one of
 * the VMs' ids (Hyper-V-Worker events carry the VM's name and id as data; which position is not settled by
 * a source, so every value is tried), else an id in the message. The code: a data value with the failure
 * bit set (an HRESULT or NTSTATUS, signed or not), else a "0x........" value, else the last one in the text.
 */
export function startFailureOf(e: RawEvent, vms: readonly Vm[]): StartFailureEvent | null {
  const data = e.data ?? [];
  const message = e.message ?? '';
  const byId = new Map(vms.map((v) => [v.id.toLowerCase(), v]));
  const ids = [
    ...data.filter((x): x is string => typeof x === 'string').flatMap((s) => s.match(guid) ?? []),
    ...(message.match(guid) ?? []),
  ];
  const vm = ids.map((i) => byId.get(i.toLowerCase())).find((v) => !!v);
  if (!vm) return null;
  const known = new Set(startFailureCodes.map((c) => c.hresult));
  const fromNumbers = data
    .filter((x): x is number => typeof x === 'number')
    .map((n) => hresultOf(n))
    .filter((h): h is string => !!h && Number.parseInt(h, 16) >= 0x80000000);
  const fromStrings = data
    .filter((x): x is string => typeof x === 'string' && /^0x[0-9a-f]{8}$/i.test(x))
    .map((s) => `0x${s.slice(2).toUpperCase()}`);
  const candidates = [...fromNumbers, ...fromStrings];
  const hresult = candidates.find((h) => known.has(h)) ?? candidates[0] ?? hresultIn(message);
  return {
    vmId: vm.id,
    vmName: vm.name,
    at: e.at ?? null,
    source: 'event-log',
    eventId: e.id,
    hresult,
    message: message.slice(0, 4000),
  };
}

/** The start failures among the log's events; null when the log could not be read. */
export function startFailuresOf(raw: RawStartFailures | null, vms: readonly Vm[]): StartFailureEvent[] | null {
  if (!raw) return null;
  return raw.events.map((e) => startFailureOf(e, vms)).filter((x): x is StartFailureEvent => !!x);
}

/** Whether a decoded failure still describes the host as it is (a fixed cause no longer lists it). */
function stillHolds(inv: Inventory, vm: Vm, f: DecodedStartFailure): boolean {
  if (vm.state === 'Running') return false;
  if (f.cause === 'stale-entry') return vm.assignedDevices.some((a) => a.stale || a.duplicate);
  // An unmeasured device (MMIO unknown) cannot be ruled out.
  const unmeasured = vm.assignedDevices.some(
    (a) => !a.stale && inv.devices.some((d) => d.locationPath === a.locationPath && d.mmioMB === null),
  );
  if (f.cause === 'mmio-too-small' || f.cause === 'high-mmio-above-limit')
    return vmMisfits(inv, vm).length > 0 || unmeasured;
  return true;
}

/** Pure: the inventory with its reconcile list and each VM's last start failure (newest event per VM). */
export function reconcileInventory(
  inv: Inventory,
  records: Parameters<typeof reconcileHost>[1],
  events: readonly StartFailureEvent[] | null,
): Inventory {
  const items = reconcileHost(inv, records);
  const vms = inv.vms.map((vm) => {
    if (events === null) return vm;
    const mine = events
      .filter((e) => e.vmId.toLowerCase() === vm.id.toLowerCase())
      .sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
    const last = mine[0];
    const decoded = last ? decodeStartFailure(last, inv, vm, items) : null;
    if (decoded && stillHolds(inv, vm, decoded)) items.push(startFailureItem(vm, decoded));
    return { ...vm, lastStartFailure: decoded };
  });
  const notes =
    events === null
      ? [...inv.notes, 'The Hyper-V-Worker-Admin event log could not be read: VM start failures are not shown.']
      : inv.notes;
  return { ...inv, vms, notes, reconcile: items };
}

/** Reads the inventory, reconciles it with the records and the start-failure log, and updates the records. */
export async function readReconciledInventory(
  read: () => Promise<InventoryRead>,
  store: AssignmentStore,
  now: () => Date = () => new Date(),
): Promise<Inventory> {
  const { inventory: inv, startFailures } = await read();
  const { records, lost } = store.read();
  const events = startFailuresOf(startFailures, inv.vms);
  const out = reconcileInventory(lost ? { ...inv, notes: [...inv.notes, lost] } : inv, records, events);
  store.write(updateRecords(inv, records, now().toISOString()));
  return out;
}
