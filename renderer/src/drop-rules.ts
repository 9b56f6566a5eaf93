/** Whether a device may be dropped on a VM card, and why not: shown on the card before the drop. */
import type { Device, Inventory, Vm } from '../../shared/inventory';
import type { MessageKey } from '../../shared/i18n/messages';
import type { Intent } from '../../shared/plan';
import { isAssignableVerdict } from '../../shared/survey';
import { iovReadiness } from '../../shared/host-readiness';

export type DropVerdict = { allowed: true; note?: MessageKey } | { allowed: false; reason: MessageKey };

/** Pure: the same checks the planner blocks on, for instant feedback while dragging. */
export function dropVerdict(inv: Inventory, device: Device, vm: Vm): DropVerdict {
  // Plans name a VM by its name, and the planner refuses a name two VMs share (vm-name-ambiguous): said
  // on the card before the drop, not after it.
  if (inv.vms.some((v) => v !== vm && v.name === vm.name)) return { allowed: false, reason: 'blockedVmNameShared' };
  if (device.owner.kind === 'vm' && device.owner.vmName === vm.name)
    return { allowed: false, reason: 'blockedAlreadyHere' };
  if (device.hostsSystemDisk) return { allowed: false, reason: 'blockedSystemDisk' };
  if (device.resourcePoolName) return { allowed: false, reason: 'blockedInPool' };
  const l = device.lifelines;
  if (device.owner.kind === 'host' && l.carriesSession === true) return { allowed: false, reason: 'blockedSessionNic' };
  if (
    !isAssignableVerdict(device.verdict.code) &&
    device.verdict.code !== 'unknown' &&
    device.verdict.code !== 'disabled-unknown'
  )
    return { allowed: false, reason: 'blockedNotAssignable' };
  const h = inv.host;
  // IovSupport False blocks unless the device's own facts show the seed's ACS case (-Force lifts it).
  if (
    !h.elevated ||
    h.windowsPowerShellCompat ||
    iovReadiness(h, [device]) === 'blocked' ||
    h.osPcieControl === false ||
    h.isServerSku === false
  )
    return { allowed: false, reason: 'blockedHostNotReady' };
  if (vm.state !== 'Off') return { allowed: true, note: 'needsVmOff' };
  if (device.verdict.code === 'force-insecure') return { allowed: true, note: 'needsForceShort' };
  const carries = l.ipAddresses.length > 0 || l.vSwitches.length > 0 || l.disks.some((k) => k.volumes.length > 0);
  if (device.owner.kind === 'host' && carries) return { allowed: true, note: 'needsLifelineShort' };
  return { allowed: true };
}

/** The other functions of the device's card that an assignment can take along (owned as it is, with a location path). */
export function movableSiblings(inv: Inventory, device: Device): Device[] {
  return device.siblings
    .map((p) => inv.devices.find((d) => d.locationPath === p))
    .filter((d): d is Device => !!d && d !== device && d.owner.kind === device.owner.kind && d.locationPath !== null);
}

const isDisplay = (d: Device) => d.pnpClass === 'Display' || d.facts.baseClass === 3;
const isAudio = (d: Device) => d.pnpClass === 'MEDIA' || d.facts.baseClass === 4;

/**
 * What a drop or a menu pick asks for: a device in a VM is moved; one on the host is assigned, with its
 * card's other functions by default when it is a GPU whose only companions are its own audio functions
 * (the plan dialog shows the choice, "Also assign …", and can turn it off).
 */
export function assignIntent(inv: Inventory, device: Device, vmName: string): Intent {
  const path = device.locationPath ?? '';
  if (device.owner.kind === 'vm') return { kind: 'move', locationPath: path, toVm: vmName };
  const sibs = movableSiblings(inv, device);
  const gpuAudio = isDisplay(device) && sibs.length > 0 && sibs.every(isAudio);
  return { kind: 'assign', locationPath: path, vmName, ...(gpuAudio ? { includeSiblings: true } : {}) };
}

/**
 * Whether a device could go to some VM at all: a row that cannot (no location path, the system disk's
 * controller, in a resource pool, this session's NIC, a survey "not assignable") is not offered to the
 * keyboard or to screen readers as draggable; the pointer may still try it and hear why not.
 */
export function canOfferDrag(device: Device): boolean {
  if (!device.locationPath || device.hostsSystemDisk || device.resourcePoolName) return false;
  if (device.owner.kind === 'host' && device.lifelines.carriesSession === true) return false;
  return device.verdict.code !== 'not-assignable';
}
