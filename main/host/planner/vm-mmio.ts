/** Sizing a VM's MMIO gaps for the devices it will hold (§6), against the CPU's address limit. */
import { planText } from '../../../shared/i18n/plan-messages';
import type { Device, Inventory, Vm } from '../../../shared/inventory';
import {
  DEFAULT_HIGH_MMIO_BASE,
  formatMB,
  highMmioRoom,
  MAX_LOW_MMIO,
  MIN_ADDRESS_BITS,
  requiredMmio,
} from '../../../shared/mmio';
import { actions } from '../steps/actions';
import type { Builder } from './builder';
import { q } from './text';

/** Low MMIO (§6): the devices' ranges below 4 GiB + 128 MB, raised never lowered, within Set-VM's 128..3584 MB. */
export function sizeLowMmio(vm: Vm, willHold: Device[], b: Builder): void {
  const required = requiredMmio(willHold).low;
  if (required > MAX_LOW_MMIO) {
    b.block(
      'low-mmio-too-large',
      planText('lowMmioTooLarge', { vm: q(vm.name), required: formatMB(required), max: formatMB(MAX_LOW_MMIO) }),
    );
    return;
  }
  if (required <= vm.lowMemoryMappedIoSpace) return;
  b.step(
    'set-vm-mmio',
    planText('stepRaiseLowMmio', { vm: q(vm.name), size: formatMB(required) }),
    actions.setVm(vm, { LowMemoryMappedIoSpace: required }),
    actions.setVm(vm, { LowMemoryMappedIoSpace: vm.lowMemoryMappedIoSpace }),
    { lowMemoryMappedIoSpace: vm.lowMemoryMappedIoSpace },
  );
}

/**
 * High MMIO (§6): every device's need in the high gap (Device.mmioHighMB: its ranges above 4 GiB, and its
 * 64-bit BARs below it) + 512 MB, raised never lowered. What must fit below the CPU's address
 * limit is the whole gap, base + size; the plan says how much room is left. The base is the VM's own when
 * the host reports it, else the default the public reports show (DEFAULT_HIGH_MMIO_BASE, a labelled guess).
 * An unknown address width (Windows PowerShell 5.1) is never a silent note: a gap that would not fit on the
 * narrowest CPU needs the admin's acknowledgement.
 */
export function sizeHighMmio(inv: Inventory, vm: Vm, willHold: Device[], b: Builder): void {
  const required = requiredMmio(willHold).high;
  const target = Math.max(vm.highMemoryMappedIoSpace, required);
  const base = vm.highMemoryMappedIoBase;
  const baseText =
    base === null
      ? planText('highMmioDefaultBase', { base: formatMB(DEFAULT_HIGH_MMIO_BASE) })
      : planText('highMmioBase', { base: formatMB(base) });
  const bits = inv.host.physicalAddressBits;
  if (bits !== null) {
    const room = highMmioRoom(bits, base, target);
    if (room < 0) {
      b.block(
        'mmio-above-limit',
        planText('mmioAboveLimit', {
          vm: q(vm.name),
          target: formatMB(target),
          base: baseText,
          over: formatMB(-room),
          bits,
          limit: formatMB(2 ** bits),
        }),
      );
      return;
    }
    if (target > vm.highMemoryMappedIoSpace)
      b.warn(
        'mmio-room',
        'info',
        planText('mmioRoom', { target: formatMB(target), base: baseText, room: formatMB(room), bits }),
      );
  } else if (highMmioRoom(MIN_ADDRESS_BITS, base, target) < 0) {
    b.need('unknown-address-width');
    b.warn(
      'address-bits-unknown',
      'warning',
      planText('addressBitsUnknown', {
        vm: q(vm.name),
        target: formatMB(target),
        base: baseText,
        bits: MIN_ADDRESS_BITS,
      }),
    );
  }
  if (target > vm.highMemoryMappedIoSpace) {
    b.warn(
      'mmio-raise',
      'info',
      planText('mmioRaise', { vm: q(vm.name), from: formatMB(vm.highMemoryMappedIoSpace), to: formatMB(target) }),
    );
    b.step(
      'set-vm-mmio',
      planText('stepRaiseHighMmio', { vm: q(vm.name), size: formatMB(target) }),
      actions.setVm(vm, { HighMemoryMappedIoSpace: target }),
      actions.setVm(vm, { HighMemoryMappedIoSpace: vm.highMemoryMappedIoSpace }),
      { highMemoryMappedIoSpace: vm.highMemoryMappedIoSpace },
    );
  }
}
