/**
 * The drag's hot path kept out of renders: when a drag starts, every VM card's drop verdict for the
 * dragged device is worked out once (one dropVerdict per VM); while the pointer moves, a card reads its
 * own verdict from this map (O(1)) and re-renders only when the drag starts or ends, not on every move
 * (dnd-kit's useDndContext changes with every pointer move, so reading it re-rendered every card).
 */
import { create } from 'zustand';
import type { Inventory } from '../../shared/inventory';
import { dropVerdict, type DropVerdict } from './drop-rules';

interface DragVerdicts {
  /** VM name -> the verdict for the device being dragged; null when no drag is on. */
  byVm: ReadonlyMap<string, DropVerdict> | null;
  /** The location path of the device being dragged (its row stays mounted in the virtual list); null when none. */
  path: string | null;
}

export const useDragVerdicts = create<DragVerdicts>(() => ({ byVm: null, path: null }));

/** Pure: each VM's verdict for the device at `path` (null when the inventory has no such device). */
export function verdictsFor(inv: Inventory, path: string): Map<string, DropVerdict> | null {
  const device = inv.devices.find((d) => d.locationPath === path);
  if (!device) return null;
  return new Map(inv.vms.map((vm) => [vm.name, dropVerdict(inv, device, vm)]));
}

let pending: ReturnType<typeof setTimeout> | null = null;

/**
 * Called when a drag starts (with the dragged path) and when it ends or is cancelled (null). The
 * verdicts are published in the next task: the drag's first frame is dnd-kit's own re-render of the rows
 * and cards, and the cards' notes (and the layout they change) come in a task of their own.
 */
export function setDraggedDevice(inv: Inventory | null, path: string | null): void {
  if (pending !== null) clearTimeout(pending);
  pending = null;
  if (!inv || !path) {
    useDragVerdicts.setState({ byVm: null, path: null });
    return;
  }
  pending = setTimeout(() => {
    pending = null;
    useDragVerdicts.setState({ byVm: verdictsFor(inv, path), path });
  }, 0);
}
