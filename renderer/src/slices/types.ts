/** The store's shape: one interface per slice, joined into `StoreState`. */
import type { DdaBridge } from '../../../shared/bridge';
import type {
  ActivityEntry,
  AppInfo,
  DdaEvent,
  HostSummary,
  HostTargetInput,
  HostTestResult,
  Language,
  PrepareCommands,
  UnfinishedOperation,
} from '../../../shared/contract';
import type { Inventory } from '../../../shared/inventory';
import type { AppError, Result } from '../../../shared/result';
import type { ConsentId, Intent, OperationOutcome, Plan, PlanChoices, StepResult } from '../../../shared/plan';
import type { MessageKey } from '../../../shared/i18n/messages';

/** The bridge, and in browser mode the server link's ups and downs (its event stream errors or opens again). */
export type AppBridge = DdaBridge & { onLinkChange?(listener: (up: boolean) => void): () => void };

/** What the store needs of time: scheduling a retry (cancellable) and the clock. Tests pass their own. */
export interface StoreClock {
  schedule(ms: number, fn: () => void): () => void;
  now(): Date;
}

/** How the store saves a file for the admin (the page's download; tests pass their own). */
export type SaveFile = (fileName: string, text: string) => void;

export type Filter = 'all' | 'assignable' | 'force' | 'not' | 'assigned';

/** Which host dialog is open: add, edit a host, prepare a host, or confirm a removal. */
export type HostDialog =
  | { kind: 'add' }
  | { kind: 'edit'; id: string }
  | { kind: 'prepare'; id: string }
  | { kind: 'remove'; id: string }
  | null;

export interface HostsSlice {
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

export interface InventorySlice {
  inventory: Inventory | null;
  loading: boolean;
  loadError: AppError | null;
  /** Reads the selected host's inventory; `asked`: its answer already asked for (at start-up, beside the rest). */
  loadInventory(refresh: boolean, asked?: Promise<Result<Inventory>>): Promise<void>;
}

export interface OperationsSlice {
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
  /**
   * Reads the unfinished operations again (polled while one runs in another process); when one of
   * those has ended or stopped, the host it changed is read again too.
   */
  refreshUnfinished(): Promise<void>;
}

export interface UiSlice {
  appInfo: AppInfo | null;
  language: Language;
  theme: 'system' | 'light' | 'dark';
  filter: Filter;
  search: string;
  /** Root ports and bridges listed too (hidden by default: they are never assigned). */
  showBridges: boolean;
  selected: string | null;
  /** A drop on a card that cannot take the device: which, and why (shown and announced until the next drag). */
  dropRefusal: { vm: string; device: string; reason: MessageKey } | null;
  setDropRefusal(r: { vm: string; device: string; reason: MessageKey } | null): void;
  setLanguage(l: Language): void;
  setTheme(t: 'system' | 'light' | 'dark'): void;
  setFilter(f: Filter): void;
  setSearch(s: string): void;
  setShowBridges(show: boolean): void;
  select(path: string | null): void;
  handleEvent(e: DdaEvent): void;
  /** Exports the selected host's activity log as a file (the Export button and the app menu's item). */
  exportActivity(): Promise<void>;
  init(): Promise<void>;
}

/**
 * The host is lost: the app's server (browser mode) or the host's connection stopped answering. What
 * was read stays on screen, greyed and not actionable, while the store reconnects with a backoff.
 */
export interface Lost {
  cause: 'server' | 'host';
  /** When it was noticed (ISO). */
  since: string;
  /** The last failure, when one was answered (none when the server's event stream dropped). */
  error: AppError | null;
  /** Failed reconnects so far. */
  attempt: number;
  /** The wait before the next try, or null while a try runs. */
  retryInMs: number | null;
}

export interface LinkSlice {
  lost: Lost | null;
  reconnecting: boolean;
  /** Something failed as a lost host or server does: marks it lost and starts reconnecting (once). */
  markLost(cause: Lost['cause'], error: AppError | null): void;
  /** The selected host answered: no longer lost, no retry pending. */
  markFound(): void;
  /** Tries now: the hosts, then the inventory read afresh; on success also the activity and interrupted operations. */
  reconnectNow(): Promise<void>;
  /** The server link went down, or the event stream opened (browser mode: the first time too). */
  linkChanged(up: boolean): void;
}

export type StoreState = HostsSlice & InventorySlice & OperationsSlice & UiSlice & LinkSlice;

/** Only the state of a slice (what its initial state spells), without its actions. */
export type DataOf<S> = { [K in keyof S as S[K] extends (...args: never[]) => unknown ? never : K]: S[K] };
