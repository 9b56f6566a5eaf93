/** The simulated host: every precondition fails as documented; every life-cycle transition works. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  behindBusDriver,
  comparableState,
  freshState,
  readState,
  sharedHost,
  type SimJson,
} from '../../testing/test-support';
import { loadProfile, listProfiles } from './profiles';
import { generateProfile } from './generate-profile';
import { hostProfileSchema } from './profile-schema';

const shared = sharedHost();
afterAll(() => shared.host.close());

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const CX4_ID = 'PCI\\VEN_15B3&DEV_1015&SUBSYS_000315B3&REV_00\\4&2C1A7E0F&0&0008';
const ROUTER = '1b6c2f0e-3a51-4c8d-9a11-0f2b7c9d4e01';
const FILESERVER = '5e0a7d2c-8b14-4f3e-a6c2-2d9e1f7b3c02';

async function on(profile: string, edit?: Parameters<typeof freshState>[1]): Promise<string> {
  const state = freshState(profile, edit);
  await shared.use(state);
  return state;
}
async function call(command: string, parameters: Record<string, unknown> = {}) {
  return shared.host.runner.invoke<{ output: unknown[] }>('sim-call', { Command: command, Parameters: parameters });
}
async function ok(command: string, parameters: Record<string, unknown> = {}) {
  const r = await call(command, parameters);
  if (!r.ok) throw new Error(`${command}: ${r.error.message}`);
  return r.value.output;
}
/** A CDXML (PnpDevice) failure: non-terminating, so the call goes on and the error is in `errors`. */
async function failsSoft(command: string, parameters: Record<string, unknown>, message: RegExp, fqid: string) {
  const r = await call(command, parameters);
  expect(r.ok, `${command} writes a non-terminating error`).toBe(true);
  if (!r.ok) return;
  expect(r.errors[0]?.message).toMatch(message);
  expect(r.errors[0]?.fullyQualifiedErrorId).toBe(fqid);
}
async function fails(command: string, parameters: Record<string, unknown>, message: RegExp, fqid: string) {
  const r = await call(command, parameters);
  expect(r.ok, `${command} should fail`).toBe(false);
  if (r.ok) return;
  expect(r.error.message).toMatch(message);
  expect(r.error.fullyQualifiedErrorId).toBe(fqid);
}
const cls = (c: string) => `Microsoft.HyperV.PowerShell.Commands.${c}`;
const workerLog = 'Microsoft-Windows-Hyper-V-Worker-Admin';
const MANUFACTURER = /manufacturer of this device has not supplied any directives/;

describe('device life cycle', () => {
  it('disable -> dismount (PCIP twin) -> add -> remove -> mount -> enable', async () => {
    const state = await on('ml30-connectx4');
    const before = comparableState(state);
    await ok('Disable-PnpDevice', { InstanceId: CX4_ID, Confirm: false });
    expect((await ok('Get-PnpDevice', { InstanceId: [CX4_ID] }))[0]).toMatchObject({ ConfigManagerErrorCode: 22 }); // an enumeration: JSON has the number
    await ok('Dismount-VMHostAssignableDevice', { LocationPath: CX4 });
    const present = (await ok('Get-PnpDevice', { PresentOnly: true })) as Array<{
      InstanceId: string;
      FriendlyName: string;
    }>;
    expect(present.find((d) => d.InstanceId === CX4_ID)).toBeUndefined();
    expect(present.find((d) => d.InstanceId === CX4_ID.replace('PCI\\', 'PCIP\\'))?.FriendlyName).toBe(
      'Mellanox ConnectX-4 Lx Ethernet Adapter - Dismounted',
    );
    const all = (await ok('Get-PnpDevice')) as Array<{ InstanceId: string; Status: string }>;
    expect(all.find((d) => d.InstanceId === CX4_ID)?.Status).toBe('Unknown');
    expect(await ok('Get-VMHostAssignableDevice')).toEqual([
      expect.objectContaining({ LocationPath: CX4, InstanceID: CX4_ID.replace('PCI\\', 'PCIP\\') }),
    ]);
    await ok('Add-VMAssignableDevice', { VMName: 'Router-01', LocationPath: CX4 });
    expect(await ok('Get-VMAssignableDevice', { VMName: ['Router-01'] })).toEqual([
      expect.objectContaining({ LocationPath: CX4, VMName: 'Router-01' }),
    ]);
    await ok('Remove-VMAssignableDevice', { VMName: 'Router-01', LocationPath: CX4 });
    await ok('Mount-VMHostAssignableDevice', { LocationPath: CX4 });
    await ok('Enable-PnpDevice', { InstanceId: CX4_ID, Confirm: false });
    expect(comparableState(state)).toEqual(before);
  });

  it('Get-VMHostAssignableDevice | Mount-VMHostAssignableDevice returns every orphan', async () => {
    await on('ml30-connectx4');
    await ok('Disable-PnpDevice', { InstanceId: CX4_ID, Confirm: false });
    await ok('Dismount-VMHostAssignableDevice', { LocationPath: CX4 });
    const r = await shared.host.runner.invoke('sim-pipe-mount', {});
    expect(r.ok).toBe(true);
    expect(await ok('Get-VMHostAssignableDevice')).toEqual([]);
  });
});

