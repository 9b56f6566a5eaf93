/**
 * Reconcile on connect (issue 18): every inventory read (app start, host switch, refresh, `dda
 * inventory`) is compared with the recorded assignments and the host's start-failure events, and the
 * Inventory carries the list of changes (reconcile) and each VM's last start failure, decoded. The
 * records are then updated from what is seen. The Hyper-V-Worker-Admin log's error events come in the
 * same round trip (inventory.ps1); when the log cannot be read, the inventory says so in its notes.
 */
import type { Inventory, Vm } from '../../shared/inventory';
import { otherComputer } from '../../shared/computer-name';
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

/**
 * "'<VM>' started successfully" in the Hyper-V-Worker-Admin log: id 18500 at Information level. A labelled
 * guess (admins' reports quote it; no Microsoft page lists the log's ids). Wrong, it finds nothing and
 * every failure stays as before.
 */
export const VM_STARTED_EVENT_ID = 18500;
const isStarted = (e: RawEvent) => e.id === VM_STARTED_EVENT_ID && e.level !== 2;

/**
 * The start failures among the log's events, without those a later successful start of the same VM has
 * cleared (the log keeps events for months: a VM fixed, run and shut down since is not failing); null
 * when the log could not be read.
 */
export function startFailuresOf(raw: RawStartFailures | null, vms: readonly Vm[]): StartFailureEvent[] | null {
  if (!raw) return null;
  const lastStart = new Map<string, string>();
  for (const e of raw.events.filter(isStarted)) {
    const s = startFailureOf(e, vms);
    const at = s?.at;
    if (!s || !at) continue;
    const id = s.vmId.toLowerCase();
    if ((lastStart.get(id) ?? '') < at) lastStart.set(id, at);
  }
  return raw.events
    .filter((e) => !isStarted(e))
    .map((e) => startFailureOf(e, vms))
    .filter((x): x is StartFailureEvent => !!x)
    .filter((f) => {
      const started = lastStart.get(f.vmId.toLowerCase());
      return !(started && f.at && started > f.at);
    });
}

/** Events of one start attempt are written within this of each other (a labelled guess: one power-on). */
const ATTEMPT_MS = 10_000;

/**
 * The event that tells a VM's last failed start (its events newest first). One failed start writes several
 * errors: each device's "Failed to Power on with Error '...' (0x........)" and, last, a "'<VM>' failed to
 * start" line with no code (Microsoft's KB 2249906 shows both). Among the events of the newest attempt:
 * one whose code the decoder knows, else one with any code, else the newest.
 */
export function lastAttemptEvent(newestFirst: readonly StartFailureEvent[]): StartFailureEvent | undefined {
  const newest = newestFirst[0];
  if (!newest) return undefined;
  const t0 = Date.parse(newest.at ?? '');
  const attempt = Number.isNaN(t0)
    ? [newest]
    : newestFirst.filter((e) => {
        const t = Date.parse(e.at ?? '');
        return !Number.isNaN(t) && t0 - t <= ATTEMPT_MS;
      });
  const known = new Set(startFailureCodes.map((c) => c.hresult));
  return (
    attempt.find((e) => e.hresult !== null && known.has(e.hresult)) ?? attempt.find((e) => e.hresult !== null) ?? newest
  );
}

/** Whether a decoded failure still describes the host as it is (a fixed cause no longer lists it). */
function stillHolds(inv: Inventory, vm: Vm, f: DecodedStartFailure): boolean {
  if (vm.state === 'Running') return false;
  if (f.cause === 'stale-entry') return vm.assignedDevices.some((a) => a.stale || a.duplicate);
  // The gaps fit now: nothing of the VM's configuration to fix (the VM card still tells the failure).
  if (f.cause === 'host-resources') return false;
  // An unmeasured device (MMIO unknown) cannot be ruled out.
  const unmeasured = vm.assignedDevices.some(
    (a) => !a.stale && inv.devices.some((d) => d.locationPath === a.locationPath && d.mmioMB === null),
  );
  if (f.cause === 'mmio-too-small' || f.cause === 'high-mmio-above-limit')
    return vmMisfits(inv, vm).length > 0 || unmeasured;
  return true;
}

/** Pure: the inventory with its reconcile list and each VM's last start failure (its newest attempt's telling event). */
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
    const last = lastAttemptEvent(mine);
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
  const { records: all, lost } = store.read();
  // Another computer's records (a data folder that follows the admin) are kept for it, never read here.
  const records: typeof all = [];
  const elsewhere: typeof all = [];
  for (const r of all) (otherComputer(r.computerName ?? '', inv.host.computerName) ? elsewhere : records).push(r);
  const events = startFailuresOf(startFailures, inv.vms);
  const out = reconcileInventory(lost ? { ...inv, notes: [...inv.notes, lost] } : inv, records, events);
  try {
    store.write([...updateRecords(inv, records, now().toISOString()), ...elsewhere]);
  } catch (e) {
    // The host was read: records that cannot be saved now (a file Windows keeps locked) are a note.
    return { ...out, notes: [...out.notes, `The assignments seen could not be saved: ${(e as Error).message}`] };
  }
  return out;
}
