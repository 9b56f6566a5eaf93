/**
 * A cmdlet that writes an error for one item among the others' objects (Get-VM and a VM whose
 * configuration Hyper-V cannot read) costs that item, with a note, never the whole list: inventory.ps1
 * runs under the dispatcher's Stop. Its own pwsh: the test puts a Get-VM of its own in front of the
 * simulator's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readInventory } from './inventory-service';
import { memoryMeasurementStore } from './measurement-store';
import { behindBusDriver, freshState, sharedHost, startsDismounted } from '../../testing/test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';

async function stubbed(command: string) {
  const r = await shared.host.runner.invoke('run-script', { Command: command });
  if (!r.ok) throw new Error(r.error.message);
}

describe('one unreadable item', () => {
  it('of the dismounted devices is a note; the orphans read are all there', async () => {
    await shared.use(freshState('ml30-connectx4', startsDismounted(CX4)));
    await stubbed(
      "function global:Get-VMHostAssignableDevice { [CmdletBinding()] param() DdaSim\\Get-VMHostAssignableDevice; Write-Error -Message 'A device could not be read.' -ErrorId 'DeviceUnreadable' }",
    );
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(inv.problems).toContainEqual({ kind: 'orphan', locationPath: CX4 });
    expect(inv.notes.join(' ')).toMatch(/A device could not be read/);
  });

  it('of the VMs is a note; the VMs Hyper-V could read are all there', async () => {
    await shared.use(freshState('ml30-connectx4'));
    const all = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(all.vms.length).toBeGreaterThan(1);
    await stubbed(
      "function global:Get-VM { [CmdletBinding()] param() DdaSim\\Get-VM; Write-Error -Message 'The virtual machine Broken-VM could not be read.' -ErrorId 'VMConfigUnreadable' }",
    );
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(inv.vms.map((v) => v.name)).toEqual(all.vms.map((v) => v.name));
    expect(inv.notes.join(' ')).toMatch(/Broken-VM could not be read/);
  });
});

describe('one event record Get-WinEvent cannot read', () => {
  it('is passed over: the start failures read before and after it are kept, the log stays readable', async () => {
    await shared.use(freshState('ml30-connectx4'));
    const vm = (await readInventory(shared.host.runner, { memory: memoryMeasurementStore() })).vms[0]!;
    // GetWinEventCommand writes an error per record it cannot read or format (its id the exception's own,
    // localized, text) and goes on with the next.
    const record = (code: number, id = 12010, level = 2) =>
      `[pscustomobject]@{ Id = ${id}; Level = [byte]${level}; TimeCreated = (Get-Date); Message = 'x'; Properties = @([pscustomobject]@{ Value = 'VM' }, [pscustomobject]@{ Value = '${vm.id}' }, [pscustomobject]@{ Value = [int32]${code} }) }`;
    await stubbed(
      'function global:Get-WinEvent { [CmdletBinding()] param([string[]]$LogName, [string]$FilterXPath, [long]$MaxEvents) ' +
        `if ($FilterXPath -like '*Level=2*') { ${record(-2147023446)}; Write-Error -Message 'Die Ressource wurde nicht gefunden' -ErrorId 'Die Ressource wurde nicht gefunden'; ${record(-2147023446)} } else { ${record(0, 18500, 4)} } }`,
    );
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    const raw = await shared.host.runner.invoke<{
      startFailures: { readable: boolean; events: Array<{ message: string }> };
    }>('inventory', {});
    if (!raw.ok) throw new Error(raw.error.message);
    expect(raw.value.startFailures).toMatchObject({ readable: true });
    // ...and a start that worked comes without its text (only failures are shown).
    expect(raw.value.startFailures.events.map((e) => e.message)).toEqual(['x', 'x', '']);
    expect(inv.devices.length).toBeGreaterThan(0);
  });
});

// The stubs stay in this file's session: each changes only the ml30 profile's CX4.
describe('MMIO a device does not have allocated', () => {
  const CX4_ID = 'PCI\\VEN_15B3&DEV_1015&SUBSYS_000315B3&REV_00\\4&2C1A7E0F&0&0008';
  it("of a bridge whose window starts where the device's first range starts is not the device's", async () => {
    await shared.use(freshState('ml30-connectx4'));
    // The root port's 64 GB prefetchable window, keyed like the CX4's BAR by its start alone.
    await stubbed(
      'function global:Get-CimInstance { [CmdletBinding()] param([string]$ClassName) DdaSim\\Get-CimInstance @PSBoundParameters; ' +
        "if ($ClassName -eq 'Win32_DeviceMemoryAddress') { [pscustomobject]@{ StartingAddress = [uint64]4093640704; EndingAddress = [uint64]4093640704 + 64GB - 1 } } }",
    );
    const cx4 = (await readInventory(shared.host.runner, { memory: memoryMeasurementStore() })).devices.find(
      (d) => d.locationPath === CX4,
    )!;
    expect(cx4.mmioMB).toBe(32);
  });
  it('of a device Windows has not started (no driver: Code 28) is unknown, not 0 MB', async () => {
    await shared.use(freshState('ml30-connectx4'));
    const before = (await readInventory(shared.host.runner, { memory: memoryMeasurementStore() })).devices.find(
      (d) => d.locationPath === CX4,
    )!;
    expect(before.mmioMB).toBe(32);
    await stubbed(
      'function global:Get-PnpDevice { [CmdletBinding()] param([switch]$PresentOnly, [string[]]$InstanceId) ' +
        `DdaSim\\Get-PnpDevice @PSBoundParameters | ForEach-Object { if ($_.InstanceId -eq '${CX4_ID}') { $_ | Add-Member -NotePropertyName ConfigManagerErrorCode -NotePropertyValue 'CM_PROB_FAILED_INSTALL' -Force }; $_ } }`,
    );
    const cx4 = (await readInventory(shared.host.runner, { memory: memoryMeasurementStore() })).devices.find(
      (d) => d.locationPath === CX4,
    )!;
    expect([cx4.mmioMB, cx4.facts.irqs]).toEqual([null, null]);
    expect(cx4.facts.notes.join(' ')).toMatch(/has not started this device/);
  });
});

describe('a disk the host uses', () => {
  it('on no PCI controller the walk can find (Storage Spaces, iSCSI, a VHD) leaves every storage controller unknown', async () => {
    const NVME = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';
    await shared.use(freshState('lifelines-host'));
    // Disk 1 (D:, E:) now sits on a Storage Spaces port: its parent is a root device with no parent.
    await stubbed(
      [
        'function global:Get-PnpDeviceProperty { [CmdletBinding()] param([string[]]$InstanceId, [string[]]$KeyName)',
        "  $port = 'ROOT\\SPACEPORT\\0000'",
        '  $rest = @($InstanceId | Where-Object { $_ -ne $port })',
        '  if ($rest.Count -gt 0) { foreach ($r in @(DdaSim\\Get-PnpDeviceProperty -InstanceId $rest -KeyName $KeyName)) {',
        "    if ($r.InstanceId -like 'SCSI\\DISK&VEN_DDASIM&PROD_DISK_1\\*' -and $r.KeyName -eq 'DEVPKEY_Device_Parent') { $r.Data = $port }",
        '    $r } }',
        "  if ($InstanceId -contains $port) { [pscustomobject]@{ InstanceId = $port; KeyName = 'DEVPKEY_Device_Parent'; Type = 'Empty'; Data = $null } }",
        '}',
      ].join('\n'),
    );
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    const nvme = inv.devices.find((d) => d.locationPath === NVME)!.lifelines;
    expect(nvme).toMatchObject({ storageKnown: false, disks: [] });
    expect(inv.notes.join(' ')).toMatch(/Disk 1 .* could not be found/);
  });
});

describe('one PCI function with two network adapters (the two ports of a NIC behind one bus driver)', () => {
  it("carries both adapters' addresses", async () => {
    const UPLINK = 'PCIROOT(0)#PCI(0300)#PCI(0001)';
    const UPLINK_ID = 'PCI\\VEN_8086&DEV_1572&SUBSYS_00028086&REV_02\\0000C9FFFF3B1A4001';
    await shared.use(
      freshState('lifelines-host', (s) => {
        behindBusDriver(UPLINK, '2')(s);
        const nic = s.devices.find((d) => d.locationPath === UPLINK)!.netAdapter as { ipAddresses: unknown[] };
        nic.ipAddresses = [{ address: '10.0.1.9', prefixLength: 24 }];
      }),
    );
    // A second port below the same function, with an address of its own (the simulator models one adapter per device).
    await stubbed(
      [
        "$global:port2 = 'MLX4\\CONNECTX-3_ETH&00000000\\3'",
        'function global:Get-NetAdapter { [CmdletBinding()] param()',
        '  DdaSim\\Get-NetAdapter',
        "  [pscustomobject]@{ Name = 'Uplink 2'; InterfaceDescription = 'Mellanox ConnectX-3 Ethernet Adapter #3'; InterfaceIndex = [uint32]21; MacAddress = '3C-FD-FE-A1-B2-C9'; PnPDeviceID = $port2; Virtual = $false } }",
        'function global:Get-NetIPAddress { [CmdletBinding()] param()',
        '  DdaSim\\Get-NetIPAddress',
        "  [pscustomobject]@{ InterfaceIndex = [uint32]21; IPAddress = '10.0.2.5'; PrefixLength = [byte]24 } }",
        'function global:Get-PnpDeviceProperty { [CmdletBinding()] param([string[]]$InstanceId, [string[]]$KeyName)',
        '  $rest = @($InstanceId | Where-Object { $_ -ne $port2 })',
        '  if ($rest.Count -gt 0) { DdaSim\\Get-PnpDeviceProperty -InstanceId $rest -KeyName $KeyName }',
        `  if ($InstanceId -contains $port2) { [pscustomobject]@{ InstanceId = $port2; KeyName = 'DEVPKEY_Device_Parent'; Type = 'String'; Data = '${UPLINK_ID}' } }`,
        '}',
      ].join('\n'),
    );
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    const uplink = inv.devices.find((d) => d.locationPath === UPLINK)!.lifelines;
    expect(uplink.ipAddresses).toEqual(['10.0.1.9', '10.0.2.5']);
    expect(uplink.vSwitches.map((s) => s.name)).toEqual(['External']);
    expect(uplink.networkKnown).toBe(true);
    // (the earlier tests' stubs of Get-VM and Get-VMHostAssignableDevice still write their notes)
    expect(inv.notes.join(' ')).not.toMatch(/traced|uplink/);
  });
});

/**
 * Puts the simulator's own cmdlets back where earlier tests put stand-ins (they live in the shared
 * session, and took the place of the simulator's exported functions).
 */
