/** Revert: a device back to the host, from the VM that holds it or from no VM (dismounted). */
import { planText } from '../../../../shared/i18n/plan-messages';
import type { Vm } from '../../../../shared/inventory';
import type { Intent, LocalizedText } from '../../../../shared/plan';
import { actions } from '../../steps/actions';
import type { Ctx } from '../builder';
import { checkPool } from '../checks-device';
import { checkCanChange } from '../checks-host';
import { returnToHost } from '../host-device';
import { findDevice, findVm } from '../lookups';
import { name, q } from '../text';
import { ensureOff, startAgain } from '../vm-power';
import { restoreVm } from '../vm-settings';
import { notFoundDevice, vmNotFoundOrAmbiguous } from './not-found';

export function planRevert(c: Ctx, intent: Extract<Intent, { kind: 'revert' }>): LocalizedText {
  const { inv, b } = c;
  const d = findDevice(inv, intent.locationPath);
  if (!d) return (notFoundDevice(b, intent.locationPath), planText('titleReturnSome'));
  const title = planText('titleReturn', { name: name(d) });
  if (d.owner.kind === 'host') return (b.block('on-host', planText('onHost', { name: name(d) })), title);
  checkPool(d, b);
  checkCanChange(inv, b);
  let vm: Vm | undefined;
  let start = false;
  if (d.owner.kind === 'vm') {
    vm = findVm(inv, d.owner.vmName);
    if (!vm) return (vmNotFoundOrAmbiguous(b, inv, d.owner.vmName), title);
    start = ensureOff(vm, b, c.choices, c.opts);
    b.step(
      'remove-device',
      planText('stepRemove', { name: name(d), vm: q(vm.name) }),
      actions.remove(vm, d.locationPath!),
      actions.add(vm, d.locationPath!),
      { held: true },
    );
  }
  returnToHost(d, b);
  if (vm) {
    restoreVm(inv, vm, [d], c.remembered[vm.id], b, c.opts.rememberedVmSettingsLost);
    if (start) startAgain(vm, b, c.opts);
  }
  return title;
}
