/**
 * The store factory: one zustand store made of slices (hosts, inventory, operations, ui), talking to
 * the main process only through the bridge it is given, so tests pass a fake one. Every per-host view
 * (devices, VMs, activity, plans, interrupted operations) shows the selected host (`host`); switching
 * hosts clears them and reads the new host's.
 */
import { create } from 'zustand';
import type { DdaBridge } from '../../shared/bridge';
import { hostsSlice } from './slices/hosts-slice';
import { inventorySlice } from './slices/inventory-slice';
import { operationsSlice } from './slices/operations-slice';
import type { StoreState } from './slices/types';
import { uiSlice } from './slices/ui-slice';

export function createAppStore(bridge: DdaBridge) {
  return create<StoreState>()((...a) => ({ ...hostsSlice(bridge)(...a), ...inventorySlice(bridge)(...a), ...operationsSlice(bridge)(...a), ...uiSlice(bridge)(...a) }));
}

export type AppStore = ReturnType<typeof createAppStore>;