describe("preconditions fail with the texts and ids of Microsoft's cmdlet reference and DDA deployment article (where no source settles one, the simulator's labelled guess: reference/README.md)", () => {
  it('dismount without a mitigation driver or ACS needs -Force; -Force skips exactly that', async () => {
    await on('r910-x520');
    const id = 'PCI\\VEN_8086&DEV_10FB&SUBSYS_7A118086&REV_01\\6&1F0E4A3B&0&00380010';
    await ok('Disable-PnpDevice', { InstanceId: id, Confirm: false });
    await fails(
      'Dismount-VMHostAssignableDevice',
      { LocationPath: 'PCIROOT(0)#PCI(0700)#PCI(0000)' },
      MANUFACTURER,
      `InvalidOperation,${cls('DismountVMHostAssignableDevice')}`,
    );
    await ok('Dismount-VMHostAssignableDevice', { LocationPath: 'PCIROOT(0)#PCI(0700)#PCI(0000)', Force: true });
    await fails(
      'Dismount-VMHostAssignableDevice',
      { LocationPath: 'PCIROOT(0)#PCI(0700)#PCI(0000)', Force: true },
      /already dismounted/,
      `InvalidOperation,${cls('DismountVMHostAssignableDevice')}`,
    );
  });
  it('no OS control of PCIe: every dismount fails, even with -Force', async () => {
    await on('no-iommu');
    await ok('Disable-PnpDevice', {
      InstanceId: 'PCI\\VEN_8086&DEV_1533&SUBSYS_153315D9&REV_03\\4&5A6B7C8D&0&00E0',
      Confirm: false,
    });
    await fails(
      'Dismount-VMHostAssignableDevice',
      { LocationPath: 'PCIROOT(0)#PCI(1C00)#PCI(0000)', Force: true },
      /does not allow for OS control of the PCI Express bus/,
      `InvalidOperation,${cls('DismountVMHostAssignableDevice')}`,
    );
  });
  it('dismount of an enabled device fails where the host requires disabling first', async () => {
    await on('ml30-connectx4');
    await fails(
      'Dismount-VMHostAssignableDevice',
      { LocationPath: CX4 },
      /must be disabled/,
      `InvalidState,${cls('DismountVMHostAssignableDevice')}`,
    );
  });
  it('add needs a dismounted device, an Off VM, and no other holder', async () => {
    await on('gpu-workstation');
    await fails(
      'Add-VMAssignableDevice',
      { VMName: 'GPU-Render', LocationPath: 'PCIROOT(0)#PCI(1B04)#PCI(0000)' },
      /dismount it from the host/,
      `InvalidParameter,${cls('AddVMAssignableDevice')}`,
    );
    await fails(
      'Add-VMAssignableDevice',
      { VMName: 'Prod-SQL01', LocationPath: 'PCIROOT(0)#PCI(1B00)#PCI(0000)' },
      /current state/,
      `InvalidState,${cls('AddVMAssignableDevice')}`,
    );
    await fails(
      'Add-VMAssignableDevice',
      { VMName: 'GPU-Render', LocationPath: 'PCIROOT(0)#PCI(1B00)#PCI(0000)' },
      /already assigned to virtual machine 'Storage-VM'/,
      `InvalidState,${cls('AddVMAssignableDevice')}`,
    );
  });
  it('the duplicate-add trap: a second add succeeds, then the VM will not start', async () => {
    await on(
      'gpu-workstation',
      (s) => (s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices = ['PCIROOT(0)#PCI(1B00)#PCI(0000)']),
    );
    await ok('Add-VMAssignableDevice', { VMName: 'Storage-VM', LocationPath: 'PCIROOT(0)#PCI(1B00)#PCI(0000)' });
    await fails('Start-VM', { Name: 'Storage-VM' }, /Element not found/, `OperationFailed,${cls('StartVM')}`);
  });
  it('a stale entry: empty InstanceID, and the VM will not start until it is removed', async () => {
    await on('gpu-workstation');
    const entries = (await ok('Get-VMAssignableDevice', { VMName: ['Storage-VM'] })) as Array<{
      InstanceID: string;
      LocationPath: string;
    }>;
    expect(entries.find((e) => e.LocationPath === 'PCIROOT(0)#PCI(1C00)#PCI(0000)')?.InstanceID).toBe('');
    await fails('Start-VM', { Name: 'Storage-VM' }, /Element not found/, `OperationFailed,${cls('StartVM')}`);
    await ok('Remove-VMAssignableDevice', { VMName: 'Storage-VM' });
    expect(await ok('Get-VMAssignableDevice', { VMName: ['Storage-VM'] })).toEqual([]);
  });
  it('Start-VM: client SKU and IOMMU policy give 0xC035001E; high MMIO above the limit fails; dynamic memory mismatch fails', async () => {
    for (const edit of [
      (s: { host: Record<string, unknown> }) => (s.host.productType = 'WinNT'),
      (s: { host: Record<string, unknown> }) => (s.host.iommuPolicyEnabled = false),
    ]) {
      await on('gpu-workstation', edit);
      await ok('Remove-VMAssignableDevice', { VMName: 'Storage-VM', LocationPath: 'PCIROOT(0)#PCI(1C00)#PCI(0000)' });
      await fails('Start-VM', { Name: 'Storage-VM' }, /0xC035001E/, `OperationFailed,${cls('StartVM')}`);
    }
    await on('gpu-workstation', (s) => {
      const vm = s.vms.find((v) => v.name === 'Storage-VM')!;
      vm.assignedDevices = ['PCIROOT(0)#PCI(1B00)#PCI(0000)'];
      vm.highMemoryMappedIoSpace = 33280 * 1048576;
      // At its lowered base (16 GiB) 32.5 GB still fits below 64 GiB; the default base (63.5 GiB) does not.
      delete (vm as { highMemoryMappedIoBase?: unknown }).highMemoryMappedIoBase;
    });
    await fails(
      'Start-VM',
      { Name: 'Storage-VM' },
      /upper MMIO region that is above the supported physical address range/,
      `InvalidParameter,${cls('StartVM')}`,
    );
    await on('gpu-workstation', (s) => {
      const vm = s.vms.find((v) => v.name === 'Storage-VM')!;
      vm.assignedDevices = ['PCIROOT(0)#PCI(1B00)#PCI(0000)'];
      Object.assign(vm, { dynamicMemoryEnabled: true, memoryStartup: 4294967296, memoryMinimum: 1073741824 });
    });
    await fails(
      'Start-VM',
      { Name: 'Storage-VM' },
      /startup memory size and minimum memory size must be equal/,
      `InvalidParameter,${cls('StartVM')}`,
    );
  });
  it("Start-VM logs to Hyper-V-Worker-Admin: a refusal's cause, then the failed-start line; a start that works, 18500", async () => {
    await on('gpu-workstation', (s) => (s.host.iommuPolicyEnabled = false));
    await ok('Remove-VMAssignableDevice', { VMName: 'Storage-VM', LocationPath: 'PCIROOT(0)#PCI(1C00)#PCI(0000)' });
    await fails('Start-VM', { Name: 'Storage-VM' }, /0xC035001E/, `OperationFailed,${cls('StartVM')}`);
    const vms = (await ok('Get-VM')) as Array<{ Name: string; State: unknown }>;
    const off = vms.find((v) => v.Name !== 'Storage-VM' && String(v.State) !== 'Running' && String(v.State) !== '2')!;
    await ok('Start-VM', { Name: off.Name });
    const log = workerLog;
    type Row = { Id: number; Level: number; Properties: Array<{ Value: unknown }> };
    const read = async (filters: Array<Record<string, unknown>>) =>
      (await ok('Get-WinEvent', { FilterHashtable: filters })) as Row[];
    // Two tables are two queries: an event matching either is returned, newest first.
    const both = await read([
      { LogName: log, Level: 2 },
      { LogName: log, Id: 18500 },
    ]);
    expect(both.map((e) => [e.Id, e.Level])).toEqual([
      [18500, 4],
      [12030, 2],
      [12010, 2],
    ]);
    expect(both[0]!.Properties.map((p) => p.Value)).toEqual([off.Name, expect.any(String)]);
    expect(both[1]!.Properties.map((p) => p.Value)).toEqual(['Storage-VM', expect.any(String)]);
    expect(both[2]!.Properties.map((p) => p.Value)).toEqual(['Storage-VM', expect.any(String), 0xc035001e | 0]);
    expect((await read([{ LogName: log, Level: 2 }])).map((e) => e.Id)).toEqual([12030, 12010]);
    // The same as one log's XPath query (the inventory's form), 'and' and parentheses as XPath has them.
    const byXPath = async (xpath: string) =>
      ((await ok('Get-WinEvent', { LogName: log, FilterXPath: xpath })) as Row[]).map((e) => e.Id);
    expect(await byXPath('*[System[(Level=2 or EventID=18500)]]')).toEqual([18500, 12030, 12010]);
    expect(await byXPath('*[System[Level=2 and (EventID=12010 or EventID=18500)]]')).toEqual([12010]);
    // A query beyond what the simulated log models is refused, never read loosely.
    const r = await call('Get-WinEvent', { LogName: log, FilterXPath: "*[System[Provider[@Name='x']]]" });
    expect(r.ok ? r.errors[0]?.fullyQualifiedErrorId : r.error.fullyQualifiedErrorId).toMatch(/^NotSimulated/);
  });
  it('Set-VM needs the VM Off for MMIO and cache types; low MMIO is range-checked; a missing VM is ObjectNotFound', async () => {
    await on('ml30-connectx4');
    await fails(
      'Set-VM',
      { Name: 'File-Server', HighMemoryMappedIoSpace: 1073741824 },
      /current state/,
      `InvalidState,${cls('SetVM')}`,
    );
    await fails(
      'Set-VM',
      { Name: 'File-Server', GuestControlledCacheTypes: true },
      /current state/,
      `InvalidState,${cls('SetVM')}`,
    );
    await fails(
      'Set-VM',
      { Name: 'Router-01', LowMemoryMappedIoSpace: 64 * 1048576 },
      /out of range/,
      `InvalidParameter,${cls('SetVM')}`,
    );
    await fails(
      'Get-VM',
      { Name: ['nope'] },
      /unable to find a virtual machine with name "nope"/,
      `InvalidParameter,${cls('GetVM')}`,
    );
    await ok('Set-VM', {
      Name: 'Router-01',
      HighMemoryMappedIoSpace: 1073741824,
      GuestControlledCacheTypes: true,
      AutomaticStopAction: 'TurnOff',
    });
    // AutomaticStopAction is an enumeration (StopAction): JSON has its number, TurnOff = 2.
    expect(await ok('Get-VM', { Id: ROUTER })).toEqual([
      expect.objectContaining({
        HighMemoryMappedIoSpace: 1073741824,
        GuestControlledCacheTypes: true,
        AutomaticStopAction: 2,
      }),
    ]);
  });
  it('remove needs the VM Off; mount needs the device not assigned', async () => {
    await on('gpu-workstation', (s) => (s.vms.find((v) => v.name === 'Storage-VM')!.state = 'Running'));
    await fails(
      'Remove-VMAssignableDevice',
      { VMName: 'Storage-VM', LocationPath: 'PCIROOT(0)#PCI(1B00)#PCI(0000)' },
      /current state/,
      `InvalidState,${cls('RemoveVMAssignableDevice')}`,
    );
    await fails(
      'Mount-VMHostAssignableDevice',
      { LocationPath: 'PCIROOT(0)#PCI(1B00)#PCI(0000)' },
      /assigned to virtual machine 'Storage-VM'/,
      `InvalidState,${cls('MountVMHostAssignableDevice')}`,
    );
  });
  it('Stop-VM: graceful, a guest that ignores it, then -TurnOff; a VM with a device cannot be saved', async () => {
    await on('ml30-connectx4', (s) => (s.vms.find((v) => v.name === 'File-Server')!.guestIgnoresShutdown = true));
    await fails(
      'Stop-VM',
      { Name: 'File-Server', Force: true },
      /did not respond to the shutdown request/,
      `ShutdownFailed,${cls('StopVM')}`,
    );
    await ok('Stop-VM', { Name: 'File-Server', TurnOff: true, Force: true });
    expect(await ok('Get-VM', { Id: FILESERVER })).toEqual([expect.objectContaining({ State: 3 })]); // VMState.Off
  });
  it('not elevated: every mutation is access denied', async () => {
    await on('ml30-connectx4', (s) => (s.host.elevated = false));
    await failsSoft(
      'Disable-PnpDevice',
      { InstanceId: CX4_ID, Confirm: false },
      /required permission/,
      'AccessDenied,Disable-PnpDevice',
    );
    await fails(
      'Set-VM',
      { Name: 'Router-01', AutomaticStopAction: 'TurnOff' },
      /required permission/,
      `AccessDenied,${cls('SetVM')}`,
    );
  });
});

