/** The operations slice: the open plan, its run and outcome, the activity log and interrupted operations. */
import type { StateCreator } from 'zustand';
import type { DdaBridge } from '../../../shared/bridge';
import { LOCAL_HOST_ID } from '../../../shared/hosts';
import type { PlanChoices } from '../../../shared/plan';
import { refusedPath, rememberRefusal, withConsents } from './transitions';
import type { DataOf, OperationsSlice, StoreState } from './types';

export const initialOperationsState: DataOf<OperationsSlice> = {
  plan: null,
  planInventory: null,
  planHost: LOCAL_HOST_ID,
  planning: false,
  planError: null,
  running: false,
  progress: {},
  outcome: null,
  activity: [],
  unfinished: [],
  forceRefused: {},
};

// "Start the VM again" starts ticked: the planner offers and honours it only for a VM that was running.
const noChoices: PlanChoices = { consents: [], startVmAfter: true };

export const operationsSlice =
  (bridge: DdaBridge): StateCreator<StoreState, [], [], OperationsSlice> =>
  (set, get) => {
    /** A look at the unfinished operations in flight; one asked for meanwhile is made after it. */
    let refreshing = false;
    let refreshAgain = false;
    const refreshOnce = async () => {
      const host = get().host;
      // Not the window's own last operation: its end read the host already.
      const own = get().outcome?.operationId;
      const runningBefore = new Set(
        get()
          .unfinished.filter((u) => u.running && u.operationId !== own)
          .map((u) => u.operationId),
      );
      const u = await bridge.getUnfinished({ host });
      if (!u.ok || get().host !== host) return;
      set({ unfinished: u.value });
      const stillRunning = u.value.filter((x) => x.running).map((x) => x.operationId);
      // The host it changed is read again, unless this window is running an operation of its own
      // (whose end reads it anyway).
      if ([...runningBefore].some((id) => !stillRunning.includes(id)) && !get().running) {
        await get().loadInventory(true);
        await get().loadHosts();
      }
    };
    return {
      ...initialOperationsState,
      async openPlan(intent, choices = noChoices) {
        if (get().lost) return; // never a plan on what was read before the host was lost
        const host = get().host;
        set({
          planning: true,
          plan: null,
          planInventory: get().inventory,
          planHost: host,
          planError: null,
          outcome: null,
          progress: {},
        });
        const r = await bridge.planOperation({ host, intent, choices });
        if (get().planHost !== host || !get().planning) return;
        set(r.ok ? { plan: r.value, planning: false } : { planError: r.error, planning: false });
      },
      async replan(choices, intent) {
        const cur = get().plan;
        if (!cur || get().running) return;
        const r = await bridge.planOperation({ host: get().planHost, intent: intent ?? cur.intent, choices });
        set(r.ok ? { plan: r.value } : { planError: r.error });
      },
      async runPlan() {
        const plan = get().plan;
        if (!plan || get().running) return;
        set({ running: true, progress: {}, outcome: null, planError: null });
        const host = get().planHost;
        const r = await bridge.runPlan({ host, planId: plan.id });
        if (r.ok) {
          set({ outcome: r.value, running: false });
          const refused = refusedPath(plan, r.value);
          if (refused) set({ forceRefused: rememberRefusal(get().forceRefused, host, refused) });
        } else set({ planError: r.error, running: false });
        await get().loadInventory(false);
      },
      async retryWithConsents(consents) {
        const cur = get().plan;
        if (!cur || get().running || !get().outcome) return;
        const host = get().planHost;
        set({ planning: true, planError: null });
        const r = await bridge.planOperation({
          host,
          intent: cur.intent,
          choices: withConsents(cur.choices, consents),
        });
        if (get().planHost !== host || get().plan !== cur) return; // closed or replaced meanwhile
        // The host is as it was (rolled back): the new plan starts a fresh run, shown on the inventory of now.
        set(
          r.ok
            ? {
                plan: r.value,
                planInventory: get().inventory ?? get().planInventory,
                outcome: null,
                progress: {},
                planning: false,
              }
            : { planError: r.error, planning: false },
        );
      },
      closePlan() {
        if (get().running) return; // closing never cancels a running operation
        set({ plan: null, planInventory: null, planError: null, outcome: null, progress: {}, planning: false });
      },
      async refreshUnfinished() {
        if (refreshing) {
          refreshAgain = true;
          return;
        }
        refreshing = true;
        try {
          do {
            refreshAgain = false;
            await refreshOnce();
          } while (refreshAgain);
        } finally {
          refreshing = false;
        }
      },
      async resolveUnfinished(operationId, action) {
        const host = get().host;
        await bridge.resolveUnfinished({ host, operationId, action });
        const u = await bridge.getUnfinished({ host });
        if (u.ok && get().host === host) set({ unfinished: u.value });
        await get().loadInventory(true);
        await get().loadHosts();
      },
    };
  };
