/**
 * A cmdlet that writes an error for one item among the others' objects (Get-VM and a VM whose
 * configuration Hyper-V cannot read) costs that item, with a note, never the whole list: inventory.ps1
 * runs under the dispatcher's Stop. Its own pwsh: the test puts a Get-VM of its own in front of the
 * simulator's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readInventory } from './inventory-service';
import { memoryMeasurementStore } from './measurement-store';
import { freshState, sharedHost, startsDismounted } from '../../testing/test-support';

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
