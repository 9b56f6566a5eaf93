/** Turning a VM off before its devices and settings change, and starting it again at the end. */
import { planText } from '../../../shared/i18n/plan-messages';
import type { Vm } from '../../../shared/inventory';
import type { LocalizedText, PlanChoices } from '../../../shared/plan';
import { actions } from '../steps/actions';
import { DEFAULT_SHUTDOWN_TIMEOUT_SEC, type Builder, type PlanOptions } from './builder';
import { q } from './text';

/** Turns a VM off first when it is not off (consent); returns whether to start it again at the end. */
export function ensureOff(vm: Vm, b: Builder, choices: PlanChoices, opts: PlanOptions): boolean {
  if (vm.state === 'Off') return false;
  if (vm.state !== 'Running' && vm.state !== 'Paused' && vm.state !== 'Saved') {
    b.block('vm-transitioning', planText('vmTransitioning', { vm: q(vm.name), state: vm.state }));
    return false;
  }
  if (vm.state === 'Saved') {
    // Settings of a saved VM cannot change until its saved state is gone. Remove-VMSavedState is the
    // documented way (cmdlet reference); whether TurnOff discards it is not documented, so it is not used.
    // Two saved VMs in one plan (a move): the consent's standard text, which names none of them.
    if (b.consents.has('discard-saved-state')) b.consents.set('discard-saved-state', null);
    else b.need('discard-saved-state', planText('discardSavedStateOf', { vm: q(vm.name) }));
    b.warn('saved-state-lost', 'danger', planText('savedStateLost', { vm: q(vm.name) }));
    b.step(
      'remove-saved-state',
      planText('stepRemoveSavedState', { vm: q(vm.name) }),
      actions.removeSavedState(vm),
      null,
      { state: 'Saved' },
    );
    return false;
  }
  b.need('turn-off-vm');
  b.warn('vm-not-off', 'warning', planText('vmNotOff', { vm: q(vm.name), state: vm.state }));
  const wasRunning = vm.state === 'Running';
  b.step(
    'stop-vm',
    planText('stepStopVm', { vm: q(vm.name) }),
    actions.stopVm(vm, opts.shutdownTimeoutSec ?? DEFAULT_SHUTDOWN_TIMEOUT_SEC),
    wasRunning ? actions.startVm(vm) : null,
    { state: vm.state },
  );
  if (wasRunning) b.offersStartVmAfter = true;
  return wasRunning && choices.startVmAfter;
}

/** Starts a VM at the end. Its undo turns it off again: a rollback must reach the earlier steps' undos with the VM off. */
export function startAgain(
  vm: Vm,
  b: Builder,
  opts: PlanOptions,
  description: LocalizedText = planText('stepStartVm', { vm: q(vm.name) }),
): void {
  b.step(
    'start-vm',
    description,
    actions.startVm(vm),
    actions.stopVm(vm, opts.shutdownTimeoutSec ?? DEFAULT_SHUTDOWN_TIMEOUT_SEC),
    { state: 'Off' },
  );
}
