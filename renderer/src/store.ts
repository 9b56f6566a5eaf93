/**
 * One zustand store made of slices: hosts, inventory, operations, settings/ui. Components select what
 * they need. Every per-host view (devices, VMs, activity, plans, interrupted operations) shows the
 * selected host (`host`); switching hosts clears them and reads the new host's.
 */
import { create, type StateCreator } from 'zustand';
import type { ActivityEntry, AppInfo, DdaEvent, HostSummary, HostTargetInput, HostTestResult, Language, PrepareCommands, UnfinishedOperation } from '../../shared/contract';
import { LOCAL_HOST_ID } from '../../shared/hosts';
import type { Inventory } from '../../shared/inventory';
import type { AppError, Result } from '../../shared/result';
import type { ConsentId, Intent, OperationOutcome, Plan, PlanChoices, StepResult } from '../../shared/plan';
import { languageFor, type MessageKey } from '../../shared/i18n/messages';
import { bridge } from './bridge';

export type Filter = 'all' | 'assignable' | 'force' | 'not' | 'assigned';

/** Which host dialog is open: add, edit a host, prepare a host, or confirm a removal. */
export type HostDialog = { kind: 'add' } | { kind: 'edit'; id: string } | { kind: 'prepare'; id: string } | { kind: 'remove'; id: string } | null;

interface HostsSlice {
  hosts: HostSummary[];
  /** Why the list of hosts could not be read (e.g. a damaged hosts.json), if so. */
  hostsError: AppError | null;
  /** The selected host: every per-host view shows it. */
  host: string;
  hostDialog: HostDialog;
  loadHosts(): Promise<void>;
  selectHost(id: string): Promise<void>;
  openHostDialog(d: HostDialog): void;
  saveHost(target: HostTargetInput, password?: string, forgetPassword?: boolean): Promise<Result<HostSummary>>;
  removeHost(id: string): Promise<Result<{ removed: boolean }>>;
  testHost(input: { host: string } | { target: HostTargetInput; password?: string }): Promise<Result<HostTestResult>>;
  prepareCommands(id: string): Promise<Result<PrepareCommands>>;
}

interface InventorySlice {
  inventory: Inventory | null;
  loading: boolean;
  loadError: AppError | null;
  loadInventory(refresh: boolean): Promise<void>;
}

interface OperationsSlice {
  plan: Plan | null;
  /** The inventory on screen when the plan was asked for: its title names the target VM and its state as the admin saw them. */
  planInventory: Inventory | null;
  /** The host the open plan belongs to. */
  planHost: string;
  planning: boolean;
  planError: AppError | null;
  running: boolean;
  progress: Record<string, StepResult>;
  outcome: OperationOutcome | null;
  activity: ActivityEntry[];
  unfinished: UnfinishedOperation[];
  /**
   * Devices whose dismount the host refused this session for a reason the force consent lifts (no
   * vendor mitigation driver), per host, by upper-cased location path: their badge reads "needs -Force".
   */
  forceRefused: Record<string, string[]>;
  openPlan(intent: Intent, choices?: PlanChoices): Promise<void>;
  /** The open plan made again with other choices, or (the dialog's "Also assign …") another form of its intent. */
  replan(choices: PlanChoices, intent?: Intent): Promise<void>;
  /** After a run that ended rolled back: the same intent planned again with these consents added (nothing runs). */
  retryWithConsents(consents: ConsentId[]): Promise<void>;
  runPlan(): Promise<void>;
  closePlan(): void;
  resolveUnfinished(operationId: string, action: 'finish' | 'rollback'): Promise<void>;
}

interface UiSlice {
  appInfo: AppInfo | null;
  language: Language;
  theme: 'system' | 'light' | 'dark';
  filter: Filter;
  search: string;
  selected: string | null;
  /** A drop on a card that cannot take the device: which, and why (shown and announced until the next drag). */
  dropRefusal: { vm: string; device: string; reason: MessageKey } | null;
  setDropRefusal(r: { vm: string; device: string; reason: MessageKey } | null): void;
  setLanguage(l: Language): void;
  setTheme(t: 'system' | 'light' | 'dark'): void;
  setFilter(f: Filter): void;
  setSearch(s: string): void;
  select(path: string | null): void;
  handleEvent(e: DdaEvent): void;
  init(): Promise<void>;
}

