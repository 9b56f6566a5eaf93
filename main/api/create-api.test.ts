/**
 * The API over a pool of two simulated hosts on the real pwsh (the "remote" one opened by the pool
 * like a remote host, but as a local simulated session): every per-host method goes to its host,
 * events and activity name the host, host management, tests and the prepare helper.
 */
import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DdaEvent } from '../../shared/contract';
import { openHost, type HostConnection } from '../host/host-connection';
import { Journal } from '../host/journal';
import { leaseFile } from '../host/operation-lease';
import { LOCAL_HOST_ID } from '../../shared/hosts';
import { memoryMeasurementStore } from '../host/measurement-store';
import { freshState } from '../../testing/test-support';
import { createHostPool } from '../hosts/host-pool';
import { hostsFile } from '../hosts/host-registry';
import type { ScriptRunner } from '../powershell/session-types';
import { dispatch } from './dispatch';
import { createApi, memoryShellHooks } from './create-api';

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const stateA = freshState('ml30-connectx4');
const stateB = freshState('ml30-connectx4', (s) => (s.host.computerName = 'HV-B'));
const local = openHost({ simState: stateA });

/** A host that cannot be reached: every call is a connection error naming it. */
function unreachable(name: string, dataDir: string): HostConnection {
  const runner: ScriptRunner = {
    invoke: async () => ({
      ok: false,
      error: {
        kind: 'connection',
        message: `Cannot connect to ${name} (10.9.9.9): Connection refused`,
        computerName: name,
      },
      errors: [],
      durationMs: 3,
    }),
    dispose: async () => undefined,
  };
  return {
    hostId: name,
    remote: null,
    session: Object.assign(new EventEmitter(), runner),
    runner,
    simulated: false,
    simState: null,
    dataDir,
    measurements: memoryMeasurementStore(),
    powershell: { path: 'pwsh', source: 'path' },
    close: async () => undefined,
  } as unknown as HostConnection;
}

const opened: HostConnection[] = [];
const pool = createHostPool(local, {
  open: (target, _password, dataDir) => {
    const address = target.transport === 'ssh' ? target.hostName : target.computerName;
    const c =
      address === '10.9.9.9'
        ? unreachable(target.name, dataDir)
        : { ...openHost({ simState: stateB, dataDir }), hostId: target.id, remote: target };
    opened.push(c);
    return c;
  },
});
const { api, events } = createApi(pool, memoryShellHooks('browser'));
const seen: DdaEvent[] = [];
events.subscribe((e) => seen.push(e));
afterAll(() => pool.dispose());
const call = (method: string, input: unknown) => dispatch(api, method, input);

/** Plans an assignment on the local host and journals its start (its first step in flight) as `op` in `journal`. */
async function journalStarted(journal: string, op: string): Promise<void> {
  const plan = await call('planOperation', {
    intent: { kind: 'assign', locationPath: CX4, vmName: 'Router-01' },
    choices: { consents: [], startVmAfter: false },
  });
  if (!plan.ok) throw new Error(plan.error.message);
  const p = plan.value as { id: string; steps: Array<{ id: string }> };
  const at = new Date().toISOString();
  appendFileSync(
    journal,
    [
      { t: 'op-start', op, at, plan: p },
      { t: 'step-start', op, at, step: p.steps[0]!.id },
    ]
      .map((r) => JSON.stringify(r) + '\n')
      .join(''),
  );
}