describe('what a real WMI refuses', () => {
  it('Get-PnpDeviceProperty with more ids than one WQL query can name fails (WBEM_MAX_QUERY); 64 at a time succeed', async () => {
    const state = freshState('ml30-connectx4');
    writeFileSync(state, JSON.stringify(generateProfile({ devices: 256, vms: 4, seed: 5 })));
    await shared.use(state);
    const ids = ((await ok('Get-PnpDevice', { PresentOnly: true })) as Array<{ InstanceId: string }>).map(
      (d) => d.InstanceId,
    );
    expect(ids.length).toBe(256);
    await failsSoft(
      'Get-PnpDeviceProperty',
      { InstanceId: ids, KeyName: ['DEVPKEY_Device_LocationPaths'] },
      /Quota violation/,
      'HRESULT 0x8004106c,Get-PnpDeviceProperty',
    );
    const rows = await ok('Get-PnpDeviceProperty', {
      InstanceId: ids.slice(0, 64),
      KeyName: ['DEVPKEY_Device_LocationPaths'],
    });
    expect(rows).toHaveLength(64);
  });
});

describe('DEVPKEY_PciDevice_BarTypes (pciprop.h: one byte per BAR kind, UInt32)', () => {
  const GPU_ID = 'PCI\\VEN_10DE&DEV_24B0&SUBSYS_14AD10DE&REV_A1\\4&1A2B3C4D&0&0008';
  const barTypes = async () => {
    const rows = (await ok('Get-PnpDeviceProperty', {
      InstanceId: [GPU_ID],
      KeyName: ['{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  16'],
    })) as Array<{ Type: string; Data: number | null }>;
    return rows[0]!;
  };
  it('a profile that does not state them: derived from the ranges (above 4 GiB 64-bit prefetchable, below non-prefetchable)', async () => {
    await on('gpu-workstation');
    // two ranges below 4 GiB, one above
    expect(await barTypes()).toMatchObject({ Type: 'UInt32', Data: (1 << 24) + 2 * 256 });
  });
  it('a profile that states them (a host without Above 4G decoding: 64-bit BARs below 4 GiB), or says the device has none', async () => {
    await on('gpu-workstation', (s) => Object.assign(s.devices[0]!, { barTypes: 2 * (1 << 24) + 256 }));
    expect(await barTypes()).toMatchObject({ Type: 'UInt32', Data: 2 * (1 << 24) + 256 });
    await on('gpu-workstation', (s) => Object.assign(s.devices[0]!, { barTypes: null }));
    expect(await barTypes()).toMatchObject({ Type: 'Empty', Data: null });
  });
});

