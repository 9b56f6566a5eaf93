/**
 * The operations service: plans intents against a fresh inventory, keeps recent plans by id, runs a
 * plan only if re-planning against the host as it is now gives the same steps, one operation at a time
 * per device and VM, journals everything, and finishes or rolls back interrupted operations.
 */
import { randomUUID } from 'node:crypto';
import type { Inventory } from '../../shared/inventory';
import { planIsRunnable, type Intent, type OperationOutcome, type Plan, type PlanChoices, type StepResult } from '../../shared/plan';
import { fail, ok, type Result } from '../../shared/result';
import type { ScriptRunner } from '../powershell/session-types';
import { executePlan, undoSteps } from './executor';
import type { Journal, OperationRecord } from './journal';
import { BusyError, ObjectLocks } from './locks';
import { planOperation, replacedVmSettings } from './planner';

const MAX_PLANS = 50;

export interface OperationsDeps {
  runner: ScriptRunner;
  journal: Journal;
  readInventory: () => Promise<Inventory>;
  onStep?: (operationId: string, planId: string, step: StepResult) => void;
}

/** Plans, runs and recovers operations on one host. */
export class Operations {
  private readonly plans = new Map<string, Plan>();
  private readonly locks = new ObjectLocks();

  constructor(private readonly deps: OperationsDeps) {}

  /** Plans an intent against the host as it is now. */
  async plan(intent: Intent, choices: PlanChoices): Promise<Plan> {
    const inventory = await this.deps.readInventory();
    const plan = planOperation(intent, inventory, choices, { planId: randomUUID(), vmOriginals: this.deps.journal.vmOriginals() });
    this.plans.set(plan.id, plan);
    while (this.plans.size > MAX_PLANS) this.plans.delete(this.plans.keys().next().value as string);
    return plan;
  }

  /** A plan made earlier, by id. */
  get(planId: string): Plan | undefined {
    return this.plans.get(planId);
  }

  /** Runs a plan made earlier, if the host has not changed under it. */
  async run(planId: string): Promise<Result<OperationOutcome>> {
    const plan = this.plans.get(planId);
    if (!plan) return fail('not-found', 'That plan is unknown or too old; plan the operation again.');
    if (plan.blocked) return fail('refused', plan.blocked.text.en);
    if (!planIsRunnable(plan)) return fail('refused', `The plan needs consent first: ${plan.consents.filter((c) => !c.given).map((c) => c.id).join(', ')}.`);
    let release: () => void;
    try {
      release = this.locks.acquire(lockKeys(plan), plan.title.en);
    } catch (e) {
      if (e instanceof BusyError) return fail('busy', e.message);
      throw e;
    }
    try {
      const fresh = planOperation(plan.intent, await this.deps.readInventory(), plan.choices, { planId: plan.id, vmOriginals: this.deps.journal.vmOriginals() });
      const same = JSON.stringify(fresh.steps.map((s) => s.action)) === JSON.stringify(plan.steps.map((s) => s.action));
      if (!same) return fail('stale-plan', 'The host changed since this plan was made; review the new plan before running it.');
      const operationId = randomUUID();
      const outcome = await executePlan(plan, this.deps.runner, {
        journal: this.deps.journal,
        operationId,
        onStep: (s) => this.deps.onStep?.(operationId, plan.id, s),
      });
      if (outcome.status === 'succeeded') this.rememberSettings(plan);
      this.plans.delete(plan.id);
      return ok(outcome);
    } finally {
      release();
    }
  }

  /** Operations the journal shows as started and never ended. */
  unfinished(): OperationRecord[] {
    return this.deps.journal.unfinished();
  }

  /**
   * Brings an interrupted operation to a consistent end. Rollback undoes the completed steps and the
   * one in flight (its effect is unknown; an undo of something that did not happen fails harmlessly
   * and is reported). Finish runs the remaining steps, the one in flight again; if that fails, it rolls back.
   */
  async recover(operationId: string, action: 'finish' | 'rollback'): Promise<Result<OperationOutcome>> {
    const rec = this.unfinished().find((o) => o.op === operationId);
    if (!rec) return fail('not-found', 'No unfinished operation with that id.');
    const journal = this.deps.journal;
    const startedAt = new Date().toISOString();
    if (action === 'finish') {
      const outcome = await executePlan(rec.plan, this.deps.runner, { journal, operationId: rec.op, skip: new Set(rec.done), onStep: (s) => this.deps.onStep?.(rec.op, rec.plan.id, s) });
      if (outcome.status === 'succeeded') this.rememberSettings(rec.plan);
      return ok(outcome);
    }
    const touched = rec.plan.steps.filter((s) => (rec.done.includes(s.id) || s.id === rec.inFlight) && !rec.undone.includes(s.id));
    const results = new Map<string, StepResult>(rec.plan.steps.map((s) => [s.id, { stepId: s.id, state: 'pending' }]));
    const all = await undoSteps(this.deps.runner, rec.op, touched, results, { journal, onStep: (s) => this.deps.onStep?.(rec.op, rec.plan.id, s) });
    // The in-flight step's undo may fail only because the step never happened: judge by the host now.
    const inFlightOnlyFailure = [...results.values()].every((r) => r.state !== 'undo-failed' || r.stepId === rec.inFlight);
    const status = all || inFlightOnlyFailure ? 'rolled-back' : 'rollback-failed';
    journal.append({ t: 'op-end', op: rec.op, at: new Date().toISOString(), status });
    return ok({ operationId: rec.op, planId: rec.plan.id, status, steps: [...results.values()], failedStepId: null, error: null, startedAt, finishedAt: new Date().toISOString() });
  }

  private rememberSettings(plan: Plan): void {
    const restored = plan.intent.kind === 'revert' ? plan.steps.filter((s) => s.action.script === 'op-set-vm' && !s.replaces).map((s) => String(s.action.params.VmId)) : [];
    this.deps.journal.updateVmOriginals(replacedVmSettings(plan), restored);
  }
}

/** The devices and VMs a plan touches. */
function lockKeys(plan: Plan): string[] {
  const keys: string[] = [];
  for (const s of plan.steps) {
    const p = s.action.params;
    if (typeof p.LocationPath === 'string') keys.push(`device:${p.LocationPath}`);
    if (typeof p.VmId === 'string') keys.push(`vm:${p.VmId}`);
  }
  return keys;
}
