/**
 * The operations service: plans intents against a fresh inventory, keeps recent plans by id, runs a
 * plan only if re-planning against the host as it is now gives the same steps, one operation at a
 * time per device and VM, journals everything, and finishes or rolls back interrupted operations.
 */
import { randomUUID } from 'node:crypto';
import type { Inventory } from '../../shared/inventory';
import type { Intent, OperationOutcome, Plan, PlanChoices, StepResult } from '../../shared/plan';
import { fail, ok, type Result } from '../../shared/result';
import type { ScriptRunner } from '../powershell/session-types';
import { errorKinds, executePlan, PlanNotRunnableError } from './executor';
import type { Journal } from './journal';
import type { OperationRecord, RecoverAction } from './journal-record';
import { recoverOperation, RecoveryRefusedError } from './journal-recovery';
import { BusyError, lockKeysOf, ObjectLocks } from './locks';
import { takeLease, unfinishedNow } from './operation-lease';
import { planOperation, vmSettingsEffects } from './planner';

/** How many plans are kept for a later run (oldest dropped first). */
export const MAX_PLANS = 50;

/** Events of the service, for the UI's progress view and the CLI. */
export type OperationEvent =
  | { type: 'step'; operationId: string; planId: string; step: StepResult }
  | { type: 'finished'; operationId: string; planId: string; outcome: OperationOutcome }
  | { type: 'inventory'; inventory: Inventory };

export interface OperationsDeps {
  runner: ScriptRunner;
  journal: Journal;
  readInventory: () => Promise<Inventory>;
  /** Step progress (kept for the API's operation-progress event). */
  onStep?: (operationId: string, planId: string, step: StepResult) => void;
  /** Every event, including the outcome and the inventory read after a failed run. */
  onEvent?: (event: OperationEvent) => void;
  /** Seconds a guest gets to shut down before its VM is turned off. */
  shutdownTimeoutSec?: number;
  /** Clock and ids (tests). */
  now?: () => string;
  newId?: () => string;
  /** How a plan runs: step by step here (executePlan, the default), or whole on a JEA endpoint. */
  execute?: typeof executePlan;
}

/** Plans, runs and recovers operations on one host. */
export class Operations {
  private readonly plans = new Map<string, Plan>();
  private readonly locks = new ObjectLocks();
  /** Devices this host refused to dismount with the mitigation check on (this session): asked for up front next time. */
  private readonly mitigationRefusals = new Set<string>();

  constructor(private readonly deps: OperationsDeps) {}

  /**
   * The PowerShell running the steps, for the lease: on Windows it has no console, so closing the `dda`
   * that started it mid-step leaves it finishing its step, and the operation still runs.
   */
  private readonly stepProcesses = (): number[] => {
    const pid = this.deps.runner.pid;
    return typeof pid === 'number' ? [pid] : [];
  };

  /**
   * Keeps the lease's PowerShell current: the session starts (or starts again) on a call, and says so
   * before it sends the script, so no step runs in a PowerShell the lease does not name. Returns the
   * release of both.
   */
  private followSession(lease: { release: () => void; renew: () => void }): () => void {
    const runner = this.deps.runner;
    const renew = () => lease.renew();
    runner.on?.('status', renew);
    renew();
    return () => {
      runner.off?.('status', renew);
      lease.release();
    };
  }

  private now(): string {
    return this.deps.now?.() ?? new Date().toISOString();
  }
  private id(): string {
    return this.deps.newId?.() ?? randomUUID();
  }

  private planFor(intent: Intent, inventory: Inventory, choices: PlanChoices, planId: string): Plan {
    return planOperation(intent, inventory, choices, {
      planId,
      now: this.now(),
      rememberedVmSettings: this.deps.journal.rememberedVmSettings(),
      rememberedVmSettingsLost: this.deps.journal.lostVmSettings(),
      mitigationRefusals: [...this.mitigationRefusals],
      ...(this.deps.shutdownTimeoutSec ? { shutdownTimeoutSec: this.deps.shutdownTimeoutSec } : {}),
    });
  }

  /** Plans an intent against the host as it is now, and keeps the plan for run(). */
  async plan(intent: Intent, choices: PlanChoices): Promise<Plan> {
    const plan = this.planFor(intent, await this.deps.readInventory(), choices, this.id());
    this.plans.set(plan.id, plan);
    while (this.plans.size > MAX_PLANS) this.plans.delete(this.plans.keys().next().value as string);
    return plan;
  }

  /** A plan made earlier, by id. */
  get(planId: string): Plan | undefined {
    return this.plans.get(planId);
  }

