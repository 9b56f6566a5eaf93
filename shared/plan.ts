/** Operations as data: an intent, the plan the planner makes of it, and what running it produced. */
import { z } from 'zod';

/** What the admin asked for. Location paths name devices; VM names name VMs. */
export const intentSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('assign'),
    locationPath: z.string().min(1).max(512),
    vmName: z.string().min(1).max(512),
    includeSiblings: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('revert'), locationPath: z.string().min(1).max(512) }),
  z.object({ kind: z.literal('move'), locationPath: z.string().min(1).max(512), toVm: z.string().min(1).max(512) }),
  z.object({ kind: z.literal('repair'), vmName: z.string().min(1).max(512) }),
  z.object({ kind: z.literal('return-orphans') }),
  // Reconcile fixes (issue 18): a VM entry re-pointed to its moved card, a device left disabled, VM settings fitted.
  z.object({
    kind: z.literal('repoint'),
    vmName: z.string().min(1).max(512),
    moves: z
      .array(z.object({ fromPath: z.string().min(1).max(512), toPath: z.string().min(1).max(512) }))
      .min(1)
      .max(32),
  }),
  z.object({ kind: z.literal('enable-device'), locationPath: z.string().min(1).max(512) }),
  z.object({ kind: z.literal('fit-vm'), vmName: z.string().min(1).max(512) }),
  z.object({ kind: z.literal('start-vm'), vmName: z.string().min(1).max(512) }),
]);
export type Intent = z.infer<typeof intentSchema>;

/** Text in both UI languages. */
export const localizedTextSchema = z.object({ en: z.string(), 'zh-CN': z.string() });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** Consents the admin gives explicitly; a plan lists which it needs. */
/**
 * force-insecure: dismount without ACS on the device's path (RequireAcsSupport off);
 * skip-device-mitigations: dismount without the vendor's mitigation driver (RequireDeviceMitigations off).
 * Dismount-VMHostAssignableDevice -Force drops both, so it is used only when both are given.
 */
export const consentIds = [
  'turn-off-vm',
  'discard-saved-state',
  'force-insecure',
  'skip-device-mitigations',
  'take-last-display',
  'take-host-lifeline',
  'unknown-address-width',
  'unknown-mmio',
] as const;
export const consentIdSchema = z.enum(consentIds);
export type ConsentId = z.infer<typeof consentIdSchema>;

/** The admin's choices for a plan: consents given and options picked. */
export const planChoicesSchema = z.object({
  consents: z.array(consentIdSchema).max(consentIds.length),
  /** Start the VM(s) again at the end, when they were running before. */
  startVmAfter: z.boolean(),
});
export type PlanChoices = z.infer<typeof planChoicesSchema>;

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** One PowerShell action: which of our scripts runs with which data, and the same as copy-paste text. */
export const psActionSchema = z.object({
  script: z.string(),
  params: z.record(z.string(), jsonValue),
  /** The exact PowerShell an admin can paste on the host (values as single-quoted literals). */
  command: z.string(),
});
export type PsAction = z.infer<typeof psActionSchema>;

export const stepKinds = [
  'stop-vm',
  'remove-saved-state',
  'disable-device',
  'dismount-device',
  'set-vm-stop-action',
  'set-vm-cache-types',
  'set-vm-mmio',
  'set-vm-memory',
  'add-device',
  'remove-device',
  'remove-all-devices',
  'mount-device',
  'enable-device',
  'start-vm',
] as const;
export const stepKindSchema = z.enum(stepKinds);
export type StepKind = z.infer<typeof stepKindSchema>;

export const planStepSchema = z.object({
  id: z.string(),
  kind: stepKindSchema,
  description: localizedTextSchema,
  action: psActionSchema,
  /** How to take this step back; null when nothing needs undoing. */
  undo: psActionSchema.nullable(),
  /** The values this step replaces, recorded so revert can restore them. */
  replaces: z.record(z.string(), jsonValue).optional(),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const planWarningSchema = z.object({
  code: z.string(),
  severity: z.enum(['info', 'warning', 'danger']),
  text: localizedTextSchema,
});
export type PlanWarning = z.infer<typeof planWarningSchema>;

export const planConsentSchema = z.object({
  id: consentIdSchema,
  /** What the admin agrees to, with the risk spelled out. */
  text: localizedTextSchema,
  given: z.boolean(),
});

export const planSchema = z.object({
  id: z.string(),
  intent: intentSchema,
  choices: planChoicesSchema,
  title: localizedTextSchema,
  computerName: z.string(),
  inventoryReadAt: z.string(),
  /** Why the plan cannot run at all (no consent can fix it); null when it can. */
  blocked: z.object({ code: z.string(), text: localizedTextSchema }).nullable(),
  /** Consents this plan needs; Run stays disabled until every one is given. */
  consents: z.array(planConsentSchema),
  /** Offered when a VM that was running is turned off: start it again at the end. */
  offersStartVmAfter: z.boolean(),
  steps: z.array(planStepSchema),
  warnings: z.array(planWarningSchema),
  /** The whole plan as one PowerShell script, runnable by hand. */
  script: z.string(),
});
export type Plan = z.infer<typeof planSchema>;

/** Whether a plan can run as it stands. */
export function planIsRunnable(plan: Plan): boolean {
  return plan.blocked === null && plan.consents.every((c) => c.given) && plan.steps.length > 0;
}

export const stepStateSchema = z.enum([
  'pending',
  'running',
  'done',
  'failed',
  'undoing',
  'undone',
  'undo-failed',
  'skipped',
]);
export type StepState = z.infer<typeof stepStateSchema>;

/** A PowerShell error as the admin sees it in the details pane. */
export const rawErrorSchema = z.object({
  message: z.string(),
  fullyQualifiedErrorId: z.string().optional(),
  category: z.string().optional(),
  command: z.string().optional(),
  kind: z.string().optional(),
  /** The remote host that raised it. */
  computerName: z.string().optional(),
});
export type RawError = z.infer<typeof rawErrorSchema>;

export const stepResultSchema = z.object({
  stepId: z.string(),
  state: stepStateSchema,
  durationMs: z.number().optional(),
  error: rawErrorSchema.optional(),
});
export type StepResult = z.infer<typeof stepResultSchema>;

/** The end of a run: done, failed and rolled back (or not entirely), with every step's result. */
export const operationOutcomeSchema = z.object({
  operationId: z.string(),
  planId: z.string(),
  status: z.enum(['succeeded', 'rolled-back', 'rollback-failed']),
  steps: z.array(stepResultSchema),
  failedStepId: z.string().nullable(),
  error: rawErrorSchema.nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
});
export type OperationOutcome = z.infer<typeof operationOutcomeSchema>;
