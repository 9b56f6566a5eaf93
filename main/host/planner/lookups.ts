/** Finding devices and VMs in the inventory, as every planner rule finds them. */
import type { Device, Inventory, Vm } from '../../../shared/inventory';
import { samePath } from '../../../shared/location-path';

export function findDevice(inv: Inventory, path: string): Device | undefined {
  return inv.devices.find((d) => d.locationPath !== null && samePath(d.locationPath, path));
}
/**
 * The VM of that name, when exactly one has it. Hyper-V allows two VMs one name (a VM is its Id), and a
 * plan names its VM: with two, which one the admin meant is unknown, so neither is found (the intents
 * refuse with `vmNotFoundOrAmbiguous`). Every step then acts on the Id of the one found.
 */
export function findVm(inv: Inventory, name: string): Vm | undefined {
  const named = inv.vms.filter((v) => v.name === name);
  return named.length === 1 ? named[0] : undefined;
}
/** Devices the VM holds (not stale), each once, for the MMIO sum. */
export function heldBy(inv: Inventory, vm: Vm): Device[] {
  const out: Device[] = [];
  for (const a of vm.assignedDevices) {
    if (a.stale) continue;
    const d = findDevice(inv, a.locationPath);
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}
export const holds = (vm: Vm, path: string) => vm.assignedDevices.some((a) => samePath(a.locationPath, path));
