/**
 * The planner's issue-12 rules, pure: host readiness that matches the seed (IovSupport False for ACS
 * only), saved VMs, resource pools (Windows Server 2025), clustered VMs and automatic checkpoints.
 */
import { describe, expect, it } from 'vitest';
import type { Device, Inventory, Vm } from '../../shared/inventory';
import { MiB } from '../../shared/mmio';
import {
  planIsRunnable,
  planSchema,
  type ConsentId,
  type Intent,
  type Plan,
  type PlanChoices,
} from '../../shared/plan';
import { stepEffect } from './executor-effects';
import { planOperation } from './planner';
import { recoveryRefusal } from './recovery-checks';
import { testDevice, testInventory, testVm } from '../../testing/test-builders';
import { startedOperation, type OperationRecord } from './journal-record';

const NIC = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const X520 = 'PCIROOT(0)#PCI(0700)#PCI(0000)';
const X520B = 'PCIROOT(0)#PCI(0700)#PCI(0001)';
const L4 = 'PCIROOT(0)#PCI(0200)#PCI(0000)';
const GONE = 'PCIROOT(0)#PCI(0500)#PCI(0000)';

const device = (path: string, over: Partial<Device> = {}, acs = 3): Device =>
  testDevice(path, {
    verdict: acs === 0 ? { code: 'force-insecure', reason: 'acs-missing' } : { code: 'assignable' },
    facts: {
      deviceType: 2,
      baseClass: 2,
      acsUpHierarchy: acs,
      requiresReservedMemoryRegion: 0,
      disabled: false,
      irqs: [4294967294],
      memoryRanges: [],
      source: 'live',
      notes: [],
    },
    resourcePoolName: null,
    ...over,
  });
const vm = (name: string, over: Partial<Vm> = {}): Vm =>
  testVm(name, {
    automaticStopAction: 'TurnOff',
    guestControlledCacheTypes: true,
    highMemoryMappedIoSpace: 1024 * MiB,
    guestOs: 'Windows Server 2025 Datacenter',
    isClustered: false,
    ...over,
  });
const inventory = (devices: Device[], vms: Vm[], host: Partial<Inventory['host']> = {}): Inventory =>
  testInventory(devices, vms, {
    computerName: 'HV2025',
    osCaption: 'Microsoft Windows Server 2025 Datacenter',
    ...host,
  });
