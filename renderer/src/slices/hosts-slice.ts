/** The hosts slice: the switcher's hosts, the selected one, and the host dialogs. */
import type { StateCreator } from 'zustand';
import type { DdaBridge } from '../../../shared/bridge';
import { LOCAL_HOST_ID } from '../../../shared/hosts';
import { hostSwitch, mergeActivity } from './transitions';
import type { DataOf, HostsSlice, StoreState } from './types';

export const initialHostsState: DataOf<HostsSlice> = {
  hosts: [],
  hostsError: null,
  host: LOCAL_HOST_ID,
  hostDialog: null,
};

export const hostsSlice =
  (bridge: DdaBridge): StateCreator<StoreState, [], [], HostsSlice> =>
  (set, get) => ({
    ...initialHostsState,
    async loadHosts() {
      const r = await bridge.listHosts({});
      // No answer from the server is not a damaged hosts.json: the link slice says so and reconnects.
      if (!r.ok)
        return r.error.code === 'unreachable' ? get().markLost('server', r.error) : set({ hostsError: r.error });
      set({ hosts: r.value, hostsError: null });
      // The selected host was removed (here or by the CLI): back to the local one.
      if (!r.value.some((h) => h.id === get().host)) await get().selectHost(LOCAL_HOST_ID);
    },
    async selectHost(id) {
      if (get().running) return; // a running operation keeps its host on screen
      if (get().lost?.cause === 'host') get().markFound(); // another host; its own load says whether it answers
      set(hostSwitch(id));
      const [activity, unfinished] = await Promise.all([
        bridge.getActivity({ host: id }),
        bridge.getUnfinished({ host: id }),
        get().loadInventory(false),
      ]);
      if (get().host !== id) return;
      if (activity.ok) set({ activity: mergeActivity(get().activity, activity.value) });
      if (unfinished.ok) set({ unfinished: unfinished.value });
    },
    openHostDialog: (hostDialog) => set({ hostDialog }),
    async saveHost(target, password, forgetPassword) {
      const r = await bridge.saveHost({
        target,
        ...(password ? { password } : {}),
        ...(forgetPassword ? { forgetPassword } : {}),
      });
      if (r.ok) {
        await get().loadHosts();
        // A changed definition means a new connection: read the host again if it is on screen.
        if (get().host === r.value.id) await get().selectHost(r.value.id);
      }
      return r;
    },
    async removeHost(id) {
      const r = await bridge.removeHost({ host: id });
      if (r.ok) {
        if (get().host === id) await get().selectHost(LOCAL_HOST_ID);
        await get().loadHosts();
      }
      return r;
    },
    async testHost(input) {
      const r = await bridge.testHost(input);
      await get().loadHosts();
      return r;
    },
    prepareCommands: (id) => bridge.getPrepareCommands({ host: id }),
  });