const unstub = (...names: string[]) =>
  stubbed(names.map((n) => `\${function:global:${n}} = (Get-Command -Name 'DdaSim\\${n}').ScriptBlock`).join('; '));

describe('device property rows that name their device by DeviceID only', () => {
  it('(Win32_PnPDeviceProperty has no InstanceId of its own) read the same facts, parents and lifelines', async () => {
    await shared.use(freshState('lifelines-host'));
    await unstub('Get-NetAdapter', 'Get-NetIPAddress');
    const rows = (shape: string) =>
      'function global:Get-PnpDeviceProperty { [CmdletBinding()] param([string[]]$InstanceId, [string[]]$KeyName)' +
      ` foreach ($r in @(DdaSim\\Get-PnpDeviceProperty -InstanceId $InstanceId -KeyName $KeyName)) { ${shape} } }`;
    await stubbed(rows('$r'));
    const asIs = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    await stubbed(
      rows('[pscustomobject]@{ DeviceID = $r.DeviceID; KeyName = $r.KeyName; Type = $r.Type; Data = $r.Data }'),
    );
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(inv.devices.filter((d) => d.facts.deviceType !== null).length).toBeGreaterThan(3);
    expect(inv.devices.some((d) => d.lifelines.disks.length > 0)).toBe(true);
    expect(inv.devices).toEqual(asIs.devices);
    expect(inv.notes).toEqual(asIs.notes);
  });
});

