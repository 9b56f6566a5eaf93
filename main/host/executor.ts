/**
 * The executor: runs a plan step by step through a ScriptRunner (one invoke per step), journaling
 * each step; if a step fails it runs the undo of the completed steps in reverse, re-reads the host
 * and checks that the rollback really put it back.
 *
 * ORDER-SENSITIVE: a step is journaled as started before it runs and as done only after it returned,
 * so after a crash the journal names every step that may have taken effect. Undo runs strictly in
 * reverse order of completion (mount before enable, remove before mount, ...).
 */
import { randomUUID } from 'node:crypto';
import type { Inventory } from '../../shared/inventory';
import {
  planIsRunnable,
  type OperationOutcome,
  type Plan,
  type PlanStep,
  type PsAction,
  type RawError,
  type StepResult,
} from '../../shared/plan';
import type { PsErrorInfo, ScriptRunner } from '../powershell/session-types';
import { effectLeft, stepEffect, undoNeeded } from './executor-effects';
import type { JournalRecord } from './journal-record';

/**
 * A dismount refused with the mitigation check on, which its consent could lift (op-dismount-device.ps1 decides from facts, never
 * from the host's localized message, and re-raises it with this error id).
 */
const DISMOUNT_REFUSED = /^DdaDismountRefused(,|$)/;

/** Stable error kinds the UI and CLI branch on (RawError.kind). */
export const errorKinds = {
  /** Dismount refused for lack of a vendor mitigation driver: ask for the skip-device-mitigations consent. */
  needsMitigationConsent: 'needs-mitigation-consent',
} as const;

/** The raw error as the admin sees it; `kind` is 'needs-mitigation-consent' when that consent is the fix. */
export function rawError(e: PsErrorInfo): RawError {
  return {
    message: e.message,
    ...(e.fullyQualifiedErrorId ? { fullyQualifiedErrorId: e.fullyQualifiedErrorId } : {}),
    ...(e.category ? { category: e.category } : {}),
    ...(e.command ? { command: e.command } : {}),
    ...(e.computerName ? { computerName: e.computerName } : {}),
    kind: DISMOUNT_REFUSED.test(e.fullyQualifiedErrorId ?? '') ? errorKinds.needsMitigationConsent : e.kind,
  };
}

/** Raised before anything runs when a plan is blocked or lacks a consent. */
export class PlanNotRunnableError extends Error {
  constructor(
    readonly code: 'refused' | 'needs-consent',
    message: string,
  ) {
    super(message);
  }
}

/** Where the executor writes its records (the Journal, or a test's array). */
export interface RecordSink {
  append(record: JournalRecord): void;
}

export interface ExecuteOptions {
  journal?: RecordSink;
  onStep?: (result: StepResult) => void;
  operationId?: string;
  /** Steps already done (recovery: finish from here). */
  skip?: ReadonlySet<string>;
  /** Re-reads the host: after a rollback (to verify it) and, when idempotent, before each step. */
  readInventory?: () => Promise<Inventory>;
  /** Receives the inventory read after a failure, so callers need not read it again. */
  onInventory?: (inventory: Inventory) => void;
  /** Recovery mode: skip a step whose effect is already on the host, an undo whose effect is gone. */
  idempotent?: boolean;
  /** Clock (tests). */
  now?: () => string;
}

const isoNow = () => new Date().toISOString();

/** How long op-dismount-device.ps1 waits for Hyper-V's dismount job ($jobWaitSec there). */
export const DISMOUNT_JOB_WAIT_SEC = 300;
/**
 * Steps that move a device (disable, dismount, mount, enable, add, remove). PowerShell killed at the
 * limit does not stop what Hyper-V or PnP is doing: the change may land after the rollback read the
 * host. So they get time to end on their own. No source gives their durations (seconds, usually).
 */
const DEVICE_STEP_MS = 300_000;
const deviceSteps = new Set([
  'op-disable-device',
  'op-enable-device',
  'op-mount-device',
  'op-add-device',
  'op-add-devices',
  'op-remove-device',
]);

/**
 * Per-step timeout: a shutdown may take its whole grace period, a dismount its job's whole wait, an
 * enable its wait for the device, a step that moves a device 5 minutes; everything else the session default.
 */
export function timeoutFor(action: PsAction): number | undefined {
  if (action.script === 'op-stop-vm') {
    // The grace period, then up to 30 s for the turn-off to show and 10 s for the shutdown job to end.
    const sec = typeof action.params.TimeoutSec === 'number' ? action.params.TimeoutSec : 120;
    return (sec + 120) * 1000;
  }
  // A VM with much static memory and a device to power on can take minutes to start.
  if (action.script === 'op-start-vm') return DEVICE_STEP_MS;
  // A dismount retried without the mitigation check may wait for two jobs.
  if (action.script === 'op-dismount-device')
    return ((action.params.RetryWithoutMitigations === true ? 2 : 1) * DISMOUNT_JOB_WAIT_SEC + 60) * 1000;
  if (
    (action.script === 'op-enable-device' || action.script === 'op-disable-device') &&
    typeof action.params.WaitSec === 'number'
  )
    return Math.max(DEVICE_STEP_MS, (action.params.WaitSec + 60) * 1000);
  if (deviceSteps.has(action.script)) return DEVICE_STEP_MS;
  return undefined;
}

