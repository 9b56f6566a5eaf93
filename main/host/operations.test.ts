/** Operations end to end on the real pwsh + simulator: the seed's hosts, refusals, hygiene, scripts. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Intent, PlanChoices } from '../../shared/plan';
import { simulatorModulePath } from '../simulator/profiles';
import { readInventory } from './inventory-service';
import { Journal } from './journal';
import { memoryMeasurementStore } from './measurement-store';
import { scriptDefinitions, scriptsCalled } from './planner/render-script';
import { Operations, type OperationEvent } from './operations';
import { comparableState, freshState, readState, sharedHost } from '../../testing/test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());
const runner = shared.host.runner;

async function opsOn(state: string) {
  await shared.use(state);
  const memory = memoryMeasurementStore();
  const journal = new Journal(mkdtempSync(join(tmpdir(), 'dda-journal-')));
  const events: OperationEvent[] = [];
  const ops = new Operations({
    runner,
    journal,
    readInventory: () => readInventory(runner, { memory }),
    onEvent: (e) => events.push(e),
  });
  return { ops, journal, events };
}

const none: PlanChoices = { consents: [], startVmAfter: false };
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const X520 = 'PCIROOT(0)#PCI(0700)#PCI(0000)';
const NVME = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';
const GPU = 'PCIROOT(0)#PCI(0100)#PCI(0000)';

async function planAndRun(ops: Operations, intent: Intent, choices: PlanChoices = none) {
  const plan = await ops.plan(intent, choices);
  const r = await ops.run(plan.id);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return { plan, outcome: r.value };
}
const vmOf = (state: string, name: string) => readState(state).vms.find((v) => v.name === name)!;

describe("the seed's two hosts end to end", () => {
  it('the ConnectX-4 Lx assigns without force and reverts to exactly the original host', async () => {
    const state = freshState('ml30-connectx4');
    const before = comparableState(state);
    const { ops, events, journal } = await opsOn(state);
    const { plan, outcome } = await planAndRun(ops, { kind: 'assign', locationPath: CX4, vmName: 'Router-01' });
    expect(plan.consents).toEqual([]);
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'disable-device',
      'dismount-device',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'add-device',
    ]);
    expect(outcome.status).toBe('succeeded');
    expect(events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step.state : ''))).toEqual(
      plan.steps.flatMap(() => ['running', 'done']),
    );
    const vm = vmOf(state, 'Router-01');
    expect(vm.assignedDevices).toEqual([CX4]);
    expect([vm.automaticStopAction, vm.guestControlledCacheTypes, vm.highMemoryMappedIoSpace]).toEqual([
      'TurnOff',
      true,
      // The CX4's 32 MB sit below 4 GiB: the low gap holds them, the high gap keeps its 512 MB.
      512 * 1024 * 1024,
    ]);
    const routerId = String(vm.id);
    expect(journal.rememberedVmSettings()[routerId]).toEqual({
      automaticStopAction: 'Save',
      guestControlledCacheTypes: false,
      lowMemoryMappedIoSpace: 128 * 1024 * 1024,
      setLowMemoryMappedIoSpace: (32 + 128) * 1024 * 1024,
    });
    const back = await planAndRun(ops, { kind: 'revert', locationPath: CX4 });
    expect(back.plan.steps.map((s) => s.kind)).toEqual([
      'remove-device',
      'mount-device',
      'enable-device',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
    ]);
    expect(back.outcome.status).toBe('succeeded');
    expect(comparableState(state)).toEqual(before);
    expect(journal.rememberedVmSettings()[routerId]).toBeUndefined();
  });

  it('the X520 (no ACS, no mitigation driver) is refused until both checks are consented away, one at a time, then assigns with -Force and reverts', async () => {
    const state = freshState('r910-x520');
    const before = comparableState(state);
    const { ops } = await opsOn(state);
    const refused = await ops.plan({ kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' }, none);
    expect(refused.consents.map((c) => [c.id, c.given])).toEqual([['force-insecure', false]]);
    const r = await ops.run(refused.id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('refused');
    expect(comparableState(state)).toEqual(before);
    // The ACS consent alone: the WMI method with the mitigation check on, refused, rolled back, and the
    // refusal is named as the one the mitigation consent lifts.
    const acsOnly = await planAndRun(
      ops,
      { kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' },
      { consents: ['force-insecure'], startVmAfter: false },
    );
    expect(acsOnly.plan.steps.find((s) => s.kind === 'dismount-device')!.action.params).toMatchObject({
      RequireAcsSupport: false,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: false,
    });
    expect(acsOnly.outcome.status).toBe('rolled-back');
    expect(acsOnly.outcome.error?.kind).toBe('needs-mitigation-consent');
    expect(comparableState(state)).toEqual(before);
    const { plan, outcome } = await planAndRun(
      ops,
      { kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' },
      { consents: ['force-insecure', 'skip-device-mitigations'], startVmAfter: false },
    );
    expect(plan.steps.find((s) => s.kind === 'dismount-device')!.action.params).toMatchObject({
      RequireAcsSupport: false,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: true,
    });
    expect(outcome.status).toBe('succeeded');
    expect(vmOf(state, 'UplinkRouter').assignedDevices).toEqual([X520]);
    await planAndRun(ops, { kind: 'revert', locationPath: X520 });
    expect(comparableState(state)).toEqual(before);
  });

  it('a device without a mitigation driver fails with needs-mitigation-consent and rolls back; with that consent it is dismounted by the WMI method with ACS still enforced', async () => {
    const state = freshState(
      'ml30-connectx4',
      (s) => (s.devices.find((d) => d.locationPath === CX4)!.hasMitigationDriver = false),
    );
    const before = comparableState(state);
    const { ops } = await opsOn(state);
    const first = await planAndRun(ops, { kind: 'assign', locationPath: CX4, vmName: 'Router-01' });
    expect(first.plan.consents).toEqual([]);
    expect(first.outcome.status).toBe('rolled-back');
    expect(first.outcome.error?.kind).toBe('needs-mitigation-consent');
    expect(first.outcome.error?.message).toContain('has not supplied any directives');
    expect(first.outcome.failedStepId).toBe(first.plan.steps.find((s) => s.kind === 'dismount-device')!.id);
    expect(comparableState(state)).toEqual(before);
    // The host's refusal is remembered for this session: the next plan asks for the consent up front.
    const again = await ops.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    expect(again.consents.map((c) => [c.id, c.given])).toEqual([['skip-device-mitigations', false]]);
    expect(again.warnings.map((w) => w.code)).toContain('refused-mitigations');
    await runner.invoke('sim-stats', { Reset: true });
    const second = await planAndRun(
      ops,
      { kind: 'assign', locationPath: CX4, vmName: 'Router-01' },
      { consents: ['skip-device-mitigations'], startVmAfter: false },
    );
    expect(second.outcome.status).toBe('succeeded');
    expect(vmOf(state, 'Router-01').assignedDevices).toEqual([CX4]);
    const stats = await runner.invoke<{ calls: Record<string, number> }>('sim-stats', {});
    expect(stats.ok && stats.value.calls['Msvm_AssignableDeviceService.DismountAssignableDevice']).toBe(1);
  });
});

describe('a Chinese Windows Server (zh-CN names and error texts): the same stories, unchanged', () => {
  it('the X520 in a zh-CN host: inventory, refused without the consents, -Force with both, revert to exactly the original host', async () => {
    const state = freshState('r910-x520-zh-cn');
    const before = comparableState(state);
    const { ops } = await opsOn(state);
    const refused = await ops.plan({ kind: 'assign', locationPath: X520, vmName: '上行路由器' }, none);
    expect(refused.consents.map((c) => [c.id, c.given])).toEqual([['force-insecure', false]]);
    const { plan, outcome } = await planAndRun(
      ops,
      { kind: 'assign', locationPath: X520, vmName: '上行路由器' },
      { consents: ['force-insecure', 'skip-device-mitigations'], startVmAfter: false },
    );
    expect(plan.title.en).toContain('上行路由器');
    expect(outcome.status).toBe('succeeded');
    expect(vmOf(state, '上行路由器').assignedDevices).toEqual([X520]);
    const inv = await readInventory(runner, { memory: memoryMeasurementStore() });
    expect(inv.devices.find((d) => d.locationPath === X520)?.owner).toEqual({ kind: 'vm', vmName: '上行路由器' });
    await planAndRun(ops, { kind: 'revert', locationPath: X520 });
    expect(comparableState(state)).toEqual(before);
  });

  it('a refused dismount is recognised without reading its (Chinese) text: needs-mitigation-consent, rolled back; with that consent dismounted with ACS enforced', async () => {
    const CX4_ZH = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
    const state = freshState('r910-x520-zh-cn', (s) => {
      // the Broadcom NIC: ACS present (no -Force planned), but no vendor mitigation driver
      Object.assign(
        s.devices.find((d) => d.locationPath === CX4_ZH)!,
        { acsUpHierarchy: 3, hasMitigationDriver: false },
      );
    });
    const before = comparableState(state);
    const { ops } = await opsOn(state);
    const first = await planAndRun(ops, { kind: 'assign', locationPath: CX4_ZH, vmName: '上行路由器' });
    expect(first.plan.consents).toEqual([]);
    expect(first.outcome.status).toBe('rolled-back');
    expect(first.outcome.error?.message).toContain('制造商未提供'); // the host's own words, shown as they are
    expect(first.outcome.error?.kind).toBe('needs-mitigation-consent');
    expect(comparableState(state)).toEqual(before);
    const second = await planAndRun(
      ops,
      { kind: 'assign', locationPath: CX4_ZH, vmName: '上行路由器' },
      { consents: ['skip-device-mitigations'], startVmAfter: false },
    );
    expect(second.outcome.status).toBe('succeeded');
    expect(second.plan.steps.find((s) => s.kind === 'dismount-device')!.action.command).not.toContain('-Force');
  });
});

describe('a Chinese Windows Server: a GPU without a mitigation driver, assigned with ACS enforced', () => {
  it('refused in Chinese, recognised from facts; with the mitigation consent the WMI method dismounts it with RequireAcsSupport still true', async () => {
    const T4 = 'PCIROOT(0)#PCI(0900)#PCI(0000)';
    const state = freshState('r910-x520-zh-cn');
    const before = comparableState(state);
    const { ops } = await opsOn(state);
    const first = await planAndRun(
      ops,
      { kind: 'assign', locationPath: T4, vmName: '监控服务器' },
      { consents: ['turn-off-vm'], startVmAfter: false },
    );
    expect(first.plan.consents.map((c) => c.id)).toEqual(['turn-off-vm']); // ACS present: no insecure consent asked
    expect(first.outcome.status).toBe('rolled-back');
    expect(first.outcome.error?.kind).toBe('needs-mitigation-consent');
    expect(first.outcome.error?.message).toContain('制造商未提供');
    expect(comparableState(state)).toEqual(before);
    await runner.invoke('sim-stats', { Reset: true });
    const second = await planAndRun(
      ops,
      { kind: 'assign', locationPath: T4, vmName: '监控服务器' },
      { consents: ['turn-off-vm', 'skip-device-mitigations'], startVmAfter: true },
    );
    expect(second.outcome.status).toBe('succeeded');
    const dismount = second.plan.steps.find((s) => s.kind === 'dismount-device')!;
    expect(dismount.action.params).toMatchObject({ RequireAcsSupport: true, RetryWithoutMitigations: true });
    expect(dismount.action.command).toContain(
      '-RequireAcsSupport $true -RequireDeviceMitigations $true -RetryWithoutMitigations $true',
    );
    expect(dismount.action.command).not.toContain('-Force');
    const stats = await runner.invoke<{ calls: Record<string, number> }>('sim-stats', {});
    expect(stats.ok && stats.value.calls['Msvm_AssignableDeviceService.DismountAssignableDevice']).toBe(1);
    expect(vmOf(state, '监控服务器').assignedDevices).toEqual([T4]);
  });
});

describe('op-dismount-device drops each of the two checks only when asked, and decides from facts whether the mitigation consent could lift a refusal', () => {
  const dismount = (params: Record<string, unknown>) =>
    runner.invoke<{ requireAcsSupport: boolean; requireDeviceMitigations: boolean }>('op-dismount-device', params);
  it('a disabled device the host refuses (no mitigation driver): DdaDismountRefused, and with the consent dismounted without that check only', async () => {
    await shared.use(
      freshState('ml30-connectx4', (s) =>
        Object.assign(
          s.devices.find((d) => d.locationPath === CX4)!,
          { enabled: false, hasMitigationDriver: false },
        ),
      ),
    );
    const refused = await dismount({ LocationPath: CX4 });
    expect(!refused.ok && refused.error.fullyQualifiedErrorId).toBe('DdaDismountRefused');
    const retried = await dismount({ LocationPath: CX4, RetryWithoutMitigations: true });
    expect(retried.ok && [retried.value.requireAcsSupport, retried.value.requireDeviceMitigations]).toEqual([
      true,
      false,
    ]);
  });
  it('without ACS and without a mitigation driver, the mitigation consent alone does not get past the ACS check (the WMI method keeps it)', async () => {
    const state = freshState('ml30-connectx4', (s) =>
      Object.assign(
        s.devices.find((d) => d.locationPath === CX4)!,
        { enabled: false, hasMitigationDriver: false, acsUpHierarchy: 0 },
      ),
    );
    await shared.use(state);
    const r = await dismount({ LocationPath: CX4, RetryWithoutMitigations: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fullyQualifiedErrorId).toBe('DdaWmiJobFailed,32768');
    expect(readState(state).devices.find((d) => d.locationPath === CX4)!.dismounted).toBeFalsy();
    const both = await dismount({ LocationPath: CX4, RequireAcsSupport: false, RetryWithoutMitigations: true });
    expect(both.ok).toBe(true);
  });
  it('a return value that is not 0 or 4096 is a clear error naming the documented code', async () => {
    // Not elevated: the method answers Access Denied (32769) rather than raising.
    const state = freshState('ml30-connectx4', (s) => {
      Object.assign(
        s.devices.find((d) => d.locationPath === CX4)!,
        { enabled: false },
      );
      s.host.elevated = false;
    });
    await shared.use(state);
    const r = await dismount({ LocationPath: CX4, RequireAcsSupport: false });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.fullyQualifiedErrorId).toBe('DdaWmiReturnValue,32769');
      expect(r.error.message).toContain('returned 32769 (Access Denied)');
      expect(r.error.category).toBe('PermissionDenied');
    }
  });
  it('a refusal -Force cannot lift (the device is still enabled) keeps its own error and is never retried with -Force', async () => {
    const state = freshState(
      'ml30-connectx4',
      (s) => (s.devices.find((d) => d.locationPath === CX4)!.hasMitigationDriver = false),
    );
    await shared.use(state);
    const r = await dismount({ LocationPath: CX4, RetryWithoutMitigations: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fullyQualifiedErrorId).toMatch(/^InvalidState,/);
    expect(readState(state).devices.find((d) => d.locationPath === CX4)!.dismounted).toBeFalsy();
  });
});

describe('hygiene and refusals', () => {
  it('never adds a device a VM already holds (the duplicate-add trap)', async () => {
    const state = freshState('gpu-workstation');
    const { ops } = await opsOn(state);
    const plan = await ops.plan({ kind: 'assign', locationPath: NVME, vmName: 'Storage-VM' }, none);
    expect(plan.blocked?.code).toBe('already-assigned');
    const r = await ops.run(plan.id);
    expect(!r.ok && r.error.code).toBe('refused');
  });

  it('repairs stale and duplicate entries, keeping each valid device once; the VM then starts', async () => {
    const state = freshState('gpu-workstation', (s) => vmOfJson(s, 'Storage-VM').assignedDevices.push(NVME));
    const { ops } = await opsOn(state);
    const { plan, outcome } = await planAndRun(ops, { kind: 'repair', vmName: 'Storage-VM' });
    expect(plan.steps.map((s) => s.kind)).toEqual(['remove-all-devices', 'add-device']);
    expect(outcome.status).toBe('succeeded');
    expect(vmOf(state, 'Storage-VM').assignedDevices).toEqual([NVME]);
    const vmId = String(vmOf(state, 'Storage-VM').id);
    const start = await runner.invoke('op-start-vm', { VmId: vmId });
    expect(start.ok).toBe(true);
  });

  it('returns orphans to the host (mount + enable)', async () => {
    const state = freshState('gpu-workstation', (s) => {
      vmOfJson(s, 'Storage-VM').assignedDevices = [];
      Object.assign(
        s.devices.find((d) => d.locationPath === NVME)!,
        { dismounted: true, enabled: false },
      );
    });
    const { ops } = await opsOn(state);
    const { plan, outcome } = await planAndRun(ops, { kind: 'return-orphans' });
    expect(plan.steps.map((s) => s.kind)).toEqual(['mount-device', 'enable-device']);
    expect(outcome.status).toBe('succeeded');
    const after = readState(state).devices.find((d) => d.locationPath === NVME)!;
    expect([after.dismounted, after.enabled]).toEqual([false, true]);
  });

  it('refuses the GPU on the 36-bit host when the MMIO gap (base + size) would end above the address limit', async () => {
    const state = freshState(
      'gpu-workstation',
      (s) => (vmOfJson(s, 'GPU-Render').highMemoryMappedIoSpace = 33280 * 1024 * 1024),
    );
    const { ops } = await opsOn(state);
    const plan = await ops.plan({ kind: 'assign', locationPath: GPU, vmName: 'GPU-Render' }, none);
    expect(plan.blocked?.code).toBe('mmio-above-limit');
    // Dev-Linux's Get-VM reports no base: the default base leaves no room beyond 512 MB on 36 bits.
    const noBase = await ops.plan({ kind: 'assign', locationPath: GPU, vmName: 'Dev-Linux' }, none);
    expect(noBase.blocked?.code).toBe('mmio-above-limit');
    expect(noBase.blocked?.text.en).toContain('default base');
    // GPU-Render as shipped: its base at 40 GiB leaves room, and the plan says how much.
    const { ops: fresh } = await opsOn(freshState('gpu-workstation'));
    const fits = await fresh.plan({ kind: 'assign', locationPath: GPU, vmName: 'GPU-Render' }, none);
    expect(fits.blocked).toBeNull();
    expect(fits.warnings.map((w) => w.text.en).join(' ')).toMatch(
      /from its base at 40,960 MB leaves [\d,]+ MB below this 36-bit CPU's limit/,
    );
  });

  it('a running VM needs the turn-off consent, is stopped, and is started again with its device', async () => {
    const state = freshState('ml30-connectx4');
    const { ops } = await opsOn(state);
    const plan = await ops.plan({ kind: 'assign', locationPath: CX4, vmName: 'File-Server' }, none);
    expect(plan.consents.map((c) => c.id)).toEqual(['turn-off-vm']);
    expect(plan.offersStartVmAfter).toBe(true);
    expect(!(await ops.run(plan.id)).ok).toBe(true);
    expect(vmOf(state, 'File-Server').state).toBe('Running');
    const { outcome } = await planAndRun(
      ops,
      { kind: 'assign', locationPath: CX4, vmName: 'File-Server' },
      { consents: ['turn-off-vm'], startVmAfter: true },
    );
    expect(outcome.status).toBe('succeeded');
    const vm = vmOf(state, 'File-Server');
    expect([vm.state, vm.dynamicMemoryEnabled, vm.assignedDevices]).toEqual(['Running', false, [CX4]]);
  });

  it('a guest that ignores the shutdown is turned off', async () => {
    const state = freshState('ml30-connectx4', (s) => (vmOfJson(s, 'File-Server').guestIgnoresShutdown = true));
    const { ops, journal } = await opsOn(state);
    const { outcome } = await planAndRun(
      ops,
      { kind: 'assign', locationPath: CX4, vmName: 'File-Server' },
      { consents: ['turn-off-vm'], startVmAfter: false },
    );
    expect(outcome.status).toBe('succeeded');
    expect(vmOf(state, 'File-Server').state).toBe('Off');
    const done = journal.records().find((r) => r.t === 'step-done' && r.step === 's1');
    expect(JSON.stringify(done)).toContain('turned off after the shutdown failed');
  });

  it('hostile VM names are passed as data; commands name VMs by id', async () => {
    for (const evil of [`x'; Remove-Item -Recurse C:\\; '$(whoami)\`"`, 'line1\nline2 中文\u2019']) {
      const state = freshState('ml30-connectx4', (s) => (s.vms[0]!.name = evil));
      const { ops } = await opsOn(state);
      const { plan, outcome } = await planAndRun(ops, { kind: 'assign', locationPath: CX4, vmName: evil });
      expect(outcome.status).toBe('succeeded');
      expect(readState(state).vms[0]!.assignedDevices).toEqual([CX4]);
      // the name appears only in comments, on one line; every other line is one of the commands or our step scripts' text
      const definitions = scriptDefinitions(scriptsCalled(plan.steps)).join('\n');
      const commands = new Set([...plan.steps.map((x) => x.action.command), "$ErrorActionPreference = 'Stop'", '']);
      for (const line of plan.script.replace(definitions, '').split('\n'))
        expect(line.startsWith('#') || commands.has(line), line).toBe(true);
      for (const x of plan.steps) expect(x.action.command).not.toContain(evil);
      const back = await planAndRun(ops, { kind: 'revert', locationPath: CX4 });
      expect(back.outcome.status).toBe('succeeded');
    }
  });

  it('a busy device is refused while another operation holds it', async () => {
    const state = freshState('ml30-connectx4');
    const { ops } = await opsOn(state);
    const a = await ops.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    const b = await ops.plan({ kind: 'assign', locationPath: CX4, vmName: 'Build-Agent' }, none);
    const [ra, rb] = await Promise.all([ops.run(a.id), ops.run(b.id)]);
    expect(ra.ok).toBe(true);
    expect(!rb.ok && rb.error.code).toBe('busy');
  });

  it('a plan whose host changed is refused as stale; an unknown plan id as not-found', async () => {
    const state = freshState('ml30-connectx4');
    const { ops } = await opsOn(state);
    const plan = await ops.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    const s = readState(state);
    vmOfJson(s, 'Router-01').state = 'Running';
    writeFileSync(state, JSON.stringify(s));
    const r = await ops.run(plan.id);
    expect(!r.ok && r.error.code).toBe('stale-plan');
    const u = await ops.run('no-such-plan');
    expect(!u.ok && u.error.code).toBe('not-found');
  });
});

describe("a plan's exported .ps1 in a plain pwsh with the simulator ends where the executor does", () => {
  const cases: Array<{
    name: string;
    profile: string;
    setup?: [Intent, PlanChoices];
    intent: Intent;
    choices: PlanChoices;
  }> = [
    {
      name: 'assign with siblings',
      profile: 'gpu-workstation',
      intent: { kind: 'assign', locationPath: GPU, vmName: 'GPU-Render', includeSiblings: true },
      choices: none,
    },
    {
      name: 'revert from a running VM',
      profile: 'ml30-connectx4',
      setup: [
        { kind: 'assign', locationPath: CX4, vmName: 'File-Server' },
        { consents: ['turn-off-vm'], startVmAfter: true },
      ],
      intent: { kind: 'revert', locationPath: CX4 },
      choices: { consents: ['turn-off-vm'], startVmAfter: true },
    },
    {
      name: 'move',
      profile: 'gpu-workstation',
      intent: { kind: 'move', locationPath: NVME, toVm: 'Prod-SQL01' },
      // Assigned in the profile, never measured on the host: its MMIO is acknowledged unknown.
      choices: { consents: ['turn-off-vm', 'unknown-mmio'], startVmAfter: true },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const viaExecutor = freshState(c.profile);
      const { ops } = await opsOn(viaExecutor);
      if (c.setup) await planAndRun(ops, ...c.setup);
      const viaScript = join(mkdtempSync(join(tmpdir(), 'dda-script-')), 'state.json');
      copyFileSync(viaExecutor, viaScript);
      const { plan, outcome } = await planAndRun(ops, c.intent, c.choices);
      expect(outcome.status).toBe('succeeded');
      const file = join(mkdtempSync(join(tmpdir(), 'dda-script-')), 'plan.ps1');
      writeFileSync(file, plan.script);
      execFileSync(
        shared.host.powershell.path,
        ['-NoProfile', '-NonInteractive', '-Command', `Import-Module '${simulatorModulePath()}'; . '${file}'`],
        {
          env: { ...process.env, DDA_SIM_STATE: viaScript },
          stdio: 'pipe',
        },
      );
      expect(comparableState(viaScript)).toEqual(comparableState(viaExecutor));
    });
  }
});

function vmOfJson(s: ReturnType<typeof readState>, name: string) {
  return s.vms.find((v) => v.name === name)!;
}
