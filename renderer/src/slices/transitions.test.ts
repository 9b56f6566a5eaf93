import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../shared/contract';
import type { OperationOutcome, Plan } from '../../../shared/plan';
import { hostSwitch, mergeActivity, pushActivity, refusedPath, rememberRefusal, withConsents } from './transitions';

const entry = (id: number, at = `2026-11-30T08:00:${String(id % 60).padStart(2, '0')}.000Z`): ActivityEntry => ({
  id: String(id),
  at,
  host: 'local',
  hostName: 'HV01',
  kind: 'inventory',
  summary: `entry ${id}`,
});

describe('activity transitions', () => {
  it('merges read and pushed entries once each, newest first', () => {
    const merged = mergeActivity([entry(5), entry(3)], [entry(1), entry(3), entry(4)]);
    expect(merged.map((a) => a.id)).toEqual(['5', '4', '3', '1']);
  });
  it('keeps at most 200 entries, the newest', () => {
    const many = Array.from({ length: 250 }, (_, i) => entry(i + 1));
    const merged = mergeActivity([], many);
    expect(merged).toHaveLength(200);
    expect(merged[0]!.id).toBe('250');
    expect(merged.at(-1)!.id).toBe('51');
  });
  it('puts a pushed entry on top and never twice', () => {
    expect(pushActivity([entry(2), entry(1)], entry(3)).map((a) => a.id)).toEqual(['3', '2', '1']);
    expect(pushActivity([entry(2), entry(1)], entry(2)).map((a) => a.id)).toEqual(['2', '1']);
  });
});

describe('switching hosts', () => {
  it('clears every per-host view and names the new host', () => {
    const s = hostSwitch('hv02');
    expect(s).toMatchObject({
      host: 'hv02',
      inventory: null,
      loadError: null,
      selected: null,
      dropRefusal: null,
      activity: [],
      unfinished: [],
      plan: null,
      outcome: null,
      progress: {},
    });
  });
});

const plan = (intent: Plan['intent'], params: Record<string, unknown> = {}): Plan =>
  ({
    id: 'p1',
    intent,
    choices: { consents: [], startVmAfter: false },
    steps: [{ id: 's1', action: { params } }],
  }) as unknown as Plan;
const outcome = (over: Partial<OperationOutcome>): OperationOutcome => ({
  operationId: 'o1',
  planId: 'p1',
  status: 'rolled-back',
  steps: [],
  failedStepId: 's1',
  error: null,
  startedAt: '',
  finishedAt: '',
  ...over,
});

describe('a dismount refused for want of the force consent', () => {
  const needsForce = {
    kind: 'needs-mitigation-consent',
    message: 'no mitigation driver',
  } as unknown as OperationOutcome['error'];
  it("is remembered by the failed step's location path, upper-cased", () => {
    expect(
      refusedPath(
        plan({ kind: 'assign', locationPath: 'x', vmName: 'A' }, { LocationPath: 'PciRoot(0)#Pci(1)' }),
        outcome({ error: needsForce }),
      ),
    ).toBe('PCIROOT(0)#PCI(1)');
  });
  it("falls back to the intent's device when the step names none", () => {
    expect(
      refusedPath(
        plan({ kind: 'assign', locationPath: 'PciRoot(0)#Pci(2)', vmName: 'A' }),
        outcome({ error: needsForce }),
      ),
    ).toBe('PCIROOT(0)#PCI(2)');
  });
  it('is not remembered for other failures or a success', () => {
    const p = plan({ kind: 'assign', locationPath: 'x', vmName: 'A' }, { LocationPath: 'y' });
    expect(
      refusedPath(p, outcome({ error: { ...needsForce!, kind: 'other' } as OperationOutcome['error'] })),
    ).toBeNull();
    expect(refusedPath(p, outcome({ status: 'succeeded', error: needsForce }))).toBeNull();
  });
  it('is added once per host', () => {
    const once = rememberRefusal({}, 'local', 'P1');
    expect(once).toEqual({ local: ['P1'] });
    expect(rememberRefusal(once, 'local', 'P1')).toBe(once);
    expect(rememberRefusal(once, 'hv02', 'P1')).toEqual({ local: ['P1'], hv02: ['P1'] });
  });
});

describe('consents added for a retry', () => {
  it('keeps the choices and adds each consent once', () => {
    const c = withConsents({ consents: ['force-insecure'], startVmAfter: true }, ['force-insecure', 'turn-off-vm']);
    expect(c.startVmAfter).toBe(true);
    expect(c.consents).toEqual(['force-insecure', 'turn-off-vm']);
  });
});
