/** The planner, pure: hand-written inventories in, plans out; every rule of the issue and hyperv-dda.md. */
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
import { testDevice, testInventory, testVm } from '../../testing/test-builders';
import { flat, planOperation, RESTORING, vmSettingsEffects, type RememberedVmSettings } from './planner';
import { scriptDefinitions, scriptsCalled } from './planner/render-script';
import { startedOperation } from './journal-record';
import { recoveryRefusal } from './recovery-checks';

// --- fixtures -------------------------------------------------------------------------------------

const NIC0 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const NIC1 = 'PCIROOT(0)#PCI(0100)#PCI(0001)';
const GPU = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const GPU_AUDIO = 'PCIROOT(0)#PCI(0300)#PCI(0001)';
const IGPU = 'PCIROOT(0)#PCI(0200)';
const AHCI = 'PCIROOT(0)#PCI(1700)';
const X520 = 'PCIROOT(0)#PCI(0700)#PCI(0000)';

const device = testDevice;
const vm = testVm;

const held = (d: Device, extra: Partial<Vm['assignedDevices'][number]> = {}) => ({
  locationPath: d.locationPath!,
  instanceId: d.instanceId.replace('PCI\\', 'PCIP\\'),
  name: d.friendlyName,
  stale: false,
  duplicate: false,
  ...extra,
});

const inventory = testInventory;

/** A host like the seed's ML30: a dual-port NIC, an iGPU (RMRR), a GPU + audio, the system disk's AHCI. */
function host(
  opts: { vms?: Vm[]; host?: Partial<Inventory['host']>; devices?: (ds: Record<string, Device>) => void } = {},
) {
  const ds: Record<string, Device> = {
    nic0: device(NIC0, {
      friendlyName: 'Mellanox ConnectX-4 Lx',
      siblings: [NIC1],
      card: { path: 'PCIROOT(0)#PCI(01xx)', functionNumber: 0 },
    }),
    nic1: device(NIC1, {
      friendlyName: 'Mellanox ConnectX-4 Lx #2',
      siblings: [NIC0],
      card: { path: 'PCIROOT(0)#PCI(01xx)', functionNumber: 1 },
    }),
    igpu: device(IGPU, {
      friendlyName: 'Intel UHD Graphics',
      pnpClass: 'Display',
      verdict: { code: 'not-assignable', reason: 'rmrr' },
      mmioMB: 272,
    }),
    gpu: device(GPU, { friendlyName: 'NVIDIA RTX A4000', pnpClass: 'Display', mmioMB: 16432, siblings: [GPU_AUDIO] }),
    audio: device(GPU_AUDIO, { friendlyName: 'NVIDIA HD Audio', pnpClass: 'MEDIA', mmioMB: 1, siblings: [GPU] }),
    ahci: device(AHCI, {
      friendlyName: 'SATA AHCI Controller',
      pnpClass: 'SCSIAdapter',
      hostsSystemDisk: true,
      verdict: { code: 'assignable-less-secure' },
      mmioMB: 1,
    }),
    x520: device(X520, {
      friendlyName: 'Intel 82599 10 Gigabit',
      verdict: { code: 'force-insecure', reason: 'acs-missing' },
      mmioMB: 1,
    }),
  };
  opts.devices?.(ds);
  const vms = opts.vms ?? [vm('Router-01')];
  return { ds, vms, inv: inventory(Object.values(ds), vms, opts.host) };
}

