/**
 * The privileged side's implementation of the contract over one host connection: inventory, plans,
 * runs, activity, recovery, settings. Electron IPC and the browser-mode server both serve this object
 * through dispatch(); what differs between them (settings storage, elevation restart) comes in `shell`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityEntry, AppInfo, Settings } from '../../shared/contract';
import type { Inventory } from '../../shared/inventory';
import { fail, ok, type Result } from '../../shared/result';
import { InventoryError } from '../host/inventory-service';
import type { HostConnection } from '../host/host-connection';
import { hostServices } from '../host/host-services';
import { projectRoot } from '../project-root';
import type { DdaApi, EventSink } from './api-types';
import { createEventSink } from './event-sink';

/** What the shell around the API provides: where settings live and how to restart elevated. */
export interface ShellHooks {
  mode: AppInfo['mode'];
  getSettings(): Settings;
  setSettings(patch: Partial<Settings>): Settings;
  canRestartElevated: boolean;
  restartElevated(): Promise<boolean>;
}

/** In-memory settings for shells that keep none (browser mode, tests). */
export function memoryShellHooks(mode: AppInfo['mode'] = 'browser'): ShellHooks {
  let settings: Settings = { language: null, theme: 'system', powershellPath: null, simulatorProfile: null };
  return {
    mode,
    getSettings: () => settings,
    setSettings: (patch) => (settings = { ...settings, ...patch }),
    canRestartElevated: false,
    restartElevated: async () => false,
  };
}

const MAX_ACTIVITY = 200;
/** The app version from package.json (read when asked, so bundles can set DDA_PROJECT_ROOT first). */
function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The API and its event sink for one host. */
export function createApi(host: HostConnection, shell: ShellHooks): { api: DdaApi; events: EventSink } {
  const events = createEventSink();
  const services = hostServices(host, (operationId, planId, step) => events.emit({ type: 'operation-progress', operationId, planId, step }));
  const activity: ActivityEntry[] = [];
  let seq = 0;
  const record = (entry: Omit<ActivityEntry, 'id' | 'at'>): void => {
    const full: ActivityEntry = { id: String(++seq), at: new Date().toISOString(), ...entry };
    activity.unshift(full);
    activity.length = Math.min(activity.length, MAX_ACTIVITY);
    events.emit({ type: 'activity', entry: full });
  };
  host.session.on('status', (status: string, detail?: string) => events.emit({ type: 'session-status', status, ...(detail ? { detail } : {}) }));

  let cached: Inventory | null = null;
  let inflight: Promise<Inventory> | null = null;
  const read = async (): Promise<Inventory> => {
    if (!inflight) {
      events.emit({ type: 'inventory-progress', phase: 'reading' });
      const t0 = performance.now();
      inflight = services
        .readInventory()
        .then((inv) => {
          cached = inv;
          record({ kind: 'inventory', summary: `Inventory of ${inv.host.computerName}: ${inv.devices.length} devices, ${inv.vms.length} VMs`, durationMs: Math.round(performance.now() - t0) });
          events.emit({ type: 'inventory-changed', readAt: inv.readAt });
          return inv;
        })
        .finally(() => {
          inflight = null;
        });
    }
    return inflight;
  };
  const guard = async <T>(what: string, fn: () => Promise<Result<T>>): Promise<Result<T>> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof InventoryError) {
        record({ kind: 'error', summary: `${what}: ${e.message}` });
        return fail(e.raw?.kind === 'not-started' ? 'powershell-missing' : 'powershell', e.message, e.raw ? { message: e.raw.message, kind: e.raw.kind } : undefined);
      }
      throw e;
    }
  };

  const api: DdaApi = {
    getAppInfo: async () =>
      ok({
        version: appVersion(),
        mode: shell.mode,
        platform: process.platform,
        osLocale: Intl.DateTimeFormat().resolvedOptions().locale,
        simulated: host.simulated,
        powershell: { path: host.powershell.path, source: host.powershell.source },
        canRestartElevated: shell.canRestartElevated,
      }),
    getInventory: ({ refresh }) => guard('Inventory', async () => ok(!refresh && cached ? cached : await read())),
    planOperation: ({ intent, choices }) => guard('Plan', async () => ok(await services.operations.plan(intent, choices))),
    runPlan: ({ planId }) =>
      guard('Run', async () => {
        const plan = services.operations.get(planId);
        const t0 = performance.now();
        const r = await services.operations.run(planId);
        if (r.ok) {
          record({ kind: 'operation', summary: `${plan?.title.en ?? 'Operation'}: ${r.value.status}`, durationMs: Math.round(performance.now() - t0), operationId: r.value.operationId, status: r.value.status });
          await read().catch(() => undefined);
        } else record({ kind: 'error', summary: `${plan?.title.en ?? 'Operation'}: ${r.error.message}` });
        return r;
      }),
    getActivity: async () => ok([...activity]),
    exportActivity: async () => ok({ fileName: `dda-studio-activity-${new Date().toISOString().slice(0, 10)}.log`, text: services.journal.exportText() }),
    getUnfinished: async () =>
      ok(services.operations.unfinished().map((o) => ({ operationId: o.op, title: o.plan.title.en, startedAt: o.startedAt, completedSteps: o.done, totalSteps: o.plan.steps.length }))),
    resolveUnfinished: ({ operationId, action }) =>
      guard('Recovery', async () => {
        const r = await services.operations.recover(operationId, action);
        if (r.ok) {
          record({ kind: 'recovery', summary: `Recovered ${operationId}: ${r.value.status}`, operationId, status: r.value.status });
          await read().catch(() => undefined);
        }
        return r;
      }),
    getSettings: async () => ok(shell.getSettings()),
    setSettings: async (patch) => ok(shell.setSettings(patch)),
    restartElevated: async () => ok({ restarting: await shell.restartElevated() }),
  };
  return { api, events };
}