async function invoke(runner: ScriptRunner, action: PsAction) {
  const timeoutMs = timeoutFor(action);
  return runner.invoke(action.script, action.params, timeoutMs ? { timeoutMs } : {});
}

async function readSafely(opts: ExecuteOptions): Promise<Inventory | null> {
  if (!opts.readInventory) return null;
  try {
    return await opts.readInventory();
  } catch {
    return null;
  }
}

/**
 * Undoes completed steps in reverse; returns whether every undo succeeded. In idempotent mode the
 * host is re-read before each undo and an undo whose effect is already gone is skipped.
 */
export async function undoSteps(
  runner: ScriptRunner,
  op: string,
  completed: PlanStep[],
  results: Map<string, StepResult>,
  opts: ExecuteOptions,
): Promise<boolean> {
  const now = opts.now ?? isoNow;
  let allUndone = true;
  for (const s of [...completed].reverse()) {
    if (!s.undo) continue;
    if (opts.idempotent) {
      const inv = await readSafely(opts);
      if (inv && !undoNeeded(s, inv)) {
        opts.journal?.append({ t: 'undo-skipped', op, at: now(), step: s.id, reason: 'effect not on the host' });
        const res: StepResult = { stepId: s.id, state: 'undone', durationMs: 0 };
        results.set(s.id, res);
        opts.onStep?.(res);
        continue;
      }
    }
    opts.journal?.append({ t: 'undo-start', op, at: now(), step: s.id, command: s.undo.command });
    opts.onStep?.({ stepId: s.id, state: 'undoing' });
    const t0 = performance.now();
    const r = await invoke(runner, s.undo);
    const ms = Math.round(performance.now() - t0);
    if (r.ok) {
      opts.journal?.append({ t: 'undo-done', op, at: now(), step: s.id, ms });
      const res: StepResult = { stepId: s.id, state: 'undone', durationMs: ms };
      results.set(s.id, res);
      opts.onStep?.(res);
    } else {
      allUndone = false;
      const error = rawError(r.error);
      opts.journal?.append({ t: 'undo-failed', op, at: now(), step: s.id, ms, error });
      const res: StepResult = { stepId: s.id, state: 'undo-failed', durationMs: ms, error };
      results.set(s.id, res);
      opts.onStep?.(res);
    }
  }
  return allUndone;
}

/**
 * Steps whose effect is still on the host after a rollback (empty = the host is back). A start of a
 * VM that an earlier step of the same plan stopped is not judged: undoing that stop starts it again.
 */
export function notRolledBack(completed: PlanStep[], inv: Inventory): PlanStep[] {
  const restartedBy = (s: PlanStep) =>
    s.kind === 'start-vm' &&
    completed.some((x) => x.kind === 'stop-vm' && x.undo !== null && x.action.params.VmId === s.action.params.VmId);
  return completed.filter((s) => s.undo !== null && !restartedBy(s) && effectLeft(s, inv) === true);
}

/**
 * The steps whose effect the host still shows after a rollback (notRolledBack), or, when the host could
 * not be read, every one of them with an undo: a rollback nobody could check is never reported done.
 */
export function leftOnHost(touched: PlanStep[], inv: Inventory | null): PlanStep[] {
  return inv ? notRolledBack(touched, inv) : touched.filter((s) => s.undo !== null);
}

/** Failures after which the step may have run to any point: PowerShell died or its connection broke. */
const INTERRUPTED = new Set<PsErrorInfo['kind']>(['timeout', 'crashed', 'connection']);

/**
 * The steps a rollback undoes after `step` failed: the completed ones, and the failed step itself when it
 * may have changed the host. An interrupted step may have (its undo then runs unless the host, re-read,
 * shows its effect gone). So may a step that failed with a PowerShell error: real cmdlets fail after the
 * change too (Dismount-VMHostAssignableDevice's dismount done but its new PCIP\ device not found yet; a
 * removal stopped halfway). Its undo runs unless the host, re-read, shows none of its effect ("cannot
 * tell" runs it). Never an undo that turns a VM off without the admin's turn-off-vm consent: a plan that
 * only starts a VM asks for none, and a VM that reads Running after a failed start may have been started
 * by someone else. Such a step stays for the final check to judge.
 */