describe("one VM's network adapters Hyper-V cannot read", () => {
  it('is a note; the network picture stays known (before, every NIC became unknown)', async () => {
    await shared.use(freshState('lifelines-host'));
    await unstub('Get-NetAdapter', 'Get-NetIPAddress', 'Get-PnpDeviceProperty');
    await stubbed(
      'function global:Get-VMNetworkAdapter { [CmdletBinding()] param([switch]$All) DdaSim\\Get-VMNetworkAdapter -All }',
    );
    const asIs = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    await stubbed(
      "function global:Get-VMNetworkAdapter { [CmdletBinding()] param([switch]$All) DdaSim\\Get-VMNetworkAdapter -All; Write-Error -Message 'The virtual machine Broken-VM could not be read.' -ErrorId 'VMConfigUnreadable' }",
    );
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    const lifelines = (i: typeof inv) => i.devices.map((d) => d.lifelines);
    expect(lifelines(asIs).some((l) => l.vSwitches.length > 0 && l.networkKnown)).toBe(true);
    expect(lifelines(inv)).toEqual(lifelines(asIs));
    expect(inv.notes.join(' ')).toMatch(/Get-VMNetworkAdapter: The virtual machine Broken-VM could not be read/);
  });
});

describe("a guest's OS name (Hyper-V's key/value pair exchange, Msvm_KvpExchangeComponent)", () => {
  it('is known for a running guest only, read as text whatever it holds, and a class that cannot be read is a note', async () => {
    await shared.use(freshState('ml30-connectx4'));
    await unstub('Get-CimInstance');
    const os = (i: Awaited<ReturnType<typeof readInventory>>) =>
      Object.fromEntries(i.vms.map((v) => [v.name, v.guestOs]));
    const asIs = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    // The guest reports it while it runs; an Off VM's items are empty (the simulator's labelled guess).
    expect(os(asIs)).toEqual({ 'Router-01': null, 'File-Server': 'Windows Server 2022 Standard', 'Build-Agent': null });
    const fileServer = asIs.vms.find((v) => v.name === 'File-Server')!.id.toUpperCase();
    // The guest writes what it likes: control characters go, markup stays text, other keys are not names.
    const item = (name: string, data: string) =>
      `'<INSTANCE CLASSNAME="Msvm_KvpExchangeDataItem"><PROPERTY NAME="Data" TYPE="string"><VALUE>${data}</VALUE></PROPERTY><PROPERTY NAME="Name" TYPE="string"><VALUE>${name}</VALUE></PROPERTY></INSTANCE>'`;
    await stubbed(
      'function global:Get-CimInstance { [CmdletBinding()] param([string]$Namespace, [string]$ClassName)' +
        " if ($ClassName -ne 'Msvm_KvpExchangeComponent') { return (DdaSim\\Get-CimInstance @PSBoundParameters) }" +
        ` [pscustomobject]@{ SystemName = '${fileServer}'; GuestIntrinsicExchangeItems = [string[]]@(${item('OSVersion', '10.0.20348')}, ${item('OSName', 'Ubuntu&#7; 24.04 &lt;b&gt;')}, '<!DOCTYPE x [<!ENTITY a "OSName">]><x>&a;</x>') } }`,
    );
    expect(os(await readInventory(shared.host.runner, { memory: memoryMeasurementStore() }))['File-Server']).toBe(
      'Ubuntu 24.04 <b>',
    );
    await stubbed(
      'function global:Get-CimInstance { [CmdletBinding()] param([string]$Namespace, [string]$ClassName)' +
        " if ($ClassName -ne 'Msvm_KvpExchangeComponent') { return (DdaSim\\Get-CimInstance @PSBoundParameters) }" +
        " throw 'Access denied' }",
    );
    const denied = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(os(denied)['File-Server']).toBeNull();
    expect(denied.notes).toContain("The guests' OS names are unreadable: Access denied");
    expect(denied.vms.map((v) => v.name)).toEqual(asIs.vms.map((v) => v.name));
  });
});