describe('the API over several hosts', () => {
  it('lists the local host first, then the saved ones, never with a password', async () => {
    const saved = await call('saveHost', {
      target: { transport: 'ssh', name: 'Host B', hostName: '127.0.0.3', userName: 'root' },
    });
    expect(saved).toMatchObject({
      ok: true,
      value: {
        id: 'host-b',
        name: 'Host B',
        description: 'ssh root@127.0.0.3',
        transport: 'ssh',
        endpoint: 'full',
        state: 'idle',
        hasStoredPassword: false,
      },
    });
    const list = await call('listHosts', {});
    expect(list.ok && (list.value as Array<{ id: string }>).map((h) => h.id)).toEqual(['local', 'host-b']);
    expect(list).toMatchObject({
      ok: true,
      value: [{ id: 'local', transport: 'local', target: null }, { id: 'host-b' }],
    });
  });

  it('each host answers for itself: inventories side by side, an assignment on B leaves A byte for byte', async () => {
    const before = readFileSync(stateA, 'utf8');
    const a = await call('getInventory', { refresh: false }); // no host: the local one
    const b = await call('getInventory', { host: 'host-b', refresh: false });
    expect(a).toMatchObject({ ok: true, value: { host: { computerName: 'ML30-GEN10' } } });
    expect(b).toMatchObject({ ok: true, value: { host: { computerName: 'HV-B' } } });
    const plan = await call('planOperation', {
      host: 'host-b',
      intent: { kind: 'assign', locationPath: CX4, vmName: 'Router-01' },
      choices: { consents: [], startVmAfter: false },
    });
    expect(plan.ok).toBe(true);
    const planId = (plan as { value: { id: string } }).value.id;
    // A plan belongs to its host: the local host does not know it.
    expect(await call('runPlan', { planId })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const run = await call('runPlan', { host: 'host-b', planId });
    expect(run).toMatchObject({ ok: true, value: { status: 'succeeded' } });
    // Its lease (released now) named the session's PowerShell, through the pool's runner as the window's.
    const hostB = opened.find((c) => c.hostId === 'host-b')!;
    const started = new Journal(hostB.dataDir).records().filter((r) => r.t === 'op-start');
    expect(JSON.parse(readFileSync(leaseFile(hostB.dataDir, started.at(-1)!.op), 'utf8'))).toMatchObject({
      released: true,
      pids: [hostB.session.pid],
    });
    expect(readFileSync(stateA, 'utf8')).toBe(before);
    expect(
      JSON.parse(readFileSync(stateB, 'utf8')).vms.find((v: { name: string }) => v.name === 'Router-01')
        .assignedDevices,
    ).toEqual([CX4]);
    const progress = seen.filter((e) => e.type === 'operation-progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((e) => e.type === 'operation-progress' && e.host === 'host-b')).toBe(true);
    expect(seen.some((e) => e.type === 'inventory-changed' && e.host === 'host-b')).toBe(true);
    expect(seen.some((e) => e.type === 'inventory-changed' && e.host === 'local')).toBe(true);
    const actB = await call('getActivity', { host: 'host-b' });
    const actA = await call('getActivity', {});
    expect(
      actB.ok &&
        (actB.value as Array<{ host: string; hostName: string; kind: string }>).every(
          (x) => x.host === 'host-b' && x.hostName === 'Host B',
        ),
    ).toBe(true);
    expect(actB.ok && (actB.value as Array<{ kind: string }>).some((x) => x.kind === 'operation')).toBe(true);
    expect(
      actA.ok &&
        (actA.value as Array<{ host: string; kind: string }>).every(
          (x) => x.host === 'local' && x.kind !== 'operation',
        ),
    ).toBe(true);
    const exported = await call('exportActivity', { host: 'host-b' });
    expect(exported).toMatchObject({ ok: true, value: { fileName: expect.stringContaining('host-b') } });
    expect((exported as { value: { text: string } }).value.text).toContain('Router-01');
    expect(((await call('exportActivity', {})) as { value: { text: string } }).value.text).not.toContain('Router-01');
  });

  it('the switcher learns state and readiness; a test reports versions and timings', async () => {
    const list = await call('listHosts', {});
    const b = (list as { value: Array<{ id: string; state: string; readiness: unknown }> }).value.find(
      (h) => h.id === 'host-b',
    );
    expect(b).toMatchObject({
      state: 'connected',
      readiness: { computerName: 'HV-B', iommu: true, elevated: true, simulated: true },
    });
    const t = await call('testHost', { host: 'host-b' });
    expect(t).toMatchObject({
      ok: true,
      value: { host: 'host-b', name: 'Host B', computerName: 'HV-B', psEdition: 'Core', devices: expect.any(Number) },
    });
    expect((t as { value: { roundTripMs: number; psVersion: string } }).value.psVersion).toMatch(/^7\./);
    expect(seen.some((e) => e.type === 'hosts-changed' && e.host === 'host-b')).toBe(true);
  });

  it("another computer's unfinished operation (a roaming data folder) is shown as such and never recovered", async () => {
    // Planned on the local host (ML30-GEN10), then found with its crash in the data folder of a host (HV-B's
    // simulated state) not read yet: asked for first thing, as the window does at start.
    const saved = await call('saveHost', {
      target: { transport: 'ssh', name: 'Host C', hostName: '127.0.0.4', userName: 'root' },
    });
    expect(saved.ok).toBe(true);
    mkdirSync(pool.dataDirOf('host-c'), { recursive: true });
    await journalStarted(join(pool.dataDirOf('host-c'), 'journal.jsonl'), 'op-roamed');
    const before = readFileSync(stateB, 'utf8');
    const list = await call('getUnfinished', { host: 'host-c' });
    expect(list).toMatchObject({
      ok: true,
      value: [
        {
          operationId: 'op-roamed',
          untrusted: expect.stringMatching(/^It ran on ML30-GEN10, and this host is HV-B: .*another computer/),
        },
      ],
    });
    for (const action of ['finish', 'rollback'])
      expect(await call('resolveUnfinished', { host: 'host-c', operationId: 'op-roamed', action })).toMatchObject({
        ok: false,
        error: { code: 'refused', message: expect.stringContaining('Nothing was run') },
      });
    expect(readFileSync(stateB, 'utf8')).toBe(before);
    expect(await call('removeHost', { host: 'host-c' })).toMatchObject({ ok: true });
  });

  it('an operation another DDA Studio process is running is listed as running, and not recovered while it runs', async () => {
    const journal = join(local.dataDir, 'journal.jsonl');
    await journalStarted(journal, 'op-beside');
    try {
      // `dda assign` beside the window, as its lease says: a live process on this computer.
      const beside = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      try {
        const lease = leaseFile(local.dataDir, 'op-beside');
        mkdirSync(dirname(lease), { recursive: true });
        writeFileSync(
          lease,
          JSON.stringify({ op: 'op-beside', pid: beside.pid, computer: hostname(), at: Date.now(), what: 'operation' }),
        );
        const before = readFileSync(stateA, 'utf8');
        const running = await call('getUnfinished', { host: LOCAL_HOST_ID });
        expect(running).toMatchObject({
          ok: true,
          value: [{ operationId: 'op-beside', running: expect.stringContaining(`process ${beside.pid}`) }],
        });
        expect((running as { value: Array<{ untrusted?: string }> }).value[0]!.untrusted).toBeUndefined();
        for (const action of ['finish', 'rollback'])
          expect(
            await call('resolveUnfinished', { host: LOCAL_HOST_ID, operationId: 'op-beside', action }),
          ).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('Nothing was run') } });
        expect(readFileSync(stateA, 'utf8')).toBe(before);
        expect(readFileSync(journal, 'utf8')).not.toContain('"recover-start"');
      } finally {
        beside.kill('SIGKILL');
        await once(beside, 'exit');
      }
      // That process has ended (killed mid-step): the operation is an interrupted one, offered for recovery.
      const after = (await call('getUnfinished', { host: LOCAL_HOST_ID })) as { value: Array<Record<string, unknown>> };
      expect(after.value.map((u) => [u.operationId, 'running' in u, 'untrusted' in u])).toEqual([
        ['op-beside', false, false],
      ]);
    } finally {
      // ended, whatever happened above: the other tests share this journal
      appendFileSync(
        journal,
        JSON.stringify({ t: 'op-end', op: 'op-beside', at: new Date().toISOString(), status: 'rolled-back' }) + '\n',
      );
    }
  });

  it('an unreachable host fails clearly, naming itself, without touching the others', async () => {
    await call('saveHost', { target: { transport: 'ssh', name: 'Down "01"', hostName: '10.9.9.9' } });
    const r = await call('getInventory', { host: 'down-01', refresh: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'session' } });
    expect((r as { error: { message: string } }).error.message).toContain('Down "01"');
    const list = (await call('listHosts', {})) as {
      value: Array<{ id: string; state: string; lastError: string | null }>;
    };
    expect(list.value.find((h) => h.id === 'down-01')).toMatchObject({
      state: 'failed',
      lastError: expect.stringContaining('Connection refused'),
    });
    expect(list.value.find((h) => h.id === 'host-b')?.state).toBe('connected');
    // A definition not saved yet is tested on its own connection and named in the error.
    const t = await call('testHost', { target: { transport: 'winrm', name: 'New one', computerName: '10.9.9.9' } });
    expect(t).toMatchObject({ ok: false, error: { code: 'session', message: expect.stringContaining('New one') } });
    expect((await call('listHosts', {})).ok && pool.targets().map((x) => x.id)).toEqual(['host-b', 'down-01']);
    expect(await call('getInventory', { host: 'local', refresh: false })).toMatchObject({ ok: true });
  });

  it('the prepare helper quotes the host safely; the local host has none', async () => {
    await call('saveHost', {
      target: { transport: 'winrm', name: "Evil '<script>' $(x)", computerName: 'hv-evil.lab', userName: 'LAB\\admin' },
      password: 'pw',
    });
    const id = pool.targets().find((t) => t.name.startsWith('Evil'))!.id;
    const p = await call('getPrepareCommands', { host: id });
    expect(p).toMatchObject({ ok: true, value: { host: id, recommended: ['workgroup-trustedhosts'] } });
    const setups = (p as { value: { setups: Array<{ kind: string; clientCommands: string[] }> } }).value.setups;
    expect(setups.map((s) => s.kind)).toEqual(['domain', 'workgroup-https', 'workgroup-trustedhosts', 'jea']);
    expect(setups.flatMap((s) => s.clientCommands).join('\n')).toContain("-ComputerName 'hv-evil.lab'");
    expect(await call('getPrepareCommands', { host: 'local' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await call('getPrepareCommands', { host: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('removing a host closes its session; the local host stays', async () => {
    const hostB = pool.peek('host-b')!.connection;
    expect(await call('removeHost', { host: 'host-b' })).toMatchObject({ ok: true, value: { removed: true } });
    expect(hostB.session.currentStatus).toBe('disposed');
    expect(await call('getInventory', { host: 'host-b', refresh: false })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await call('removeHost', { host: 'local' })).toMatchObject({ ok: false, error: { code: 'refused' } });
    const list = (await call('listHosts', {})) as { value: Array<{ id: string }> };
    expect(list.value.map((h) => h.id)).not.toContain('host-b');
  });

  it('a damaged hosts.json is reported, not overwritten; the local host keeps working', async () => {
    const file = hostsFile(local.dataDir);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{ broken');
    const r = await call('listHosts', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('hosts.json') } });
    expect(await call('saveHost', { target: { transport: 'ssh', name: 'X', hostName: 'x' } })).toMatchObject({
      ok: false,
    });
    expect(readFileSync(file, 'utf8')).toBe('{ broken');
    expect(await call('getInventory', { refresh: false })).toMatchObject({ ok: true });
    writeFileSync(file, good);
  });
});
