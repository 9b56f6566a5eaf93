/** Whether a device may be dropped on a VM card, and why not: shown on the card before the drop. */
import type { Device, Inventory, Vm } from '../../shared/inventory';
import type { MessageKey } from '../../shared/i18n/messages';
import { isAssignableVerdict } from '../../shared/survey';
import { iovReadiness } from '../../shared/host-readiness';

export type DropVerdict = { allowed: true; note?: MessageKey } | { allowed: false; reason: MessageKey };

/** Pure: the same checks the planner blocks on, for instant feedback while dragging. */
export function dropVerdict(inv: Inventory, device: Device, vm: Vm): DropVerdict {
  if (device.owner.kind === 'vm' && device.owner.vmName === vm.name) return { allowed: false, reason: 'blockedAlreadyHere' };
  if (device.hostsSystemDisk) return { allowed: false, reason: 'blockedSystemDisk' };
  if (device.resourcePoolName) return { allowed: false, reason: 'blockedInPool' };
  const l = device.lifelines;
  if (device.owner.kind === 'host' && l.carriesSession === true) return { allowed: false, reason: 'blockedSessionNic' };
  if (!isAssignableVerdict(device.verdict.code) && device.verdict.code !== 'unknown' && device.verdict.code !== 'disabled-unknown') return { allowed: false, reason: 'blockedNotAssignable' };
  const h = inv.host;
  // IovSupport False blocks unless the device's own facts show the seed's ACS case (-Force lifts it).
  if (!h.elevated || iovReadiness(h, [device]) === 'blocked' || h.osPcieControl === false || h.isServerSku === false) return { allowed: false, reason: 'blockedHostNotReady' };
  if (vm.state !== 'Off') return { allowed: true, note: 'needsVmOff' };
  if (device.verdict.code === 'force-insecure') return { allowed: true, note: 'needsForceShort' };
  const carries = l.ipAddresses.length > 0 || l.vSwitches.length > 0 || l.disks.some((k) => k.volumes.length > 0);
  if (device.owner.kind === 'host' && carries) return { allowed: true, note: 'needsLifelineShort' };
  return { allowed: true };
}
