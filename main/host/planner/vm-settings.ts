/** The VM settings an assignment needs (§3, §6), and putting them back when the VM holds no device any more. */
import { planText } from '../../../shared/i18n/plan-messages';
import type { Device, Inventory, Vm } from '../../../shared/inventory';
import { formatMB } from '../../../shared/mmio';
import { actions } from '../steps/actions';
import { RESTORING, type Builder, type RememberedVmSettings } from './builder';
import { heldBy } from './lookups';
import { flat, list, name, q } from './text';
import { sizeHighMmio, sizeLowMmio } from './vm-mmio';

const LINUX_LIKE =
  /linux|ubuntu|debian|centos|rhel|red hat|suse|fedora|alma|rocky|truenas|vyos|openwrt|freebsd|pfsense|opnsense/i;

/** The VM settings an assignment needs (§3, §6): stop action, cache types, MMIO, static memory. */
export function prepareVm(inv: Inventory, vm: Vm, willHold: Device[], b: Builder): void {
  const vmName = q(vm.name);
  if (vm.automaticStopAction === 'Save') {
    b.step(
      'set-vm-stop-action',
      planText('stepSetStopAction', { vm: vmName }),
      actions.setVm(vm, { AutomaticStopAction: 'TurnOff' }),
      actions.setVm(vm, { AutomaticStopAction: vm.automaticStopAction }),
      { automaticStopAction: vm.automaticStopAction },
    );
  }
  if (!vm.guestControlledCacheTypes) {
    b.step(
      'set-vm-cache-types',
      planText('stepSetCacheTypes', { vm: vmName }),
      actions.setVm(vm, { GuestControlledCacheTypes: true }),
      actions.setVm(vm, { GuestControlledCacheTypes: false }),
      { guestControlledCacheTypes: false },
    );
  }
  // Planned as 0 MB, a device's unknown need would leave the VM a gap too small without a word: the admin
  // acknowledges it, as an unknown address width.
  for (const d of willHold.filter((x) => x.mmioMB === null)) {
    b.need('unknown-mmio');
    b.warn('mmio-unknown', 'warning', planText('mmioUnknown', { name: name(d) }));
  }
  sizeLowMmio(vm, willHold, b);
  sizeHighMmio(inv, vm, willHold, b);
  if (vm.dynamicMemoryEnabled) {
    b.warn('dynamic-memory', 'warning', planText('dynamicMemory', { vm: vmName, memory: formatMB(vm.memoryStartup) }));
    b.step(
      'set-vm-memory',
      planText('stepSetMemory', { vm: vmName }),
      actions.setMemory(vm, false),
      actions.setMemory(vm, true),
      { dynamicMemoryEnabled: true },
    );
  }
  if (vm.guestOs && LINUX_LIKE.test(vm.guestOs))
    b.warn('linux-hv-pci', 'info', planText('linuxHvPci', { os: flat(vm.guestOs) }));
  if (vm.assignedDevices.some((a) => a.stale || a.duplicate))
    b.warn('vm-needs-repair', 'warning', planText('vmNeedsRepair', { vm: vmName }));
}

/** Puts back the settings an assignment changed, when the VM will hold no device after this plan. */
export function restoreVm(
  inv: Inventory,
  vm: Vm,
  leaving: Device[],
  remembered: RememberedVmSettings | undefined,
  b: Builder,
  lost?: string | null,
): void {
  const vmName = q(vm.name);
  if (!remembered) {
    if (lost) b.warn('vm-settings-lost', 'warning', planText('vmSettingsLost', { vm: vmName, why: flat(lost) }));
    return;
  }
  const remaining = heldBy(inv, vm).filter((x) => !leaving.includes(x));
  if (remaining.length > 0) {
    b.warn(
      'settings-kept',
      'info',
      planText('settingsKept', { vm: vmName, devices: list(remaining.map((x) => x.friendlyName)) }),
    );
    return;
  }
  const mark = { [RESTORING]: true } as const;
  const r = remembered;
  const onOff = (on: boolean) => planText(on ? 'on' : 'off');
  if (r.automaticStopAction !== undefined && r.automaticStopAction !== vm.automaticStopAction)
    b.step(
      'set-vm-stop-action',
      planText('stepRestoreStopAction', { vm: vmName, value: r.automaticStopAction }),
      actions.setVm(vm, { AutomaticStopAction: r.automaticStopAction }),
      actions.setVm(vm, { AutomaticStopAction: vm.automaticStopAction }),
      { automaticStopAction: vm.automaticStopAction, ...mark },
    );
  if (r.guestControlledCacheTypes !== undefined && r.guestControlledCacheTypes !== vm.guestControlledCacheTypes)
    b.step(
      'set-vm-cache-types',
      planText('stepRestoreCacheTypes', { vm: vmName, value: onOff(r.guestControlledCacheTypes) }),
      actions.setVm(vm, { GuestControlledCacheTypes: r.guestControlledCacheTypes }),
      actions.setVm(vm, { GuestControlledCacheTypes: vm.guestControlledCacheTypes }),
      { guestControlledCacheTypes: vm.guestControlledCacheTypes, ...mark },
    );
  // A gap changed since DDA Studio set it (raised for another adapter: GPU partitioning) is kept: putting
  // the original back would lower it under that adapter.
  const gaps = [
    {
      which: 'low',
      key: 'lowMemoryMappedIoSpace',
      param: 'LowMemoryMappedIoSpace',
      text: 'stepRestoreLowMmio',
      set: r.setLowMemoryMappedIoSpace,
    },
    {
      which: 'high',
      key: 'highMemoryMappedIoSpace',
      param: 'HighMemoryMappedIoSpace',
      text: 'stepRestoreHighMmio',
      set: r.setHighMemoryMappedIoSpace,
    },
  ] as const;
  for (const g of gaps) {
    const original = r[g.key];
    const now = vm[g.key];
    if (original === undefined || original === now) continue;
    if (g.set !== undefined && g.set !== now) {
      b.warn(
        'mmio-kept',
        'info',
        planText('mmioKept', { vm: vmName, which: planText(g.which), now: formatMB(now), set: formatMB(g.set) }),
      );
      continue;
    }
    b.step(
      'set-vm-mmio',
      planText(g.text, { vm: vmName, size: formatMB(original) }),
      actions.setVm(vm, { [g.param]: original }),
      actions.setVm(vm, { [g.param]: now }),
      { [g.key]: now, ...mark },
    );
  }
  if (r.dynamicMemoryEnabled !== undefined && r.dynamicMemoryEnabled !== vm.dynamicMemoryEnabled)
    b.step(
      'set-vm-memory',
      planText('stepRestoreMemory', { vm: vmName, value: onOff(r.dynamicMemoryEnabled) }),
      actions.setMemory(vm, r.dynamicMemoryEnabled),
      actions.setMemory(vm, vm.dynamicMemoryEnabled),
      { dynamicMemoryEnabled: vm.dynamicMemoryEnabled, ...mark },
    );
}