describe('faults, counters and state', () => {
  it('a fault fires once with its id, then the cmdlet works; stats count calls and CIM queries', async () => {
    const state = await on('ml30-connectx4', (s) =>
      s.faults.push({
        cmdlet: 'Set-VM',
        match: 'Router-01',
        message: 'boom',
        times: 1,
        fullyQualifiedErrorId: 'InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVM',
      }),
    );
    await fails(
      'Set-VM',
      { Name: 'Router-01', AutomaticStopAction: 'TurnOff' },
      /boom/,
      'InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVM',
    );
    await ok('Set-VM', { Name: 'Router-01', AutomaticStopAction: 'TurnOff' });
    expect(readState(state).faults[0]!.times).toBe(0);
    await ok('Get-CimInstance', { ClassName: 'Win32_PnPAllocatedResource' });
    const stats = await shared.host.runner.invoke<{ calls: Record<string, number>; cim: Record<string, number> }>(
      'sim-stats',
      {},
    );
    expect(stats.ok && stats.value.calls['Set-VM']).toBe(2);
    expect(stats.ok && stats.value.cim['Win32_PnPAllocatedResource']).toBe(1);
  });
  it('a malformed profile is rejected with a message naming the field, even after a valid one was sealed', async () => {
    const state = await on('ml30-connectx4');
    await ok('Get-VM');
    // The validated text is sealed (its hash beside it) so the next process need not validate it again.
    const seal = readFileSync(`${state}.seal`, 'utf8');
    expect(seal).toMatch(/^[0-9A-F]{64}$/);
    const s = readState(state);
    delete (s.devices[2] as Record<string, unknown>).locationPath;
    writeFileSync(state, JSON.stringify(s));
    const r = await call('Get-VM');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/devices\[2\]\.locationPath: required string/);
    expect(readFileSync(`${state}.seal`, 'utf8'), 'an invalid text is never sealed').toBe(seal);
    // a number field of a device, edited by hand in the state file
    const typed = readState(state);
    (typed.devices[2] as Record<string, unknown>).locationPath = 'PCIROOT(0)#PCI(0200)';
    (typed.devices[3] as Record<string, unknown>).deviceType = 'endpoint';
    (typed.devices[4] as Record<string, unknown>).barTypes = 1.5;
    writeFileSync(state, JSON.stringify(typed));
    const t = await call('Get-VM');
    expect(t.ok).toBe(false);
    if (!t.ok)
      expect(t.error.message).toMatch(
        /devices\[3\]\.deviceType: integer or null.*devices\[4\]\.barTypes: integer or null/,
      );
    const bad = hostProfileSchema.safeParse({ ...s, host: { ...s.host, physicalAddressBits: 'many' } });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues[0]?.path.join('.')).toBe('host.physicalAddressBits');
  });
  it('every shipped profile and a generated one validate', () => {
    for (const p of listProfiles()) expect(() => loadProfile(p)).not.toThrow();
    expect(hostProfileSchema.safeParse(generateProfile({ devices: 100, vms: 10 })).success).toBe(true);
  });
});

