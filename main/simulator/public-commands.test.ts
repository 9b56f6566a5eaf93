/**
 * Command lines admins copy from public DDA material behave against the simulator as on a host: the
 * seed article's blocks (read from ../shared/seed, run as written), and the forms of Microsoft's DDA
 * deployment article and SurveyDDA.ps1 (written here from their documented shapes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../project-root';
import { freshState, readState, sharedHost } from '../../testing/test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());

/** Runs admin-style PowerShell (test text, never input) against a fresh copy of a profile. */
async function runOn(profile: string, script: string, edit?: Parameters<typeof freshState>[1]) {
  const state = freshState(profile, edit);
  await shared.use(state);
  const r = await shared.host.runner.invoke<unknown>('run-script', { Command: script });
  return { state, r };
}

const seedFile = join(projectRoot(), '..', 'shared', 'seed', 'hyperv-dda-passthrough.zh-CN.md');
/** The seed's ```powershell blocks, in order. */
function seedBlocks(): string[] {
  const text = readFileSync(seedFile, 'utf8');
  return [...text.matchAll(/```powershell\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe("the seed article's workflow, as written (Dell R910 + X520)", () => {
  it.skipIf(!existsSync(seedFile))(
    "Device Manager disable, then the seed's dismount, VM settings, add; then remove and mount, then enable",
    async () => {
      const blocks = seedBlocks();
      expect(blocks).toHaveLength(4); // survey edit, dismount, settings + add, remove + mount
      const setup = `$locationpath = 'PCIROOT(0)#PCI(0700)#PCI(0000)'; $VmName = 'UplinkRouter'
      $id = (Get-PnpDevice -PresentOnly | Where-Object { ($_ | Get-PnpDeviceProperty DEVPKEY_Device_LocationPaths).Data -contains $locationpath }).InstanceId
      Disable-PnpDevice -InstanceId $id -Confirm:$false -ErrorAction Stop`;
      const assign = await runOn(
        'r910-x520',
        `${setup}\n${blocks[1]}\n${blocks[2]}\n[pscustomobject]@{ done = $true }`,
      );
      if (!assign.r.ok) throw new Error(assign.r.error.message);
      const vm = readState(assign.state).vms.find((v) => v.name === 'UplinkRouter')!;
      expect(vm.assignedDevices).toEqual(['PCIROOT(0)#PCI(0700)#PCI(0000)']);
      expect(vm).toMatchObject({
        automaticStopAction: 'TurnOff',
        guestControlledCacheTypes: true,
        lowMemoryMappedIoSpace: 3 * 1024 ** 3,
        highMemoryMappedIoSpace: 33280 * 1024 ** 2,
      });
      await shared.use(assign.state);
      const back = await shared.host.runner.invoke<unknown>('run-script', {
        Command: `$locationpath = 'PCIROOT(0)#PCI(0700)#PCI(0000)'; $VmName = 'UplinkRouter'\n${blocks[3]}\nGet-PnpDevice -PresentOnly | Where-Object { $_.Status -eq 'Error' -and $_.Class -eq 'Net' } | Enable-PnpDevice -Confirm:$false`,
      });
      if (!back.ok) throw new Error(back.error.message);
      expect(
        readState(assign.state).devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0700)#PCI(0000)'),
      ).toMatchObject({ enabled: true, dismounted: false });
    },
  );

  it.skipIf(!existsSync(seedFile))(
    "the seed's survey edit: -Force devices still print their location path",
    async () => {
      const edit = seedBlocks()[0]!;
      const { r } = await runOn(
        'r910-x520',
        // SurveyDDA's variables, then the seed's edited block inside SurveyDDA's loop over PCI devices
        `$devpkey_PciDevice_AcsCompatibleUpHierarchy = '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  31'; $devprop_PciDevice_AcsCompatibleUpHierarchy_NotSupported = 0
       $out = foreach ($pcidev in (Get-PnpDevice -PresentOnly | Where-Object { $_.InstanceId -like 'PCI*' })) { ${edit.replace(/write-host[^\n]*\n/i, '\n')} }
       , @($out)`,
      );
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value).toEqual(
        expect.arrayContaining(['PCIROOT(0)#PCI(0700)#PCI(0000)', 'PCIROOT(0)#PCI(0700)#PCI(0001)']),
      );
    },
  );
});

describe("Microsoft's DDA deployment article and SurveyDDA.ps1 (their forms)", () => {
  it('GPU by driver service: disable, location path from the pipeline, -force dismount, add to the VM, MMIO in MB', async () => {
    const { state, r } = await runOn(
      'gpu-workstation',
      `$vm = 'GPU-Render'
       Set-VM -GuestControlledCacheTypes $true -VMName $vm
       Set-VM -LowMemoryMappedIoSpace 3Gb -VMName $vm
       Set-VM -HighMemoryMappedIoSpace 17Gb -VMName $vm
       $pnpdevs = Get-PnpDevice -PresentOnly | Where-Object {$_.Class -eq "Display"} | Where-Object {$_.Service -eq "nvlddmkm"}
       foreach ($pnpdev in $pnpdevs) {
         Disable-PnpDevice -InstanceId $pnpdev.InstanceId -Confirm:$false
         $locationPath = ($pnpdev | Get-PnpDeviceProperty DEVPKEY_Device_LocationPaths).data[0]
         Dismount-VMHostAssignableDevice -force -LocationPath $locationPath
         Add-VMAssignableDevice -LocationPath $locationPath -VMName $vm
       }
       Start-VM -Name $vm
       Get-VMAssignableDevice -VMName $vm | Select-Object -ExpandProperty LocationPath`,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toBe('PCIROOT(0)#PCI(0100)#PCI(0000)');
    expect(readState(state).vms.find((v) => v.name === 'GPU-Render')!.state).toBe('Running');
  });

  it("SurveyDDA's queries: gwmi over Win32_PnPAllocatedResource with WMI paths, the two-space key form, IovSupport", async () => {
    const { r } = await runOn(
      'ml30-connectx4',
      `$irqAssignments = gwmi -query "select * from Win32_PnPAllocatedResource" | Where-Object { $_.__RELPATH -like "*Win32_IRQResource*" }
       $mmioAssignments = gwmi -query "select * from Win32_PnPAllocatedResource" | Where-Object { $_.__RELPATH -like "*Win32_DeviceMemoryAddress*" }
       $dev = Get-PnpDevice -PresentOnly | Where-Object { $_.InstanceId -like 'PCI\\VEN_15B3*' } | Select-Object -First 1
       $doubleslashDevId = "*" + $dev.PNPDeviceID.Replace("\\","\\\\") + "*"
       $irqs = @($irqAssignments | Where-Object { $_.Dependent -like $doubleslashDevId })
       $mmio = @($mmioAssignments | Where-Object { $_.Dependent -like $doubleslashDevId })
       $acs = ($dev | Get-PnpDeviceProperty '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  31').Data
       $rmrr = ($dev | Get-PnpDeviceProperty '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  34').Data
       [pscustomobject]@{ irqs = $irqs.Count; mmio = $mmio.Count; acs = $acs; rmrrNotZero = ($rmrr -ne 0); disabled = ($dev.ConfigManagerErrorCode -eq "CM_PROB_DISABLED"); iov = (Get-VMHost).IovSupport }`,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ acs: 3, rmrrNotZero: false, disabled: false, iov: true });
    expect((r.value as { irqs: number }).irqs).toBeGreaterThan(0);
    expect((r.value as { mmio: number }).mmio).toBeGreaterThan(0);
  });

  it('return every orphan: Get-VMHostAssignableDevice | Mount-VMHostAssignableDevice', async () => {
    const { state, r } = await runOn(
      'gpu-workstation',
      `Get-VMAssignableDevice -VMName 'Storage-VM' | Remove-VMAssignableDevice
       Get-VMHostAssignableDevice | Mount-VMHostAssignableDevice
       @(Get-VMHostAssignableDevice).Count`,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toBe(0);
    expect(readState(state).vms.find((v) => v.name === 'Storage-VM')!.assignedDevices).toEqual([]);
  });
});
