/**
 * Every intent's planner, one file each. Adding an intent: its schema in shared/plan.ts (intentSchema),
 * its file here, and its line below (TypeScript insists on it); the step kinds its plans may hold go
 * into recovery-checks.ts (kindsOf).
 */
import type { Intent, LocalizedText } from '../../../../shared/plan';
import type { Ctx } from '../builder';
import { planAssign } from './assign';
import { planMove } from './move';
import { planRepair } from './repair';
import { planReturnOrphans } from './return-orphans';
import { planEnableDeviceIntent, planFitVmIntent, planRepointIntent } from './reconcile-fixes';
import { planRevert } from './revert';
import { planStart } from './start-vm';

type IntentPlanners = { [K in Intent['kind']]: (c: Ctx, intent: Extract<Intent, { kind: K }>) => LocalizedText };

export const intentPlanners: IntentPlanners = {
  assign: planAssign,
  revert: planRevert,
  move: planMove,
  repair: planRepair,
  'return-orphans': planReturnOrphans,
  repoint: planRepointIntent,
  'enable-device': planEnableDeviceIntent,
  'fit-vm': planFitVmIntent,
  'start-vm': planStart,
};

/** Plans an intent with its own planner. */
export function planIntent(c: Ctx, intent: Intent): LocalizedText {
  return (intentPlanners[intent.kind] as (c: Ctx, intent: Intent) => LocalizedText)(c, intent);
}
