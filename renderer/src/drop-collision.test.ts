/** The drop target is the card under the pointer as laid out now (issue 16: virtual rows move after mounting). */
import type { DroppableContainer } from '@dnd-kit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { dropTargetCollision, liveRects, setKeyboardTarget } from './drop-collision';

/** A droppable whose node is laid out at `at` now. */
function card(id: string, at: { left: number; top: number } | null): DroppableContainer {
  const node =
    at === null
      ? null
      : {
          id,
          contains: (other: unknown) => (other as { inside?: string } | null)?.inside === id,
          getBoundingClientRect: () => ({
            ...at,
            right: at.left + 200,
            bottom: at.top + 120,
            width: 200,
            height: 120,
            x: at.left,
            y: at.top,
          }),
        };
  return {
    id,
    key: id,
    data: { current: {} },
    disabled: false,
    node: { current: node },
    rect: { current: null },
  } as never;
}

describe('liveRects', () => {
  it("each mounted droppable's rectangle as laid out now; one without a node is left out", () => {
    const rects = liveRects([card('vm:a', { left: 0, top: 10 }), card('vm:b', null)]);
    expect([...rects.keys()]).toEqual(['vm:a']);
    expect(rects.get('vm:a')).toEqual({ left: 0, top: 10, right: 200, bottom: 130, width: 200, height: 120 });
  });
});

describe('dropTargetCollision', () => {
  // dnd-kit measured vm:a at the top when it mounted; a row above it was measured since and it moved down.
  const stale = new Map([['vm:a', { left: 0, top: 0, right: 200, bottom: 120, width: 200, height: 120 }]]);
  const containers = [card('vm:a', { left: 0, top: 300 }), card('vm:b', { left: 220, top: 300 })];
  const base = { active: null as never, droppableRects: stale as never, droppableContainers: containers };

  it('a pointer drag: the card under the pointer where it is now, not where it was measured', () => {
    const rect = { left: 0, top: 0, right: 10, bottom: 10, width: 10, height: 10 };
    const at = (x: number, y: number) =>
      dropTargetCollision({ ...base, collisionRect: rect, pointerCoordinates: { x, y } }).map((c) => c.id);
    expect(at(50, 350)).toEqual(['vm:a']);
    expect(at(50, 50)).toEqual([]);
    expect(at(210, 350)).toEqual([]); // the gap between two cards
  });
  it("a keyboard drag: the card under the moved item's centre", () => {
    const rect = { left: 250, top: 330, right: 290, bottom: 350, width: 40, height: 20 };
    expect(dropTargetCollision({ ...base, collisionRect: rect, pointerCoordinates: null }).map((c) => c.id)).toEqual([
      'vm:b',
    ]);
  });

  describe('what the admin sees', () => {
    const doc = globalThis as unknown as { document?: unknown };
    /** The topmost element at each point: inside the card named, or something else (null: nothing). */
    const showing = (inside: string | null) =>
      (doc.document = { elementFromPoint: () => (inside === null ? { inside: 'activity-panel' } : { inside }) });
    afterEach(() => {
      delete doc.document;
      setKeyboardTarget(null);
    });
    const rect = { left: 0, top: 0, right: 10, bottom: 10, width: 10, height: 10 };
    const at = (x: number, y: number) =>
      dropTargetCollision({ ...base, collisionRect: rect, pointerCoordinates: { x, y } }).map((c) => c.id);

    it('a pointer drag over a card that is mounted but hidden there (under a panel, beyond the pane) targets none', () => {
      showing(null);
      expect(at(50, 350)).toEqual([]);
    });
    it('a pointer drag over a card seen there targets it', () => {
      showing('vm:a');
      expect(at(50, 350)).toEqual(['vm:a']);
    });
    it("a keyboard drag targets the card its last arrow chose, whatever its moved item's centre covers", () => {
      setKeyboardTarget('vm:b');
      const overA = { left: 50, top: 330, right: 90, bottom: 350, width: 40, height: 20 };
      expect(dropTargetCollision({ ...base, collisionRect: overA, pointerCoordinates: null }).map((c) => c.id)).toEqual(
        ['vm:b'],
      );
      setKeyboardTarget('vm:gone'); // chosen, then unmounted: none, never another card
      expect(dropTargetCollision({ ...base, collisionRect: overA, pointerCoordinates: null })).toEqual([]);
    });
  });
});
