/**
 * The executor: runs a plan step by step through the session, journaling each step; if a step fails
 * it runs the undo of the completed steps in reverse, so the host ends as it was.
 */
import { randomUUID } from 'node:crypto';
import type { OperationOutcome, Plan, PlanStep, RawError, StepResult } from '../../shared/plan';
import type { PsErrorInfo, ScriptRunner } from '../powershell/session-types';
import type { Journal } from './journal';

const now = () => new Date().toISOString();

/** The raw error as the admin sees it. */
export function rawError(e: PsErrorInfo): RawError {
  return {
    message: e.message,
    ...(e.fullyQualifiedErrorId ? { fullyQualifiedErrorId: e.fullyQualifiedErrorId } : {}),
    ...(e.category ? { category: e.category } : {}),
    ...(e.command ? { command: e.command } : {}),
    kind: /has not supplied any directives for securing this device/.test(e.message) ? 'needs-force' : e.kind,
  };
}

export interface ExecuteOptions {
  journal: Journal;
  onStep?: (result: StepResult) => void;
  operationId?: string;
  /** Steps already done (recovery: finish from here). */
  skip?: ReadonlySet<string>;
}

/** Undoes the given completed steps in reverse; returns whether every undo succeeded. */
export async function undoSteps(runner: ScriptRunner, op: string, steps: PlanStep[], results: Map<string, StepResult>, opts: ExecuteOptions): Promise<boolean> {
  let allUndone = true;
  for (const s of [...steps].reverse()) {
    if (!s.undo) continue;
    opts.journal.append({ t: 'undo-start', op, at: now(), step: s.id });
    opts.onStep?.({ stepId: s.id, state: 'undoing' });
    const t0 = performance.now();
    const r = await runner.invoke(s.undo.script, s.undo.params);
    if (r.ok) {
      opts.journal.append({ t: 'undo-done', op, at: now(), step: s.id, ms: performance.now() - t0 });
      const res: StepResult = { stepId: s.id, state: 'undone', durationMs: performance.now() - t0 };
      results.set(s.id, res);
      opts.onStep?.(res);
    } else {
      allUndone = false;
      const error = rawError(r.error);
      opts.journal.append({ t: 'undo-failed', op, at: now(), step: s.id, error });
      const res: StepResult = { stepId: s.id, state: 'undo-failed', error };
      results.set(s.id, res);
      opts.onStep?.(res);
    }
  }
  return allUndone;
}

/** Runs a plan; never throws for a PowerShell failure (that is an outcome). */
export async function executePlan(plan: Plan, runner: ScriptRunner, opts: ExecuteOptions): Promise<OperationOutcome> {
  const op = opts.operationId ?? randomUUID();
  const startedAt = now();
  const results = new Map<string, StepResult>(plan.steps.map((s) => [s.id, { stepId: s.id, state: opts.skip?.has(s.id) ? 'done' : 'pending' }]));
  if (!opts.skip) opts.journal.append({ t: 'op-start', op, at: startedAt, plan });
  const completed: PlanStep[] = plan.steps.filter((s) => opts.skip?.has(s.id));
  for (const step of plan.steps) {
    if (opts.skip?.has(step.id)) continue;
    opts.journal.append({ t: 'step-start', op, at: now(), step: step.id });
    opts.onStep?.({ stepId: step.id, state: 'running' });
    const t0 = performance.now();
    const r = await runner.invoke(step.action.script, step.action.params);
    const ms = performance.now() - t0;
    if (r.ok) {
      opts.journal.append({ t: 'step-done', op, at: now(), step: step.id, ms });
      const res: StepResult = { stepId: step.id, state: 'done', durationMs: ms };
      results.set(step.id, res);
      opts.onStep?.(res);
      completed.push(step);
      continue;
    }
    const error = rawError(r.error);
    opts.journal.append({ t: 'step-failed', op, at: now(), step: step.id, ms, error });
    const failed: StepResult = { stepId: step.id, state: 'failed', durationMs: ms, error };
    results.set(step.id, failed);
    opts.onStep?.(failed);
    const undone = await undoSteps(runner, op, completed, results, opts);
    const status = undone ? 'rolled-back' : 'rollback-failed';
    opts.journal.append({ t: 'op-end', op, at: now(), status, error });
    return { operationId: op, planId: plan.id, status, steps: [...results.values()], failedStepId: step.id, error, startedAt, finishedAt: now() };
  }
  opts.journal.append({ t: 'op-end', op, at: now(), status: 'succeeded' });
  return { operationId: op, planId: plan.id, status: 'succeeded', steps: [...results.values()], failedStepId: null, error: null, startedAt, finishedAt: now() };
}