async function stepsToUndo(
  plan: Plan,
  step: PlanStep,
  error: PsErrorInfo,
  completed: PlanStep[],
  opts: ExecuteOptions,
): Promise<{ steps: PlanStep[]; interrupted: boolean }> {
  const interrupted = INTERRUPTED.has(error.kind);
  const turnsOff = step.undo?.script === 'op-stop-vm';
  const mayUndo = step.undo !== null && (!turnsOff || plan.consents.some((c) => c.id === 'turn-off-vm' && c.given));
  if (!mayUndo) return { steps: completed, interrupted };
  if (interrupted) return { steps: [...completed, step], interrupted };
  const inv = await readSafely(opts);
  // A host that cannot be read cannot tell: the undo runs, checking first as after an interruption.
  if (inv === null) return { steps: [...completed, step], interrupted: true };
  const shown = effectLeft(step, inv) !== false;
  return { steps: shown ? [...completed, step] : completed, interrupted };
}

/** Runs a plan; never throws for a PowerShell failure (that is an outcome); throws PlanNotRunnableError. */
export async function executePlan(
  plan: Plan,
  runner: ScriptRunner,
  opts: ExecuteOptions = {},
): Promise<OperationOutcome> {
  if (plan.blocked) throw new PlanNotRunnableError('refused', plan.blocked.text.en);
  if (!planIsRunnable(plan)) {
    const missing = plan.consents.filter((c) => !c.given).map((c) => c.id);
    throw new PlanNotRunnableError(
      missing.length ? 'needs-consent' : 'refused',
      missing.length ? `The plan needs consent first: ${missing.join(', ')}.` : 'The plan has no steps.',
    );
  }
  const now = opts.now ?? isoNow;
  const op = opts.operationId ?? randomUUID();
  const startedAt = now();
  const results = new Map<string, StepResult>(
    plan.steps.map((s) => [s.id, { stepId: s.id, state: opts.skip?.has(s.id) ? 'done' : 'pending' }]),
  );
  if (!opts.skip) {
    const before: Record<string, unknown> = {};
    for (const s of plan.steps) if (s.replaces) before[s.id] = s.replaces;
    opts.journal?.append({ t: 'op-start', op, at: startedAt, plan, before });
  }
  const completed: PlanStep[] = plan.steps.filter((s) => opts.skip?.has(s.id));
  for (const step of plan.steps) {
    if (opts.skip?.has(step.id)) continue;
    if (opts.idempotent) {
      const inv = await readSafely(opts);
      if (inv && stepEffect(step, inv) === true) {
        opts.journal?.append({ t: 'step-skipped', op, at: now(), step: step.id, reason: 'already on the host' });
        const res: StepResult = { stepId: step.id, state: 'skipped', durationMs: 0 };
        results.set(step.id, res);
        opts.onStep?.(res);
        completed.push(step);
        continue;
      }
    }
    opts.journal?.append({ t: 'step-start', op, at: now(), step: step.id, command: step.action.command });
    opts.onStep?.({ stepId: step.id, state: 'running' });
    const t0 = performance.now();
    const r = await invoke(runner, step.action);
    const ms = Math.round(performance.now() - t0);
    if (r.ok) {
      opts.journal?.append({ t: 'step-done', op, at: now(), step: step.id, ms, output: r.value ?? null });
      const res: StepResult = { stepId: step.id, state: 'done', durationMs: ms };
      results.set(step.id, res);
      opts.onStep?.(res);
      completed.push(step);
      continue;
    }
    const error = rawError(r.error);
    opts.journal?.append({ t: 'step-failed', op, at: now(), step: step.id, ms, error });
    const failed: StepResult = { stepId: step.id, state: 'failed', durationMs: ms, error };
    results.set(step.id, failed);
    opts.onStep?.(failed);
    const toUndo = await stepsToUndo(plan, step, r.error, completed, opts);
    const undone = await undoSteps(runner, op, toUndo.steps, results, {
      ...opts,
      idempotent: opts.idempotent || toUndo.interrupted,
    });
    const inv = await readSafely(opts);
    if (inv) opts.onInventory?.(inv);
    // The failed step is judged too: an effect that shows only now (a host job that ended late) is not rolled back.
    const left = leftOnHost([...completed, step], inv);
    const status = undone && left.length === 0 ? 'rolled-back' : 'rollback-failed';
    if (results.get(step.id)?.state === 'undone') results.set(step.id, failed);
    opts.journal?.append({
      t: 'op-end',
      op,
      at: now(),
      status,
      failedStep: step.id,
      error,
      ...(left.length ? { notRolledBack: left.map((s) => s.id) } : {}),
    });
    return {
      operationId: op,
      planId: plan.id,
      status,
      steps: [...results.values()],
      failedStepId: step.id,
      error,
      startedAt,
      finishedAt: now(),
    };
  }
  opts.journal?.append({ t: 'op-end', op, at: now(), status: 'succeeded' });
  return {
    operationId: op,
    planId: plan.id,
    status: 'succeeded',
    steps: [...results.values()],
    failedStepId: null,
    error: null,
    startedAt,
    finishedAt: now(),
  };
}
