/**
 * Runs a plan on the DDAStudio.Host JEA endpoint. The client plans as for every host (host/planner.ts)
 * and sends the endpoint the whole plan in ONE request (`host-plan`, forwarded by use-remote.ps1 as
 * Invoke-DdaHostPlan -RequestJson); the endpoint reads the host again, refuses what its own checks refuse
 * (DDAStudio.Host.Plan.ps1) and runs the steps with rollback there. This writes the same journal records
 * and step events as the step-by-step executor, from the step log the endpoint returns, and verifies a
 * rollback by reading the host as the executor does.
 *
 * ORDER-SENSITIVE: op-start is journaled before the request; when the request's outcome is unknown
 * (lost connection, timeout) no op-end is written, so the operation stays unfinished for recovery.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Inventory } from '../../shared/inventory';
import { planIsRunnable, type OperationOutcome, type Plan, type PlanStep, type StepResult } from '../../shared/plan';
import type { PsErrorInfo, ScriptRunner } from '../powershell/session-types';
import { leftOnHost, PlanNotRunnableError, rawError, timeoutFor, type ExecuteOptions } from '../host/executor';

/** The request's name (main/powershell/scripts/host-plan.ps1). */
export const HOST_PLAN_REQUEST = 'host-plan';
/** The endpoint refused before anything ran: its checks, a malformed request, a host or a role policy it could not read. */
const REFUSED = /^(PlanRefused|PlanMalformed|HostUnreadable|PolicyUnreadable),DDAStudio\.Host$/;
/** A step's allowance when the planner gives it none (the session's default per call). */
const STEP_MS = 120_000;
/** The endpoint reads the host before it runs anything, and again after a step fails (to judge its effect). */
const HOST_READ_MS = 120_000;

const errorKinds = ['powershell', 'timeout', 'crashed', 'not-started', 'protocol', 'connection'] as const;
const errorSchema = z
  .object({
    kind: z.string().optional(),
    message: z.string().max(20_000),
    fullyQualifiedErrorId: z.string().max(2000).optional(),
    category: z.string().max(200).optional(),
    command: z.string().max(2000).optional(),
  })
  .transform((e): PsErrorInfo => ({
    ...e,
    kind: (errorKinds as readonly string[]).includes(e.kind ?? '') ? (e.kind as PsErrorInfo['kind']) : 'powershell',
  }));
const stepLogSchema = z.object({
  status: z.enum(['succeeded', 'rolled-back', 'rollback-failed']),
  failedStepId: z.string().nullable(),
  error: errorSchema.nullable().optional(),
  log: z.array(
    z.object({
      stepId: z.string(),
      phase: z.enum(['step', 'undo']),
      ok: z.boolean(),
      ms: z.number().nonnegative(),
      error: errorSchema.nullable().optional(),
      output: z.unknown().optional(),
    }),
  ),
});

/** The request's limit: every step and its undo, plus the endpoint's own two reads of the host. */
export function hostPlanTimeoutMs(plan: Plan): number {
  const of = (s: PlanStep) => (timeoutFor(s.action) ?? STEP_MS) + (s.undo ? (timeoutFor(s.undo) ?? STEP_MS) : 0);
  return 2 * HOST_READ_MS + plan.steps.reduce((sum, s) => sum + of(s), 0);
}

async function readSafely(opts: ExecuteOptions): Promise<Inventory | null> {
  try {
    return opts.readInventory ? await opts.readInventory() : null;
  } catch {
    return null;
  }
}