  /**
   * Runs a plan made earlier, if the host has not changed under it. Errors: not-found (unknown plan),
   * refused (blocked or consent missing), busy (a device or VM is in another operation), stale-plan
   * (re-planning now gives other steps). A failed step is not an error: it is a rolled-back outcome.
   */
  async run(planId: string): Promise<Result<OperationOutcome>> {
    const plan = this.plans.get(planId);
    if (!plan) return fail('not-found', 'That plan is unknown or too old; plan the operation again.');
    if (plan.blocked) return fail('refused', plan.blocked.text.en);
    const missing = plan.consents.filter((c) => !c.given).map((c) => c.id);
    if (missing.length) return fail('refused', `The plan needs consent first: ${missing.join(', ')}.`);
    const operationId = this.id();
    const keys = lockKeysOf(plan);
    let release: () => void;
    try {
      release = this.locks.acquire(keys, `${plan.title.en} [${operationId}]`);
    } catch (e) {
      if (e instanceof BusyError) return fail('busy', e.message);
      throw e;
    }
    let releaseLease = (): void => {};
    try {
      // Other processes on this data folder see it running (and do not recover it, nor change its devices
      // and VMs) until it ends; it is refused while one of theirs changes them.
      const lease = takeLease(this.deps.journal.dir, operationId, 'operation', this.stepProcesses, {
        keys,
        title: plan.title.en,
      });
      if ('busy' in lease) return fail('busy', lease.busy);
      releaseLease = this.followSession(lease);
      const fresh = this.planFor(plan.intent, await this.deps.readInventory(), plan.choices, plan.id);
      if (fresh.blocked)
        return fail('stale-plan', `The host changed since this plan was made: ${fresh.blocked.text.en}`);
      const same =
        JSON.stringify(fresh.steps.map((s) => [s.kind, s.action])) ===
        JSON.stringify(plan.steps.map((s) => [s.kind, s.action]));
      if (!same)
        return fail('stale-plan', 'The host changed since this plan was made; review the new plan before running it.');
      const outcome = await (this.deps.execute ?? executePlan)(plan, this.deps.runner, {
        journal: this.deps.journal,
        operationId,
        readInventory: this.deps.readInventory,
        onInventory: (inventory) => this.emit({ type: 'inventory', inventory }),
        onStep: (s) => this.step(operationId, plan.id, s),
      });
      if (outcome.status === 'succeeded') this.deps.journal.updateRememberedVmSettings(vmSettingsEffects(plan));
      const refusedPath =
        outcome.error?.kind === errorKinds.needsMitigationConsent
          ? plan.steps.find((s) => s.id === outcome.failedStepId)?.action.params.LocationPath
          : undefined;
      if (typeof refusedPath === 'string') this.mitigationRefusals.add(refusedPath.toUpperCase());
      this.plans.delete(plan.id);
      this.emit({ type: 'finished', operationId, planId: plan.id, outcome });
      return ok(outcome);
    } catch (e) {
      if (e instanceof PlanNotRunnableError) return fail('refused', e.message);
      throw e;
    } finally {
      releaseLease();
      release();
    }
  }

  /** Operations the journal shows as started and never ended. */
  unfinished(): OperationRecord[] {
    return this.deps.journal.findUnfinished();
  }

  /** The unfinished operations, each with why it is running now (null: interrupted): operation-lease.ts. */
  unfinishedNow(): Array<{ record: OperationRecord; running: string | null }> {
    return unfinishedNow(this.deps.journal);
  }

  /** Unfinished operations nobody runs now: the interrupted ones, which recovery is for. */
  interrupted(): OperationRecord[] {
    return this.unfinishedNow()
      .filter((o) => !o.running)
      .map((o) => o.record);
  }

  /**
   * Brings an interrupted operation to a consistent end against the host as it is now: rollback
   * undoes what is on the host, finish runs what is not (rolling back if a step fails).
   */
  async recover(operationId: string, action: RecoverAction): Promise<Result<OperationOutcome>> {
    const rec = this.unfinished().find((o) => o.op === operationId);
    if (!rec) return fail('not-found', 'No unfinished operation with that id.');
    const keys = lockKeysOf(rec.plan);
    let release: () => void;
    try {
      release = this.locks.acquire(keys, `recovery of ${rec.plan.title.en} [${rec.op}]`);
    } catch (e) {
      if (e instanceof BusyError) return fail('busy', e.message);
      throw e;
    }
    let releaseLease = (): void => {};
    try {
      // Running now in another process (the window, or dda beside it): its steps are still being run.
      // The lease first, the journal after: its owner journals the end before it lets the lease go, so
      // an operation that ended meanwhile (or another recovery of it) is read as ended, never redone.
      const lease = takeLease(this.deps.journal.dir, operationId, 'recovery', this.stepProcesses, {
        keys,
        title: rec.plan.title.en,
      });
      if ('busy' in lease)
        return fail('busy', `Operation ${operationId} is not recovered: ${lease.busy} Nothing was run.`);
      releaseLease = this.followSession(lease);
      const current = this.unfinished().find((o) => o.op === operationId);
      if (!current) return fail('not-found', 'No unfinished operation with that id.');
      let outcome: OperationOutcome;
      try {
        outcome = await recoverOperation(
          this.deps.journal,
          current,
          this.deps.runner,
          this.deps.readInventory,
          action,
          (s) => this.step(current.op, current.plan.id, s),
        );
      } catch (e) {
        if (e instanceof RecoveryRefusedError) return fail('refused', e.message);
        throw e;
      }
      if (action === 'finish' && outcome.status === 'succeeded')
        this.deps.journal.updateRememberedVmSettings(vmSettingsEffects(rec.plan));
      this.emit({ type: 'finished', operationId: rec.op, planId: rec.plan.id, outcome });
      return ok(outcome);
    } finally {
      releaseLease();
      release();
    }
  }

  private step(operationId: string, planId: string, step: StepResult): void {
    try {
      this.deps.onStep?.(operationId, planId, step);
    } catch {
      // as in emit()
    }
    this.emit({ type: 'step', operationId, planId, step });
  }

  private emit(event: OperationEvent): void {
    try {
      this.deps.onEvent?.(event);
    } catch {
      // a listener's failure must not break an operation half-way
    }
  }
}
