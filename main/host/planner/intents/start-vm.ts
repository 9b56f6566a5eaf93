/** Start: a VM that is off is started (the outcome's "Start <VM>" after a run that left it off). */
import { planText } from '../../../../shared/i18n/plan-messages';
import type { Intent, LocalizedText } from '../../../../shared/plan';
import type { Ctx } from '../builder';
import { checkCanChange } from '../checks-host';
import { findVm } from '../lookups';
import { flat, q } from '../text';
import { startAgain } from '../vm-power';
import { vmNotFoundOrAmbiguous } from './not-found';

export function planStart(c: Ctx, intent: Extract<Intent, { kind: 'start-vm' }>): LocalizedText {
  const { inv, b } = c;
  const vm = findVm(inv, intent.vmName);
  if (!vm) return (vmNotFoundOrAmbiguous(b, inv, intent.vmName), planText('titleStartSome'));
  const title = planText('titleStart', { vm: flat(vm.name) });
  const vmName = q(vm.name);
  // A saved VM would resume its saved state: that is not a start this dialog offers.
  if (vm.state === 'Saved') return (b.block('vm-saved', planText('startSaved', { vm: vmName })), title);
  if (vm.state === 'Running') return (b.block('vm-running', planText('startAlreadyRunning', { vm: vmName })), title);
  if (vm.state !== 'Off')
    return (b.block('vm-not-off', planText('startNotOff', { vm: vmName, state: vm.state })), title);
  checkCanChange(inv, b);
  // The same step as every other plan's last one (its undo turns the VM off again), described as a start.
  startAgain(vm, b, c.opts, planText('stepStartVmNow', { vm: vmName }));
  return title;
}
