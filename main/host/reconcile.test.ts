/** Durable identity, the reconcile list and the records it keeps (pure, hand-built inventories). */
import { describe, expect, it } from 'vitest';
import type { AssignmentRecord } from '../../shared/assignment-record';
import { describeIdentity, identityOf, sameCard } from '../../shared/device-identity';
import { reconcileHost, updateRecords } from '../../shared/reconcile';
import { MiB } from '../../shared/mmio';
import { testDevice, testInventory, testVm } from '../../testing/test-builders';
import { memoryAssignmentStore } from './assignment-store';
import { readReconciledInventory } from './reconcile-service';

const GPU = 'PCI\\VEN_10DE&DEV_24B0&SUBSYS_14AD10DE&REV_A1\\4&1A2B3C4D&0&0008';
const GPU_ELSEWHERE = 'PCI\\VEN_10DE&DEV_24B0&SUBSYS_14AD10DE&REV_A1\\4&2D3E4F50&0&0018';
const OLD = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const NEW = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const NOW = '2026-11-30T09:00:00.000Z';

function record(vmId: string, vmName: string, path: string, instanceId: string): AssignmentRecord {
  return {
    vmId,
    vmName,
    locationPath: path,
    instanceId,
    friendlyName: 'NVIDIA RTX A4000',
    identity: identityOf(instanceId),
    recordedAt: '2026-10-01T00:00:00.000Z',
    lastSeenAt: '2026-11-01T00:00:00.000Z',
  };
}
const stale = (p: string) => ({
  locationPath: p,
  instanceId: '',
  name: 'PCI Express Device',
  stale: true,
  duplicate: false,
});
const held = (p: string) => ({ locationPath: p, instanceId: 'PCIP\\x', name: 'x', stale: false, duplicate: false });

describe('durable identity', () => {
  it('reads vendor, device, subsystem and revision from a PCI\\ or PCIP\\ id; the instance suffix is not identity', () => {
    expect(identityOf(GPU)).toEqual({
      vendorId: '10DE',
      deviceId: '24B0',
      subsystemId: '14AD10DE',
      revision: 'A1',
      serial: null,
    });
    expect(identityOf(GPU.replace('PCI\\', 'PCIP\\'))).toEqual(identityOf(GPU));
    expect(sameCard(identityOf(GPU), identityOf(GPU_ELSEWHERE))).toBe(true);
    expect(sameCard(identityOf(GPU), identityOf('PCI\\VEN_10DE&DEV_24B0&SUBSYS_14AE10DE&REV_A1\\4&1&0&0008'))).toBe(
      false,
    );
    expect(identityOf('ACPI\\PNP0A08\\0')).toMatchObject({ vendorId: null, deviceId: null });
    expect(sameCard(identityOf('ACPI\\PNP0A08\\0'), identityOf('ACPI\\PNP0A08\\0'))).toBe(false);
    expect(describeIdentity(identityOf(GPU))).toBe('VEN 10DE DEV 24B0 SUBSYS 14AD10DE');
  });

  it('a known serial that differs makes another card of the same model', () => {
    expect(sameCard(identityOf(GPU, 'A1'), identityOf(GPU_ELSEWHERE, 'B2'))).toBe(false);
    expect(sameCard(identityOf(GPU, 'A1'), identityOf(GPU_ELSEWHERE, null))).toBe(true);
  });
});

