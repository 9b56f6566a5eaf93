import { describe, expect, it } from 'vitest';
import { ok } from '../../shared/result';
import type { Plan } from '../../shared/plan';
import { createAppStore } from './create-app-store';
import { outcomeVm, targetVmName } from './outcome-vm';
import { testDevice, testInventory, testVm } from '../../testing/test-builders';
import { fakeBridge } from './testing/fake-bridge';

const P = 'PCIROOT(0)#PCI(0100)';
const before = testInventory(
  [testDevice(P)],
  [testVm('File-Server', { state: 'Running' }), testVm('Lab', { state: 'Off' })],
);
const after = (state: 'Off' | 'Running' | 'Saved') =>
  testInventory([testDevice(P)], [testVm('File-Server', { state }), testVm('Lab', { state: 'Off' })]);

describe('the outcome: the VM now, and Start when it is off', () => {
  it('the plan names its VM for every intent with one', () => {
    expect(targetVmName({ kind: 'start-vm', vmName: 'Lab' }, before)).toBe('Lab');
    expect(targetVmName({ kind: 'fit-vm', vmName: 'Lab' }, before)).toBe('Lab');
    expect(targetVmName({ kind: 'move', locationPath: P, toVm: 'Lab' }, before)).toBe('Lab');
    expect(targetVmName({ kind: 'return-orphans' }, before)).toBeNull();
  });

  it('a VM left off after a run that found it running: left off, and the start-vm plan of that VM offered', () => {
    const o = outcomeVm({ kind: 'assign', locationPath: P, vmName: 'File-Server' }, before, after('Off'));
    expect(o).toMatchObject({ leftOff: true, start: { kind: 'start-vm', vmName: 'File-Server' } });
    expect(o?.now.state).toBe('Off');
  });

  it('a VM that simply is off: Start offered, not "left off"', () => {
    const o = outcomeVm({ kind: 'assign', locationPath: P, vmName: 'Lab' }, before, after('Off'));
    expect(o).toMatchObject({ leftOff: false, start: { kind: 'start-vm', vmName: 'Lab' } });
  });

  it('a VM running or saved after the run: no Start; nothing before the host is read again', () => {
    expect(
      outcomeVm({ kind: 'assign', locationPath: P, vmName: 'File-Server' }, before, after('Running'))?.start,
    ).toBeNull();
    expect(
      outcomeVm({ kind: 'assign', locationPath: P, vmName: 'File-Server' }, before, after('Saved'))?.start,
    ).toBeNull();
    expect(outcomeVm({ kind: 'assign', locationPath: P, vmName: 'File-Server' }, before, before)).toBeNull();
    expect(outcomeVm({ kind: 'return-orphans' }, before, after('Off'))).toBeNull();
  });

  it("the Start action's intent opens the start plan through the bridge, replacing the finished outcome", async () => {
    const startPlan = { id: 'p2', intent: { kind: 'start-vm', vmName: 'File-Server' } } as unknown as Plan;
    const fake = fakeBridge({ getInventory: () => ok(after('Off')), planOperation: () => ok(startPlan) });
    const store = createAppStore(fake.bridge);
    await store.getState().loadInventory(false);
    store.setState({ outcome: { status: 'succeeded' } as never });
    const o = outcomeVm({ kind: 'assign', locationPath: P, vmName: 'File-Server' }, before, store.getState().inventory);
    await store.getState().openPlan(o!.start!);
    expect(fake.calls.find((c) => c.method === 'planOperation')?.input).toMatchObject({
      intent: { kind: 'start-vm', vmName: 'File-Server' },
    });
    expect(store.getState()).toMatchObject({ plan: startPlan, outcome: null, planning: false });
  });
});