describe("a NIC behind its vendor's bus driver", () => {
  const UPLINK = 'PCIROOT(0)#PCI(0300)#PCI(0001)';
  const CHILD = 'MLX4\\CONNECTX-3_ETH&00000000\\2';
  const behindBus = behindBusDriver(UPLINK, '2');
  const nicOf = (s: SimJson, path: string) =>
    s.devices.find((x) => x.locationPath === path)!.netAdapter as Record<string, unknown>;
  type Row = Record<string, unknown>;

  it("is the function's child: Get-NetAdapter names it, Get-PnpDevice lists it, its parent is the function; the switch's uplink is its description", async () => {
    await on('lifelines-host', behindBus);
    const fn = ((await ok('Get-PnpDevice', { PresentOnly: true })) as Row[]).find(
      (d) => String(d.InstanceId).startsWith('PCI\\VEN_8086&DEV_1572') && String(d.InstanceId).endsWith('4001'),
    )!;
    const adapter = ((await ok('Get-NetAdapter')) as Row[]).find((a) => a.Name === 'Uplink')!;
    expect(adapter).toMatchObject({
      PnPDeviceID: CHILD,
      InterfaceDescription: 'Mellanox ConnectX-3 Ethernet Adapter #2',
    });
    const child = ((await ok('Get-PnpDevice', { PresentOnly: true })) as Row[]).find((d) => d.InstanceId === CHILD);
    expect(child).toMatchObject({
      Class: 'Net',
      Status: 'OK',
      FriendlyName: 'Mellanox ConnectX-3 Ethernet Adapter #2',
    });
    const parent = (await ok('Get-PnpDeviceProperty', {
      InstanceId: [CHILD],
      KeyName: ['DEVPKEY_Device_Parent'],
    })) as Row[];
    expect(parent).toMatchObject([{ InstanceId: CHILD, Type: 'String', Data: fn.InstanceId }]);
    const sw = ((await ok('Get-VMSwitch')) as Row[]).find((x) => x.Name === 'External')!;
    expect(sw.NetAdapterInterfaceDescriptions).toEqual(['Mellanox ConnectX-3 Ethernet Adapter #2']);
  });

  it('goes with its function: disabled, the adapter and its device are gone (a labelled guess)', async () => {
    await on('lifelines-host', (s) => {
      behindBus(s);
      s.devices.find((x) => x.locationPath === UPLINK)!.enabled = false;
    });
    expect(((await ok('Get-NetAdapter')) as Row[]).map((a) => a.Name)).not.toContain('Uplink');
    expect(((await ok('Get-PnpDevice')) as Row[]).map((d) => d.InstanceId)).not.toContain(CHILD);
  });

  it('a pnpDeviceId that is a PCI function, or used twice, is refused by both validators', async () => {
    const s = readState(freshState('lifelines-host', behindBus));
    const nic = nicOf(s, UPLINK);
    nic.pnpDeviceId = 'PCI\\VEN_15B3&DEV_1003\\4&1';
    expect(hostProfileSchema.safeParse(s).success).toBe(false);
    const state = freshState('lifelines-host');
    writeFileSync(state, JSON.stringify(s));
    await shared.use(state);
    const r = await call('Get-VM');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/netAdapter\.pnpDeviceId/);
    nic.pnpDeviceId = CHILD;
    nicOf(s, 'PCIROOT(0)#PCI(0300)#PCI(0000)').pnpDeviceId = CHILD.toLowerCase();
    const twice = hostProfileSchema.safeParse(s);
    expect(twice.success).toBe(false);
    if (!twice.success) expect(twice.error.issues[0]?.message).toMatch(/unique/);
  });
});
