/**
 * Pure transitions of the store: each takes state (or an answer) and returns what changes, so the
 * slices stay thin and these are tested without a bridge.
 */
import type { ActivityEntry } from '../../../shared/contract';
import type { ConsentId, OperationOutcome, Plan, PlanChoices } from '../../../shared/plan';
import type { AppError } from '../../../shared/result';
import type { Lost, StoreState } from './types';

/** Entries already pushed as events plus those read, once each, newest first (at most 200). */
export function mergeActivity(pushed: ActivityEntry[], read: ActivityEntry[]): ActivityEntry[] {
  const byId = new Map<string, ActivityEntry>();
  for (const a of [...read, ...pushed]) byId.set(a.id, a);
  return [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id) || b.at.localeCompare(a.at)).slice(0, 200);
}

/** An entry pushed as an event, on top of the list (at most 200). */
export function pushActivity(list: ActivityEntry[], entry: ActivityEntry): ActivityEntry[] {
  return [entry, ...list.filter((a) => a.id !== entry.id)].slice(0, 200);
}

/** The wait before reconnect try `attempt` (0-based): 1 s, doubling, at most 30 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, Math.min(attempt, 15)));
}

/** Whether a failed call means the server or the host is gone (rather than a refusal or a bug). */
export function lostCauseOf(error: AppError): Lost['cause'] | null {
  return error.code === 'unreachable' ? 'server' : error.code === 'session' ? 'host' : null;
}

/** A new loss, or the one already noticed with the newer failure (a lost server outranks a lost host). */
export function noteLoss(cur: Lost | null, cause: Lost['cause'], error: AppError | null, now: Date): Lost {
  if (!cur) return { cause, since: now.toISOString(), error, attempt: 0, retryInMs: null };
  return { ...cur, cause: cur.cause === 'server' || cause === 'server' ? 'server' : 'host', error: error ?? cur.error };
}

/** Switching to host `id`: every per-host view is cleared until that host's are read. */
export function hostSwitch(id: string): Partial<StoreState> {
  return {
    host: id,
    inventory: null,
    loadError: null,
    selected: null,
    dropRefusal: null,
    activity: [],
    unfinished: [],
    plan: null,
    planError: null,
    outcome: null,
    progress: {},
  };
}

/** The device a run's dismount was refused for, when the force consent could lift the refusal. */
export function refusedPath(plan: Plan, outcome: OperationOutcome): string | null {
  if (outcome.status !== 'rolled-back' || outcome.error?.kind !== 'needs-mitigation-consent') return null;
  const step = plan.steps.find((s) => s.id === outcome.failedStepId);
  const fromStep = step?.action.params['LocationPath'];
  if (typeof fromStep === 'string') return fromStep.toUpperCase();
  return 'locationPath' in plan.intent ? plan.intent.locationPath.toUpperCase() : null;
}

/** `forceRefused` with `path` remembered for `host` (unchanged, the same object, when already known). */
export function rememberRefusal(
  forceRefused: Record<string, string[]>,
  host: string,
  path: string,
): Record<string, string[]> {
  const known = forceRefused[host] ?? [];
  return known.includes(path) ? forceRefused : { ...forceRefused, [host]: [...known, path] };
}

/** The same choices with `consents` added, each once. */
export function withConsents(choices: PlanChoices, consents: readonly ConsentId[]): PlanChoices {
  return { ...choices, consents: [...new Set([...choices.consents, ...consents])] };
}
