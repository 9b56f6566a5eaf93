/** A device a VM will get: the survey's refusals and warnings, the last display, pools, siblings, the VM's limits. */
import { planText, type PlanMessageKey } from '../../../shared/i18n/plan-messages';
import type { Device, Inventory, Vm } from '../../../shared/inventory';
import type { LocalizedText } from '../../../shared/plan';
import type { Builder } from './builder';
import { checkLifelines } from './checks-lifelines';
import { findDevice } from './lookups';
import { list, name, q } from './text';

/** A device the VM will get: refusals and warnings that follow from the survey and the host's needs. */
export function checkDeviceForVm(inv: Inventory, d: Device, b: Builder): void {
  if (d.hostsSystemDisk) b.block('system-disk', planText('systemDisk', { name: name(d) }));
  if (d.verdict.code === 'not-assignable')
    b.block('not-assignable', planText('notAssignable', { name: name(d), reason: reasonText(d) }));
  // A property no call could read: unknown, and not to be taken on trust (an RMRR device among them).
  else if (d.facts.unreadable?.length)
    b.block('survey-unreadable', planText('surveyUnreadable', { name: name(d), facts: d.facts.unreadable.join(', ') }));
  else if (d.verdict.code === 'unknown' || d.verdict.code === 'disabled-unknown')
    b.warn('verdict-unknown', 'warning', planText('verdictUnknown', { name: name(d) }));
  if (d.verdict.code === 'assignable-less-secure')
    b.warn('less-secure', 'info', planText('lessSecure', { name: name(d) }));
  if (d.pnpClass === 'Display' && d.owner.kind === 'host' && d.enabled) {
    const others = inv.devices.filter(
      (x) => x !== d && x.pnpClass === 'Display' && x.owner.kind === 'host' && x.enabled,
    );
    if (others.length === 0) {
      b.need('take-last-display');
      b.warn('last-display', 'danger', planText('lastDisplay', { name: name(d) }));
    }
  }
  checkLifelines(d, b);
}

const reasons: Record<string, PlanMessageKey> = {
  rmrr: 'reasonRmrr',
  'bios-pcie-control': 'reasonBiosPcieControl',
  'legacy-non-vga': 'reasonLegacyNonVga',
  'legacy-pci': 'reasonLegacyPci',
  'line-interrupts': 'reasonLineInterrupts',
  'acs-missing': 'reasonAcsMissing',
};

function reasonText(d: Device): LocalizedText {
  const key = d.verdict.reason ? reasons[d.verdict.reason] : undefined;
  return planText(key ?? 'reasonOther');
}

/** A device in a resource pool (Windows Server 2022 and 2025 references) is given out by its pool; DDA Studio leaves it there. */
export function checkPool(d: Device, b: Builder): void {
  if (!d.resourcePoolName) return;
  b.block('in-resource-pool', planText('inResourcePool', { name: name(d), pool: q(d.resourcePoolName) }));
}

/** What an assigned device takes away from a VM: live migration (clustered VMs) and checkpoints. */
export function checkVmLimits(vm: Vm, b: Builder): void {
  if (vm.isClustered === true) b.warn('clustered-vm', 'warning', planText('clusteredVm', { vm: q(vm.name) }));
  if (vm.automaticCheckpointsEnabled === true)
    b.warn('automatic-checkpoints', 'warning', planText('automaticCheckpoints', { vm: q(vm.name) }));
}

/** The device plus the siblings that go along (when asked), and a warning when siblings stay. */
export function withSiblings(inv: Inventory, d: Device, includeSiblings: boolean | undefined, b: Builder): Device[] {
  const sibs = d.siblings.map((p) => findDevice(inv, p)).filter((x): x is Device => !!x && x !== d);
  const movable = sibs.filter((x) => x.owner.kind === d.owner.kind && x.locationPath !== null);
  if (sibs.length === 0) return [d];
  if (includeSiblings && movable.length > 0) return [d, ...movable];
  b.warn(
    'siblings',
    'info',
    planText(sibs.length === 1 ? 'siblingsStayOne' : 'siblingsStayMany', {
      name: name(d),
      siblings: list(sibs.map((x) => x.friendlyName)),
    }),
  );
  return [d];
}
