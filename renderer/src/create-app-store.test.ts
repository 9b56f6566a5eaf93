import { describe, expect, it } from 'vitest';
import type { ActivityEntry, AppInfo, Settings, UnfinishedOperation } from '../../shared/contract';
import { LOCAL_HOST_ID } from '../../shared/hosts';
import type { Inventory } from '../../shared/inventory';
import type { OperationOutcome } from '../../shared/plan';
import { ok } from '../../shared/result';
import { createAppStore, realClock } from './create-app-store';
import { flushTasks, testDevice, testHostSummary, testInventory, testVm } from '../../testing/test-builders';
import { fakeBridge } from './testing/fake-bridge';

const inventoryOf = (name: string): Inventory =>
  testInventory([testDevice('PCIROOT(0)#PCI(0100)')], [testVm('VM1')], { computerName: name });

/** A promise with its resolve outside, to decide when an answer arrives. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createAppStore on a fake bridge', () => {
  it('reads the inventory of the selected host and keeps a failure to show', async () => {
    const fake = fakeBridge({ getInventory: ({ host }) => ok(inventoryOf(host ?? '?')) });
    const store = createAppStore(fake.bridge);
    await store.getState().loadInventory(true);
    expect(store.getState().inventory?.host.computerName).toBe(LOCAL_HOST_ID);
    expect(fake.calls.find((c) => c.method === 'getInventory')?.input).toEqual({ host: LOCAL_HOST_ID, refresh: true });
    fake.answers.getInventory = () => ({ ok: false, error: { code: 'session', message: 'gone' } });
    await store.getState().loadInventory(false);
    expect(store.getState()).toMatchObject({ loading: false, loadError: { code: 'session' } });
  });

  it("drops a host's late inventory once another host is selected", async () => {
    const slow = deferred<ReturnType<typeof ok<Inventory>>>();
    const fake = fakeBridge({
      getInventory: ({ host }) => (host === 'hv02' ? slow.promise : ok(inventoryOf('local'))),
      getActivity: () => ok([]),
      getUnfinished: () => ok([]),
    });
    const store = createAppStore(fake.bridge);
    const toHv02 = store.getState().selectHost('hv02');
    const back = store.getState().selectHost(LOCAL_HOST_ID);
    await back;
    slow.resolve(ok(inventoryOf('hv02')));
    await toHv02;
    expect(store.getState().host).toBe(LOCAL_HOST_ID);
    expect(store.getState().inventory?.host.computerName).toBe('local');
  });

  it('goes back to the local host when the selected one was removed elsewhere', async () => {
    const fake = fakeBridge({
      listHosts: () => ok([testHostSummary(LOCAL_HOST_ID)]),
      getInventory: () => ok(inventoryOf('local')),
      getActivity: () => ok([]),
      getUnfinished: () => ok([]),
    });
    const store = createAppStore(fake.bridge);
    store.setState({ host: 'hv02' });
    await store.getState().loadHosts();
    expect(store.getState().host).toBe(LOCAL_HOST_ID);
  });

  it('start-up asks for the inventory at once, beside the settings, and shows it after them (in their language)', async () => {
    const settings = deferred<ReturnType<typeof ok<Settings>>>();
    let languageWhenShown: string | null = null;
    const fake = fakeBridge({
      getAppInfo: () => ok({ osLocale: 'en-US' } as AppInfo),
      getSettings: () => settings.promise,
      getActivity: () => ok([]),
      getUnfinished: () => ok([]),
      listHosts: () => ok([testHostSummary(LOCAL_HOST_ID)]),
      getInventory: () => ok(inventoryOf('local')),
    });
    const store = createAppStore(fake.bridge);
    store.subscribe((s, before) => {
      if (s.inventory && !before.inventory) languageWhenShown = s.language;
    });
    const started = store.getState().init();
    await flushTasks();
    expect(fake.calls.map((c) => c.method)).toContain('getInventory');
    expect(store.getState().inventory).toBeNull();
    settings.resolve(ok({ language: 'zh-CN', theme: 'dark', powershellPath: null, simulatorProfile: null }));
    await started;
    expect(store.getState().inventory?.host.computerName).toBe('local');
    expect(languageWhenShown).toBe('zh-CN');
    expect(fake.calls.filter((c) => c.method === 'getInventory')).toHaveLength(1);
  });

  it("start-up on a host removed meanwhile shows the local host's inventory, not the early answer", async () => {
    const fake = fakeBridge({
      listHosts: () => ok([testHostSummary(LOCAL_HOST_ID)]),
      getActivity: () => ok([]),
      getUnfinished: () => ok([]),
      getInventory: ({ host: h }) => ok(inventoryOf(h ?? '?')),
    });
    const store = createAppStore(fake.bridge);
    store.setState({ host: 'hv02' });
    await store.getState().init();
    expect(store.getState().host).toBe(LOCAL_HOST_ID);
    expect(store.getState().inventory?.host.computerName).toBe(LOCAL_HOST_ID);
  });

  it('shows pushed activity of the selected host only', () => {
    const store = createAppStore(fakeBridge().bridge);
    const entry = (id: string, h: string): ActivityEntry => ({
      id,
      at: '2026-11-30T08:00:00.000Z',
      host: h,
      hostName: h,
      kind: 'host',
      summary: id,
    });
    store.getState().handleEvent({ type: 'activity', entry: entry('1', LOCAL_HOST_ID) });
    store.getState().handleEvent({ type: 'activity', entry: entry('2', 'hv02') });
    expect(store.getState().activity.map((a) => a.id)).toEqual(['1']);
  });

  it('reads the hosts once for a burst of hosts-changed events, and once more for a change during the read', async () => {
    const gate = deferred<void>();
    let reads = 0;
    const fake = fakeBridge({
      listHosts: async () => (reads++, await gate.promise, ok([testHostSummary(LOCAL_HOST_ID)])),
    });
    const store = createAppStore(fake.bridge);
    for (let i = 0; i < 3; i++) store.getState().handleEvent({ type: 'hosts-changed' });
    await Promise.resolve();
    await Promise.resolve();
    store.getState().handleEvent({ type: 'hosts-changed' }); // during the read
    gate.resolve();
    await flushTasks();
    expect(reads).toBe(2);
  });

  it("another process's operation on the host on screen: its unfinished operations read again, once more for one told during that read", async () => {
    const gate = deferred<void>();
    let looks = 0;
    const fake = fakeBridge({
      listHosts: () => ok([testHostSummary(LOCAL_HOST_ID)]),
      getUnfinished: async () => (looks++, await gate.promise, ok([])),
    });
    const store = createAppStore(fake.bridge);
    store.getState().handleEvent({ type: 'operations-changed', host: 'hv02' }); // another host: its badge only
    await flushTasks();
    expect(looks).toBe(0);
    expect(fake.calls.filter((c) => c.method === 'listHosts')).toHaveLength(1);
    store.getState().handleEvent({ type: 'operations-changed', host: LOCAL_HOST_ID });
    await Promise.resolve();
    store.getState().handleEvent({ type: 'operations-changed', host: LOCAL_HOST_ID }); // during the look
    store.getState().handleEvent({ type: 'operations-changed', host: LOCAL_HOST_ID });
    gate.resolve();
    await flushTasks();
    expect(looks).toBe(2);
  });

  it("reads the host again when an operation it saw running elsewhere has ended, not when that was the window's own", async () => {
    const fake = fakeBridge({
      getUnfinished: () => ok([]),
      getInventory: () => ok(inventoryOf('HV01')),
      listHosts: () => ok([testHostSummary(LOCAL_HOST_ID)]),
    });
    const store = createAppStore(fake.bridge);
    const running = (operationId: string): UnfinishedOperation => ({
      operationId,
      title: 'Assign',
      startedAt: '2026-12-03T08:00:00.000Z',
      completedSteps: ['s1'],
      totalSteps: 6,
      running: 'process 42',
    });
    store.setState({ unfinished: [running('op-own')], outcome: { operationId: 'op-own' } as OperationOutcome });
    await store.getState().refreshUnfinished();
    expect(fake.calls.filter((c) => c.method === 'getInventory')).toHaveLength(0);
    store.setState({ unfinished: [running('op-beside')] });
    await store.getState().refreshUnfinished();
    expect(fake.calls.filter((c) => c.method === 'getInventory').map((c) => c.input)).toEqual([
      { host: LOCAL_HOST_ID, refresh: true },
    ]);
  });

  it("the app menu's export request exports the selected host through the Export button's own path", async () => {
    const saved: Array<[string, string]> = [];
    const fake = fakeBridge({
      exportActivity: ({ host }) => ok({ fileName: `log-${host}.log`, text: `activity of ${host}` }),
    });
    const store = createAppStore(fake.bridge, realClock, (fileName, text) => saved.push([fileName, text]));
    store.setState({ host: 'hv02' });
    store.getState().handleEvent({ type: 'export-activity-requested' });
    await flushTasks();
    expect(fake.calls.filter((c) => c.method === 'exportActivity').map((c) => c.input)).toEqual([{ host: 'hv02' }]);
    expect(saved).toEqual([['log-hv02.log', 'activity of hv02']]);
    await store.getState().exportActivity();
    expect(saved).toHaveLength(2);
    fake.answers.exportActivity = () => ({ ok: false, error: { code: 'session', message: 'gone' } });
    await store.getState().exportActivity();
    expect(saved).toHaveLength(2);
  });

  it('two stores never share state', async () => {
    const a = createAppStore(fakeBridge().bridge);
    const b = createAppStore(fakeBridge().bridge);
    a.getState().setSearch('nvme');
    expect(b.getState().search).toBe('');
  });

  it('looks at an operation another process runs again, and reads the host again once it has ended', async () => {
    const item: UnfinishedOperation = {
      operationId: 'op-1',
      title: 'Assign',
      startedAt: 'x',
      completedSteps: [],
      totalSteps: 3,
    };
    let listed: UnfinishedOperation[] = [
      { ...item, running: 'Its run is still going on in another DDA Studio window' },
    ];
    const fake = fakeBridge({
      getUnfinished: () => ok(listed),
      getInventory: () => ok(inventoryOf('local')),
      listHosts: () => ok([testHostSummary(LOCAL_HOST_ID)]),
    });
    const store = createAppStore(fake.bridge);
    await store.getState().refreshUnfinished();
    expect(store.getState().unfinished).toEqual(listed);
    const reads = () => fake.calls.filter((c) => c.method === 'getInventory' || c.method === 'listHosts').length;
    await store.getState().refreshUnfinished();
    expect(reads()).toBe(0); // still running: nothing else read
    listed = [item]; // it stopped half-way: offered for recovery, and the host it changed is read again
    await store.getState().refreshUnfinished();
    expect(store.getState().unfinished).toEqual([item]);
    expect(reads()).toBe(2);
  });

  it('never has two looks at the unfinished operations in flight (a slow host is not asked again and again); those asked for meanwhile make one more after it', async () => {
    const answers = [
      deferred<ReturnType<typeof ok<UnfinishedOperation[]>>>(),
      deferred<ReturnType<typeof ok<UnfinishedOperation[]>>>(),
    ];
    let inFlight = 0;
    let most = 0;
    let looks = 0;
    const fake = fakeBridge({
      getUnfinished: async () => {
        const answer = answers[looks++]!;
        most = Math.max(most, ++inFlight);
        const r = await answer.promise;
        inFlight--;
        return r;
      },
    });
    const store = createAppStore(fake.bridge);
    const first = store.getState().refreshUnfinished();
    await store.getState().refreshUnfinished();
    await store.getState().refreshUnfinished();
    answers[0]!.resolve(ok([]));
    await flushTasks();
    answers[1]!.resolve(ok([]));
    await first;
    expect([looks, most]).toEqual([2, 1]);
  });
});
