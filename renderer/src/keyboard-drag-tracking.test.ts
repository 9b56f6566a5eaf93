// @vitest-environment jsdom
/** The VM grid follows a keyboard drag (which cards to keep mounted), and only a keyboard drag (issue 16). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackKeyboardDrag, useKeyboardDrag } from './keyboard-drag';

afterEach(() => trackKeyboardDrag(null, false));

describe('trackKeyboardDrag', () => {
  it('a keyboard drag: on at its start, then the VM it is over, off at its end', () => {
    const key = new KeyboardEvent('keydown', { code: 'Space' });
    trackKeyboardDrag(key, true);
    expect(useKeyboardDrag.getState()).toEqual({ on: true, overVm: null });
    trackKeyboardDrag(key, true, 'VM-007');
    expect(useKeyboardDrag.getState()).toEqual({ on: true, overVm: 'VM-007' });
    trackKeyboardDrag(null, false);
    expect(useKeyboardDrag.getState()).toEqual({ on: false, overVm: null });
  });
  it('a pointer drag changes nothing, at its start or over any card (no re-render of the grid per card)', () => {
    const listener = vi.fn();
    const off = useKeyboardDrag.subscribe(listener);
    const pointer = new MouseEvent('pointerdown', { clientX: 10, clientY: 10 });
    trackKeyboardDrag(pointer, true);
    trackKeyboardDrag(pointer, true, 'VM-001');
    trackKeyboardDrag(pointer, true, 'VM-002');
    trackKeyboardDrag(null, false);
    off();
    expect(listener).not.toHaveBeenCalled();
  });
  it('the same card again is no change', () => {
    const key = new KeyboardEvent('keydown', { code: 'Space' });
    trackKeyboardDrag(key, true, 'VM-001');
    const listener = vi.fn();
    const off = useKeyboardDrag.subscribe(listener);
    trackKeyboardDrag(key, true, 'VM-001');
    off();
    expect(listener).not.toHaveBeenCalled();
  });
});
