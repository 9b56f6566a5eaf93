/** One zustand store made of slices: inventory, operations, settings/ui. Components select what they need. */
import { create, type StateCreator } from 'zustand';
import type { ActivityEntry, AppInfo, DdaEvent, Language, UnfinishedOperation } from '../../shared/contract';
import type { Inventory } from '../../shared/inventory';
import type { AppError } from '../../shared/result';
import type { Intent, OperationOutcome, Plan, PlanChoices, StepResult } from '../../shared/plan';
import { languageFor } from '../../shared/i18n/messages';
import { bridge } from './bridge';

export type Filter = 'all' | 'assignable' | 'force' | 'not' | 'assigned';

interface InventorySlice {
  inventory: Inventory | null;
  loading: boolean;
  loadError: AppError | null;
  loadInventory(refresh: boolean): Promise<void>;
}

interface OperationsSlice {
  plan: Plan | null;
  planning: boolean;
  planError: AppError | null;
  running: boolean;
  progress: Record<string, StepResult>;
  outcome: OperationOutcome | null;
  activity: ActivityEntry[];
  unfinished: UnfinishedOperation[];
  openPlan(intent: Intent, choices?: PlanChoices): Promise<void>;
  replan(choices: PlanChoices): Promise<void>;
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
  setLanguage(l: Language): void;
  setTheme(t: 'system' | 'light' | 'dark'): void;
  setFilter(f: Filter): void;
  setSearch(s: string): void;
  select(path: string | null): void;
  handleEvent(e: DdaEvent): void;
  init(): Promise<void>;
}

export type StoreState = InventorySlice & OperationsSlice & UiSlice;

const inventorySlice: StateCreator<StoreState, [], [], InventorySlice> = (set) => ({
  inventory: null,
  loading: false,
  loadError: null,
  async loadInventory(refresh) {
    set({ loading: true });
    const r = await bridge.getInventory({ refresh });
    if (r.ok) set({ inventory: r.value, loading: false, loadError: null });
    else set({ loading: false, loadError: r.error });
  },
});

const noChoices: PlanChoices = { consents: [], startVmAfter: false };

const operationsSlice: StateCreator<StoreState, [], [], OperationsSlice> = (set, get) => ({
  plan: null,
  planning: false,
  planError: null,
  running: false,
  progress: {},
  outcome: null,
  activity: [],
  unfinished: [],
  async openPlan(intent, choices = noChoices) {
    set({ planning: true, plan: null, planError: null, outcome: null, progress: {} });
    const r = await bridge.planOperation({ intent, choices });
    set(r.ok ? { plan: r.value, planning: false } : { planError: r.error, planning: false });
  },
  async replan(choices) {
    const cur = get().plan;
    if (!cur || get().running) return;
    const r = await bridge.planOperation({ intent: cur.intent, choices });
    set(r.ok ? { plan: r.value } : { planError: r.error });
  },
  async runPlan() {
    const plan = get().plan;
    if (!plan || get().running) return;
    set({ running: true, progress: {}, outcome: null, planError: null });
    const r = await bridge.runPlan({ planId: plan.id });
    if (r.ok) set({ outcome: r.value, running: false });
    else set({ planError: r.error, running: false });
    await get().loadInventory(false);
  },
  closePlan() {
    if (get().running) return; // closing never cancels a running operation
    set({ plan: null, planError: null, outcome: null, progress: {}, planning: false });
  },
  async resolveUnfinished(operationId, action) {
    await bridge.resolveUnfinished({ operationId, action });
    const u = await bridge.getUnfinished({});
    if (u.ok) set({ unfinished: u.value });
    await get().loadInventory(true);
  },
});

const uiSlice: StateCreator<StoreState, [], [], UiSlice> = (set, get) => ({
  appInfo: null,
  language: languageFor(typeof navigator === 'undefined' ? 'en' : navigator.language),
  theme: 'system',
  filter: 'all',
  search: '',
  selected: null,
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
    if (e.type === 'operation-progress' && get().plan?.id === e.planId) set({ progress: { ...get().progress, [e.step.stepId]: e.step } });
    if (e.type === 'activity') set({ activity: [e.entry, ...get().activity].slice(0, 200) });
    if (e.type === 'inventory-changed' && get().inventory?.readAt !== e.readAt && !get().loading) void get().loadInventory(false);
  },
  async init() {
    const [info, settings, activity, unfinished] = await Promise.all([bridge.getAppInfo({}), bridge.getSettings({}), bridge.getActivity({}), bridge.getUnfinished({})]);
    if (info.ok) set({ appInfo: info.value, language: settings.ok && settings.value.language ? settings.value.language : languageFor(info.value.osLocale) });
    if (settings.ok) set({ theme: settings.value.theme });
    if (activity.ok) set({ activity: activity.value });
    if (unfinished.ok) set({ unfinished: unfinished.value });
    await get().loadInventory(false);
  },
});

/** The store. */
export const useStore = create<StoreState>()((...a) => ({ ...inventorySlice(...a), ...operationsSlice(...a), ...uiSlice(...a) }));

/** The translate function for the current language. */
export { translate } from '../../shared/i18n/messages';
