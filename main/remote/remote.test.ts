/**
 * Remote hosts over PowerShell SSH remoting, for real: a private sshd on 127.0.0.2 and 127.0.0.3, each
 * address one simulated Hyper-V host, reached by the app's own client (one local pwsh per host holding
 * one PSSession). Skipped with a reason where sshd cannot run; never skipped in CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanChoices } from '../../shared/plan';
import type { HostConnection } from '../host/host-connection';
import { openRemoteHost } from '../hosts/remote-connection';
import { hostServices, type HostServices } from '../host/host-services';
import { comparableState, readState, type SimJson } from '../../testing/test-support';
import { startSshTestHosts, sshTestHostsUnavailable, type SshTestHosts } from '../../testing/ssh-test-hosts';

const unavailable = sshTestHostsUnavailable();
if (unavailable && process.env.CI) throw new Error(`The remote tests must run in CI, but: ${unavailable}`);
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const none: PlanChoices = { consents: [], startVmAfter: false };
const fixtures = join(import.meta.dirname, '..', 'powershell', 'test-fixtures');

function editState(file: string, edit: (s: SimJson) => void): void {
  const s = readState(file);
  edit(s);
  writeFileSync(file, JSON.stringify(s));
}

describe.skipIf(!!unavailable)(`remote hosts over SSH${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: SshTestHosts;
  let a: HostConnection;
  let b: HostConnection;
  let aServices: HostServices;
  let bServices: HostServices;

  beforeAll(async () => {
    sshd = await startSshTestHosts({ profiles: ['ml30-connectx4', 'gpu-workstation'] });
    const open = (i: number) =>
      openRemoteHost(sshd.hosts[i]!.target, { dataDir: join(sshd.dir, `data-${i}`), extraScriptDirs: [fixtures] });
    a = open(0);
    b = open(1);
    aServices = hostServices(a);
    bServices = hostServices(b);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await sshd?.close();
  });

  it('reads the inventory of two hosts side by side, each from its own simulated host', async () => {
    const [invA, invB] = await Promise.all([aServices.readInventory(), bServices.readInventory()]);
    expect(invA.host.computerName).toBe('ML30-GEN10');
    expect(invB.host.computerName).not.toBe(invA.host.computerName);
    expect(invA.devices.find((d) => d.locationPath === CX4)?.friendlyName).toMatch(/ConnectX-4 Lx/);
    expect(invB.devices.some((d) => d.pnpClass === 'Display')).toBe(true);
    // two local pwsh processes, one per host
    expect(a.session.pid).not.toBe(b.session.pid);
  });

  it('passes values as data: a hostile string comes back unchanged from the remote host', async () => {
    const hostile = `it's "$(whoami)" \`n ${'$'}env:PATH; ${'<script>'}\n第二行 ✓`;
    const r = await a.runner.invoke<{ value: string }>('echo', { Value: hostile });
    expect(r.ok && r.value.value).toBe(hostile);
  });

  it('keeps the FullyQualifiedErrorId of a remote error and names the host', async () => {
    const r = await a.runner.invoke('throw');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.fullyQualifiedErrorId).toBe('PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand');
    expect(r.error.scriptLine).toBe(4);
    expect(r.error.computerName).toBe('Host A');
  });

  it('a script the host cannot parse says so on every call (its text is sent again, never "not cached")', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await a.runner.invoke('syntax-error');
      expect(!r.ok && r.error, `call ${i + 1}`).toMatchObject({
        kind: 'powershell',
        category: 'ParserError',
        fullyQualifiedErrorId: 'MissingEndCurlyBrace',
      });
    }
    expect((await a.runner.invoke('echo', { Value: 3 })).ok).toBe(true);
  });

  it('an assignment on host A leaves host B byte for byte unchanged', async () => {
    const bBytes = readFileSync(sshd.hosts[1]!.stateFile);
    const plan = await aServices.operations.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    const run = await aServices.operations.run(plan.id);
    expect(run.ok && run.value.status).toBe('succeeded');
    expect(readState(sshd.hosts[0]!.stateFile).vms.find((v) => v.name === 'Router-01')?.assignedDevices).toEqual([CX4]);
    expect(readFileSync(sshd.hosts[1]!.stateFile).equals(bBytes)).toBe(true);
    const back = await aServices.operations.plan({ kind: 'revert', locationPath: CX4 }, none);
    const undo = await aServices.operations.run(back.id);
    expect(undo.ok && undo.value.status).toBe('succeeded');
    expect(readFileSync(sshd.hosts[1]!.stateFile).equals(bBytes)).toBe(true);
  });

  it('a host that hangs does not block the other', async () => {
    editState(sshd.hosts[0]!.stateFile, (s) => (s.latencyMs = { 'Get-VM': 600_000 }));
    try {
      let hungSettled = false;
      const hung = aServices.readInventory().then(
        () => (hungSettled = true),
        () => (hungSettled = true),
      );
      const invB = await bServices.readInventory();
      expect(invB.vms.length).toBeGreaterThan(0);
      expect(hungSettled).toBe(false);
      // Stop the hung host's session: only its call fails, and it answers again afterwards.
      await a.close();
      await hung;
      expect(hungSettled).toBe(true);
    } finally {
      editState(sshd.hosts[0]!.stateFile, (s) => (s.latencyMs = {}));
      a = openRemoteHost(sshd.hosts[0]!.target, { dataDir: join(sshd.dir, 'data-0'), extraScriptDirs: [fixtures] });
      aServices = hostServices(a);
    }
    expect((await aServices.readInventory()).host.computerName).toBe('ML30-GEN10');
  });

  it('a call that times out is stopped on the host: the change never happens, and the connection stays', async () => {
    const stateFile = sshd.hosts[0]!.stateFile;
    const off = readState(stateFile).vms.find((v) => v.state === 'Off')!;
    expect((await a.runner.invoke('inventory')).ok).toBe(true);
    const pid = a.session.pid;
    editState(stateFile, (st) => (st.latencyMs = { 'Start-VM': 600_000 }));
    try {
      const r = await a.runner.invoke('op-start-vm', { VmId: off.id }, { timeoutMs: 2000 });
      expect(!r.ok && r.error).toMatchObject({ kind: 'timeout', computerName: '127.0.0.2' });
      expect(!r.ok && r.error.message).toMatch(
        /op-start-vm\.ps1 did not finish within 2000 ms on Host A \(127\.0\.0\.2\); it was stopped there/,
      );
    } finally {
      editState(stateFile, (st) => (st.latencyMs = {}));
    }
    // Still running there, it would hold the simulator's lock (and the session) for ten minutes: the
    // next call could not finish in time.
    const next = await a.runner.invoke('inventory', {}, { timeoutMs: 20_000 });
    expect(next.ok).toBe(true);
    expect(a.session.pid).toBe(pid);
    expect(readState(stateFile).vms.find((v) => v.id === off.id)?.state).toBe('Off');
  });

  it('a wrong key gives a clear error that names the host, and no session', async () => {
    const wrong = openRemoteHost(sshd.wrongKeyTarget(1), { dataDir: join(sshd.dir, 'data-wrong') });
    try {
      const r = await wrong.runner.invoke('inventory');
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.kind).toBe('connection');
      expect(r.error.message).toMatch(/Cannot connect to Host B \(127\.0\.0\.3\): .*Permission denied \(publickey\)/);
      expect(r.error.computerName).toBeTruthy();
    } finally {
      await wrong.close();
    }
  });

  it('sshd stopped mid-operation: a clear error; after reconnecting, the journal reconcile leaves the host as it was', async () => {
    const stateA = sshd.hosts[0]!.stateFile;
    const before = comparableState(stateA);
    editState(stateA, (s) => (s.latencyMs = { 'Add-VMAssignableDevice': 600_000 }));
    let addStepId = '';
    let stopped: Promise<void> | null = null;
    const services = hostServices(a, (_op, _plan, step) => {
      // the moment the last step is running on the host, the host goes away
      if (step.stepId === addStepId && step.state === 'running') stopped ??= sshd.stop();
    });
    const plan = await services.operations.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    addStepId = plan.steps.find((s) => s.kind === 'add-device')!.id;
    const run = await services.operations.run(plan.id);
    await stopped;
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    expect(run.value.status).toBe('rollback-failed');
    expect(run.value.error?.kind, JSON.stringify(run.value.error)).toBe('connection');
    expect(run.value.error?.message).toMatch(/Host A/);
    // the host still has the dismount and the VM settings: the journal knows the operation is not over
    const pending = services.operations.unfinished();
    expect(pending.map((o) => o.op)).toEqual([run.value.operationId]);

    await sshd.start();
    editState(stateA, (s) => (s.latencyMs = {}));
    const rec = await services.operations.recover(run.value.operationId, 'rollback');
    expect(rec.ok && rec.value.status).toBe('rolled-back');
    expect(comparableState(stateA)).toEqual(before);
    expect(services.operations.unfinished()).toEqual([]);
  });
});

describe('WinRM targets (session creation cannot run on Linux: no WSMan client)', () => {
  it('fail with a clear connection error that names the host and never shows the password', async () => {
    const password = `S3cret-'$(whoami)'-pw`;
    const host = openRemoteHost(
      {
        id: 'hv01',
        name: 'HV01',
        transport: 'winrm',
        endpoint: 'full',
        connectTimeoutMs: 5000,
        computerName: 'hv01.contoso.test',
        useSsl: true,
        skipCertificateChecks: false,
        authentication: 'Negotiate',
        userName: 'CONTOSO\\admin',
      },
      {
        password,
        dataDir: join(import.meta.dirname, '.never-written'),
      },
    );
    try {
      const r = await host.runner.invoke('inventory');
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.kind).toBe('connection');
      expect(r.error.message).toMatch(/^Cannot connect to HV01 \(hv01\.contoso\.test\): /);
      if (process.platform !== 'win32') expect(r.error.message).toMatch(/WinRM remoting needs Windows on this machine/);
      expect(JSON.stringify(r)).not.toContain('S3cret');
    } finally {
      await host.close();
    }
  });
});
