/** Finding devices and VMs in the inventory, as every planner rule finds them. */
import type { Device, Inventory, Vm } from '../../../shared/inventory';
import { samePath } from '../../../shared/location-path';

export function findDevice(inv: Inventory, path: string): Device | undefined {
  return inv.devices.find((d) => d.locationPath !== null && samePath(d.locationPath, path));
}
export function findVm(inv: Inventory, name: string): Vm | undefined {
  return inv.vms.find((v) => v.name === name);
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