const none: PlanChoices = { consents: [], startVmAfter: false };
const consent = (...c: ConsentId[]): PlanChoices => ({ consents: c, startVmAfter: false });
function plan(
  intent: Intent,
  inv: Inventory,
  choices: PlanChoices = none,
  remembered?: Record<string, RememberedVmSettings>,
): Plan {
  const p = planOperation(intent, inv, choices, {
    planId: 'p1',
    now: '2026-11-25T01:02:03.000Z',
    ...(remembered ? { rememberedVmSettings: remembered } : {}),
  });
  expect(planSchema.parse(p)).toEqual(p); // always a valid contract object
  for (const s of p.steps) {
    expect(s.description.en.length).toBeGreaterThan(5);
    expect(s.description['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  }
  for (const w of p.warnings) expect(w.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  return p;
}
const x520Id = (inv: Inventory) => inv.devices.find((d) => d.locationPath === X520)!.instanceId;
const kinds = (p: Plan) => p.steps.map((s) => s.kind);
const codes = (p: Plan) => p.warnings.map((w) => w.code);
const commands = (p: Plan) => p.steps.map((s) => s.action.command);

// --- assign ---------------------------------------------------------------------------------------

describe('assign', () => {
  it('a securely assignable NIC to an Off VM: disable, dismount without -Force, VM settings, add once', () => {
    const { inv, vms } = host();
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv);
    expect(p.blocked).toBeNull();
    expect(p.consents).toEqual([]);
    expect(planIsRunnable(p)).toBe(true);
    expect(kinds(p)).toEqual([
      'disable-device',
      'dismount-device',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'add-device',
    ]);
    const id = vms[0]!.id;
    // each step shows the call of the script it runs, with the same data (steps/op-scripts.ts)
    expect(commands(p)).toEqual([
      `op-disable-device -InstanceId '${inv.devices[0]!.instanceId}'`,
      `op-dismount-device -LocationPath '${NIC0}' -InstanceId '${inv.devices[0]!.instanceId}' -RequireAcsSupport $true -RequireDeviceMitigations $true -RetryWithoutMitigations $false`,
      `op-set-vm -VmId '${id}' -AutomaticStopAction 'TurnOff'`,
      `op-set-vm -VmId '${id}' -GuestControlledCacheTypes $true`,
      `op-set-vm -VmId '${id}' -HighMemoryMappedIoSpace ${(32 + 512) * MiB}`,
      `op-add-device -VmId '${id}' -LocationPath '${NIC0}'`,
    ]);
    expect(p.steps[1]!.action.params).toEqual({
      LocationPath: NIC0,
      InstanceId: inv.devices[0]!.instanceId,
      RequireAcsSupport: true,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: false,
    });
    // each undo takes its step back
    expect(p.steps.map((s) => s.undo?.script)).toEqual([
      'op-enable-device',
      'op-mount-device',
      'op-set-vm',
      'op-set-vm',
      'op-set-vm',
      'op-remove-device',
    ]);
    expect(p.steps[2]!.undo!.params).toEqual({ VmId: id, AutomaticStopAction: 'Save' });
    expect(p.steps[4]!.undo!.params).toEqual({ VmId: id, HighMemoryMappedIoSpace: 512 * MiB });
    expect(p.steps[4]!.replaces).toEqual({ highMemoryMappedIoSpace: 512 * MiB });
    expect(codes(p)).toContain('siblings');
    expect(p.offersStartVmAfter).toBe(false);
  });

  it('the stop action is left alone when it is not Save; cache types and MMIO only when needed', () => {
    const { inv } = host({
      vms: [
        vm('Router-01', {
          automaticStopAction: 'ShutDown',
          guestControlledCacheTypes: true,
          highMemoryMappedIoSpace: 2048 * MiB,
        }),
      ],
    });
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv);
    expect(kinds(p)).toEqual(['disable-device', 'dismount-device', 'add-device']);
    expect(codes(p)).not.toContain('mmio-raise');
  });

  it('siblings go together when asked, each disabled, dismounted and added once', () => {
    const { inv } = host();
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01', includeSiblings: true }, inv);
    expect(kinds(p)).toEqual([
      'disable-device',
      'dismount-device',
      'disable-device',
      'dismount-device',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'add-device',
      'add-device',
    ]);
    expect(p.steps.filter((s) => s.kind === 'add-device').map((s) => s.action.params.LocationPath)).toEqual([
      NIC0,
      NIC1,
    ]);
    expect(p.steps.find((s) => s.kind === 'set-vm-mmio')!.action.params.HighMemoryMappedIoSpace).toBe(
      (32 + 32 + 512) * MiB,
    );
    expect(codes(p)).not.toContain('siblings');
  });

  it('ACS missing (force-insecure): the ACS check is dropped only with its consent, the mitigation check stays on (the WMI method, not -Force)', () => {
    const { inv } = host();
    const refused = plan({ kind: 'assign', locationPath: X520, vmName: 'Router-01' }, inv);
    expect(refused.blocked).toBeNull();
    expect(refused.consents.map((c) => [c.id, c.given])).toEqual([['force-insecure', false]]);
    expect(refused.consents[0]!.text.en).toMatch(/ACS.*DMA/);
    expect(refused.consents[0]!.text['zh-CN']).toMatch(/不安全/);
    expect(planIsRunnable(refused)).toBe(false);
    expect(refused.warnings.find((w) => w.code === 'force')!.severity).toBe('danger');
    const given = plan({ kind: 'assign', locationPath: X520, vmName: 'Router-01' }, inv, consent('force-insecure'));
    expect(planIsRunnable(given)).toBe(true);
    const dismount = given.steps.find((s) => s.kind === 'dismount-device')!;
    expect(dismount.action.params).toEqual({
      LocationPath: X520,
      InstanceId: x520Id(inv),
      RequireAcsSupport: false,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: false,
    });
    expect(dismount.action.command).not.toContain('-Force');
    // op-dismount-device takes exactly these checks to the WMI method (one check dropped: not the cmdlet's -Force)
    expect(dismount.action.command).toBe(
      `op-dismount-device -LocationPath '${X520}' -InstanceId '${x520Id(inv)}' -RequireAcsSupport $false -RequireDeviceMitigations $true -RetryWithoutMitigations $false`,
    );
    // Both consents: exactly what -Force drops, so the cmdlet with -Force is enough.
    const both = plan(
      { kind: 'assign', locationPath: X520, vmName: 'Router-01' },
      inv,
      consent('force-insecure', 'skip-device-mitigations'),
    );
    const d2 = both.steps.find((s) => s.kind === 'dismount-device')!;
    expect(d2.action.params).toEqual({
      LocationPath: X520,
      InstanceId: x520Id(inv),
      RequireAcsSupport: false,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: true,
    });
    expect(d2.action.command).toMatch(
      /^op-dismount-device -LocationPath '.*' -RequireAcsSupport \$false -RequireDeviceMitigations \$true -RetryWithoutMitigations \$true$/,
    );
  });

  it('a device with ACS: with the mitigation consent a refusal is retried without that check alone (ACS still enforced), never recognised by its (localized) text', () => {
    const { inv } = host();
    const p = plan(
      { kind: 'assign', locationPath: NIC0, vmName: 'Router-01' },
      inv,
      consent('skip-device-mitigations'),
    );
    expect(p.consents.map((c) => [c.id, c.given])).toEqual([['skip-device-mitigations', true]]);
    expect(p.consents[0]!.text.en).toMatch(/mitigation driver/);
    const d = p.steps.find((s) => s.kind === 'dismount-device')!;
    expect(d.action.params).toEqual({
      LocationPath: NIC0,
      InstanceId: inv.devices[0]!.instanceId,
      RequireAcsSupport: true,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: true,
    });
    expect(d.action.command).not.toContain('Message'); // hosts answer in Chinese, German, Japanese...
    expect(d.action.command).not.toContain('-Force');
    expect(d.action.command).toMatch(
      /^op-dismount-device -LocationPath '.*' -RequireAcsSupport \$true -RequireDeviceMitigations \$true -RetryWithoutMitigations \$true$/,
    );
    expect(codes(p)).toContain('force-if-refused');
    // The ACS consent alone changes nothing for a device that has ACS.
    const acsOnly = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv, consent('force-insecure'));
    expect(acsOnly.consents).toEqual([]);
    expect(acsOnly.steps.find((s) => s.kind === 'dismount-device')!.action.params).toMatchObject({
      RequireAcsSupport: true,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: false,
    });
  });

  it('the setting data is built only by op-dismount-device (XmlWriter); the call passes a hostile path as one literal', () => {
    const hostile = `PCIROOT(0)#PCI(0100)&<x>'"$(calc)\r`;
    const { inv } = host({ devices: (ds) => Object.assign(ds.nic0!, { locationPath: hostile }) });
    const p = plan(
      { kind: 'assign', locationPath: hostile, vmName: 'Router-01' },
      inv,
      consent('skip-device-mitigations'),
    );
    const d = p.steps.find((s) => s.kind === 'dismount-device')!;
    expect(d.action.params.LocationPath).toBe(hostile);
    expect(d.action.command).toContain(` -LocationPath 'PCIROOT(0)#PCI(0100)&<x>''"$(calc)\r' `);
    expect(d.action.command).not.toContain('INSTANCE');
  });

  it("refuses the controller of the host's system disk, whatever the consents", () => {
    const { inv } = host();
    const p = plan(
      { kind: 'assign', locationPath: AHCI, vmName: 'Router-01' },
      inv,
      consent('force-insecure', 'turn-off-vm', 'take-last-display'),
    );
    expect(p.blocked?.code).toBe('system-disk');
    expect(p.steps).toEqual([]);
    expect(planIsRunnable(p)).toBe(false);
    expect(p.script).toContain('# Nothing to run.');
  });

  it('refuses a not-assignable device with the survey reason', () => {
    const { inv } = host();
    const p = plan({ kind: 'assign', locationPath: IGPU, vmName: 'Router-01' }, inv);
    expect(p.blocked?.code).toBe('not-assignable');
    expect(p.blocked?.text.en).toMatch(/RMRR/);
  });

  it('refuses a device whose survey properties could not be read, and so does recovery', () => {
    const { inv: good } = host();
    // the same host, read again while the RMRR flags could not be read
    const inv = structuredClone(good);
    const nic = inv.devices.find((d) => d.locationPath === NIC0)!;
    nic.verdict = { code: 'unknown' };
    nic.facts = { ...nic.facts, requiresReservedMemoryRegion: null, unreadable: ['requiresReservedMemoryRegion'] };
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv);
    expect(p.blocked?.code).toBe('survey-unreadable');
    expect(p.blocked?.text.en).toMatch(/requiresReservedMemoryRegion\) could not be read/);
    expect(codes(p)).not.toContain('verdict-unknown');
    // an operation planned while the host read well, recovered now that it does not
    const ok = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, good);
    const rec = startedOperation('o1', ok, '2026-11-30T00:00:00.000Z');
    expect(recoveryRefusal(rec, good)).toBeNull();
    expect(recoveryRefusal(rec, inv)).toMatch(/survey properties \(requiresReservedMemoryRegion\) could not be read/);
  });

  it("the host's last display adapter needs take-last-display; with another display it does not", () => {
    const { inv } = host({ devices: (ds) => (ds.igpu!.enabled = false) });
    const p = plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, inv);
    expect(p.consents.map((c) => c.id)).toEqual(['take-last-display']);
    expect(codes(p)).toContain('last-display');
    const { inv: two } = host();
    expect(plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, two).consents).toEqual([]);
  });

  it('MMIO sums every device the VM will hold (already assigned ones too) + 512 MB, raised never lowered', () => {
    const { inv, ds } = host();
    const router = inv.vms[0]!;
    ds.nic1!.owner = { kind: 'vm', vmName: 'Router-01' };
    router.assignedDevices = [held(ds.nic1!)];
    const p = plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, inv);
    expect(p.steps.find((s) => s.kind === 'set-vm-mmio')!.action.params.HighMemoryMappedIoSpace).toBe(
      (16432 + 32 + 512) * MiB,
    );
    expect(p.warnings.find((w) => w.code === 'mmio-raise')!.text.en).toContain('16,976 MB');
    router.highMemoryMappedIoSpace = 20000 * MiB;
    expect(kinds(plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, inv))).not.toContain('set-vm-mmio');
  });

  it('high MMIO: base + size must stay below 2^bits; the plan says how much room is left', () => {
    // 36-bit CPU, base not reported: the default base (63.5 GiB) leaves room for the default 512 MB only.
    const { inv: narrow } = host({ host: { physicalAddressBits: 36 } });
    const p = plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, narrow);
    expect(p.blocked?.code).toBe('mmio-above-limit');
    expect(p.blocked?.text.en).toContain('36-bit');
    expect(p.blocked?.text.en).toContain('default base (65,024 MB');
    expect(p.blocked?.text.en).toContain('HighMemoryMappedIoBaseAddress');
    // The same CPU with the VM's base lowered to 40 GiB (the host reports it): 16.9 GB fits, with room named.
    const { inv: lowered } = host({
      host: { physicalAddressBits: 36 },
      vms: [vm('Router-01', { highMemoryMappedIoBase: 40 * 1024 * MiB })],
    });
    const ok = plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, lowered);
    expect(ok.blocked).toBeNull();
    const target = (16432 + 512) * MiB;
    expect(ok.warnings.find((w) => w.code === 'mmio-room')!.text.en).toContain(
      `leaves ${(64 * 1024 - 40 * 1024 - target / MiB).toLocaleString('en-US')} MB below this 36-bit CPU's limit`,
    );
    // 32 GB + 512 MB from that base does not fit.
    const { inv: big } = host({
      host: { physicalAddressBits: 36 },
      vms: [vm('Render', { highMemoryMappedIoSpace: 33280 * MiB, highMemoryMappedIoBase: 40 * 1024 * MiB })],
    });
    expect(plan({ kind: 'assign', locationPath: GPU, vmName: 'Render' }, big).blocked?.code).toBe('mmio-above-limit');
    // A 46-bit CPU: plenty of room at the default base.
    expect(plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, host().inv).blocked).toBeNull();
  });

  it('a device whose ranges all sit below 4 GiB in 32-bit BARs takes no high MMIO: it fits a 36-bit CPU at the default base', () => {
    // Counted in both gaps, its 1 MB made the high gap 513 MB, 1 MB past 64 GiB: every such plan was refused.
    const { inv, ds } = host({ host: { physicalAddressBits: 36 } });
    Object.assign(ds.nic0!, { mmioMB: 1, mmioLowMB: 1, mmioHighMB: 0 });
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv);
    expect(p.blocked).toBeNull();
    expect(p.steps.filter((s) => s.kind === 'set-vm-mmio').map((s) => Object.keys(s.action.params))).not.toContainEqual(
      expect.arrayContaining(['HighMemoryMappedIoSpace']),
    );
  });

  it('64-bit BARs the host put below 4 GiB (Above 4G decoding off) are sized in both gaps: the guest may place them high', () => {
    // Three 256 MB GPUs' worth of 64-bit BARs below 4 GiB: the low gap holds them as the host had them,
    // the high gap too (Microsoft's rule: every device's MMIO + 512 MB; Linux's pci-hyperv puts 64-bit BARs there).
    const { inv, ds } = host();
    Object.assign(ds.gpu!, { mmioMB: 768, mmioLowMB: 768, mmioHighMB: 768 });
    const p = plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, inv);
    const mmio = Object.assign({}, ...p.steps.filter((s) => s.kind === 'set-vm-mmio').map((s) => s.action.params));
    expect(mmio).toMatchObject({
      LowMemoryMappedIoSpace: (768 + 128) * MiB,
      HighMemoryMappedIoSpace: (768 + 512) * MiB,
    });
  });

  it('an unknown address width is never a silent note: a gap that would not fit on a 36-bit CPU needs the acknowledgement', () => {
    const { inv: unknown } = host({
      host: { physicalAddressBits: null },
      devices: (ds) => Object.assign(ds.nic0!, { mmioMB: null, mmioLowMB: null, mmioHighMB: null }),
    });
    const u = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, unknown);
    expect(u.blocked).toBeNull();
    // 512 MB fits on any CPU; the NIC's own need is unknown and is acknowledged, never counted as 0 silently.
    expect(u.consents.map((c) => c.id)).toEqual(['unknown-mmio']);
    expect(codes(u)).toContain('mmio-unknown');
    expect(planIsRunnable(u)).toBe(false);
    expect(
      planIsRunnable(
        plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, unknown, consent('unknown-mmio')),
      ),
    ).toBe(true);
    const g = plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, unknown);
    expect(g.consents.map((c) => c.id)).toEqual(['unknown-address-width']);
    expect(g.warnings.find((w) => w.code === 'address-bits-unknown')!.severity).toBe('warning');
    expect(planIsRunnable(g)).toBe(false);
    expect(
      planIsRunnable(
        plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, unknown, consent('unknown-address-width')),
      ),
    ).toBe(true);
  });

  it('low MMIO: sized from the ranges below 4 GiB + 128 MB, raised never lowered, refused above 3584 MB, restored on revert', () => {
    const { inv, vms } = host({ devices: (ds) => (ds.gpu!.mmioLowMB = 272) });
    const p = plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, inv);
    const low = p.steps.find((s) => s.kind === 'set-vm-mmio' && s.action.params.LowMemoryMappedIoSpace !== undefined)!;
    expect(low.action.params.LowMemoryMappedIoSpace).toBe((272 + 128) * MiB);
    expect(low.action.command).toBe(`op-set-vm -VmId '${vms[0]!.id}' -LowMemoryMappedIoSpace ${(272 + 128) * MiB}`);
    expect(low.undo!.params.LowMemoryMappedIoSpace).toBe(128 * MiB);
    expect(vmSettingsEffects(p).remember[vms[0]!.id]!.lowMemoryMappedIoSpace).toBe(128 * MiB);
    // never lowered: a VM already at 3 GB keeps it
    const { inv: already } = host({
      devices: (ds) => (ds.gpu!.mmioLowMB = 272),
      vms: [vm('Router-01', { lowMemoryMappedIoSpace: 3072 * MiB })],
    });
    expect(
      plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, already).steps.some(
        (s) => s.action.params.LowMemoryMappedIoSpace !== undefined,
      ),
    ).toBe(false);
    const { inv: huge } = host({ devices: (ds) => (ds.gpu!.mmioLowMB = 3500) });
    expect(plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, huge).blocked?.code).toBe(
      'low-mmio-too-large',
    );
  });

  it('dynamic memory is turned off with Set-VMMemory, and back on as the undo', () => {
    const { inv, vms } = host({ vms: [vm('Router-01', { dynamicMemoryEnabled: true, memoryMinimum: 512 * MiB })] });
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv);
    const s = p.steps.find((x) => x.kind === 'set-vm-memory')!;
    expect(s.action).toEqual({
      script: 'op-set-vm-memory',
      params: { VmId: vms[0]!.id, DynamicMemoryEnabled: false },
      command: `op-set-vm-memory -VmId '${vms[0]!.id}' -DynamicMemoryEnabled $false`,
    });
    expect(s.undo!.params.DynamicMemoryEnabled).toBe(true);
    expect(codes(p)).toContain('dynamic-memory');
  });

  it('a running VM: consent turn-off-vm, graceful stop then turn off, undo starts it, start offered at the end', () => {
    const { inv, vms } = host({ vms: [vm('File-Server', { state: 'Running' })] });
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'File-Server' }, inv);
    expect(p.consents.map((c) => [c.id, c.given])).toEqual([['turn-off-vm', false]]);
    expect(p.offersStartVmAfter).toBe(true);
    const stop = p.steps[0]!;
    expect(stop.kind).toBe('stop-vm');
    expect(stop.action.params).toEqual({ VmId: vms[0]!.id, TimeoutSec: 120 });
    // the shown stop is the call of op-stop-vm, whose text (a bounded graceful shutdown, then TurnOff) the export defines
    expect(stop.action.command).toBe(`op-stop-vm -VmId '${vms[0]!.id}' -TimeoutSec 120`);
    expect(stop.undo!.script).toBe('op-start-vm');
    expect(kinds(p).at(-1)).toBe('add-device');
    const again = plan({ kind: 'assign', locationPath: NIC0, vmName: 'File-Server' }, inv, {
      consents: ['turn-off-vm'],
      startVmAfter: true,
    });
    expect(planIsRunnable(again)).toBe(true);
    expect(kinds(again).at(-1)).toBe('start-vm');
    expect(again.steps.at(-1)!.undo!.script).toBe('op-stop-vm'); // a rollback past a start needs the VM off again
  });

  it('a saved VM warns that its saved state is discarded; a VM in transition is refused', () => {
    const { inv } = host({ vms: [vm('Saved', { state: 'Saved' }), vm('Busy', { state: 'Stopping' })] });
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Saved' }, inv);
    expect(codes(p)).toContain('saved-state-lost');
    expect(p.steps[0]!.undo).toBeNull(); // a saved state cannot be brought back
    expect(p.offersStartVmAfter).toBe(false);
    expect(plan({ kind: 'assign', locationPath: NIC0, vmName: 'Busy' }, inv).blocked?.code).toBe('vm-transitioning');
  });

  it('host readiness: client SKU, no IOV (with reasons), no PCIe control, IOMMU policy off, not elevated, no Hyper-V', () => {
    const cases: Array<[Partial<Inventory['host']>, string]> = [
      [{ productType: 1, isServerSku: false, osCaption: 'Microsoft Windows 11 Pro' }, 'client-sku'],
      [
        {
          iovSupport: false,
          iovSupportReasons: ['The system BIOS must be updated to allow Windows to control PCI Express.'],
        },
        'no-iov',
      ],
      [{ osPcieControl: false }, 'bios-pcie-control'],
      [{ iommuPolicyEnabled: false }, 'iommu-off'],
      [{ elevated: false }, 'not-elevated'],
      [{ hyperVPresent: false }, 'no-hyperv'],
    ];
    for (const [h, code] of cases) {
      const p = plan(
        { kind: 'assign', locationPath: NIC0, vmName: 'Router-01' },
        host({ host: h }).inv,
        consent('force-insecure', 'turn-off-vm'),
      );
      expect(p.blocked?.code, code).toBe(code);
      expect(p.steps).toEqual([]);
    }
    const iov = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, host({ host: cases[1]![0] }).inv);
    expect(iov.blocked!.text.en).toContain('BIOS must be updated');
    expect(
      plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, host({ host: cases[0]![0] }).inv).blocked!.text
        .en,
    ).toContain('0xC035001E');
  });

  it('never adds a device the VM already holds (the duplicate-add trap), even as a stale entry', () => {
    const { inv, ds } = host();
    ds.nic0!.owner = { kind: 'vm', vmName: 'Router-01' };
    inv.vms[0]!.assignedDevices = [held(ds.nic0!)];
    expect(plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv).blocked?.code).toBe(
      'already-assigned',
    );
    const { inv: stale } = host();
    stale.vms[0]!.assignedDevices = [
      { locationPath: NIC0.toLowerCase(), instanceId: '', name: 'PCI Express Device', stale: true, duplicate: false },
    ];
    expect(plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, stale).blocked?.code).toBe(
      'already-assigned',
    );
  });

  it('an orphan (dismounted, no VM) is added without disabling or dismounting again', () => {
    const { inv } = host({
      devices: (ds) => Object.assign(ds.nic0!, { owner: { kind: 'dismounted' }, enabled: false }),
    });
    expect(kinds(plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv))).toEqual([
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'add-device',
    ]);
  });

  it('a device another VM holds turns the assign into a move, never through the host', () => {
    const { inv, ds } = host({
      vms: [vm('A', { automaticStopAction: 'TurnOff', guestControlledCacheTypes: true }), vm('B')],
    });
    ds.nic0!.owner = { kind: 'vm', vmName: 'A' };
    inv.vms[0]!.assignedDevices = [held(ds.nic0!)];
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'B' }, inv);
    expect(p.title.en).toMatch(/^Move /);
    expect(codes(p)).toContain('assign-is-move');
    expect(kinds(p)).toEqual([
      'remove-device',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'add-device',
    ]);
    expect(kinds(p)).not.toContain('mount-device');
  });

  it('unknown device or VM is refused with its own code', () => {
    const { inv } = host();
    expect(plan({ kind: 'assign', locationPath: 'PCIROOT(9)', vmName: 'Router-01' }, inv).blocked?.code).toBe(
      'device-not-found',
    );
    expect(plan({ kind: 'assign', locationPath: NIC0, vmName: 'nope' }, inv).blocked?.code).toBe('vm-not-found');
  });

  it('two VMs of one name (Hyper-V allows it): every intent naming it is refused, nothing runs on either', () => {
    const gpuIn = (d: Device) => [{ name: d.friendlyName, instanceId: d.instanceId, locationPath: d.locationPath! }];
    const { ds } = host();
    const twin = vm('Lab', { assignedDevices: [] });
    const { inv } = host({
      vms: [vm('Lab'), twin, vm('Other')],
      devices: (d) => (d.gpu!.owner = { kind: 'vm', vmName: 'Lab' }),
    });
    twin.assignedDevices = gpuIn(ds.gpu!) as never;
    const intents: Intent[] = [
      { kind: 'assign', locationPath: NIC0, vmName: 'Lab' },
      { kind: 'move', locationPath: NIC0, toVm: 'Lab' },
      { kind: 'revert', locationPath: GPU },
      { kind: 'move', locationPath: GPU, toVm: 'Other' },
      { kind: 'repair', vmName: 'Lab' },
      { kind: 'start-vm', vmName: 'Lab' },
      { kind: 'fit-vm', vmName: 'Lab' },
    ];
    for (const intent of intents) {
      const p = plan(intent, inv);
      expect(p.blocked?.code, intent.kind).toBe('vm-name-ambiguous');
      expect(p.steps, intent.kind).toEqual([]);
      expect(p.blocked?.text.en).toContain("2 VMs are named 'Lab'");
    }
  });

  it('Linux guests get the hv_pci note; less-secure and unknown verdicts warn', () => {
    const { inv } = host({
      vms: [vm('Dev', { guestOs: 'Ubuntu 24.04 LTS' })],
      devices: (ds) => (ds.nic0!.verdict = { code: 'assignable-less-secure' }),
    });
    expect(codes(plan({ kind: 'assign', locationPath: NIC0, vmName: 'Dev' }, inv))).toEqual(
      expect.arrayContaining(['linux-hv-pci', 'less-secure']),
    );
  });
});

