/**
 * PowerShell dying in the middle of an operation, at every step, before or after the step took
 * effect: recovery re-reads the real host and brings it to a consistent state (rollback = exactly as
 * before; finish = exactly as a clean run). The real kill is in operations-kill.test.ts.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Intent, PlanChoices } from '../../shared/plan';
import type { ScriptRunner } from '../powershell/session-types';
import { readInventory } from './inventory-service';
import { Journal } from './journal';
import { memoryMeasurementStore } from './measurement-store';
import { leaseFile } from './operation-lease';
import { Operations } from './operations';
import { comparableState, freshState, sharedHost } from '../../testing/test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());
const runner = shared.host.runner;

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const intent: Intent = { kind: 'assign', locationPath: CX4, vmName: 'File-Server' };
const choices: PlanChoices = { consents: ['turn-off-vm'], startVmAfter: true };

/** A runner whose process "dies" at the n-th call: before running it, or after it took effect. */
function dyingAt(n: number, afterEffect: boolean): ScriptRunner {
  let calls = 0;
  return {
    async invoke(script, params, options) {
      if (++calls === n) {
        if (afterEffect) await runner.invoke(script, params, options);
        throw new Error('PowerShell process exited');
      }
      return runner.invoke(script, params, options);
    },
    dispose: async () => undefined,
  };
}

async function crashAt(k: number, afterEffect: boolean) {
  const state = freshState('ml30-connectx4');
  await shared.use(state);
  const memory = memoryMeasurementStore();
  const read = () => readInventory(runner, { memory });
  const dirPath = mkdtempSync(join(tmpdir(), 'dda-journal-'));
  const before = comparableState(state);
  const crashing = new Operations({
    runner: dyingAt(k, afterEffect),
    journal: new Journal(dirPath),
    readInventory: read,
  });
  const plan = await crashing.plan(intent, choices);
  await expect(crashing.run(plan.id)).rejects.toThrow('PowerShell process exited');
  // The app starts again: a new service on the same data folder.
  const journal = new Journal(dirPath);
  const ops = new Operations({ runner, journal, readInventory: read });
  return { state, before, plan, ops, journal };
}

