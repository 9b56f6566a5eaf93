/**
 * Issue 12 on the real pwsh + simulator: a saved VM, resource pools (Windows Server 2025), clustered
 * VMs and the seed's R910 (IovSupport False for ACS only). One session for the whole file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Intent, PlanChoices } from '../../shared/plan';
import { main } from '../cli/dda';
import { readInventory } from './inventory-service';
import { Journal } from './journal';
import { memoryMeasurementStore } from './measurement-store';
import { Operations } from './operations';
import { freshState, readState, sharedHost } from '../../testing/test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());
const runner = shared.host.runner;

const L4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const L4B = 'PCIROOT(0)#PCI(0200)#PCI(0000)';
const E810 = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const GONE = 'PCIROOT(0)#PCI(0500)#PCI(0000)';
const X520 = 'PCIROOT(0)#PCI(0700)#PCI(0000)';

async function opsOn(state: string) {
  await shared.use(state);
  const memory = memoryMeasurementStore();
  const journal = new Journal(mkdtempSync(join(tmpdir(), 'dda-journal-')));
  return new Operations({ runner, journal, readInventory: () => readInventory(runner, { memory }), onEvent: () => {} });
}
async function planAndRun(ops: Operations, intent: Intent, choices: PlanChoices) {
  const plan = await ops.plan(intent, choices);
  const r = await ops.run(plan.id);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return { plan, outcome: r.value };
}
const stats = async (reset = false) => {
  const r = await runner.invoke<{ calls: Record<string, number> }>('sim-stats', { Reset: reset });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const vmOf = (state: string, name: string) => readState(state).vms.find((v) => v.name === name)!;

describe('inventory of a Windows Server 2025 host with a GPU pool (ws2025-pools)', () => {
  it('pool members, a pool assignment, a saved VM and a clustered VM with automatic checkpoints', async () => {
    await shared.use(freshState('ws2025-pools'));
    const inv = await readInventory(runner, { memory: memoryMeasurementStore() });
    for (const p of [L4, L4B]) {
      const d = inv.devices.find((x) => x.locationPath === p)!;
      expect(d.owner).toEqual({ kind: 'dismounted' });
      expect(d.resourcePoolName).toBe('GpuPool');
    }
    expect(inv.devices.find((x) => x.locationPath === E810)!.resourcePoolName).toBeNull();
    // A device waiting in its pool is not an orphan.
    expect(inv.problems.filter((p) => p.kind === 'orphan')).toEqual([]);
    const ai = inv.vms.find((v) => v.name === 'AI-Pool-01')!;
    expect(ai.assignedDevices.map((a) => [a.locationPath, a.resourcePoolName, a.stale, a.duplicate])).toEqual([
      [GONE, null, true, false],
      // Guess (reference README): a pool entry names no device; it is never stale.
      ['PCI Express Device', 'GpuPool', false, false],
    ]);
    expect(inv.problems).toEqual([{ kind: 'stale', vmName: 'AI-Pool-01', locationPath: GONE }]);
    const sql = inv.vms.find((v) => v.name === 'SQL-Clustered')!;
    expect([sql.isClustered, sql.automaticCheckpointsEnabled, sql.state]).toEqual([true, true, 'Running']);
    expect(inv.vms.find((v) => v.name === 'Render-Saved')!.state).toBe('Saved');
    expect(inv.vms.find((v) => v.name === 'Render-Saved')!.isClustered).toBe(false);
  });

  it("the seed's R910: IovSupport False with its reason shown, never parsed", async () => {
    await shared.use(freshState('r910-x520'));
    const inv = await readInventory(runner, { memory: memoryMeasurementStore() });
    expect(inv.host.iovSupport).toBe(false);
    expect(inv.host.iovSupportReasons).toHaveLength(1);
    expect(inv.host.osPcieControl).toBeNull(); // no cmdlet reports it; IovSupport False leaves it unknown
    expect(inv.host.iommuPolicyEnabled).toBe(true);
  });
});

describe('operations end to end', () => {
  it('a saved VM: Remove-VMSavedState with its consent, never Stop-VM; the saved state is gone and the device assigned', async () => {
    const state = freshState('ws2025-pools');
    const ops = await opsOn(state);
    const refused = await ops.plan(
      { kind: 'assign', locationPath: E810, vmName: 'Render-Saved' },
      { consents: [], startVmAfter: false },
    );
    expect(refused.consents.map((c) => [c.id, c.given])).toEqual([['discard-saved-state', false]]);
    await stats(true);
    const { plan, outcome } = await planAndRun(
      ops,
      { kind: 'assign', locationPath: E810, vmName: 'Render-Saved' },
      { consents: ['discard-saved-state'], startVmAfter: false },
    );
    expect(plan.steps[0]!.kind).toBe('remove-saved-state');
    expect(plan.steps[0]!.undo).toBeNull();
    expect(outcome.status).toBe('succeeded');
    const vm = vmOf(state, 'Render-Saved');
    expect(vm.state).toBe('Off');
    expect(vm.assignedDevices).toEqual([E810]);
    const calls = (await stats()).calls;
    expect(calls['Remove-VMSavedState']).toBe(1);
    expect(calls['Stop-VM'] ?? 0).toBe(0);
  });

  it('a failure after the saved state was removed rolls the rest back; the saved state stays gone (it cannot be undone)', async () => {
    const state = freshState('ws2025-pools', (s) => {
      s.faults = [{ cmdlet: 'Add-VMAssignableDevice', message: 'injected', times: 1 }];
    });
    const ops = await opsOn(state);
    const { plan, outcome } = await planAndRun(
      ops,
      { kind: 'assign', locationPath: E810, vmName: 'Render-Saved' },
      { consents: ['discard-saved-state'], startVmAfter: false },
    );
    expect(outcome.status).toBe('rolled-back');
    const states = Object.fromEntries(
      outcome.steps.map((r) => [plan.steps.find((x) => x.id === r.stepId)!.kind, r.state]),
    );
    expect(states['remove-saved-state']).toBe('done'); // no undo: nothing to take back
    expect(states['dismount-device']).toBe('undone');
    const vm = vmOf(state, 'Render-Saved');
    expect([vm.state, vm.assignedDevices, vm.automaticStopAction]).toEqual(['Off', [], 'Save']);
    const nic = readState(state).devices.find((d) => d.locationPath === E810)!;
    expect([nic.dismounted, nic.enabled]).toEqual([false, true]);
  });

  it('repair removes the stale direct entry and keeps the pool assignment', async () => {
    const state = freshState('ws2025-pools');
    const ops = await opsOn(state);
    const { plan, outcome } = await planAndRun(
      ops,
      { kind: 'repair', vmName: 'AI-Pool-01' },
      { consents: [], startVmAfter: false },
    );
    expect(plan.steps.map((s) => s.kind)).toEqual(['remove-all-devices']);
    expect(plan.warnings.map((w) => w.code)).toContain('pool-entries-kept');
    expect(outcome.status).toBe('succeeded');
    const vm = vmOf(state, 'AI-Pool-01');
    expect(vm.assignedDevices).toEqual([]);
    expect(vm.poolAssignments).toEqual(['GpuPool']);
    const inv = await readInventory(runner, { memory: memoryMeasurementStore() });
    expect(inv.problems).toEqual([]);
  });

  it("the seed's R910 (IovSupport False, ACS only) assigns the X520 with the force consent and, as its card has no mitigation driver, that consent too", async () => {
    const state = freshState('r910-x520');
    const ops = await opsOn(state);
    const without = await ops.plan(
      { kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' },
      { consents: [], startVmAfter: false },
    );
    expect(without.blocked).toBeNull();
    expect(without.consents.map((c) => c.id)).toEqual(['force-insecure']);
    expect(without.consents[0]!.text.en).toContain('IovSupport = False');
    const { outcome } = await planAndRun(
      ops,
      { kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' },
      { consents: ['force-insecure', 'skip-device-mitigations'], startVmAfter: false },
    );
    expect(outcome.status).toBe('succeeded');
    expect(vmOf(state, 'UplinkRouter').assignedDevices).toEqual([X520]);
  });
});

describe('the CLI refuses with exit code 2 and says why', () => {
  async function cli(args: string[]) {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
    return { code, out, err };
  }

  it('a host without DMA remapping (no-iommu) refuses the assignment; a saved VM needs --discard-saved-state', async () => {
    const blocked = await cli([
      'assign',
      '--simulate',
      'no-iommu',
      '--device',
      'PCIROOT(0)#PCI(1C00)#PCI(0000)',
      '--vm',
      'Legacy-App',
      '--yes',
    ]);
    expect(blocked.code).toBe(2);
    expect(blocked.out).toMatch(/REFUSED: .*IovSupport = False/);
    const saved = await cli([
      'assign',
      '--simulate',
      'ws2025-pools',
      '--device',
      E810,
      '--vm',
      'Render-Saved',
      '--yes',
    ]);
    expect(saved.code).toBe(2);
    expect(saved.err).toContain('--discard-saved-state');
    expect(saved.out).toContain('Remove-VMSavedState');
  });

  it('dda inventory shows pool members, pool assignments and clustered VMs', async () => {
    const r = await cli(['inventory', '--simulate', 'ws2025-pools']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('In pool GpuPool');
    expect(r.out).toMatch(/AI-Pool-01 .*pool GpuPool/);
    expect(r.out).toMatch(/SQL-Clustered +Running \(clustered\)/);
    expect(r.out).not.toContain('Orphan');
  });
});