const consent = (...c: ConsentId[]): PlanChoices => ({ consents: c, startVmAfter: false });
function plan(intent: Intent, inv: Inventory, choices: PlanChoices = consent()): Plan {
  const p = planOperation(intent, inv, choices, { planId: 'p1', now: '2026-11-30T01:02:03.000Z' });
  expect(planSchema.parse(p)).toEqual(p);
  for (const w of p.warnings) expect(w.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  for (const c of p.consents) expect(c.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  for (const s of p.steps) expect(s.description['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  return p;
}
const kinds = (p: Plan) => p.steps.map((s) => s.kind);
const codes = (p: Plan) => p.warnings.map((w) => w.code);
const record = (p: Plan): OperationRecord => startedOperation('op1', p, '');

describe('host readiness that matches the seed: IovSupport False', () => {
  const r910 = (host: Partial<Inventory['host']>, acs = [0, 0]) => {
    const a = device(X520, { siblings: [X520B] }, acs[0]);
    const b = device(X520B, { siblings: [X520] }, acs[1]);
    return inventory([a, b], [vm('UplinkRouter')], { iovSupport: false, osPcieControl: null, ...host });
  };
  // The reasons are localized text: the decision never depends on them (one says ACS, one says DMA remapping).
  const reasonSets = [
    ['PCI Express ACS is not supported on the path to the root complex.'],
    ['芯片组不支持 DMA 重映射。'],
    [],
  ];

  it('devices without ACS, the IOMMU policy on, PCIe control not refused: assignable with the force consent, which quotes the reasons', () => {
    for (const reasons of reasonSets) {
      const inv = r910({ iovSupportReasons: reasons });
      const p = plan({ kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' }, inv);
      expect(p.blocked).toBeNull();
      expect(p.consents.map((c) => c.id)).toEqual(['force-insecure']);
      expect(p.consents[0]!.text.en).toContain('IovSupport = False');
      for (const r of reasons) expect(p.consents[0]!.text.en).toContain(r);
      expect(codes(p)).toContain('iov-acs-only');
      expect(planIsRunnable(p)).toBe(false);
      const go = plan({ kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' }, inv, consent('force-insecure'));
      expect(planIsRunnable(go)).toBe(true);
      expect(go.steps.find((s) => s.kind === 'dismount-device')!.action.params.RequireAcsSupport).toBe(false);
    }
  });

  it('with both functions of the card: still the ACS case when both lack ACS, blocked when one has ACS', () => {
    const both = plan({ kind: 'assign', locationPath: X520, vmName: 'UplinkRouter', includeSiblings: true }, r910({}));
    expect(both.blocked).toBeNull();
    const mixed = plan(
      { kind: 'assign', locationPath: X520, vmName: 'UplinkRouter', includeSiblings: true },
      r910({}, [0, 3]),
    );
    expect(mixed.blocked?.code).toBe('no-iov');
  });

  it('blocked, with the reasons shown, whenever the facts do not show the ACS case', () => {
    const cases: Array<[Partial<Inventory['host']>, number[], string]> = [
      [{}, [3, 3], 'no-iov'], // the device has ACS: the reason is something else
      [{ iommuPolicyEnabled: null }, [0, 0], 'no-iov'], // IOMMU policy unknown
      [{ iommuPolicyEnabled: false }, [0, 0], 'no-iov'],
      [{ osPcieControl: false }, [0, 0], 'bios-pcie-control'],
    ];
    for (const [host, acs, code] of cases) {
      const p = plan(
        { kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' },
        r910({ iovSupportReasons: ['PCI Express ACS is not supported.'], ...host }, acs),
        consent('force-insecure'),
      );
      expect(p.blocked?.code, JSON.stringify(host)).toBe(code);
      expect(p.steps).toEqual([]);
    }
    const shown = plan(
      { kind: 'assign', locationPath: X520, vmName: 'UplinkRouter' },
      r910({ iovSupportReasons: ['Interrupt remapping is not supported.'] }, [3, 3]),
    );
    expect(shown.blocked!.text.en).toContain('Interrupt remapping is not supported.');
  });

  it('a move to another VM follows the same rule', () => {
    const a = device(X520, { owner: { kind: 'vm', vmName: 'A' } }, 0);
    const inv = inventory(
      [a],
      [
        vm('A', {
          assignedDevices: [
            {
              locationPath: X520,
              instanceId: 'PCIP\\X',
              name: 'x',
              stale: false,
              duplicate: false,
              resourcePoolName: null,
            },
          ],
        }),
        vm('B'),
      ],
      { iovSupport: false, osPcieControl: null },
    );
    const p = plan({ kind: 'move', locationPath: X520, toVm: 'B' }, inv);
    expect(p.blocked).toBeNull();
    expect(p.consents.map((c) => c.id)).toEqual(['force-insecure']);
  });
});

describe('a saved VM', () => {
  const saved = () => {
    const d = device(NIC);
    const v = vm('Render', { state: 'Saved', automaticStopAction: 'Save' });
    return { d, v, inv: inventory([d], [v]) };
  };

  it('its saved state is removed first with its own consent; no stop-vm, no turn-off consent, no undo', () => {
    const { v, inv } = saved();
    const p = plan({ kind: 'assign', locationPath: NIC, vmName: 'Render' }, inv);
    expect(p.consents.map((c) => [c.id, c.given])).toEqual([['discard-saved-state', false]]);
    expect(p.consents[0]!.text.en).toContain('cannot be undone');
    expect(kinds(p)[0]).toBe('remove-saved-state');
    expect(kinds(p)).not.toContain('stop-vm');
    expect(p.steps[0]!.undo).toBeNull();
    expect(p.steps[0]!.action).toEqual({
      script: 'op-remove-saved-state',
      params: { VmId: v.id },
      command: `op-remove-saved-state -VmId '${v.id}'`,
    });
    expect(codes(p)).toContain('saved-state-lost');
    expect(p.offersStartVmAfter).toBe(false);
    expect(planIsRunnable(p)).toBe(false);
    const go = plan({ kind: 'assign', locationPath: NIC, vmName: 'Render' }, inv, consent('discard-saved-state'));
    expect(planIsRunnable(go)).toBe(true);
    expect(kinds(go)).toEqual([
      'remove-saved-state',
      'disable-device',
      'dismount-device',
      'set-vm-stop-action',
      'add-device',
    ]);
    expect(go.script).toContain('Remove-VMSavedState');
    expect(recoveryRefusal(record(go), inv)).toBeNull();
  });

  it('revert and repair of a saved VM remove the saved state the same way', () => {
    const d = device(NIC, { owner: { kind: 'vm', vmName: 'Render' } });
    const entry = {
      locationPath: NIC,
      instanceId: 'PCIP\\X',
      name: 'nic',
      stale: false,
      duplicate: false,
      resourcePoolName: null,
    };
    const v = vm('Render', {
      state: 'Saved',
      assignedDevices: [entry, { ...entry, locationPath: GONE, instanceId: '', stale: true }],
    });
    const inv = inventory([d], [v]);
    const revert = plan({ kind: 'revert', locationPath: NIC }, inv, consent('discard-saved-state'));
    expect(kinds(revert)[0]).toBe('remove-saved-state');
    const repair = plan({ kind: 'repair', vmName: 'Render' }, inv, consent('discard-saved-state'));
    expect(kinds(repair)[0]).toBe('remove-saved-state');
    expect(recoveryRefusal(record(repair), inv)).toBeNull();
  });

  it('a move between two saved VMs: one consent, in words that name neither, and both saved states removed', () => {
    const d = device(NIC, { owner: { kind: 'vm', vmName: 'A' } });
    const a = vm('A', {
      state: 'Saved',
      assignedDevices: [{ locationPath: NIC, instanceId: 'PCIP\\X', name: 'x', stale: false, duplicate: false }],
    });
    const b = vm('B', { state: 'Saved' });
    const p = plan({ kind: 'move', locationPath: NIC, toVm: 'B' }, inventory([d], [a, b]));
    expect(p.consents.map((c) => c.id)).toEqual(['discard-saved-state']);
    expect(p.consents[0]!.text.en).toContain('saved VM(s)');
    expect(p.steps.filter((s) => s.kind === 'remove-saved-state').map((s) => s.action.params.VmId)).toEqual([
      a.id,
      b.id,
    ]);
  });

  it("the step's effect: present once the VM is no longer saved", () => {
    const { inv } = saved();
    const step = plan({ kind: 'assign', locationPath: NIC, vmName: 'Render' }, inv, consent('discard-saved-state'))
      .steps[0]!;
    expect(stepEffect(step, inv)).toBe(false);
    inv.vms[0]!.state = 'Off';
    expect(stepEffect(step, inv)).toBe(true);
  });
});

describe('resource pools (Windows Server 2025)', () => {
  const entry = (over: Partial<Vm['assignedDevices'][number]>) => ({
    locationPath: NIC,
    instanceId: 'PCIP\\X',
    name: 'nic',
    stale: false,
    duplicate: false,
    resourcePoolName: null,
    ...over,
  });
  const poolEntry = entry({
    locationPath: 'PCI Express Device',
    instanceId: '',
    name: 'PCI Express Device',
    resourcePoolName: 'GpuPool',
  });

  it('repair removes only direct entries (filtered on ResourcePoolName) and never re-adds or removes a pool entry', () => {
    const nic = device(NIC, { owner: { kind: 'vm', vmName: 'AI' } });
    const v = vm('AI', {
      assignedDevices: [poolEntry, entry({}), entry({ locationPath: GONE, instanceId: '', stale: true })],
    });
    const inv = inventory([nic], [v]);
    const p = plan({ kind: 'repair', vmName: 'AI' }, inv);
    expect(kinds(p)).toEqual(['remove-all-devices', 'add-device']);
    expect(p.steps[0]!.action.command).toBe(`op-remove-device -VmId '${v.id}'`);
    // what runs (and the export defines) keeps pool entries: the filter on ResourcePoolName is in op-remove-device
    expect(p.script).toContain("[string]$_.ResourcePoolName -eq 'Primordial'");
    expect(p.steps[0]!.undo!.params.LocationPaths).toEqual([NIC]);
    expect(p.steps[1]!.action.params.LocationPath).toBe(NIC);
    expect(codes(p)).toContain('pool-entries-kept');
    expect(p.warnings.find((w) => w.code === 'pool-entries-kept')!.text.en).toContain('GpuPool');
    // After the removal only the pool entry is left: the step's effect is present.
    v.assignedDevices = [poolEntry];
    expect(stepEffect(p.steps[0]!, inv)).toBe(true);
  });

  it('a VM whose only entry is a pool assignment has nothing to repair', () => {
    const inv = inventory([device(NIC)], [vm('AI', { assignedDevices: [poolEntry] })]);
    expect(plan({ kind: 'repair', vmName: 'AI' }, inv).blocked?.code).toBe('nothing-to-repair');
  });

  it('a device in a pool is neither assigned directly, nor returned to the host, nor an orphan', () => {
    const l4 = device(L4, {
      owner: { kind: 'dismounted' },
      enabled: false,
      pnpClass: 'Display',
      resourcePoolName: 'GpuPool',
    });
    const inv = inventory([l4, device(NIC)], [vm('AI')]);
    expect(plan({ kind: 'assign', locationPath: L4, vmName: 'AI' }, inv).blocked?.code).toBe('in-resource-pool');
    expect(plan({ kind: 'revert', locationPath: L4 }, inv).blocked?.code).toBe('in-resource-pool');
    expect(plan({ kind: 'return-orphans' }, inv).blocked?.code).toBe('no-orphans');
  });
});

describe('what an assigned device takes from a VM: live migration and checkpoints', () => {
  it('a clustered VM and automatic checkpoints each get a warning, in en and zh-CN', () => {
    const inv = inventory([device(NIC)], [vm('SQL', { isClustered: true, automaticCheckpointsEnabled: true })]);
    const p = plan({ kind: 'assign', locationPath: NIC, vmName: 'SQL' }, inv);
    expect(p.blocked).toBeNull();
    expect(codes(p)).toEqual(expect.arrayContaining(['clustered-vm', 'automatic-checkpoints']));
    expect(p.warnings.find((w) => w.code === 'clustered-vm')!.text.en).toMatch(/cannot live-migrate/);
    expect(p.warnings.find((w) => w.code === 'automatic-checkpoints')!.text.en).toMatch(/not supported/);
  });

  it('no warning when the VM is not clustered, or it is unknown (older inventories)', () => {
    for (const over of [{ isClustered: false }, { isClustered: null }, {}] as Array<Partial<Vm>>) {
      const v = vm('Plain', over);
      if (!('isClustered' in over)) delete (v as Partial<Vm>).isClustered;
      const p = plan({ kind: 'assign', locationPath: NIC, vmName: 'Plain' }, inventory([device(NIC)], [v]));
      expect(codes(p)).not.toContain('clustered-vm');
      expect(codes(p)).not.toContain('automatic-checkpoints');
    }
  });

  it('the target of a move is warned the same way', () => {
    const d = device(NIC, { owner: { kind: 'vm', vmName: 'A' } });
    const inv = inventory(
      [d],
      [
        vm('A', {
          assignedDevices: [{ locationPath: NIC, instanceId: 'PCIP\\X', name: 'x', stale: false, duplicate: false }],
        }),
        vm('B', { isClustered: true }),
      ],
    );
    expect(codes(plan({ kind: 'move', locationPath: NIC, toVm: 'B' }, inv))).toContain('clustered-vm');
  });
});

describe("a VM on its way between states: a stop's or a start's effect cannot be told yet", () => {
  it('Starting and Stopping read as "cannot tell", neither done nor undone', () => {
    const inv = inventory([device(NIC)], [vm('Render', { state: 'Running' })]);
    const p = plan({ kind: 'assign', locationPath: NIC, vmName: 'Render' }, inv, {
      consents: ['turn-off-vm'],
      startVmAfter: true,
    });
    const stop = p.steps.find((s) => s.kind === 'stop-vm')!;
    const start = p.steps.find((s) => s.kind === 'start-vm')!;
    for (const state of ['Starting', 'Stopping', 'StoppingCritical', 'ForceShutdown']) {
      inv.vms[0]!.state = state;
      expect([stepEffect(stop, inv), stepEffect(start, inv)], state).toEqual([null, null]);
    }
    inv.vms[0]!.state = 'Off';
    expect([stepEffect(stop, inv), stepEffect(start, inv)]).toEqual([true, false]);
  });
});
