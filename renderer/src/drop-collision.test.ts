/** The drop target is the card under the pointer as laid out now (issue 16: virtual rows move after mounting). */
import type { DroppableContainer } from '@dnd-kit/core';
import { describe, expect, it } from 'vitest';
import { dropTargetCollision, liveRects } from './drop-collision';

/** A droppable whose node is laid out at `at` now. */
function card(id: string, at: { left: number; top: number } | null): DroppableContainer {
  const node =
    at === null
      ? null
      : {
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
});
