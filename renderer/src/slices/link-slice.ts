/**
 * The link slice: noticing that the server (browser mode) or the selected host stopped answering, and
 * reconnecting by itself with a backoff (1 s, 2 s, 4 s … 30 s), at once when the server's event stream
 * opens again. While lost, the last inventory stays on screen, greyed, and nothing can be planned on it.
 * Browser mode's event stream opens a moment after the page's first calls: what the server sent before
 * (a host now connected, the inventory's activity entry) is read again each time it opens.
 */
import type { StateCreator } from 'zustand';
import type { AppBridge, DataOf, LinkSlice, StoreClock, StoreState } from './types';
import { backoffDelay, mergeActivity, noteLoss } from './transitions';

export const initialLinkState: DataOf<LinkSlice> = { lost: null, reconnecting: false };

export const linkSlice =
  (bridge: AppBridge, clock: StoreClock): StateCreator<StoreState, [], [], LinkSlice> =>
  (set, get) => {
    let cancelRetry: (() => void) | null = null;
    const stopRetry = () => {
      cancelRetry?.();
      cancelRetry = null;
    };
    const scheduleRetry = () => {
      const lost = get().lost;
      if (!lost) return;
      stopRetry();
      const ms = backoffDelay(lost.attempt);
      set({ lost: { ...lost, retryInMs: ms } });
      cancelRetry = clock.schedule(ms, () => {
        cancelRetry = null;
        void get().reconnectNow();
      });
    };
    /** The activity and the interrupted operations, which events would have told while nobody listened. */
    const readMissed = async () => {
      const host = get().host;
      const [activity, unfinished] = await Promise.all([bridge.getActivity({ host }), bridge.getUnfinished({ host })]);
      if (get().host !== host) return;
      if (activity.ok) set({ activity: mergeActivity(get().activity, activity.value) });
      if (unfinished.ok) set({ unfinished: unfinished.value });
    };
    return {
      ...initialLinkState,
      markLost(cause, error) {
        const first = !get().lost;
        set({ lost: noteLoss(get().lost, cause, error, clock.now()) });
        if (first && !get().reconnecting) scheduleRetry();
      },
      markFound() {
        stopRetry();
        if (get().lost) set({ lost: null });
      },
      async reconnectNow() {
        if (get().reconnecting || !get().lost) return;
        stopRetry();
        set({ reconnecting: true, lost: { ...get().lost!, retryInMs: null } });
        await get().loadHosts();
        await get().loadInventory(true);
        set({ reconnecting: false });
        const lost = get().lost;
        if (lost) {
          set({ lost: { ...lost, attempt: lost.attempt + 1 } });
          return scheduleRetry();
        }
        // Back: what happened meanwhile (another window, the CLI) is read too.
        await readMissed();
      },
      linkChanged(up) {
        if (!up) get().markLost('server', null);
        else if (get().lost) void get().reconnectNow();
        else void get().loadHosts().then(readMissed);
      },
    };
  };
