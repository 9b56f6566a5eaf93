/**
 * A step that fails with a PowerShell error after it changed the host: a real host does that
 * (Dismount-VMHostAssignableDevice dismounts, then fails to find the new PCIP\ device; a removal stops
 * halfway). The rollback must take that step back too and leave the host exactly as before. Real pwsh +
 * simulator, one session; the step runs for real and its result is then replaced by an error.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Intent, PlanChoices, PlanStep } from '../../shared/plan';
import type { PsResult, ScriptRunner } from '../powershell/session-types';
import { readInventory } from './inventory-service';
import { Journal } from './journal';
import { memoryMeasurementStore } from './measurement-store';
import { Operations } from './operations';
import { comparableState, freshState, readState, sharedHost } from '../../testing/test-support';
import { writeFileSync } from 'node:fs';

const shared = sharedHost();
afterAll(() => shared.host.close());
const runner = shared.host.runner;

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const SN850 = 'PCIROOT(0)#PCI(1B04)#PCI(0000)';

const failedAfterEffect = (durationMs: number): PsResult<never> => ({
  ok: false,
  error: { kind: 'powershell', message: 'failed after its effect', fullyQualifiedErrorId: 'InjectedAfterEffect' },
  errors: [],
  durationMs,
});

/**
 * A runner whose call of `step`'s script (the n-th call of that script, n counted as the plan orders
 * them) runs `instead` (by default the call itself) and then reports a PowerShell error.
 */
function failingAfter(steps: PlanStep[], k: number, instead?: (params: Record<string, unknown>) => Promise<void>) {
  const script = steps[k]!.action.script;
  const nth = steps.slice(0, k + 1).filter((s) => s.action.script === script).length;
  let seen = 0;
  const wrapped: ScriptRunner = {
    async invoke(s, params, options) {
      if (s !== script || ++seen !== nth) return runner.invoke(s, params, options);
      const t0 = performance.now();
      if (instead) await instead(params ?? {});
      else {
        const real = await runner.invoke(s, params, options);
        if (!real.ok) return real; // the step itself failed: nothing to fake
      }
      return failedAfterEffect(Math.round(performance.now() - t0));
    },
    dispose: async () => undefined,
  };
  return wrapped;
}

async function operationsOn(state: string, stepRunner: ScriptRunner) {
  await shared.use(state);
  const memory = memoryMeasurementStore();
  const journal = new Journal(mkdtempSync(join(tmpdir(), 'dda-journal-')));
  const read = () => readInventory(runner, { memory });
  return { ops: new Operations({ runner: stepRunner, journal, readInventory: read }), journal };
}

const offAndBack: PlanChoices = { consents: ['turn-off-vm'], startVmAfter: true };

async function expectRolledBack(
  ops: Operations,
  journal: Journal,
  state: string,
  intent: Intent,
  k: number,
  steps: PlanStep[],
) {
  const before = comparableState(state);
  const plan = await ops.plan(intent, offAndBack);
  expect(plan.steps.map((s) => s.kind)).toEqual(steps.map((s) => s.kind));
  const r = await ops.run(plan.id);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  const at = `error after the effect of step ${k + 1} (${steps[k]!.kind})`;
  expect(r.value.failedStepId, at).toBe(steps[k]!.id);
  expect(r.value.status, at).toBe('rolled-back');
  expect(comparableState(state), at).toEqual(before);
  // The failed step was taken back like the ones before it, and the journal says so.
  expect(journal.operations().at(-1)!.undone, at).toContain(steps[k]!.id);
}

describe('a step that fails after it changed the host is rolled back too', () => {
  it('but a VM is never turned off without the consent: a start-only plan ends rollback-failed, the VM running', async () => {
    const state = freshState('ml30-connectx4');
    const intent: Intent = { kind: 'start-vm', vmName: 'Router-01' };
    const none: PlanChoices = { consents: [], startVmAfter: false };
    const probe = await operationsOn(state, runner);
    const steps = (await probe.ops.plan(intent, none)).steps;
    expect(steps.map((s) => s.kind)).toEqual(['start-vm']);
    const { ops, journal } = await operationsOn(state, failingAfter(steps, 0));
    const plan = await ops.plan(intent, none);
    const r = await ops.run(plan.id);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    expect(r.value.status).toBe('rollback-failed');
    expect(readState(state).vms.find((v) => v.name === 'Router-01')!.state).toBe('Running');
    const end = journal
      .records()
      .filter((x) => x.t === 'op-end')
      .at(-1);
    expect(end).toMatchObject({ notRolledBack: [steps[0]!.id] });
  });

  it('at every step of an assignment to a running VM', async () => {
    const intent: Intent = { kind: 'assign', locationPath: CX4, vmName: 'File-Server' };
    const probe = await operationsOn(freshState('ml30-connectx4'), runner);
    const steps = (await probe.ops.plan(intent, offAndBack)).steps;
    expect(steps.map((s) => s.kind)).toContain('dismount-device');
    for (let k = 0; k < steps.length; k++) {
      const state = freshState('ml30-connectx4');
      const { ops, journal } = await operationsOn(state, failingAfter(steps, k));
      await expectRolledBack(ops, journal, state, intent, k, steps);
    }
  }, 180_000);

  it('a repair whose removal stopped halfway gets every entry back', async () => {
    const state = freshState('gpu-workstation');
    const s = readState(state);
    // Storage-VM holds the PM9A3 and a stale entry; it gets the SN850 too: two devices to add back.
    s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices.push(SN850);
    writeFileSync(state, JSON.stringify(s));
    const intent: Intent = { kind: 'repair', vmName: 'Storage-VM' };
    const probe = await operationsOn(state, runner);
    const steps = (await probe.ops.plan(intent, offAndBack)).steps;
    const k = steps.findIndex((x) => x.kind === 'remove-all-devices');
    const paths = steps[k]!.undo!.params.LocationPaths as string[];
    expect(new Set(paths).size).toBe(2); // the stale entry has nothing to add back
    // Only the first entry goes before the "failure", as when the second removal fails.
    const { ops, journal } = await operationsOn(
      state,
      failingAfter(steps, k, async (p) => {
        const r = await runner.invoke('op-remove-device', { VmId: p.VmId, LocationPath: paths[0] });
        if (!r.ok) throw new Error(r.error.message);
      }),
    );
    await expectRolledBack(ops, journal, state, intent, k, steps);
  }, 60_000);
});
