/** Pure: the VM a plan is for, and what the outcome says of it after the run (its state, a Start when it is off). */
import type { Inventory, Vm } from '../../shared/inventory';
import type { Intent } from '../../shared/plan';

/** The VM a plan is for: the one it assigns to, moves to, repairs, fits, starts, or takes the device from. */
export function targetVmName(intent: Intent, inventory: Inventory | null): string | null {
  if (intent.kind === 'assign' || intent.kind === 'repair' || intent.kind === 'fit-vm' || intent.kind === 'start-vm')
    return intent.vmName;
  if (intent.kind === 'move') return intent.toVm;
  if (intent.kind === 'revert') {
    const d = inventory?.devices.find((x) => x.locationPath === intent.locationPath);
    return d?.owner.kind === 'vm' ? d.owner.vmName : null;
  }
  return null;
}

export interface OutcomeVm {
  /** The VM as read after the run. */
  now: Vm;
  /** It was running when the plan was made and is off now. */
  leftOff: boolean;
  /** The plan to offer: start it (only a VM that is off; the planner refuses any other). */
  start: Intent | null;
}

/**
 * The plan's VM after the run, or null while the host has not been read again since the plan (the store
 * re-reads it when a run ends) or when the plan has no VM.
 */
export function outcomeVm(
  intent: Intent,
  planInventory: Inventory | null,
  inventory: Inventory | null,
): OutcomeVm | null {
  const vmName = targetVmName(intent, planInventory);
  if (!vmName || !inventory || inventory === planInventory) return null;
  const now = inventory.vms.find((v) => v.name === vmName);
  if (!now) return null;
  const before = planInventory?.vms.find((v) => v.name === vmName);
  const off = now.state === 'Off';
  return {
    now,
    leftOff: off && before?.state === 'Running',
    start: off ? { kind: 'start-vm', vmName: now.name } : null,
  };
}