// --- revert, move, repair, orphans ----------------------------------------------------------------

function assigned(over: Partial<Vm> = {}) {
  const h = host({
    vms: [
      vm('Router-01', {
        automaticStopAction: 'TurnOff',
        guestControlledCacheTypes: true,
        highMemoryMappedIoSpace: 544 * MiB,
        ...over,
      }),
      vm('Other'),
    ],
  });
  h.ds.nic0!.owner = { kind: 'vm', vmName: 'Router-01' };
  h.ds.nic0!.enabled = false;
  h.inv.vms[0]!.assignedDevices = [held(h.ds.nic0!)];
  return h;
}

describe('revert', () => {
  it('remove, mount, enable the PCI\\ id, and restore the settings the journal remembered', () => {
    const { inv, vms, ds } = assigned({ dynamicMemoryEnabled: false });
    const remembered = {
      [vms[0]!.id]: {
        automaticStopAction: 'Save',
        guestControlledCacheTypes: false,
        highMemoryMappedIoSpace: 512 * MiB,
        dynamicMemoryEnabled: true,
      },
    };
    const p = plan({ kind: 'revert', locationPath: NIC0 }, inv, none, remembered);
    expect(kinds(p)).toEqual([
      'remove-device',
      'mount-device',
      'enable-device',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'set-vm-memory',
    ]);
    expect(p.steps[2]!.action.params.InstanceId).toBe(ds.nic0!.instanceId);
    expect(p.steps[2]!.action.command).toMatch(/^op-enable-device -InstanceId 'PCI\\/);
    expect(p.steps[3]!.action.params).toEqual({ VmId: vms[0]!.id, AutomaticStopAction: 'Save' });
    expect(p.steps[6]!.action.params).toEqual({ VmId: vms[0]!.id, DynamicMemoryEnabled: true });
    const effects = vmSettingsEffects(p);
    expect(effects.forget).toEqual([vms[0]!.id]);
    expect(effects.remember).toEqual({});
    expect(p.steps[3]!.replaces).toEqual({ automaticStopAction: 'TurnOff', [RESTORING]: true });
  });

  it('an MMIO gap changed since DDA Studio set it is kept (never lowered under another adapter), one left as set is put back', () => {
    const { inv, vms } = assigned({ dynamicMemoryEnabled: false, highMemoryMappedIoSpace: 8192 * MiB });
    const id = vms[0]!.id;
    // DDA Studio raised high MMIO from 512 MB to 544 MB; someone raised it to 8 GB since (a GPU partition).
    const changed = { [id]: { highMemoryMappedIoSpace: 512 * MiB, setHighMemoryMappedIoSpace: 544 * MiB } };
    const p = plan({ kind: 'revert', locationPath: NIC0 }, inv, none, changed);
    expect(kinds(p)).not.toContain('set-vm-mmio');
    expect(p.warnings.find((w) => w.code === 'mmio-kept')!.text.en).toContain('kept at 8,192 MB');
    // Left as DDA Studio set it: the original comes back.
    const asSet = { [id]: { highMemoryMappedIoSpace: 512 * MiB, setHighMemoryMappedIoSpace: 8192 * MiB } };
    const back = plan({ kind: 'revert', locationPath: NIC0 }, inv, none, asSet);
    expect(back.steps.find((s) => s.kind === 'set-vm-mmio')!.action.params).toEqual({
      VmId: id,
      HighMemoryMappedIoSpace: 512 * MiB,
    });
  });

  it('an assignment remembers the MMIO it sets (the latest), beside the original (the earliest)', () => {
    const { inv } = host();
    const p = plan({ kind: 'assign', locationPath: GPU, vmName: 'Router-01' }, inv);
    const mmio = p.steps
      .filter((s) => s.kind === 'set-vm-mmio')
      .find((s) => 'HighMemoryMappedIoSpace' in s.action.params)!;
    const vmId = String(mmio.action.params.VmId);
    expect(vmSettingsEffects(p).remember[vmId]).toMatchObject({
      highMemoryMappedIoSpace: 512 * MiB,
      setHighMemoryMappedIoSpace: mmio.action.params.HighMemoryMappedIoSpace,
    });
  });

  it('without remembered settings nothing is restored (never guessed); a running VM needs the consent', () => {
    const { inv } = assigned({ state: 'Running' });
    const p = plan({ kind: 'revert', locationPath: NIC0 }, inv, consent('turn-off-vm'));
    expect(kinds(p)).toEqual(['stop-vm', 'remove-device', 'mount-device', 'enable-device']);
    expect(p.offersStartVmAfter).toBe(true);
  });

  it('when the recorded settings were lost (a corrupt file kept aside), the revert says so instead of restoring from nothing', () => {
    const { inv } = assigned();
    const p = planOperation({ kind: 'revert', locationPath: NIC0 }, inv, none, {
      planId: 'p1',
      rememberedVmSettingsLost: 'kept as vm-originals.corrupt-x.json',
    });
    expect(kinds(p)).toEqual(['remove-device', 'mount-device', 'enable-device']);
    expect(p.warnings.find((w) => w.code === 'vm-settings-lost')?.text.en).toContain('vm-originals.corrupt-x.json');
    expect(codes(plan({ kind: 'revert', locationPath: NIC0 }, inv))).not.toContain('vm-settings-lost');
  });

  it('settings stay while the VM still holds another device', () => {
    const { inv, vms, ds } = assigned();
    ds.nic1!.owner = { kind: 'vm', vmName: 'Router-01' };
    vms[0]!.assignedDevices.push(held(ds.nic1!));
    const p = plan({ kind: 'revert', locationPath: NIC0 }, inv, none, {
      [vms[0]!.id]: { automaticStopAction: 'Save' },
    });
    expect(kinds(p)).toEqual(['remove-device', 'mount-device', 'enable-device']);
    expect(codes(p)).toContain('settings-kept');
  });

  it('an orphan is mounted and enabled; a device on the host is refused', () => {
    const { inv } = host({
      devices: (ds) => Object.assign(ds.nic0!, { owner: { kind: 'dismounted' }, enabled: false }),
    });
    expect(kinds(plan({ kind: 'revert', locationPath: NIC0 }, inv))).toEqual(['mount-device', 'enable-device']);
    expect(plan({ kind: 'revert', locationPath: NIC1 }, inv).blocked?.code).toBe('on-host');
  });

  it('works on a host that cannot assign (no IOV): giving devices back is always allowed', () => {
    const { inv } = assigned();
    inv.host.iovSupport = false;
    expect(plan({ kind: 'revert', locationPath: NIC0 }, inv).blocked).toBeNull();
  });
});

describe('move', () => {
  it('remove from V1, prepare V2, add to V2; never mounted to the host in between; both VMs turned off', () => {
    const { inv, vms } = assigned({ state: 'Running' });
    vms[1]!.state = 'Running';
    const p = plan({ kind: 'move', locationPath: NIC0, toVm: 'Other' }, inv, {
      consents: ['turn-off-vm'],
      startVmAfter: true,
    });
    expect(kinds(p)).toEqual([
      'stop-vm',
      'stop-vm',
      'remove-device',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'add-device',
      'start-vm',
      'start-vm',
    ]);
    expect(p.steps[2]!.action.params.VmId).toBe(vms[0]!.id);
    expect(p.steps[6]!.action.params.VmId).toBe(vms[1]!.id);
    const raised = p.steps.find((s) => s.kind === 'set-vm-mmio' && s.action.params.VmId === vms[1]!.id)!;
    expect(vmSettingsEffects(p).remember[vms[1]!.id]).toEqual({
      automaticStopAction: 'Save',
      guestControlledCacheTypes: false,
      highMemoryMappedIoSpace: 512 * MiB,
      setHighMemoryMappedIoSpace: raised.action.params.HighMemoryMappedIoSpace,
    });
  });

  it("restores V1's remembered settings when it holds nothing else", () => {
    const { inv, vms } = assigned();
    const p = plan({ kind: 'move', locationPath: NIC0, toVm: 'Other' }, inv, none, {
      [vms[0]!.id]: { highMemoryMappedIoSpace: 512 * MiB },
    });
    expect(kinds(p)).toEqual([
      'remove-device',
      'set-vm-mmio',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'add-device',
    ]);
    expect(p.steps[1]!.action.params).toEqual({ VmId: vms[0]!.id, HighMemoryMappedIoSpace: 512 * MiB });
    expect(vmSettingsEffects(p).forget).toEqual([vms[0]!.id]);
  });

  it('a move of a device on the host is an assign; to the VM holding it is refused', () => {
    const { inv } = assigned();
    expect(plan({ kind: 'move', locationPath: NIC1, toVm: 'Other' }, inv).title.en).toMatch(/^Assign/);
    expect(plan({ kind: 'move', locationPath: NIC0, toVm: 'Router-01' }, inv).blocked?.code).toBe('already-assigned');
  });
});

describe('repair and return-orphans', () => {
  it('repair removes every entry (no path) and re-adds each valid device once', () => {
    const { inv, vms, ds } = assigned();
    vms[0]!.assignedDevices = [
      held(ds.nic0!, { duplicate: true }),
      held(ds.nic0!, { duplicate: true }),
      {
        locationPath: 'PCIROOT(0)#PCI(1C00)#PCI(0000)',
        instanceId: '',
        name: 'PCI Express Device',
        stale: true,
        duplicate: false,
      },
    ];
    const p = plan({ kind: 'repair', vmName: 'Router-01' }, inv);
    expect(kinds(p)).toEqual(['remove-all-devices', 'add-device']);
    // Remove-VMAssignableDevice takes VMAssignedDevice objects from the pipeline; a VM binds to nothing.
    // op-remove-device with no path pipes the VM's direct entries (never a VM) to Remove-VMAssignableDevice
    expect(p.steps[0]!.action.command).toBe(`op-remove-device -VmId '${vms[0]!.id}'`);
    expect(p.steps[0]!.action.params).toEqual({ VmId: vms[0]!.id });
    expect(p.steps[0]!.undo!.params).toEqual({ VmId: vms[0]!.id, LocationPaths: [NIC0, NIC0] }); // exactly as it was
    expect(p.steps[1]!.action.params).toEqual({ VmId: vms[0]!.id, LocationPath: NIC0 });
  });

  it('repair of a healthy VM is refused as nothing to do', () => {
    expect(plan({ kind: 'repair', vmName: 'Router-01' }, assigned().inv).blocked?.code).toBe('nothing-to-repair');
  });

  it('return-orphans mounts and enables every orphan; none -> refused', () => {
    const { inv } = host({
      devices: (ds) => {
        Object.assign(ds.nic0!, { owner: { kind: 'dismounted' }, enabled: false });
        Object.assign(ds.gpu!, { owner: { kind: 'dismounted' }, enabled: false });
      },
    });
    // A dismounted twin the host's Get-VMHostAssignableDevice does not list (perhaps in a pool) is left alone.
    expect(plan({ kind: 'return-orphans' }, inv).blocked?.code).toBe('no-orphans');
    inv.problems = [
      { kind: 'orphan', locationPath: NIC0 },
      { kind: 'orphan', locationPath: GPU },
    ];
    const p = plan({ kind: 'return-orphans' }, inv);
    expect(kinds(p)).toEqual(['mount-device', 'enable-device', 'mount-device', 'enable-device']);
    expect(p.steps.filter((s) => s.kind === 'mount-device').map((s) => s.action.params.LocationPath)).toEqual([
      NIC0,
      GPU,
    ]);
    expect(plan({ kind: 'return-orphans' }, host().inv).blocked?.code).toBe('no-orphans');
  });
});

// --- text and quoting -----------------------------------------------------------------------------

describe('hostile names and the exported script', () => {
  const hostile = [
    `x'; Remove-Item -Recurse C:\\ ; '`,
    '$(Stop-Computer)',
    '`n`"back`ticks',
    'line1\nline2\r\n# injected',
    'Ünïcødé 虚拟机 \u2019quote\u2018',
    'tab\there',
  ];

  it('VM names never enter command text (VMs go by id); names in comments stay on one line', () => {
    for (const name of hostile) {
      const { inv } = host({ vms: [vm(name, { state: 'Running' })] });
      const p = plan({ kind: 'assign', locationPath: NIC0, vmName: name }, inv, {
        consents: ['turn-off-vm'],
        startVmAfter: true,
      });
      expect(p.blocked).toBeNull();
      for (const c of [...commands(p), ...p.steps.map((s) => s.undo?.command ?? '')]) expect(c).not.toContain(name);
      // every script line is a comment, blank, the preamble, one of the commands, or our step scripts' own text
      const definitions = scriptDefinitions(scriptsCalled(p.steps)).join('\n');
      expect(p.script).toContain(definitions);
      const allowed = new Set([...commands(p), "$ErrorActionPreference = 'Stop'", '']);
      for (const line of p.script.replace(definitions, '').split('\n'))
        expect(line.startsWith('#') || allowed.has(line), JSON.stringify(line)).toBe(true);
      expect(p.steps[0]!.description.en).toContain(flat(name));
    }
  });

  it('hostile device paths and instance ids are quoted with doubled quotes, including typographic ones', () => {
    const evilPath = `PCIROOT(0)#PCI(0100)#PCI(0000)'; whoami; '\u2019`;
    const { inv } = host({
      devices: (ds) => Object.assign(ds.nic0!, { locationPath: evilPath, instanceId: "PCI\\VEN_1'$(x)" }),
    });
    const p = plan({ kind: 'assign', locationPath: evilPath, vmName: 'Router-01' }, inv);
    expect(p.steps[0]!.action.command).toBe(`op-disable-device -InstanceId 'PCI\\VEN_1''$(x)'`);
    expect(p.steps[1]!.action.command).toMatch(
      /^op-dismount-device -LocationPath 'PCIROOT\(0\)#PCI\(0100\)#PCI\(0000\)''; whoami; ''\u2019\u2019' -InstanceId 'PCI\\VEN_1''\$\(x\)' /,
    );
    expect(p.steps[1]!.action.params.LocationPath).toBe(evilPath); // what runs gets the value as data
  });

  it('the script has a header, stops at the first error, and lists each step with its undo', () => {
    const { inv } = host();
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv);
    const lines = p.script.split('\n');
    expect(lines[0]).toBe('# DDA Studio plan: Assign Mellanox ConnectX-4 Lx to Router-01');
    expect(lines[1]).toContain('2026-11-25T01:02:03.000Z');
    expect(lines).toContain("$ErrorActionPreference = 'Stop'");
    for (const s of p.steps) expect(lines).toContain(s.action.command);
    expect(lines.filter((l) => l.startsWith('#    undo: '))).toHaveLength(p.steps.length);
  });
});

describe('step effects (used by recovery) agree with the plan', () => {
  it('before the run no step of an assign has its effect; the plan applied by hand has them all', () => {
    const { inv, ds, vms } = host();
    const p = plan({ kind: 'assign', locationPath: NIC0, vmName: 'Router-01' }, inv);
    for (const s of p.steps) expect(stepEffect(s, inv), s.kind).toBe(false);
    Object.assign(ds.nic0!, { owner: { kind: 'vm', vmName: 'Router-01' }, enabled: false });
    Object.assign(vms[0]!, {
      automaticStopAction: 'TurnOff',
      guestControlledCacheTypes: true,
      highMemoryMappedIoSpace: 544 * MiB,
      assignedDevices: [held(ds.nic0!)],
    });
    for (const s of p.steps) expect(stepEffect(s, inv), s.kind).toBe(true);
  });
});
