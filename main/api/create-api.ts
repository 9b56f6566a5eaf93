/**
 * The privileged side's implementation of the contract over a pool of hosts (the local one and the
 * remote ones the admin added): inventory, plans, runs, activity and recovery per host; the hosts
 * themselves; settings. Electron IPC and the browser-mode server both serve this object through
 * dispatch(); what differs between them (settings storage, elevation restart) comes in `shell`.
 * Composed of: the activity log (activity-log.ts), each host's inventory cache (inventory-cache.ts),
 * the look at open hosts' journals for other processes' operations (journal-watch.ts), errors named
 * by their host (host-names.ts) and coded by one table (error-codes.ts), and the host test every door
 * shares (hosts/host-test.ts).
 */
import type { AppInfo, HostSummary, HostTestResult, Settings } from '../../shared/contract';
import { describeTarget, LOCAL_HOST_ID, type RemoteTarget } from '../../shared/hosts';
import { prepareHost, recommendedSetupKinds } from '../hosts/prepare-host';
import { fail, ok, type Result } from '../../shared/result';
import { createActivityLog } from './activity-log';
import { activityText, operationText } from './activity-text';
import { InventoryError } from '../host/inventory-service';
import { untrustedReason } from '../host/recovery-checks';
import { clientSituation } from '../hosts/client-situation';
import type { HostPool, PooledHost } from '../hosts/host-pool';
import { testHostConnection } from '../hosts/host-test';
import { appVersion } from '../project-root';
import type { DdaApi, EventSink } from './api-types';
import { captureResult, doctorResult } from './diagnose-api';
import { errorCodeOf } from './error-codes';
import { createEventSink } from './event-sink';
import { namedMessage, namedResult } from './host-names';
import { createInventoryCache } from './inventory-cache';
import { operationLogResult } from './operation-log-api';
import { watchJournals } from './journal-watch';

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