export type StoreState = HostsSlice & InventorySlice & OperationsSlice & UiSlice;

/** Entries already pushed as events plus those read, once each, newest first. */
function mergeActivity(pushed: ActivityEntry[], read: ActivityEntry[]): ActivityEntry[] {
  const byId = new Map<string, ActivityEntry>();
  for (const a of [...read, ...pushed]) byId.set(a.id, a);
  return [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id) || b.at.localeCompare(a.at)).slice(0, 200);
}

const hostsSlice: StateCreator<StoreState, [], [], HostsSlice> = (set, get) => ({
  hosts: [],
  hostsError: null,
  host: LOCAL_HOST_ID,
  hostDialog: null,
  async loadHosts() {
    const r = await bridge.listHosts({});
    if (!r.ok) return set({ hostsError: r.error });
    set({ hosts: r.value, hostsError: null });
    // The selected host was removed (here or by the CLI): back to the local one.
    if (!r.value.some((h) => h.id === get().host)) await get().selectHost(LOCAL_HOST_ID);
  },
  async selectHost(id) {
    if (get().running) return; // a running operation keeps its host on screen
    set({ host: id, inventory: null, loadError: null, selected: null, dropRefusal: null, activity: [], unfinished: [], plan: null, planError: null, outcome: null, progress: {} });
    const [activity, unfinished] = await Promise.all([bridge.getActivity({ host: id }), bridge.getUnfinished({ host: id }), get().loadInventory(false)]);
    if (get().host !== id) return;
    if (activity.ok) set({ activity: mergeActivity(get().activity, activity.value) });
    if (unfinished.ok) set({ unfinished: unfinished.value });
  },
  openHostDialog: (hostDialog) => set({ hostDialog }),
  async saveHost(target, password, forgetPassword) {
    const r = await bridge.saveHost({ target, ...(password ? { password } : {}), ...(forgetPassword ? { forgetPassword } : {}) });
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

const inventorySlice: StateCreator<StoreState, [], [], InventorySlice> = (set, get) => ({
  inventory: null,
  loading: false,
  loadError: null,
  async loadInventory(refresh) {
    const host = get().host;
    set({ loading: true });
    const r = await bridge.getInventory({ host, refresh });
    if (get().host !== host) return; // the admin switched hosts meanwhile: that host's load decides
    if (r.ok) set({ inventory: r.value, loading: false, loadError: null });
    else set({ loading: false, loadError: r.error });
  },
});

/** The device a run's dismount was refused for, when the force consent could lift the refusal. */
function refusedPath(plan: Plan, outcome: OperationOutcome): string | null {
  if (outcome.status !== 'rolled-back' || outcome.error?.kind !== 'needs-mitigation-consent') return null;
  const step = plan.steps.find((s) => s.id === outcome.failedStepId);
  const fromStep = step?.action.params['LocationPath'];
  if (typeof fromStep === 'string') return fromStep.toUpperCase();
  return 'locationPath' in plan.intent ? plan.intent.locationPath.toUpperCase() : null;
}

// "Start the VM again" starts ticked: the planner offers and honours it only for a VM that was running.
const noChoices: PlanChoices = { consents: [], startVmAfter: true };

const operationsSlice: StateCreator<StoreState, [], [], OperationsSlice> = (set, get) => ({
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
  async openPlan(intent, choices = noChoices) {
    const host = get().host;
    set({ planning: true, plan: null, planInventory: get().inventory, planHost: host, planError: null, outcome: null, progress: {} });
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
      if (refused) {
        const known = get().forceRefused[host] ?? [];
        if (!known.includes(refused)) set({ forceRefused: { ...get().forceRefused, [host]: [...known, refused] } });
      }
    } else set({ planError: r.error, running: false });
    await get().loadInventory(false);
  },
  async retryWithConsents(consents) {
    const cur = get().plan;
    if (!cur || get().running || !get().outcome) return;
    const host = get().planHost;
    const choices: PlanChoices = { ...cur.choices, consents: [...new Set([...cur.choices.consents, ...consents])] };
    set({ planning: true, planError: null });
    const r = await bridge.planOperation({ host, intent: cur.intent, choices });
    if (get().planHost !== host || get().plan !== cur) return; // closed or replaced meanwhile
    // The host is as it was (rolled back): the new plan starts a fresh run, shown on the inventory of now.
    set(r.ok ? { plan: r.value, planInventory: get().inventory ?? get().planInventory, outcome: null, progress: {}, planning: false } : { planError: r.error, planning: false });
  },
  closePlan() {
    if (get().running) return; // closing never cancels a running operation
    set({ plan: null, planInventory: null, planError: null, outcome: null, progress: {}, planning: false });
  },
  async resolveUnfinished(operationId, action) {
    const host = get().host;
    await bridge.resolveUnfinished({ host, operationId, action });
    const u = await bridge.getUnfinished({ host });
    if (u.ok && get().host === host) set({ unfinished: u.value });
    await get().loadInventory(true);
    await get().loadHosts();
  },
});

let hostsReload: Promise<void> | null = null;
let hostsChangedAgain = false;

const uiSlice: StateCreator<StoreState, [], [], UiSlice> = (set, get) => ({
  appInfo: null,
  language: languageFor(typeof navigator === 'undefined' ? 'en' : navigator.language),
  theme: 'system',
  filter: 'all',
  search: '',
  selected: null,
  dropRefusal: null,
  setDropRefusal: (dropRefusal) => set({ dropRefusal }),
  setLanguage(language) {
    set({ language });
    void bridge.setSettings({ language });
  },
  setTheme(theme) {
    set({ theme });
    void bridge.setSettings({ theme });
  },
  setFilter: (filter) => set({ filter }),
  setSearch: (search) => set({ search }),
  select: (selected) => set({ selected }),
  handleEvent(e) {
    const host = get().host;
    if (e.type === 'operation-progress' && e.host === get().planHost && get().plan?.id === e.planId) set({ progress: { ...get().progress, [e.step.stepId]: e.step } });
    if (e.type === 'activity' && e.entry.host === host) set({ activity: [e.entry, ...get().activity].slice(0, 200) });
    if (e.type === 'inventory-changed' && e.host === host && get().inventory?.readAt !== e.readAt && !get().loading) void get().loadInventory(false);
    if (e.type === 'hosts-changed') {
      // Coalesce bursts (connecting, connected, readiness) into one re-read; a change that arrives while
      // it runs may not be in its answer, so it asks for one more.
      hostsChangedAgain = !!hostsReload;
      hostsReload ??= Promise.resolve().then(async () => {
        try {
          do {
            hostsChangedAgain = false;
            await get().loadHosts();
          } while (hostsChangedAgain);
        } finally {
          hostsReload = null;
        }
      });
    }
  },
  async init() {
    const host = get().host;
    const [info, settings, activity, unfinished] = await Promise.all([bridge.getAppInfo({}), bridge.getSettings({}), bridge.getActivity({ host }), bridge.getUnfinished({ host }), get().loadHosts()]);
    if (info.ok) set({ appInfo: info.value, language: settings.ok && settings.value.language ? settings.value.language : languageFor(info.value.osLocale) });
    if (settings.ok) set({ theme: settings.value.theme });
    if (activity.ok) set({ activity: mergeActivity(get().activity, activity.value) });
    if (unfinished.ok) set({ unfinished: unfinished.value });
    await get().loadInventory(false);
  },
});

/** The store. */
export const useStore = create<StoreState>()((...a) => ({ ...hostsSlice(...a), ...inventorySlice(...a), ...operationsSlice(...a), ...uiSlice(...a) }));

/** The translate function for the current language. */
export { translate } from '../../shared/i18n/messages';
