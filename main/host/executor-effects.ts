/**
 * Whether a step's effect is present on the host, judged from a fresh inventory. Recovery uses it to
 * act idempotently (skip an undo whose effect is already gone, skip a step that already happened)
 * and the executor uses it to verify that a rollback really put the host back.
 */
import type { Device, Inventory, Vm } from '../../shared/inventory';
import type { PlanStep } from '../../shared/plan';
import { pciIdOf, samePath } from '../../shared/location-path';

/** true: the step's effect is on the host now; false: it is not; null: cannot tell. */
export type EffectState = boolean | null;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function vmById(inv: Inventory, id: unknown): Vm | undefined {
  const s = str(id);
  return s === null ? undefined : inv.vms.find((v) => v.id.toLowerCase() === s.toLowerCase());
}
function deviceByPath(inv: Inventory, path: unknown): Device | undefined {
  const s = str(path);
  return s === null ? undefined : inv.devices.find((d) => d.locationPath !== null && samePath(d.locationPath, s));
}
function deviceById(inv: Inventory, id: unknown): Device | undefined {
  const s = str(id);
  if (s === null) return undefined;
  const want = pciIdOf(s).toUpperCase();
  return inv.devices.find((d) => pciIdOf(d.instanceId).toUpperCase() === want);
}
const holds = (vm: Vm, path: unknown) =>
  typeof path === 'string' && vm.assignedDevices.some((a) => samePath(a.locationPath, path));

/** A VM on its way between states (Hyper-V's VMState, its *Critical twins too): where it ends is not known yet. */
const settling = (vm: Vm) =>
  /^(Starting|Stopping|Saving|Pausing|Resuming|FastSaving|Reset)(Critical)?$|^Force(Shutdown|Reboot)$/.test(vm.state);

/** Whether the effect of `step` (its action) is present in `inv`. */
export function stepEffect(step: PlanStep, inv: Inventory): EffectState {
  const p = step.action.params;
  switch (step.kind) {
    case 'stop-vm': {
      const vm = vmById(inv, p.VmId);
      return vm && !settling(vm) ? vm.state === 'Off' : null;
    }
    case 'remove-saved-state': {
      const vm = vmById(inv, p.VmId);
      return vm ? vm.state !== 'Saved' : null;
    }
    case 'start-vm': {
      const vm = vmById(inv, p.VmId);
      return vm && !settling(vm) ? vm.state === 'Running' : null;
    }
    case 'disable-device': {
      const d = deviceById(inv, p.InstanceId);
      return d ? !d.enabled || d.owner.kind !== 'host' : null;
    }
    case 'enable-device': {
      const d = deviceById(inv, p.InstanceId);
      return d ? d.enabled && d.owner.kind === 'host' : null;
    }
    case 'dismount-device': {
      const d = deviceByPath(inv, p.LocationPath);
      return d ? d.owner.kind !== 'host' : null;
    }
    case 'mount-device': {
      const d = deviceByPath(inv, p.LocationPath);
      return d ? d.owner.kind === 'host' : null;
    }
    case 'add-device': {
      const vm = vmById(inv, p.VmId);
      return vm ? holds(vm, p.LocationPath) : null;
    }
    case 'remove-device': {
      const vm = vmById(inv, p.VmId);
      return vm ? !holds(vm, p.LocationPath) : null;
    }
    case 'remove-all-devices': {
      // Entries assigned through a resource pool are never removed (planner: repair).
      const vm = vmById(inv, p.VmId);
      return vm ? vm.assignedDevices.every((a) => !!a.resourcePoolName) : null;
    }
    case 'set-vm-stop-action':
    case 'set-vm-cache-types':
    case 'set-vm-mmio':
    case 'set-vm-memory': {
      const vm = vmById(inv, p.VmId);
      if (!vm) return null;
      const checks: boolean[] = [];
      if (p.AutomaticStopAction !== undefined) checks.push(vm.automaticStopAction === p.AutomaticStopAction);
      if (p.GuestControlledCacheTypes !== undefined)
        checks.push(vm.guestControlledCacheTypes === p.GuestControlledCacheTypes);
      if (p.LowMemoryMappedIoSpace !== undefined) checks.push(vm.lowMemoryMappedIoSpace === p.LowMemoryMappedIoSpace);
      if (p.HighMemoryMappedIoSpace !== undefined)
        checks.push(vm.highMemoryMappedIoSpace === p.HighMemoryMappedIoSpace);
      if (p.DynamicMemoryEnabled !== undefined) checks.push(vm.dynamicMemoryEnabled === p.DynamicMemoryEnabled);
      return checks.length === 0 ? null : checks.every(Boolean);
    }
  }
}

/**
 * Whether any of the step's effect is left for its undo to take back. The same as stepEffect, except
 * for a remove-all: a removal may stop halfway (Remove-VMAssignableDevice takes the piped entries one
 * by one and stops at the first failure), so its effect is left while the VM lacks any entry the undo
 * adds back (op-add-devices adds only the ones missing).
 */
export function effectLeft(step: PlanStep, inv: Inventory): EffectState {
  if (step.kind !== 'remove-all-devices') return stepEffect(step, inv);
  const vm = vmById(inv, step.action.params.VmId);
  const paths = step.undo?.params.LocationPaths;
  if (!vm || !Array.isArray(paths)) return null;
  return paths.some((p) => !holds(vm, p));
}

/** Whether an undo is still needed: some of the step's effect is present (or cannot be judged). */
export function undoNeeded(step: PlanStep, inv: Inventory): boolean {
  return effectLeft(step, inv) !== false;
}
