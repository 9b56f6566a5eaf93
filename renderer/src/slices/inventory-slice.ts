/** The inventory slice: the selected host's devices and VMs, and whether reading them failed. */
import type { StateCreator } from 'zustand';
import type { DdaBridge } from '../../../shared/bridge';
import { lostCauseOf } from './transitions';
import type { DataOf, InventorySlice, StoreState } from './types';

export const initialInventoryState: DataOf<InventorySlice> = { inventory: null, loading: false, loadError: null };

export const inventorySlice =
  (bridge: DdaBridge): StateCreator<StoreState, [], [], InventorySlice> =>
  (set, get) => ({
    ...initialInventoryState,
    async loadInventory(refresh, asked) {
      const host = get().host;
      set({ loading: true });
      const r = await (asked ?? bridge.getInventory({ host, refresh }));
      if (get().host !== host) return; // the admin switched hosts meanwhile: that host's load decides
      if (r.ok) {
        set({ inventory: r.value, loading: false, loadError: null });
        get().markFound();
        return;
      }
      set({ loading: false, loadError: r.error });
      const cause = lostCauseOf(r.error);
      if (cause) get().markLost(cause, r.error);
    },
  });
