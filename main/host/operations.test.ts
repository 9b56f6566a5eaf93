/** Operations end to end on the real pwsh + simulator: plans, runs, rollbacks, recovery, scripts. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Intent, PlanChoices } from '../../shared/plan';
import { simulatorModulePath } from '../simulator/profiles';
import { main } from '../cli/dda';
import { projectRoot } from '../project-root';
import { readInventory } from './inventory-service';
import { Journal } from './journal';
import { memoryMeasurementStore } from './measurement-store';
import { Operations } from './operations';
import { comparableState, freshState, readState, sharedHost } from './test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());
const runner = shared.host.runner;

async function opsOn(state: string) {
  await shared.use(state);
  const memory = memoryMeasurementStore();
  const journal = new Journal(mkdtempSync(join(tmpdir(), 'dda-journal-')));
  const ops = new Operations({ runner, journal, readInventory: () => readInventory(runner, { memory }) });
  await readInventory(runner, { memory }); // measure devices while they are on the host
  return { ops, journal };
}

const none: PlanChoices = { consents: [], startVmAfter: false };
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const X520 = 'PCIROOT(0)#PCI(0700)#PCI(0000)';
const NVME = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';

async function planAndRun(ops: Operations, intent: Intent, choices: PlanChoices = none) {
  const plan = await ops.plan(intent, choices);
  const r = await ops.run(plan.id);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return { plan, outcome: r.value };
}

describe('the seed hosts end to end', () => {
  it('the ConnectX-4 Lx assigns without force and reverts to exactly the original host', async () => {
    const state = freshState('ml30-connectx4');
    const before = comparableState(state);
    const { ops } = await opsOn(state);
    const { plan, outcome } = await planAndRun(ops, { kind: 'assign', locationPath: CX4, vmName: 'Router-01' });
    expect(plan.consents).toEqual([]);
    expect(plan.steps.map((s) => s.kind)).toEqual(['disable-device', 'dismount-device', 'set-vm-stop-action', 'set-vm-cache-types', 'set-vm-mmio', 'add-device']);
    expect(outcome.status).toBe('succeeded');
    const vm = readState(state).vms.find((v) => v.name === 'Router-01')!;
    expect(vm.assignedDevices).toEqual([CX4]);
    expect(vm.highMemoryMappedIoSpace).toBe((32 + 512) * 1024 * 1024);
    const back = await planAndRun(ops, { kind: 'revert', locationPath: CX4 });
    expect(back.outcome.status).toBe('succeeded');
    expect(comparableState(state)).toEqual(before);
  });

  it('the X520 is refused until force is consented, then assigns and reverts', async () => {
    const state = freshState('r910-x520');
    const before = comparableState(state);
    const { ops } = await opsOn(state);
    const refused = await ops.plan({ kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' }, none);
    expect(refused.consents.map((c) => [c.id, c.given])).toEqual([['force-insecure', false]]);
    const r = await ops.run(refused.id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('refused');
    expect(comparableState(state)).toEqual(before);
    const { outcome } = await planAndRun(ops, { kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' }, { consents: ['force-insecure'], startVmAfter: false });
    expect(outcome.status).toBe('succeeded');
    await planAndRun(ops, { kind: 'revert', locationPath: X520 });
    expect(comparableState(state)).toEqual(before);
  });
});

describe('a fault at every step leaves the host exactly as before, and the journal says so', () => {
  const cases: Array<{ name: string; profile: string; setup?: Intent; intent: Intent; choices?: PlanChoices }> = [
    { name: 'assign', profile: 'ml30-connectx4', intent: { kind: 'assign', locationPath: CX4, vmName: 'Router-01' } },
    { name: 'revert', profile: 'ml30-connectx4', setup: { kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, intent: { kind: 'revert', locationPath: CX4 } },
    { name: 'move', profile: 'gpu-workstation', intent: { kind: 'move', locationPath: NVME, toVm: 'Dev-Linux' } },
  ];
  const cmdletOf: Record<string, string> = {
    'op-stop-vm': 'Stop-VM', 'op-start-vm': 'Start-VM', 'op-disable-device': 'Disable-PnpDevice', 'op-enable-device': 'Enable-PnpDevice',
    'op-dismount-device': 'Dismount-VMHostAssignableDevice', 'op-mount-device': 'Mount-VMHostAssignableDevice', 'op-add-device': 'Add-VMAssignableDevice',
    'op-remove-device': 'Remove-VMAssignableDevice', 'op-set-vm': 'Set-VM',
  };
  for (const c of cases) {
    it(c.name, async () => {
      const probeState = freshState(c.profile);
      const probe = await opsOn(probeState);
      if (c.setup) await planAndRun(probe.ops, c.setup);
      const steps = (await probe.ops.plan(c.intent, c.choices ?? none)).steps;
      expect(steps.length).toBeGreaterThan(2);
      for (let k = 0; k < steps.length; k++) {
        const state = freshState(c.profile);
        const { ops, journal } = await opsOn(state);
        if (c.setup) await planAndRun(ops, c.setup);
        const step = steps[k]!;
        // Fail the k-th step: the n-th call of its cmdlet (earlier steps may use the same cmdlet).
        const cmdlet = cmdletOf[step.action.script]!;
        const sameBefore = steps.slice(0, k).filter((s) => cmdletOf[s.action.script] === cmdlet).length;
        const s = readState(state);
        s.faults = [{ cmdlet, message: `injected at step ${k + 1}`, times: 1, skip: sameBefore }];
        writeFileSync(state, JSON.stringify(s));
        const before = comparableState(state);
        const plan = await ops.plan(c.intent, c.choices ?? none);
        const r = await ops.run(plan.id);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.status, `fault at step ${k + 1} (${step.kind})`).toBe('rolled-back');
        expect(r.value.failedStepId).toBe(step.id);
        expect(comparableState(state), `state after fault at step ${k + 1}`).toEqual(before);
        const rec = journal.operations().at(-1)!;
        expect(rec.ended).toBe('rolled-back');
        expect(rec.undone.sort()).toEqual(steps.slice(0, k).filter((x) => x.undo).map((x) => x.id).sort());
      }
    }, 240_000);
  }
});

describe('hygiene and refusals', () => {
  it('never adds a device a VM already holds (the duplicate-add trap)', async () => {
    const state = freshState('gpu-workstation');
    const { ops } = await opsOn(state);
    const plan = await ops.plan({ kind: 'assign', locationPath: NVME, vmName: 'Storage-VM' }, none);
    expect(plan.blocked?.code).toBe('already-assigned');
  });

  it('repairs stale and duplicate entries, keeping each valid device once', async () => {
    const state = freshState('gpu-workstation', (s) => s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices.push(NVME));
    const { ops } = await opsOn(state);
    const { outcome } = await planAndRun(ops, { kind: 'repair', vmName: 'Storage-VM' });
    expect(outcome.status).toBe('succeeded');
    expect(readState(state).vms.find((v) => v.name === 'Storage-VM')!.assignedDevices).toEqual([NVME]);
  });

  it('returns orphans to the host', async () => {
    const state = freshState('gpu-workstation', (s) => (s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices = []));
    const s = readState(state);
    const nvme = s.devices.find((d) => d.locationPath === NVME)!;
    nvme.dismounted = true;
    nvme.enabled = false;
    writeFileSync(state, JSON.stringify(s));
    const { ops } = await opsOn(state);
    const { outcome } = await planAndRun(ops, { kind: 'return-orphans' });
    expect(outcome.status).toBe('succeeded');
    const after = readState(state).devices.find((d) => d.locationPath === NVME)!;
    expect([after.dismounted, after.enabled]).toEqual([false, true]);
  });

  it('refuses the GPU on the 36-bit host when the MMIO would end above the address limit', async () => {
    const state = freshState('gpu-workstation', (s) => (s.vms.find((v) => v.name === 'GPU-Render')!.highMemoryMappedIoSpace = 33280 * 1024 * 1024));
    const { ops } = await opsOn(state);
    const plan = await ops.plan({ kind: 'assign', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)', vmName: 'GPU-Render' }, none);
    expect(plan.blocked?.code).toBe('mmio-above-limit');
    const ok = await ops.plan({ kind: 'assign', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)', vmName: 'Dev-Linux' }, none);
    expect(ok.blocked).toBeNull();
    expect(ok.warnings.map((w) => w.text.en).join(' ')).toContain('16,944 MB');
  });

  it('a running VM needs the turn-off consent, is stopped, and can be started again', async () => {
    const state = freshState('ml30-connectx4');
    const { ops } = await opsOn(state);
    const plan = await ops.plan({ kind: 'assign', locationPath: CX4, vmName: 'File-Server' }, none);
    expect(plan.consents.map((c) => c.id)).toEqual(['turn-off-vm']);
    expect(plan.offersStartVmAfter).toBe(true);
    const { outcome } = await planAndRun(ops, { kind: 'assign', locationPath: CX4, vmName: 'File-Server' }, { consents: ['turn-off-vm'], startVmAfter: true });
    expect(outcome.status).toBe('succeeded');
    const vm = readState(state).vms.find((v) => v.name === 'File-Server')!;
    expect([vm.state, vm.dynamicMemoryEnabled, vm.assignedDevices]).toEqual(['Running', false, [CX4]]);
  });

  it('hostile VM names are passed as data and quoted safely in the script', async () => {
    const evil = `x'; Remove-Item -Recurse C:\\; '$(whoami)\`"\n中文\u2019`;
    const state = freshState('ml30-connectx4', (s) => (s.vms[0]!.name = evil));
    const { ops } = await opsOn(state);
    const { plan, outcome } = await planAndRun(ops, { kind: 'assign', locationPath: CX4, vmName: evil });
    expect(outcome.status).toBe('succeeded');
    expect(readState(state).vms[0]!.assignedDevices).toEqual([CX4]);
    expect(plan.script).not.toContain(evil); // names appear only in comments, flattened; commands use the VM id
  });

  it('a busy device is refused while another operation holds it', async () => {
    const state = freshState('ml30-connectx4');
    const { ops } = await opsOn(state);
    const a = await ops.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    const b = await ops.plan({ kind: 'assign', locationPath: CX4, vmName: 'Build-Agent' }, none);
    const [ra, rb] = await Promise.all([ops.run(a.id), ops.run(b.id)]);
    expect(ra.ok).toBe(true);
    expect(rb.ok).toBe(false);
    if (!rb.ok) expect(rb.error.code).toBe('busy');
  });
});

describe('scripts and recovery', () => {
  it("a plan's exported .ps1, run in a plain pwsh with the simulator, ends in the same state as the executor", async () => {
    const viaExecutor = freshState('gpu-workstation');
    const viaScript = freshState('gpu-workstation');
    const intent: Intent = { kind: 'assign', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)', vmName: 'Dev-Linux', includeSiblings: true };
    const { ops } = await opsOn(viaExecutor);
    const { plan, outcome } = await planAndRun(ops, intent);
    expect(outcome.status).toBe('succeeded');
    const file = join(mkdtempSync(join(tmpdir(), 'dda-script-')), 'plan.ps1');
    writeFileSync(file, plan.script);
    execFileSync(shared.host.powershell.path, ['-NoProfile', '-NonInteractive', '-Command', `Import-Module '${simulatorModulePath()}'; . '${file}'`], {
      env: { ...process.env, DDA_SIM_STATE: viaScript },
      stdio: 'pipe',
    });
    expect(comparableState(viaScript)).toEqual(comparableState(viaExecutor));
  });

  it('the app and PowerShell killed in the middle of an operation: dda recover rolls the host back, nothing stranded', async () => {
    const state = freshState('ml30-connectx4', (x) => (x.latencyMs = { 'Set-VM': 4000 }));
    const before = comparableState(state);
    const cli = spawn(process.execPath, [join(projectRoot(), 'bin', 'dda.mjs'), 'assign', '--device', CX4, '--vm', 'Router-01', '--sim-state', state, '--yes'], { detached: true, stdio: 'ignore' });
    const journal = new Journal(`${state}.data`);
    await expect.poll(() => journal.records().some((r) => r.t === 'step-start' && r.step === 's3'), { timeout: 30_000 }).toBe(true);
    process.kill(-cli.pid!, 'SIGKILL'); // the whole process group: node and its pwsh, mid-step
    await new Promise((resolve) => cli.once('exit', resolve));
    const s = readState(state);
    s.latencyMs = {};
    writeFileSync(state, JSON.stringify(s));
    expect(journal.unfinished()).toHaveLength(1);
    let out = '';
    const io = { out: (t: string) => (out += t + '\n'), err: (t: string) => (out += t + '\n') };
    expect(await main(['recover', '--sim-state', state], io)).toBe(2);
    expect(out).toMatch(/Unfinished: .*Assign Mellanox/);
    expect(await main(['recover', '--rollback', '--sim-state', state], io)).toBe(0);
    expect(comparableState(state)).toEqual({ ...(before as object), latencyMs: {} });
    expect(journal.unfinished()).toHaveLength(0);
  }, 90_000);
});