describe('recovery after PowerShell died at step k', () => {
  it('rollback brings the host back exactly, whether or not the step in flight took effect', async () => {
    const steps = (await crashAt(1, false)).plan.steps;
    expect(steps.map((s) => s.kind)).toEqual([
      'stop-vm',
      'disable-device',
      'dismount-device',
      'set-vm-cache-types',
      'set-vm-mmio',
      'set-vm-memory',
      'add-device',
      'start-vm',
    ]);
    for (let k = 1; k <= steps.length; k++) {
      for (const afterEffect of [false, true]) {
        const where = `died at step ${k} ${afterEffect ? 'after' : 'before'} its effect`;
        const { state, before, ops, journal } = await crashAt(k, afterEffect);
        const [rec] = ops.unfinished();
        expect(rec?.inFlight, where).toBe(`s${k}`);
        expect(rec?.done, where).toEqual(steps.slice(0, k - 1).map((s) => s.id));
        const r = await ops.recover(rec!.op, 'rollback');
        if (!r.ok) throw new Error(r.error.message);
        expect(r.value.status, where).toBe('rolled-back');
        expect(comparableState(state), where).toEqual(before);
        expect(journal.findUnfinished(), where).toEqual([]);
        // idempotent: an undo whose effect was not on the host was skipped, not run
        if (!afterEffect)
          expect(
            journal.records().some((x) => x.t === 'undo-skipped' && x.step === `s${k}`),
            where,
          ).toBe(true);
      }
    }
  }, 180_000);

  it('finish runs the rest, skipping what already happened, and ends like a clean run', async () => {
    const clean = freshState('ml30-connectx4');
    await shared.use(clean);
    const memory = memoryMeasurementStore();
    const ref = new Operations({
      runner,
      journal: new Journal(mkdtempSync(join(tmpdir(), 'dda-journal-'))),
      readInventory: () => readInventory(runner, { memory }),
    });
    const p = await ref.plan(intent, choices);
    expect((await ref.run(p.id)).ok).toBe(true);
    const after = comparableState(clean);
    for (const [k, afterEffect] of [
      [2, true],
      [3, false],
      [7, true],
      [8, false],
    ] as const) {
      const where = `died at step ${k} ${afterEffect ? 'after' : 'before'} its effect`;
      const { state, ops, journal } = await crashAt(k, afterEffect);
      const [rec] = ops.unfinished();
      const r = await ops.recover(rec!.op, 'finish');
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.status, where).toBe('succeeded');
      expect(comparableState(state), where).toEqual(after);
      expect(r.value.steps.find((s) => s.stepId === `s${k}`)?.state, where).toBe(afterEffect ? 'skipped' : 'done');
      expect(journal.findUnfinished()).toEqual([]);
    }
  }, 180_000);

  it("a plan that ran as one request (the JEA endpoint) and left no step log: finish is refused; rollback undoes nothing (what the host shows may be a later operation's) and judges the host", async () => {
    const state = freshState('ml30-connectx4');
    await shared.use(state);
    const memory = memoryMeasurementStore();
    const read = () => readInventory(runner, { memory });
    const before = comparableState(state);
    const calls: string[] = [];
    const recording: ScriptRunner = {
      invoke: (script, params, options) => (calls.push(script), runner.invoke(script, params, options)),
      dispose: async () => undefined,
    };
    const journalOf = (dirPath: string) => new Journal(dirPath);
    const started = async (ran: number) => {
      const dirPath = mkdtempSync(join(tmpdir(), 'dda-journal-'));
      const plan = await new Operations({ runner, journal: journalOf(dirPath), readInventory: read }).plan(
        intent,
        choices,
      );
      journalOf(dirPath).append({ t: 'op-start', op: 'op-jea', at: new Date().toISOString(), plan, wholePlan: true });
      for (const step of plan.steps.slice(0, ran)) {
        const r = await runner.invoke(step.action.script, step.action.params);
        if (!r.ok) throw new Error(r.error.message);
      }
      return { plan, ops: new Operations({ runner: recording, journal: journalOf(dirPath), readInventory: read }) };
    };

    // Nothing ran (the VM still running, as before the plan): rolled back, and no step's undo ran, so
    // the running VM was not stopped and started again.
    let { ops } = await started(0);
    let r = await ops.recover('op-jea', 'rollback');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.status).toBe('rolled-back');
    expect(calls.filter((c) => c.startsWith('op-'))).toEqual([]);
    expect(comparableState(state)).toEqual(before);

    // The endpoint ran three steps (the VM stopped, the device disabled and dismounted) and the answer
    // was lost: finish is refused, rollback names what is left and changes nothing.
    const s = await started(3);
    ops = s.ops;
    const finish = await ops.recover('op-jea', 'finish');
    expect(!finish.ok && finish.error.message).toMatch(/one request on the DDAStudio JEA endpoint/);
    const changed = comparableState(state);
    r = await ops.recover('op-jea', 'rollback');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.status).toBe('rollback-failed');
    expect(r.value.error?.message).toMatch(/Plan the way back/);
    expect(calls.filter((c) => c.startsWith('op-'))).toEqual([]);
    expect(comparableState(state)).toEqual(changed);
    // The admin puts the host back (as the plans would), and recovers again: now rolled back.
    for (const step of s.plan.steps.slice(0, 3).reverse()) {
      const u = await runner.invoke(step.undo!.script, step.undo!.params);
      if (!u.ok) throw new Error(u.error.message);
    }
    expect(comparableState(state)).toEqual(before);
    r = await ops.recover('op-jea', 'rollback');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.status).toBe('rolled-back');
  }, 180_000);

  it('an operation another process runs is not recovered, and one that ends while recovery starts is seen ended, never rolled back', async () => {
    for (const endsAtRead of [1, 2]) {
      const { state, ops, journal } = await crashAt(3, false);
      const [rec] = ops.unfinished();
      const op = rec!.op;
      // Its owner: a live process on this computer, renewing its lease.
      const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      try {
        const file = leaseFile(journal.dir, op);
        mkdirSync(dirname(file), { recursive: true });
        const lease = { op, pid: owner.pid, computer: hostname(), at: Date.now(), what: 'operation' };
        writeFileSync(file, JSON.stringify(lease));
        // The owner ends (its end journaled, then its lease let go) right after recovery's n-th read of the journal.
        const read = journal.findUnfinished.bind(journal);
        let reads = 0;
        journal.findUnfinished = () => {
          const seen = read();
          if (++reads === endsAtRead) {
            journal.append({ t: 'op-end', op, at: new Date().toISOString(), status: 'succeeded' });
            writeFileSync(file, JSON.stringify({ ...lease, released: true }));
          }
          return seen;
        };
        const changed = comparableState(state);
        const r = await ops.recover(op, 'rollback');
        expect(r.ok, `the owner ends at read ${endsAtRead}`).toBe(false);
        expect(journal.records().some((x) => x.t === 'recover-start')).toBe(false);
        expect(comparableState(state)).toEqual(changed);
      } finally {
        owner.kill('SIGKILL');
        await once(owner, 'exit');
      }
    }
  }, 120_000);
});
