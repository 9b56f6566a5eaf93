// @vitest-environment jsdom
/** Each card's verdict, worked out once per drag and published after the drag's first frame (issue 16). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Inventory } from '../../shared/inventory';
import { setDraggedDevice, useDragVerdicts } from './drag-verdicts';
import { testDevice, testInventory, testVm } from '../../testing/test-builders';

const PATH = 'PCIROOT(0)#PCI(0100)';
const OFF = testVm('Off-VM');
const RUNNING = testVm('Running-VM', { state: 'Running' });
const inv: Inventory = testInventory([testDevice(PATH)], [OFF, RUNNING]);

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  setDraggedDevice(null, null);
  vi.useRealTimers();
});

describe('setDraggedDevice', () => {
  it("publishes every VM's verdict and the dragged path after the drag's first frame", () => {
    setDraggedDevice(inv, PATH);
    expect(useDragVerdicts.getState()).toEqual({ byVm: null, path: null, fromVm: null });
    vi.advanceTimersToNextFrame();
    vi.runOnlyPendingTimers();
    const { byVm, path } = useDragVerdicts.getState();
    expect(path).toBe(PATH);
    expect([...(byVm?.keys() ?? [])]).toEqual([OFF.id, RUNNING.id]);
    expect(byVm?.get(RUNNING.id)).toMatchObject({ allowed: true, note: 'needsVmOff' });
    expect(useDragVerdicts.getState().fromVm).toBeNull();
  });
  it('a chip dragged off a card names that card (its VM), not the first VM that holds the path', () => {
    setDraggedDevice(inv, PATH, RUNNING.id);
    vi.advanceTimersToNextFrame();
    vi.runOnlyPendingTimers();
    expect(useDragVerdicts.getState()).toMatchObject({ path: PATH, fromVm: RUNNING.id });
  });
  it('two VMs of one name: each card has its own verdict, and both say the name is shared (the planner refuses it)', () => {
    const twin = { ...testVm('Off-VM'), id: '00000000-0000-4000-8000-0000000000ff' };
    const lone = testVm('Lone');
    setDraggedDevice(testInventory([testDevice(PATH)], [OFF, twin, lone]), PATH);
    vi.advanceTimersToNextFrame();
    vi.runOnlyPendingTimers();
    const { byVm } = useDragVerdicts.getState();
    expect(byVm?.size).toBe(3);
    expect(byVm?.get(OFF.id)).toEqual({ allowed: false, reason: 'blockedVmNameShared' });
    expect(byVm?.get(twin.id)).toEqual({ allowed: false, reason: 'blockedVmNameShared' });
    expect(byVm?.get(lone.id)).toEqual({ allowed: true });
  });
  it('clears at once when the drag ends, and a drag ended before its verdicts came never shows them', () => {
    setDraggedDevice(inv, PATH);
    setDraggedDevice(null, null);
    vi.advanceTimersToNextFrame();
    vi.runOnlyPendingTimers();
    expect(useDragVerdicts.getState()).toEqual({ byVm: null, path: null, fromVm: null });
  });
});
