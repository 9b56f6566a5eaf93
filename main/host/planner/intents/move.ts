/** Move: a device from the VM that holds it straight to another VM (never through the host). */
import { planText } from '../../../../shared/i18n/plan-messages';
import type { Intent, LocalizedText } from '../../../../shared/plan';
import { warnDeviceClass } from '../../plan-reconcile';
import { actions } from '../../steps/actions';
import type { Ctx } from '../builder';
import { checkDeviceForVm, checkPool, checkVmLimits } from '../checks-device';
import { checkCanAssign } from '../checks-host';
import { findDevice, findVm, heldBy, holds } from '../lookups';
import { flat, name, q } from '../text';
import { ensureOff, startAgain } from '../vm-power';
import { prepareVm, restoreVm } from '../vm-settings';
import { notFoundDevice, vmNotFoundOrAmbiguous } from './not-found';

export function planMove(c: Ctx, intent: Extract<Intent, { kind: 'move' }>): LocalizedText {
  const { inv, b } = c;
  const d = findDevice(inv, intent.locationPath);
  const to = findVm(inv, intent.toVm);
  if (!d) return (notFoundDevice(b, intent.locationPath), planText('titleMoveSome'));
  if (!to) return (vmNotFoundOrAmbiguous(b, inv, intent.toVm), planText('titleMoveDevice', { name: name(d) }));
  if (d.owner.kind !== 'vm') return c.plan({ kind: 'assign', locationPath: intent.locationPath, vmName: intent.toVm });
  const title = planText('titleMove', { name: name(d), from: flat(d.owner.vmName), to: flat(to.name) });
  const from = findVm(inv, d.owner.vmName);
  if (!from) return (vmNotFoundOrAmbiguous(b, inv, d.owner.vmName), title);
  if (from === to || holds(to, d.locationPath!))
    return (b.block('already-assigned', planText('alreadyHeldMove', { vm: q(to.name), name: name(d) })), title);
  checkCanAssign(inv, b, [d]);
  checkPool(d, b);
  checkVmLimits(to, b);
  checkDeviceForVm(inv, d, b);
  warnDeviceClass(b, d, to);
  const startFrom = ensureOff(from, b, c.choices, c.opts);
  const startTo = ensureOff(to, b, c.choices, c.opts);
  b.step(
    'remove-device',
    planText('stepRemove', { name: name(d), vm: q(from.name) }),
    actions.remove(from, d.locationPath!),
    actions.add(from, d.locationPath!),
    { held: true },
  );
  restoreVm(inv, from, [d], c.remembered[from.id], b, c.opts.rememberedVmSettingsLost);
  prepareVm(inv, to, [...heldBy(inv, to), d], b);
  b.step(
    'add-device',
    planText('stepAdd', { name: name(d), vm: q(to.name) }),
    actions.add(to, d.locationPath!),
    actions.remove(to, d.locationPath!),
    { held: false },
  );
  if (startFrom) startAgain(from, b, c.opts);
  if (startTo) startAgain(to, b, c.opts);
  return title;
}
