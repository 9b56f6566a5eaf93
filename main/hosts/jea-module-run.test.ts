/**
 * The client's check of a rollback the DDAStudio.Host endpoint reports: the host is read again, and a
 * step whose effect is still there (the failed one included: the endpoint undoes it only when its own
 * read shows its effect) turns "rolled-back" into "rollback-failed". Pure: a fake endpoint and hand-built
 * inventories.
 */
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../shared/inventory';
import type { Plan } from '../../shared/plan';
import type { ScriptRunner } from '../powershell/session-types';
import { planOperation } from '../host/planner';
import { testDevice, testInventory, testVm } from '../../testing/test-builders';
import { executePlanOnEndpoint } from './jea-module-run';

const PATH = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const vm = testVm('App-VM');
const onHost = testInventory([testDevice(PATH)], [vm]);
const dismounted = testInventory([testDevice(PATH, { owner: { kind: 'dismounted' }, enabled: false })], [vm]);

/**
 * An endpoint that ran the plan's steps up to `failing`, which failed, and undid the ones before it (and
 * the failed one first, when its own read of the host showed the effect: `undoFailed`).
 */
function endpoint(plan: Plan, failing: string, undoFailed = false): ScriptRunner {
  const at = plan.steps.findIndex((s) => s.id === failing);
  const done = plan.steps.slice(0, at);
  const undone = undoFailed ? [plan.steps[at]!, ...[...done].reverse()] : [...done].reverse();
  const log = [
    ...done.map((s) => ({ stepId: s.id, phase: 'step', ok: true, ms: 1 })),
    { stepId: failing, phase: 'step', ok: false, ms: 1, error: { kind: 'powershell', message: 'failed' } },
    ...undone.map((s) => ({ stepId: s.id, phase: 'undo', ok: true, ms: 1 })),
  ];
  return {
    invoke: async () => ({
      ok: true,
      value: { status: 'rolled-back', failedStepId: failing, error: { message: 'failed' }, log },
      errors: [],
      durationMs: 1,
    }),
    dispose: async () => undefined,
  } as ScriptRunner;
}

describe('a rollback reported by the JEA endpoint', () => {
  const plan = planOperation(
    { kind: 'assign', locationPath: PATH, vmName: 'App-VM' },
    onHost,
    { consents: [], startVmAfter: false },
    {
      planId: 'p1',
      now: '2026-12-01T00:00:00.000Z',
    },
  );
  const dismount = plan.steps.find((s) => s.kind === 'dismount-device')!;

  it('is believed when the host, read again, is back', async () => {
    const out = await executePlanOnEndpoint(plan, endpoint(plan, dismount.id), { readInventory: async () => onHost });
    expect(out.status).toBe('rolled-back');
  });

  it('keeps the failed step failed when the endpoint undid it too, and believes the host that is back', async () => {
    const out = await executePlanOnEndpoint(plan, endpoint(plan, dismount.id, true), {
      readInventory: async () => onHost,
    });
    expect(out.status).toBe('rolled-back');
    expect(out.steps.find((s) => s.stepId === dismount.id)).toMatchObject({ state: 'failed' });
  });

  it('is not, when the failed step left its effect (a dismount that failed after the device went)', async () => {
    const read = async (): Promise<Inventory> => dismounted;
    const out = await executePlanOnEndpoint(plan, endpoint(plan, dismount.id), { readInventory: read });
    expect(out.status).toBe('rollback-failed');
  });
});

describe("the endpoint's refusals", () => {
  const plan = planOperation(
    { kind: 'assign', locationPath: PATH, vmName: 'App-VM' },
    onHost,
    { consents: [], startVmAfter: false },
    { planId: 'p2', now: '2026-12-01T00:00:00.000Z' },
  );
  const refusing = (id: string): ScriptRunner =>
    ({
      invoke: async () => ({
        ok: false,
        error: {
          kind: 'powershell',
          message: `DDAStudio.Host refused the plan: ${id}. Nothing was changed.`,
          fullyQualifiedErrorId: `${id},DDAStudio.Host`,
        },
        errors: [],
        durationMs: 1,
      }),
      dispose: async () => undefined,
    }) as unknown as ScriptRunner;

  it('are answers, not lost connections: nothing ran, the operation ends, nothing is left for recovery', async () => {
    for (const id of ['PlanRefused', 'PlanMalformed', 'HostUnreadable', 'PolicyUnreadable']) {
      const journal: Array<{ t: string; status?: string }> = [];
      const run = executePlanOnEndpoint(plan, refusing(id), {
        readInventory: async () => onHost,
        journal: { append: (r: { t: string; status?: string }) => void journal.push(r) },
      } as unknown as Parameters<typeof executePlanOnEndpoint>[2]);
      await expect(run, id).rejects.toMatchObject({ code: 'refused' });
      expect(
        journal.map((r) => [r.t, r.status]),
        id,
      ).toContainEqual(['op-end', 'rolled-back']);
    }
  });
});