describe('the reconcile list', () => {
  it('a stale entry whose card is found at exactly one new slot (same function) is "moved", fixed by a re-point', () => {
    const vm = testVm('GPU-Render', { assignedDevices: [stale(OLD)] });
    const moved = testDevice(NEW, { instanceId: GPU_ELSEWHERE, friendlyName: 'NVIDIA RTX A4000', pnpClass: 'Display' });
    const inv = testInventory([moved], [vm]);
    const [item] = reconcileHost(inv, [record(vm.id, vm.name, OLD, GPU)]);
    expect(item).toMatchObject({
      kind: 'moved',
      vmName: 'GPU-Render',
      locationPath: OLD,
      toPath: NEW,
      fix: { kind: 'repoint', vmName: 'GPU-Render', moves: [{ fromPath: OLD, toPath: NEW }] },
    });
    expect(item!.text.en).toContain(`moved to ${NEW}`);
  });

  it('no card with those IDs is "gone"; two candidates are named but not guessed; no record is plain stale; all fixed by removing the entry', () => {
    const vm = testVm('GPU-Render', { assignedDevices: [stale(OLD)] });
    const gone = reconcileHost(testInventory([testDevice(NEW)], [vm]), [record(vm.id, vm.name, OLD, GPU)]);
    expect(gone).toMatchObject([{ kind: 'gone', fix: { kind: 'repair', vmName: 'GPU-Render' } }]);
    const two = [
      testDevice(NEW, { instanceId: GPU_ELSEWHERE }),
      testDevice('PCIROOT(0)#PCI(0400)#PCI(0000)', { instanceId: GPU_ELSEWHERE.replace('0018', '0020') }),
    ];
    const ambiguous = reconcileHost(testInventory(two, [vm]), [record(vm.id, vm.name, OLD, GPU)]);
    expect(ambiguous).toMatchObject([{ kind: 'stale', fix: { kind: 'repair' } }]);
    expect(ambiguous[0]!.text.en).toContain('2 cards of the same make');
    expect(reconcileHost(testInventory([testDevice(NEW, { instanceId: GPU_ELSEWHERE })], [vm]), [])).toMatchObject([
      { kind: 'stale', deviceName: null },
    ]);
  });

  it('a card another VM holds, or at another function number, is not where the card moved', () => {
    const vm = testVm('A', { assignedDevices: [stale(OLD)] });
    const other = testVm('B', { assignedDevices: [held(NEW)] });
    const taken = testDevice(NEW, { instanceId: GPU_ELSEWHERE, owner: { kind: 'vm', vmName: 'B' } });
    expect(reconcileHost(testInventory([taken], [vm, other]), [record(vm.id, vm.name, OLD, GPU)])[0]!.kind).toBe(
      'gone',
    );
    const fn1 = testDevice('PCIROOT(0)#PCI(0300)#PCI(0001)', { instanceId: GPU_ELSEWHERE });
    expect(reconcileHost(testInventory([fn1], [vm]), [record(vm.id, vm.name, OLD, GPU)])[0]!.kind).toBe('gone');
  });

  it('an orphan names the deleted VM that held it and is fixed by returning it; a disabled function of a passed-through card is fixed by enabling it', () => {
    const nvme = testDevice('PCIROOT(0)#PCI(1B00)#PCI(0000)', { owner: { kind: 'dismounted' }, enabled: false });
    const port0 = testDevice('PCIROOT(0)#PCI(0200)#PCI(0000)', {
      owner: { kind: 'vm', vmName: 'Router' },
      siblings: ['PCIROOT(0)#PCI(0200)#PCI(0001)'],
    });
    const port1 = testDevice('PCIROOT(0)#PCI(0200)#PCI(0001)', {
      enabled: false,
      verdict: { code: 'disabled-unknown' },
      siblings: ['PCIROOT(0)#PCI(0200)#PCI(0000)'],
    });
    const lonelyDisabled = testDevice('PCIROOT(0)#PCI(1F03)', {
      enabled: false,
      verdict: { code: 'disabled-unknown' },
    });
    const router = testVm('Router', { assignedDevices: [held(port0.locationPath!)], automaticStopAction: 'TurnOff' });
    const inv = {
      ...testInventory([nvme, port0, port1, lonelyDisabled], [router]),
      problems: [{ kind: 'orphan' as const, locationPath: nvme.locationPath! }],
    };
    const items = reconcileHost(inv, [
      record('dead0000-0000-4000-8000-000000000000', 'Old-Build', nvme.locationPath!, nvme.instanceId),
    ]);
    expect(items.map((i) => [i.kind, i.fix])).toEqual([
      ['orphan', { kind: 'revert', locationPath: nvme.locationPath }],
      ['disabled', { kind: 'enable-device', locationPath: port1.locationPath }],
    ]);
    expect(items[0]!.text.en).toContain("It was assigned to 'Old-Build', which no longer exists.");
  });

  it("a VM whose settings no longer fit its devices (stop action Save, MMIO below the devices' ranges) is fixed by fitting them", () => {
    const gpu = testDevice(NEW, { mmioMB: 16 * 1024 + 48, mmioLowMB: 48, owner: { kind: 'vm', vmName: 'V' } });
    const vm = testVm('V', { assignedDevices: [held(NEW)] });
    const [item] = reconcileHost(testInventory([gpu], [vm]), []);
    expect(item).toMatchObject({ kind: 'vm-settings', fix: { kind: 'fit-vm', vmName: 'V' } });
    expect(item!.text.en).toContain('Save');
    expect(item!.text.en).toContain("high MMIO 512 MB < the devices' 16,384 MB");
    const fitting = testVm('V', {
      assignedDevices: [held(NEW)],
      automaticStopAction: 'TurnOff',
      highMemoryMappedIoSpace: 16 * 1024 * MiB,
    });
    expect(reconcileHost(testInventory([gpu], [fitting]), [])).toEqual([]);
  });
});

