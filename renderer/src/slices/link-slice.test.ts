import { describe, expect, it } from 'vitest';
import { LOCAL_HOST_ID } from '../../../shared/hosts';
import type { Result } from '../../../shared/result';
import { ok } from '../../../shared/result';
import { createAppStore } from '../create-app-store';
import { flushTasks, testDevice, testHostSummary, testInventory, testVm } from '../../../testing/test-builders';
import { fakeBridge } from '../testing/fake-bridge';
import { manualClock } from '../testing/manual-clock';
import { backoffDelay, lostCauseOf } from './transitions';

const inv = (readAt: string) => testInventory([testDevice('PCIROOT(0)#PCI(0100)')], [testVm('VM1')], {}, readAt);
const gone: Result<never> = { ok: false, error: { code: 'unreachable', message: 'Failed to fetch' } };

/** A store on a server that answers until `down` is set. */
function setup() {
  const state = { down: false, readAt: '2026-11-30T08:00:00.000Z' };
  const fake = fakeBridge({
    listHosts: () => (state.down ? gone : ok([testHostSummary(LOCAL_HOST_ID)])),
    getInventory: () => (state.down ? gone : ok(inv(state.readAt))),
    getActivity: () => (state.down ? gone : ok([])),
    getUnfinished: () => (state.down ? gone : ok([])),
  });
  const clock = manualClock();
  const store = createAppStore(fake.bridge, clock);
  return { state, fake, clock, store };
}

describe('losing the server or the host', () => {
  it('tells a lost server, a lost host and other failures apart by code', () => {
    expect(lostCauseOf({ code: 'unreachable', message: '' })).toBe('server');
    expect(lostCauseOf({ code: 'session', message: '' })).toBe('host');
    expect(lostCauseOf({ code: 'powershell', message: '' })).toBeNull();
    expect(lostCauseOf({ code: 'refused', message: '' })).toBeNull();
  });

  it('backs off 1, 2, 4, 8, 16 s, then every 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('keeps the last inventory on screen, marks it lost, and plans nothing on it', async () => {
    const { state, fake, store } = setup();
    await store.getState().loadInventory(false);
    state.down = true;
    await store.getState().loadInventory(true);
    const s = store.getState();
    expect(s.inventory?.readAt).toBe('2026-11-30T08:00:00.000Z');
    expect(s.lost).toMatchObject({ cause: 'server', attempt: 0, retryInMs: 1000, since: '2026-11-30T08:30:00.000Z' });
    await s.openPlan({ kind: 'assign', locationPath: 'PCIROOT(0)#PCI(0100)', vmName: 'VM1' });
    expect(fake.calls.some((c) => c.method === 'planOperation')).toBe(false);
    expect(store.getState().plan).toBeNull();
  });

  it('does not call an unanswered hosts list a damaged hosts.json', async () => {
    const { state, store } = setup();
    state.down = true;
    await store.getState().loadHosts();
    expect(store.getState().hostsError).toBeNull();
    expect(store.getState().lost?.cause).toBe('server');
  });

  it('retries with a growing wait until the server answers, then reads everything afresh', async () => {
    const { state, fake, clock, store } = setup();
    await store.getState().loadInventory(false);
    state.down = true;
    store.getState().linkChanged(false);
    expect(clock.pending.map((p) => p.ms)).toEqual([1000]);
    clock.runNext();
    await flushTasks();
    expect(store.getState().lost).toMatchObject({ attempt: 1, retryInMs: 2000 });
    expect(clock.pending.map((p) => p.ms)).toEqual([2000]);
    state.down = false;
    state.readAt = '2026-11-30T08:31:00.000Z';
    const before = fake.calls.length;
    clock.runNext();
    await flushTasks();
    expect(store.getState().lost).toBeNull();
    expect(store.getState().inventory?.readAt).toBe('2026-11-30T08:31:00.000Z');
    const after = fake.calls.slice(before);
    expect(after.find((c) => c.method === 'getInventory')?.input).toEqual({ host: LOCAL_HOST_ID, refresh: true });
    expect(after.map((c) => c.method)).toEqual(expect.arrayContaining(['listHosts', 'getActivity', 'getUnfinished']));
    expect(clock.pending).toEqual([]);
  });

  it('reconnects at once when the event stream opens again, and cancels the pending wait', async () => {
    const { state, clock, store } = setup();
    await store.getState().loadInventory(false);
    state.down = true;
    store.getState().linkChanged(false);
    state.down = false;
    store.getState().linkChanged(true);
    await flushTasks();
    expect(store.getState().lost).toBeNull();
    expect(clock.pending).toEqual([]);
  });

  it('reads again, when the event stream first opens, what the server sent before anybody listened', async () => {
    const { fake, clock, store } = setup();
    const entry = {
      id: 'a1',
      at: '2026-11-30T08:00:01.000Z',
      host: LOCAL_HOST_ID,
      hostName: 'ML30',
      kind: 'inventory' as const,
      summary: 'Inventory of ML30',
    };
    fake.answers.getActivity = () => ok([entry]);
    store.getState().linkChanged(true);
    await flushTasks();
    expect(fake.calls.map((c) => c.method)).toEqual(['listHosts', 'getActivity', 'getUnfinished']);
    expect(store.getState().activity).toEqual([entry]);
    // Opened again with nothing new: the entry is kept once.
    store.getState().linkChanged(true);
    await flushTasks();
    expect(store.getState().activity).toEqual([entry]);
    expect(store.getState().lost).toBeNull();
    expect(clock.pending).toEqual([]);
  });

  it("notices the selected host's PowerShell failing for good, not another host's", () => {
    const { store } = setup();
    store.getState().handleEvent({ type: 'session-status', host: 'hv02', status: 'failed', detail: 'ssh exited' });
    expect(store.getState().lost).toBeNull();
    store.getState().handleEvent({ type: 'session-status', host: LOCAL_HOST_ID, status: 'restarting' });
    expect(store.getState().lost).toBeNull();
    store
      .getState()
      .handleEvent({ type: 'session-status', host: LOCAL_HOST_ID, status: 'failed', detail: 'ssh exited' });
    expect(store.getState().lost).toMatchObject({ cause: 'host', error: { code: 'session', message: 'ssh exited' } });
  });

  it('a lost server outranks a lost host, and one loss schedules one retry', () => {
    const { clock, store } = setup();
    store.getState().markLost('host', { code: 'session', message: 'a' });
    store.getState().markLost('server', null);
    store.getState().markLost('host', { code: 'session', message: 'b' });
    expect(store.getState().lost).toMatchObject({ cause: 'server', error: { message: 'b' } });
    expect(clock.pending).toHaveLength(1);
  });
});