/** The API and its event sink over a pool of hosts. */
export function createApi(pool: HostPool, shell: ShellHooks): { api: DdaApi; events: EventSink } {
  const events = createEventSink();
  const nameOf = (host: string) => pool.nameOf(host);
  const activity = createActivityLog(nameOf, events);
  const record = activity.record;
  const inventories = createInventoryCache(pool, activity, events, (h) => journals.readStarts(h));
  const read = inventories.read;
  // Operations another process journals on an open host (journal-watch.ts).
  const journals = watchJournals(pool, read, events);
  /** An operation or recovery of this process on a host: the host busy meanwhile, its end told however it ends. */
  const ownOperation = <T>(h: PooledHost, fn: () => Promise<T>): Promise<T> =>
    pool.track(h.id, () => fn().finally(() => journals.ownOperationEnded(h)));
  pool.on('status', (host, status, detail) =>
    events.emit({ type: 'session-status', host, status, ...(detail ? { detail } : {}) }),
  );
  pool.on('step', (host, operationId, planId, step) =>
    events.emit({ type: 'operation-progress', host, operationId, planId, step }),
  );
  pool.on('changed', (host) => events.emit({ type: 'hosts-changed', ...(host ? { host } : {}) }));

  /** Errors that are the admin's to read, as envelopes; anything else is a bug and reaches dispatch(). */
  const asFailure = <T>(what: string, host: string | null, e: unknown): Result<T> | null => {
    const code = errorCodeOf(e);
    if (!code) return null;
    const raw =
      e instanceof InventoryError && e.raw
        ? {
            message: e.raw.message,
            kind: e.raw.kind,
            ...(e.raw.computerName ? { computerName: e.raw.computerName } : {}),
          }
        : undefined;
    const message = namedMessage(nameOf, host, e instanceof Error ? e.message : String(e));
    if (host && code !== 'bad-request' && code !== 'not-found' && code !== 'internal') {
      record(host, { kind: 'error', summary: `${what}: ${message}` });
      if (code === 'session' || code === 'powershell-missing') pool.noteFailure(host, message);
    }
    return fail(code, message, raw);
  };
  const guard = async <T>(what: string, host: string | null, fn: () => Promise<Result<T>>): Promise<Result<T>> => {
    try {
      return await fn();
    } catch (e) {
      const r = asFailure<T>(what, host, e);
      if (r) return r;
      throw e;
    }
  };
  /** A per-host call: opens the host (lazily) and names it in errors. */
  const onHost = <T>(what: string, host: string, fn: (h: PooledHost) => Promise<Result<T>>): Promise<Result<T>> =>
    guard(what, host, async () => namedResult(nameOf, host, await fn(pool.get(host))));

  const summaryOf = (id: string, target: RemoteTarget | null): HostSummary => {
    const st = pool.statusOf(id);
    return {
      id,
      name: target ? target.name : (st.readiness?.computerName ?? null),
      description: target ? describeTarget(target) : '',
      transport: target ? target.transport : 'local',
      endpoint: target ? target.endpoint : 'full',
      state: st.state,
      lastError: st.lastError,
      hasStoredPassword: pool.hasPassword(id),
      readiness: st.readiness,
      unfinished: pool.unfinishedCount(id),
      target,
    };
  };

  /** Opens (or uses) a host and reads it: the connection, then one inventory round trip (hosts/host-test.ts). */
  const test = async (h: PooledHost, fresh: boolean): Promise<HostTestResult> =>
    (await testHostConnection(h, () => (fresh ? h.services.readInventory() : read(h)))).result;

  const api: DdaApi = {
    getAppInfo: async () =>
      ok({
        version: appVersion(),
        mode: shell.mode,
        platform: process.platform,
        osLocale: Intl.DateTimeFormat().resolvedOptions().locale,
        simulated: pool.local.simulated,
        powershell: { path: pool.local.powershell.path, source: pool.local.powershell.source },
        canRestartElevated: shell.canRestartElevated,
        passwordStore: pool.passwordStore,
      }),
    getInventory: ({ host, refresh }) =>
      onHost('Inventory', host, async (h) => {
        const cached = inventories.cached(h);
        return ok(!refresh && cached ? cached : await read(h));
      }),
    planOperation: ({ host, intent, choices }) =>
      onHost('Plan', host, async (h) => ok(await h.services.operations.plan(intent, choices))),
    runPlan: ({ host, planId }) =>
      onHost('Run', host, (h) =>
        ownOperation(h, async () => {
          const plan = h.services.operations.get(planId);
          const t0 = performance.now();
          const r = await h.services.operations.run(planId);
          if (r.ok) {
            record(host, {
              kind: 'operation',
              summary: `${plan?.title.en ?? 'Operation'}: ${r.value.status}`,
              text: operationText(plan?.title, r.value.status),
              durationMs: Math.round(performance.now() - t0),
              operationId: r.value.operationId,
              status: r.value.status,
            });
            await read(h).catch(() => undefined);
          } else record(host, { kind: 'error', summary: `${plan?.title.en ?? 'Operation'}: ${r.error.message}` });
          return r;
        }),
      ),
    getActivity: async ({ host }) => ok(activity.of(host)),
    exportActivity: ({ host }) =>
      onHost('Export', host, async (h) =>
        ok({
          fileName: `dda-studio-activity-${host === LOCAL_HOST_ID ? '' : `${host}-`}${new Date().toISOString().slice(0, 10)}.log`,
          text: h.services.journal.exportText(),
        }),
      ),
    getOperationLog: ({ host, operationId }) =>
      onHost('Operation log', host, (h) => operationLogResult(h, operationId)),
    getUnfinished: ({ host }) =>
      onHost('Recovery', host, async (h) => {
        // Another computer's operation (a roaming data folder) is shown as such, without its buttons. The
        // host's name comes from its inventory (the one in flight at start is joined, not read twice).
        const { operations } = h.services;
        const inv =
          operations.unfinished().length === 0 ? null : (inventories.cached(h) ?? (await read(h).catch(() => null)));
        const here = inv?.host.computerName ?? '';
        // Read after the host: one that ended during that read is not listed as interrupted.
        return ok(
          operations.unfinishedNow().map(({ record: o, running }) => {
            const untrusted = untrustedReason(o, here);
            return {
              operationId: o.op,
              title: o.plan.title.en,
              startedAt: o.startedAt,
              completedSteps: o.done,
              totalSteps: o.plan.steps.length,
              ...(untrusted ? { untrusted } : {}),
              ...(running ? { running } : {}),
            };
          }),
        );
      }),
    resolveUnfinished: ({ host, operationId, action }) =>
      onHost('Recovery', host, (h) =>
        ownOperation(h, async () => {
          const r = await h.services.operations.recover(operationId, action);
          if (r.ok) {
            record(host, {
              kind: 'recovery',
              summary: `Recovered ${operationId}: ${r.value.status}`,
              text: activityText('activityRecovered', {
                id: operationId,
                status: activityText(`opStatus_${r.value.status}`).en,
              }),
              operationId,
              status: r.value.status,
            });
            await read(h).catch(() => undefined);
          }
          return r;
        }),
      ),

    listHosts: () =>
      guard('Hosts', null, async () =>
        ok([summaryOf(LOCAL_HOST_ID, null), ...pool.targets().map((t) => summaryOf(t.id, t))]),
      ),
    saveHost: ({ target, password, forgetPassword }) =>
      guard('Save host', null, async () => {
        const isNew = !target.id || !pool.targets().some((t) => t.id === target.id);
        const saved = await pool.save(target, password, forgetPassword ?? false);
        record(saved.id, {
          kind: 'host',
          summary: `${isNew ? 'Host added' : 'Host changed'}: ${saved.name} (${describeTarget(saved)})`,
          text: activityText(isNew ? 'activityHostAdded' : 'activityHostChanged', {
            name: saved.name,
            target: describeTarget(saved),
          }),
        });
        return ok(summaryOf(saved.id, saved));
      }),
    testHost: ({ host, target, password }) =>
      guard('Test', host ?? null, async () => {
        if (host !== undefined) {
          const h = pool.get(host);
          const r = await test(h, false);
          record(host, {
            kind: 'test',
            summary: `Test: ${r.computerName}, PowerShell ${r.psEdition} ${r.psVersion}, ${r.roundTripMs} ms`,
            text: activityText('activityTest', {
              name: r.computerName,
              ps: `${r.psEdition} ${r.psVersion}`,
              ms: r.roundTripMs,
            }),
            durationMs: r.roundTripMs,
          });
          return ok(r);
        }
        // A definition not saved yet (or edited): its own connection, closed at the end.
        const temp = pool.openTemporary(target!, password);
        try {
          return ok(await test(temp.host, true));
        } catch (e) {
          const what = `${temp.target.name} (${describeTarget(temp.target)})`;
          if (e instanceof InventoryError)
            return fail(
              'session',
              e.message.includes(temp.target.name) ? e.message : `${what}: ${e.message}`,
              e.raw ? { message: e.raw.message, kind: e.raw.kind } : undefined,
            );
          throw e;
        } finally {
          await temp.close();
        }
      }),
    removeHost: ({ host }) =>
      guard('Remove host', null, async () => {
        if (host === LOCAL_HOST_ID) return fail('refused', 'The local host cannot be removed.');
        const name = pool.nameOf(host);
        const removed = await pool.remove(host);
        if (removed)
          record(host, {
            kind: 'host',
            summary: `Host removed: ${name}`,
            text: activityText('activityHostRemoved', { name }),
          });
        return ok({ removed });
      }),
    getPrepareCommands: ({ host }) =>
      guard('Prepare', null, async () => {
        const target = pool.target(host);
        if (!target) return fail('bad-request', 'The local host needs no remoting setup.');
        return ok({
          host,
          name: target.name,
          recommended: recommendedSetupKinds(target),
          setups: prepareHost(target, clientSituation(target)),
        });
      }),

    getSettings: async () => ok(shell.getSettings()),
    setSettings: async (patch) => ok(shell.setSettings(patch)),
    restartElevated: async () => ok({ restarting: await shell.restartElevated() }),
    runDoctor: ({ host }) => onHost('Doctor', host, doctorResult),
    captureHost: ({ host, anonymize }) => onHost('Host report', host, (h) => captureResult(h, host, anonymize)),
  };
  return { api, events };
}
