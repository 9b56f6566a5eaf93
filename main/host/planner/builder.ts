/** What a plan is built of while its intent is planned: steps, warnings, consents, a refusal. */
import type { Inventory } from '../../../shared/inventory';
import type {
  ConsentId,
  Intent,
  LocalizedText,
  Plan,
  PlanChoices,
  PlanStep,
  PlanWarning,
  PsAction,
  StepKind,
} from '../../../shared/plan';

/** VM settings an earlier assignment replaced (the values before it), so revert can put them back. */
export interface RememberedVmSettings {
  automaticStopAction?: string;
  guestControlledCacheTypes?: boolean;
  lowMemoryMappedIoSpace?: number;
  highMemoryMappedIoSpace?: number;
  dynamicMemoryEnabled?: boolean;
  /** The MMIO DDA Studio last set (the latest wins): a gap someone changed since is not put back. */
  setLowMemoryMappedIoSpace?: number;
  setHighMemoryMappedIoSpace?: number;
}

/** What the planner needs besides the intent: ids and time from outside (it is pure). */
export interface PlanOptions {
  planId: string;
  /** ISO time the plan is made (shown in the exported script). */
  now?: string;
  /** Settings per VM id, as the journal recorded them when an assignment changed them. */
  rememberedVmSettings?: Record<string, RememberedVmSettings>;
  /** Seconds the guest gets to shut down before the VM is turned off. */
  shutdownTimeoutSec?: number;
  /** Why the recorded VM settings were lost (their file was unreadable), or null. */
  rememberedVmSettingsLost?: string | null;
  /** Devices (location paths) this host refused to dismount with the mitigation check on, this session. */
  mitigationRefusals?: readonly string[];
}

/** How long a guest gets to shut down gracefully before it is turned off. */
export const DEFAULT_SHUTDOWN_TIMEOUT_SEC = 120;

/** The replaces key that marks a step putting back remembered settings (so they can be forgotten). */
export const RESTORING = 'restoring';

export class Builder {
  steps: PlanStep[] = [];
  warnings: PlanWarning[] = [];
  /** Consents this plan needs; a text here replaces the standard one (it names what is at stake). */
  consents = new Map<ConsentId, LocalizedText | null>();
  need(id: ConsentId, text: LocalizedText | null = null): void {
    if (!this.consents.get(id)) this.consents.set(id, text);
  }
  /** Needs a consent whose text lists every thing at stake (each device of the plan adds its own). */
  needAlso(id: ConsentId, text: LocalizedText): void {
    const had = this.consents.get(id);
    this.consents.set(id, had ? { en: `${had.en} ${text.en}`, 'zh-CN': `${had['zh-CN']}${text['zh-CN']}` } : text);
  }
  blocked: Plan['blocked'] = null;
  offersStartVmAfter = false;
  private n = 0;
  step(
    kind: StepKind,
    description: LocalizedText,
    action: PsAction,
    undo: PsAction | null,
    replaces?: Record<string, string | number | boolean>,
  ): void {
    this.steps.push({ id: `s${++this.n}`, kind, description, action, undo, ...(replaces ? { replaces } : {}) });
  }
  warn(code: string, severity: PlanWarning['severity'], text: LocalizedText): void {
    if (!this.warnings.some((w) => w.code === code && w.text.en === text.en))
      this.warnings.push({ code, severity, text });
  }
  block(code: string, text: LocalizedText): void {
    if (!this.blocked) this.blocked = { code, text };
  }
}

/** Everything an intent's planner works with. */
export interface Ctx {
  inv: Inventory;
  choices: PlanChoices;
  b: Builder;
  opts: PlanOptions;
  remembered: Record<string, RememberedVmSettings>;
  /** Plans another intent into the same plan (an assign that is a move, a move that is an assign). */
  plan(intent: Intent): LocalizedText;
}
