/**
 * The reconcile fixes (issue 18: re-point a VM entry to its moved card, enable a device left disabled,
 * fit a VM's settings to its devices), planned in host/plan-reconcile.ts on the planner's own building
 * blocks, handed over here as a kit.
 */
import type { Intent, LocalizedText } from '../../../../shared/plan';
import { planEnableDevice, planFitVm, planRepoint, type PlannerKit } from '../../plan-reconcile';
import { actions } from '../../steps/actions';
import type { Builder, Ctx, PlanOptions } from '../builder';
import { checkDeviceForVm, checkPool, checkVmLimits } from '../checks-device';
import { checkCanAssign, checkCanChange } from '../checks-host';
import { takeFromHost } from '../host-device';
import { ensureOff, startAgain } from '../vm-power';
import { prepareVm } from '../vm-settings';

const kit: PlannerKit<Builder, PlanOptions> = {
  actions,
  checkCanChange,
  checkCanAssign,
  checkDeviceForVm,
  checkPool,
  checkVmLimits,
  ensureOff,
  startAgain,
  takeFromHost,
  prepareVm,
};

export const planRepointIntent = (c: Ctx, intent: Extract<Intent, { kind: 'repoint' }>): LocalizedText =>
  planRepoint(c, kit, intent);
export const planEnableDeviceIntent = (c: Ctx, intent: Extract<Intent, { kind: 'enable-device' }>): LocalizedText =>
  planEnableDevice(c, kit, intent);
export const planFitVmIntent = (c: Ctx, intent: Extract<Intent, { kind: 'fit-vm' }>): LocalizedText =>
  planFitVm(c, kit, intent);
