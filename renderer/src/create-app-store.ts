/**
 * The store factory: one zustand store made of slices (hosts, inventory, operations, ui), talking to
 * the main process only through the bridge it is given, so tests pass a fake one. Every per-host view
 * (devices, VMs, activity, plans, interrupted operations) shows the selected host (`host`); switching
 * hosts clears them and reads the new host's.
 */
import { create } from 'zustand';
import { hostsSlice } from './slices/hosts-slice';
import { inventorySlice } from './slices/inventory-slice';
import { operationsSlice } from './slices/operations-slice';
import { linkSlice } from './slices/link-slice';
import { downloadFile } from './save-file';
import type { AppBridge, SaveFile, StoreClock, StoreState } from './slices/types';
import { uiSlice } from './slices/ui-slice';

/** Real time: retries on timers, the wall clock. */
export const realClock: StoreClock = {
  schedule(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
  now: () => new Date(),
};

/** The store on a bridge; `save` is how it saves a file for the admin (default: the page's download). */
export function createAppStore(bridge: AppBridge, clock: StoreClock = realClock, save: SaveFile = downloadFile) {
  return create<StoreState>()((...a) => ({
    ...hostsSlice(bridge)(...a),
    ...inventorySlice(bridge)(...a),
    ...operationsSlice(bridge)(...a),
    ...uiSlice(bridge, save)(...a),
    ...linkSlice(bridge, clock)(...a),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
