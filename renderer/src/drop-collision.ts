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
import type { Inventory, Vm } from '../../shared/inventory';

/** A VM card's drop-target data: its VM's Id (two VMs may share a name, never an Id). */
export const cardDropData = (vm: Vm): { vmId: string } => ({ vmId: vm.id });

/** The Id of the VM whose card a drag is over, from dnd-kit's `over.data.current`; null over none. */
export function overVmId(data: unknown): string | null {
  const id = (data as { vmId?: unknown } | null | undefined)?.vmId;
  return typeof id === 'string' ? id : null;
}

/** The VM of that Id in this inventory; undefined for none. */
export function vmById(inv: Inventory | null | undefined, id: string | null): Vm | undefined {
  return id === null ? undefined : inv?.vms.find((v) => v.id === id);
}

/** The VM whose card a drag is over, in this inventory; undefined over none. */
export const vmUnder = (inv: Inventory | null | undefined, data: unknown): Vm | undefined =>
  vmById(inv, overVmId(data));

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
 * The card a keyboard drag's last arrow press went to (set by the keyboard's coordinate getter, cleared
 * when a drag starts or ends). The keyboard drag is over exactly that card: never the one its moved item
 * happens to cover while the grid is still scrolling toward the chosen one.
 */
let keyboardTarget: UniqueIdentifier | null = null;
export function setKeyboardTarget(id: UniqueIdentifier | null): void {
  keyboardTarget = id;
}

/**
 * Whether the card is what the admin sees at that point: the topmost element there is inside it. A card
 * can be mounted and under the pointer yet hidden (a virtual row kept beyond the pane's edge, under the
 * header or the activity panel, or under a banner): that is no drop target. Without a DOM (unit tests
 * of the geometry alone) every card counts as seen.
 */
function seenAt(container: DroppableContainer | undefined, point: { x: number; y: number }): boolean {
  if (typeof document === 'undefined' || typeof document.elementFromPoint !== 'function') return true;
  const top = document.elementFromPoint(point.x, point.y);
  const node = container?.node.current;
  return !!top && !!node && node.contains(top);
}

/**
 * Pointer drags: the card under the pointer and seen there, or none. Keyboard drags: the card the last
 * arrow press chose; before the first press, the card under the moved item's centre (it starts on the
 * device list: none).
 */
export const dropTargetCollision: CollisionDetection = (args) => {
  const point = args.pointerCoordinates;
  if (!point && keyboardTarget !== null) {
    const chosen = args.droppableContainers.find((c) => c.id === keyboardTarget);
    return chosen ? [{ id: chosen.id, data: { droppableContainer: chosen, value: 0 } }] : [];
  }
  const droppableRects = liveRects(args.droppableContainers);
  if (point) {
    const hits = pointerWithin({ ...args, droppableRects });
    return hits.filter((h) =>
      seenAt(
        args.droppableContainers.find((c) => c.id === h.id),
        point,
      ),
    );
  }
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