describe('the records kept after each read', () => {
  it("records every present assignment with its identity, keeps a stale entry's record and a deleted VM's orphan, and forgets returned devices", () => {
    const vm = testVm('V', { assignedDevices: [held(NEW), stale(OLD)] });
    const gpu = testDevice(NEW, { instanceId: GPU_ELSEWHERE, owner: { kind: 'vm', vmName: 'V' } });
    const orphan = testDevice('PCIROOT(0)#PCI(1B00)#PCI(0000)', { owner: { kind: 'dismounted' } });
    const back = testDevice('PCIROOT(0)#PCI(1C00)#PCI(0000)');
    const before = [
      record(vm.id, 'V', OLD, GPU),
      record('dead0000-0000-4000-8000-000000000000', 'Gone-VM', orphan.locationPath!, orphan.instanceId),
      record('dead0000-0000-4000-8000-000000000001', 'Gone-VM-2', back.locationPath!, back.instanceId),
      record(vm.id, 'V', back.locationPath!, back.instanceId),
    ];
    const after = updateRecords(testInventory([gpu, orphan, back], [vm]), before, NOW);
    expect(after.map((r) => [r.vmName, r.locationPath])).toEqual([
      ['V', NEW],
      ['V', OLD],
      ['Gone-VM', orphan.locationPath],
    ]);
    // a kept record whose VM is here is this computer's, named or not before
    expect(after.map((r) => r.computerName)).toEqual(['HV01', 'HV01', undefined]);
    expect(after[0]).toMatchObject({
      instanceId: GPU_ELSEWHERE,
      identity: identityOf(GPU_ELSEWHERE),
      recordedAt: NOW,
      lastSeenAt: NOW,
    });
  });
});

describe("another computer's records (a data folder that follows the admin to an identical server)", () => {
  it('are never read here and are kept for their computer; this computer stamps its own', async () => {
    const nvme = testDevice('PCIROOT(0)#PCI(1B00)#PCI(0000)', { owner: { kind: 'dismounted' }, enabled: false });
    const gpu = testDevice(NEW, { instanceId: GPU, owner: { kind: 'vm', vmName: 'V' } });
    const vm = testVm('V', { assignedDevices: [held(NEW)] });
    const inv = {
      ...testInventory([nvme, gpu], [vm]),
      problems: [{ kind: 'orphan' as const, locationPath: nvme.locationPath! }],
    };
    // HV02 saw its own VM hold the NVMe in the same slot; HV01 has an orphan there
    const theirs = {
      ...record('dead0000-0000-4000-8000-000000000002', 'Their-VM', nvme.locationPath!, nvme.instanceId),
      computerName: 'HV02',
    };
    const store = memoryAssignmentStore([theirs]);
    const read = async () => ({ inventory: inv, startFailures: null });
    const out = await readReconciledInventory(read, store, () => new Date(NOW));
    const orphan = out.reconcile!.find((i) => i.kind === 'orphan')!;
    expect(orphan.text.en).not.toContain('Their-VM');
    const kept = store.read().records;
    expect(kept).toContainEqual(theirs);
    expect(kept.find((r) => r.vmName === 'V')).toMatchObject({ computerName: 'HV01', locationPath: NEW });
    // the same record without a name (kept before names were) is this computer's
    const { computerName: _, ...unnamed } = theirs;
    const store2 = memoryAssignmentStore([unnamed]);
    const out2 = await readReconciledInventory(read, store2, () => new Date(NOW));
    expect(out2.reconcile!.find((i) => i.kind === 'orphan')!.text.en).toContain("It was assigned to 'Their-VM'");
  });
});
