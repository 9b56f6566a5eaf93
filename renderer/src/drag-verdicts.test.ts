// @vitest-environment jsdom
/** Each card's verdict, worked out once per drag and published after the drag's first frame (issue 16). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Inventory } from '../../shared/inventory';
import { setDraggedDevice, useDragVerdicts } from './drag-verdicts';
import { device, inventory, vm } from './testing/builders';

const PATH = 'PCIROOT(0)#PCI(0100)';
const inv: Inventory = inventory([device(PATH)], [vm('Off-VM'), vm('Running-VM', { state: 'Running' })]);

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
    expect([...(byVm?.keys() ?? [])]).toEqual(['Off-VM', 'Running-VM']);
    expect(byVm?.get('Running-VM')).toMatchObject({ allowed: true, note: 'needsVmOff' });
    expect(useDragVerdicts.getState().fromVm).toBeNull();
  });
  it('a chip dragged off a card names that card (its VM), not the first VM that holds the path', () => {
    setDraggedDevice(inv, PATH, 'Running-VM');
    vi.advanceTimersToNextFrame();
    vi.runOnlyPendingTimers();
    expect(useDragVerdicts.getState()).toMatchObject({ path: PATH, fromVm: 'Running-VM' });
  });
  it('clears at once when the drag ends, and a drag ended before its verdicts came never shows them', () => {
    setDraggedDevice(inv, PATH);
    setDraggedDevice(null, null);
    vi.advanceTimersToNextFrame();
    vi.runOnlyPendingTimers();
    expect(useDragVerdicts.getState()).toEqual({ byVm: null, path: null, fromVm: null });
  });
});