/** executePlan's contract (throws PlanNotRunnableError; a failed step is an outcome) over the JEA endpoint. */
export async function executePlanOnEndpoint(
  plan: Plan,
  runner: ScriptRunner,
  opts: ExecuteOptions = {},
): Promise<OperationOutcome> {
  if (plan.blocked) throw new PlanNotRunnableError('refused', plan.blocked.text.en);
  if (!planIsRunnable(plan))
    throw new PlanNotRunnableError('needs-consent', 'The plan needs consent first, or has no steps.');
  if (opts.skip?.size) throw new PlanNotRunnableError('refused', 'The DDAStudio.Host endpoint runs whole plans only.');
  const now = opts.now ?? (() => new Date().toISOString());
  const op = opts.operationId ?? randomUUID();
  const startedAt = now();
  const before: Record<string, unknown> = {};
  for (const s of plan.steps) if (s.replaces) before[s.id] = s.replaces;
  opts.journal?.append({ t: 'op-start', op, at: startedAt, plan, before, wholePlan: true });
  const results = new Map<string, StepResult>(plan.steps.map((s) => [s.id, { stepId: s.id, state: 'pending' }]));
  const first = plan.steps[0]!;
  opts.onStep?.({ stepId: first.id, state: 'running' });
  const r = await runner.invoke<unknown>(HOST_PLAN_REQUEST, { Plan: plan }, { timeoutMs: hostPlanTimeoutMs(plan) });
  const outcome = (
    status: OperationOutcome['status'],
    failedStepId: string | null,
    error: OperationOutcome['error'],
  ): OperationOutcome => ({
    operationId: op,
    planId: plan.id,
    status,
    steps: [...results.values()],
    failedStepId,
    error,
    startedAt,
    finishedAt: now(),
  });
  if (!r.ok && REFUSED.test(r.error.fullyQualifiedErrorId ?? '')) {
    // Nothing ran: the operation ends here, and the refusal is the caller's answer.
    opts.journal?.append({ t: 'op-end', op, at: now(), status: 'rolled-back', error: rawError(r.error) });
    results.set(first.id, { stepId: first.id, state: 'pending' });
    opts.onStep?.({ stepId: first.id, state: 'pending' });
    throw new PlanNotRunnableError('refused', r.error.message);
  }
  const parsed = r.ok ? stepLogSchema.safeParse(r.value) : null;
  if (!parsed?.success) {
    // What ran on the host is unknown: no op-end, so the journal keeps it unfinished for recovery.
    const error = r.ok
      ? { message: 'The DDAStudio.Host endpoint returned no step log for the plan.', kind: 'protocol' }
      : rawError(r.error);
    const inv = await readSafely(opts);
    if (inv) opts.onInventory?.(inv);
    results.set(first.id, { stepId: first.id, state: 'failed', error });
    opts.onStep?.({ stepId: first.id, state: 'failed', error });
    return outcome('rollback-failed', first.id, error);
  }
  const done: PlanStep[] = [];
  let failedResult: StepResult | null = null;
  for (const e of parsed.data.log) {
    const step = plan.steps.find((s) => s.id === e.stepId);
    if (!step) continue;
    const error = e.error ? rawError(e.error) : undefined;
    const at = now();
    if (e.phase === 'step') {
      opts.journal?.append({ t: 'step-start', op, at, step: step.id, command: step.action.command });
      if (e.ok) done.push(step);
      opts.journal?.append(
        e.ok
          ? { t: 'step-done', op, at, step: step.id, ms: e.ms, output: e.output ?? null }
          : { t: 'step-failed', op, at, step: step.id, ms: e.ms, error: error ?? { message: 'failed' } },
      );
    } else {
      opts.journal?.append({ t: 'undo-start', op, at, step: step.id, command: step.undo?.command });
      opts.journal?.append(
        e.ok
          ? { t: 'undo-done', op, at, step: step.id, ms: e.ms }
          : { t: 'undo-failed', op, at, step: step.id, ms: e.ms, error: error ?? { message: 'failed' } },
      );
    }
    const state: StepResult['state'] =
      e.phase === 'step' ? (e.ok ? 'done' : 'failed') : e.ok ? 'undone' : 'undo-failed';
    const res: StepResult = { stepId: step.id, state, durationMs: e.ms, ...(error ? { error } : {}) };
    if (state === 'failed') failedResult = res;
    results.set(step.id, res);
    opts.onStep?.(res);
  }
  const { status: hostStatus, failedStepId } = parsed.data;
  // The failed step stays failed in the outcome when the endpoint undid it too (as the executor has it).
  if (failedStepId && failedResult && results.get(failedStepId)?.state === 'undone')
    results.set(failedStepId, failedResult);
  const error = parsed.data.error ? rawError(parsed.data.error) : null;
  if (hostStatus === 'succeeded') {
    opts.journal?.append({ t: 'op-end', op, at: now(), status: 'succeeded' });
    return outcome('succeeded', null, null);
  }
  // The endpoint rolled back; the host, read again, says whether it really is back, the failed step's
  // effect included (the endpoint undid it only when its own read showed it).
  const inv = await readSafely(opts);
  if (inv) opts.onInventory?.(inv);
  const failed = plan.steps.find((s) => s.id === failedStepId);
  const left = leftOnHost(failed ? [...done, failed] : done, inv);
  const status = hostStatus === 'rolled-back' && left.length === 0 ? 'rolled-back' : 'rollback-failed';
  opts.journal?.append({
    t: 'op-end',
    op,
    at: now(),
    status,
    ...(failedStepId ? { failedStep: failedStepId } : {}),
    error,
    ...(left.length ? { notRolledBack: left.map((s) => s.id) } : {}),
  });
  return outcome(status, failedStepId, error);
}
