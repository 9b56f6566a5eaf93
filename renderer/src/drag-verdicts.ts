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
}

export const useDragVerdicts = create<DragVerdicts>(() => ({ byVm: null }));

/** Pure: each VM's verdict for the device at `path` (null when the inventory has no such device). */
export function verdictsFor(inv: Inventory, path: string): Map<string, DropVerdict> | null {
  const device = inv.devices.find((d) => d.locationPath === path);
  if (!device) return null;
  return new Map(inv.vms.map((vm) => [vm.name, dropVerdict(inv, device, vm)]));
}

/** Called when a drag starts (with the dragged path) and when it ends or is cancelled (null). */
export function setDraggedDevice(inv: Inventory | null, path: string | null): void {
  useDragVerdicts.setState({ byVm: inv && path ? verdictsFor(inv, path) : null });
}
