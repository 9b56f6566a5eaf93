/**
 * Recovery of an operation the journal shows as unfinished (the app or PowerShell died mid-way).
 * The journal says what may have happened; the host, re-read before every step, says what did.
 *
 * ORDER-SENSITIVE: rollback undoes in reverse plan order, and only what is on the host (an undo of a
 * step whose effect is absent is skipped, e.g. no Mount of a device that is already mounted); the
 * in-flight step is treated as possibly done.
 */
import type { Inventory } from '../../shared/inventory';
import type { OperationOutcome, StepResult } from '../../shared/plan';
import type { ScriptRunner } from '../powershell/session-types';
import { executePlan, notRolledBack, undoSteps } from './executor';
import type { Journal } from './journal';
import type { OperationRecord, RecoverAction } from './journal-record';
import { recoveryRefusal } from './recovery-checks';

/** Raised, before anything runs, for an operation whose journal record recovery must not trust. */
export class RecoveryRefusedError extends Error {
  constructor(
    readonly operationId: string,
    reason: string,
  ) {
    super(`Operation ${operationId} is not recovered: ${reason} Nothing was run.`);
  }
}

/** Finishes or rolls back one unfinished operation; the outcome is journaled as its end. */
export async function recoverOperation(
  journal: Journal,
  rec: OperationRecord,
  runner: ScriptRunner,
  readInventory: () => Promise<Inventory>,
  action: RecoverAction,
  onStep?: (step: StepResult) => void,
): Promise<OperationOutcome> {
  // The record comes from a file a standard user can write: check it against the host as it is now
  // before anything runs, and run nothing when it is not what the planner could have made.
  const refusal = recoveryRefusal(rec, await readInventory());
  if (refusal) throw new RecoveryRefusedError(rec.op, refusal);
  if (action === 'finish' && rec.wholePlan)
    throw new RecoveryRefusedError(
      rec.op,
      'it ran as one request on the DDAStudio JEA endpoint, which runs no step alone, and what it did is unknown: roll it back (a step whose effect the host does not show is not undone), or read the host and plan again.',
    );
  const startedAt = new Date().toISOString();
  journal.append({ t: 'recover-start', op: rec.op, at: startedAt, action });
  const base = { journal, readInventory, idempotent: true, operationId: rec.op, ...(onStep ? { onStep } : {}) };
  if (action === 'finish') {
    const done = new Set(rec.done.filter((s) => !rec.undone.includes(s)));
    return executePlan(rec.plan, runner, { ...base, skip: done });
  }
  if (rec.wholePlan) return judgeWholePlan(journal, rec, readInventory, startedAt);
  const touched = rec.plan.steps.filter(
    (s) => (rec.done.includes(s.id) || s.id === rec.inFlight || s.id === rec.failed) && !rec.undone.includes(s.id),
  );
  const results = new Map<string, StepResult>(
    rec.plan.steps.map((s) => [
      s.id,
      { stepId: s.id, state: rec.undone.includes(s.id) ? 'undone' : rec.done.includes(s.id) ? 'done' : 'pending' },
    ]),
  );
  const allUndone = await undoSteps(runner, rec.op, touched, results, base);
  let left: string[] = [];
  try {
    left = notRolledBack(touched, await readInventory()).map((s) => s.id);
  } catch {
    left = allUndone ? [] : touched.map((s) => s.id);
  }
  const status = allUndone && left.length === 0 ? 'rolled-back' : 'rollback-failed';
  return endRollback(journal, rec, startedAt, status, left, {
    steps: [...results.values()],
    failedStepId: rec.failed ?? rec.inFlight,
    error: null,
  });
}

/** Journals a rollback's end (with the steps whose effect is left) and returns its outcome. */
function endRollback(
  journal: Journal,
  rec: OperationRecord,
  startedAt: string,
  status: OperationOutcome['status'],
  left: string[],
  rest: Pick<OperationOutcome, 'steps' | 'failedStepId' | 'error'>,
): OperationOutcome {
  const finishedAt = new Date().toISOString();
  journal.append({ t: 'op-end', op: rec.op, at: finishedAt, status, ...(left.length ? { notRolledBack: left } : {}) });
  return { operationId: rec.op, planId: rec.plan.id, status, ...rest, startedAt, finishedAt };
}

/**
 * A plan that ran as one request (the JEA endpoint) and left no step log: what it did is unknown, and
 * an effect the host shows now may be another operation's (the VM running again, the device another
 * VM's since). So nothing is undone here: the host is judged. Nothing of the plan left: rolled back.
 * Else rollback-failed, naming the steps whose effect is there, for the admin to plan the way back
 * (revert, enable the device, return orphans) and then recover again.
 */
async function judgeWholePlan(
  journal: Journal,
  rec: OperationRecord,
  readInventory: () => Promise<Inventory>,
  startedAt: string,
): Promise<OperationOutcome> {
  const steps = rec.plan.steps.filter((s) => !rec.undone.includes(s.id));
  const left = notRolledBack(steps, await readInventory()).map((s) => s.id);
  const status = left.length === 0 ? 'rolled-back' : 'rollback-failed';
  return endRollback(journal, rec, startedAt, status, left, {
    steps: rec.plan.steps.map((s) => ({ stepId: s.id, state: rec.undone.includes(s.id) ? 'undone' : 'pending' })),
    failedStepId: left[0] ?? null,
    error: left.length
      ? {
          kind: 'protocol',
          message:
            "This plan ran as one request on the DDAStudio JEA endpoint and its answer never came: nothing is undone from here, since what the host shows may be a later operation's. Plan the way back from the inventory (revert, enable the device, return orphans), then recover it again.",
        }
      : null,
  });
}
