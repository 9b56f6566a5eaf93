/** Assign: a device (and, when asked, its siblings) from the host to a VM; from another VM it is a move. */
import { planText } from '../../../../shared/i18n/plan-messages';
import type { Intent, LocalizedText } from '../../../../shared/plan';
import { warnDeviceClass } from '../../plan-reconcile';
import { actions } from '../../steps/actions';
import type { Ctx } from '../builder';
import { checkDeviceForVm, checkPool, checkVmLimits, withSiblings } from '../checks-device';
import { checkCanAssign } from '../checks-host';
import { takeFromHost } from '../host-device';
import { findDevice, findVm, heldBy, holds } from '../lookups';
import { flat, name, q } from '../text';
import { ensureOff, startAgain } from '../vm-power';
import { prepareVm } from '../vm-settings';
import { notFoundDevice, vmNotFoundOrAmbiguous } from './not-found';

export function planAssign(c: Ctx, intent: Extract<Intent, { kind: 'assign' }>): LocalizedText {
  const { inv, b } = c;
  const d = findDevice(inv, intent.locationPath);
  const vm = findVm(inv, intent.vmName);
  if (!d) return (notFoundDevice(b, intent.locationPath), planText('titleAssignSome'));
  if (!vm) return (vmNotFoundOrAmbiguous(b, inv, intent.vmName), planText('titleAssignDevice', { name: name(d) }));
  const title = planText('titleAssign', { name: name(d), vm: flat(vm.name) });
  if (holds(vm, d.locationPath!)) {
    b.block('already-assigned', planText('alreadyHeldAssign', { vm: q(vm.name), name: name(d) }));
    return title;
  }
  if (d.owner.kind === 'vm') {
    // Another VM holds it: an assign is a move (never through the host).
    b.warn(
      'assign-is-move',
      'info',
      planText('assignIsMove', { name: name(d), from: q(d.owner.vmName), to: q(vm.name) }),
    );
    c.plan({ kind: 'move', locationPath: intent.locationPath, toVm: intent.vmName });
    return planText('titleMove', { name: name(d), from: flat(d.owner.vmName), to: flat(vm.name) });
  }
  const devices = withSiblings(inv, d, intent.includeSiblings, b);
  checkCanAssign(inv, b, devices);
  for (const x of devices) checkPool(x, b);
  checkVmLimits(vm, b);
  for (const x of devices) checkDeviceForVm(inv, x, b);
  for (const x of devices) warnDeviceClass(b, x, vm);
  const start = ensureOff(vm, b, c.choices, c.opts);
  for (const x of devices) takeFromHost(x, b, c.choices, c.opts);
  prepareVm(inv, vm, [...heldBy(inv, vm), ...devices], b);
  for (const x of devices)
    b.step(
      'add-device',
      planText('stepAdd', { name: name(x), vm: q(vm.name) }),
      actions.add(vm, x.locationPath!),
      actions.remove(vm, x.locationPath!),
      { held: false },
    );
  if (start) startAgain(vm, b, c.opts);
  return title;
}
