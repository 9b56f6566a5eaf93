/**
 * Which VM card a drag is over. A device row is wide and stays where it is, so the card that overlaps
 * most with the row's rectangle is often not the card under the pointer (issue 17): a pointer drag
 * targets only the card the pointer is inside, and nothing when it is inside none (never a guess).
 */
import {
  pointerWithin,
  type ClientRect,
  type CollisionDetection,
  type DroppableContainer,
  type Modifier,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { getEventCoordinates } from '@dnd-kit/utilities';

/**
 * The droppables' rectangles as they are laid out now. dnd-kit measures a card when it mounts, but in a
 * virtual grid a card may move after that (a row above it measured, the scroll corrected for it), so the
 * drop target is found from where the cards are, not where they were.
 */
export function liveRects(containers: readonly DroppableContainer[]): Map<UniqueIdentifier, ClientRect> {
  const rects = new Map<UniqueIdentifier, ClientRect>();
  for (const c of containers) {
    const r = c.node.current?.getBoundingClientRect();
    if (r)
      rects.set(c.id, { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height });
  }
  return rects;
}

/**
 * Pointer drags: the droppable under the pointer, or none. Keyboard drags have no pointer; the centre
 * of the moved item stands in for it (the item moves 25 px per arrow press), so the same rule holds:
 * the card under that point, or none.
 */
export const dropTargetCollision: CollisionDetection = (args) => {
  const droppableRects = liveRects(args.droppableContainers);
  if (args.pointerCoordinates) return pointerWithin({ ...args, droppableRects });
  const r = args.collisionRect;
  return pointerWithin({
    ...args,
    droppableRects,
    pointerCoordinates: { x: r.left + r.width / 2, y: r.top + r.height / 2 },
  });
};

/** Gap between the pointer and the drag overlay, so the card under the pointer stays visible. */
const OVERLAY_OFFSET = 14;

/**
 * For the drag overlay only (not the collision): a pointer drag shows the overlay just below and right of
 * the pointer, wherever the row was grabbed (left or above it near the window's right or bottom edge); a
 * keyboard drag leaves it where the keyboard moved the item.
 */
export const overlayBesidePointer: Modifier = ({
  activatorEvent,
  activeNodeRect,
  overlayNodeRect,
  windowRect,
  transform,
}) => {
  const start = activatorEvent ? getEventCoordinates(activatorEvent) : null;
  if (!start || !activeNodeRect) return transform;
  const pointer = { x: start.x + transform.x, y: start.y + transform.y };
  const width = overlayNodeRect?.width ?? 0;
  const height = overlayNodeRect?.height ?? 0;
  const left =
    windowRect && pointer.x + OVERLAY_OFFSET + width > windowRect.width
      ? pointer.x - OVERLAY_OFFSET - width
      : pointer.x + OVERLAY_OFFSET;
  const top =
    windowRect && pointer.y + OVERLAY_OFFSET + height > windowRect.height
      ? pointer.y - OVERLAY_OFFSET - height
      : pointer.y + OVERLAY_OFFSET;
  return { ...transform, x: left - activeNodeRect.left, y: top - activeNodeRect.top };
};

/** Whether a drag was started by a pointer (it has coordinates) rather than the keyboard. */
export function isPointerDrag(activatorEvent: Event | null): boolean {
  return !!activatorEvent && getEventCoordinates(activatorEvent) !== null;
}
