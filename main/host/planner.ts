/**
 * The planner: an intent + the current inventory -> a Plan of ordered steps, each with the step script
 * it runs, its data and the call shown for them (steps/), and its undo, plus the warnings and consents it
 * needs. Pure apart from reading our own step scripts' text for the export; tested directly.
 * Rules from docs hyperv-dda.md §2-§7, in planner/: checks-*.ts (the safety rules), vm-*.ts and
 * host-device.ts (the steps they lead to), intents/ (one file per intent), render-script.ts (the .ps1).
 * Texts: shared/i18n/plan-messages.ts. Every value reaches command text only through ps-literal.
 */
import { consentMessages } from '../../shared/i18n/plan-messages';
import type { Inventory } from '../../shared/inventory';
import type { Intent, LocalizedText, Plan, PlanChoices } from '../../shared/plan';
import { Builder, type Ctx, type PlanOptions } from './planner/builder';
import { planIntent } from './planner/intents';
import { renderScript } from './planner/render-script';

export {
  DEFAULT_SHUTDOWN_TIMEOUT_SEC,
  RESTORING,
  type PlanOptions,
  type RememberedVmSettings,
} from './planner/builder';
export { lifelineDecision } from './planner/checks-lifelines';
export { vmSettingsEffects } from './planner/settings-effects';
export { flat } from './planner/text';
export { actions, PUT_BACK, type DismountChecks } from './steps/actions';

/** Makes the plan for an intent against an inventory (pure). */
export function planOperation(intent: Intent, inventory: Inventory, choices: PlanChoices, opts: PlanOptions): Plan {
  const b = new Builder();
  const c: Ctx = {
    inv: inventory,
    choices,
    b,
    opts,
    remembered: opts.rememberedVmSettings ?? {},
    plan: (i) => planIntent(c, i),
  };
  const title: LocalizedText = planIntent(c, intent);
  const consents = [...b.consents].map(([id, text]) => ({
    id,
    text: text ?? consentMessages[id],
    given: choices.consents.includes(id),
  }));
  const steps = b.blocked ? [] : b.steps;
  return {
    id: opts.planId,
    intent,
    choices,
    title,
    computerName: inventory.host.computerName,
    inventoryReadAt: inventory.readAt,
    blocked: b.blocked,
    consents: b.blocked ? [] : consents,
    offersStartVmAfter: !b.blocked && b.offersStartVmAfter,
    steps,
    warnings: b.warnings,
    script: renderScript(title, inventory, steps, choices, opts),
  };
}
