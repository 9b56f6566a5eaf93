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
  /** VM Id -> the verdict for the device being dragged; null when no drag is on. */
  byVm: ReadonlyMap<string, DropVerdict> | null;
  /** The location path of the device being dragged (its row stays mounted in the virtual list); null when none. */
  path: string | null;
  /** The Id of the VM a chip is dragged off (its card stays mounted); null for a device row. */
  fromVm: string | null;
}

export const useDragVerdicts = create<DragVerdicts>(() => ({ byVm: null, path: null, fromVm: null }));

/** Pure: each VM's verdict for the device at `path` (null when the inventory has no such device). */
export function verdictsFor(inv: Inventory, path: string): Map<string, DropVerdict> | null {
  const device = inv.devices.find((d) => d.locationPath === path);
  if (!device) return null;
  return new Map(inv.vms.map((vm) => [vm.id, dropVerdict(inv, device, vm)]));
}

/** Counts drags: a drag's verdicts are published only while it is the latest. */
let drag = 0;

/**
 * Called when a drag starts (with the dragged path) and when it ends or is cancelled (null). The
 * verdicts are published after the drag's first frame: that frame is dnd-kit's own work (every row and
 * card rendered again, every card measured), and the cards' notes and the layout they change come in a
 * task of their own. At the end they go at once.
 */
export function setDraggedDevice(inv: Inventory | null, path: string | null, fromVm: string | null = null): void {
  const current = ++drag;
  if (!inv || !path) {
    useDragVerdicts.setState({ byVm: null, path: null, fromVm: null });
    return;
  }
  requestAnimationFrame(() =>
    setTimeout(() => {
      if (current === drag) useDragVerdicts.setState({ byVm: verdictsFor(inv, path), path, fromVm });
    }, 0),
  );
}
