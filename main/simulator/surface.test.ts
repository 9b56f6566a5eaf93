/**
 * The simulator is the real platform's twin. Its functions' parameter metadata, as PowerShell's binder
 * sees it, must equal Microsoft's reference (reference/cmdlets.json, extracted from the cmdlet docs):
 * every documented set, parameter, type, alias, position and pipeline binding, and nothing else. Its
 * output objects carry the documented properties with the real types (reference/object-shapes.json,
 * reference/pci-properties.json), -WhatIf changes nothing, and errors behave like the real modules'.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openHost } from '../host/host-connection';
import { freshState, readState } from '../../testing/test-support';

type SetMeta = { mandatory: boolean; position: number | null; byValue: boolean; byPropertyName: boolean };
type ParamMeta = { type: string; typeFullName?: string; aliases: string[]; sets: Record<string, SetMeta> };
type CmdletMeta = {
  defaultParameterSet: string;
  parameterSets: string[];
  supportsShouldProcess: boolean;
  parameters: Record<string, ParamMeta>;
};

const here = import.meta.dirname;
const reference = JSON.parse(readFileSync(join(here, 'reference', 'cmdlets.json'), 'utf8')) as {
  sources: Array<{ commit: string }>;
  cmdlets: Record<string, CmdletMeta>;
};
const shapes = JSON.parse(readFileSync(join(here, 'reference', 'object-shapes.json'), 'utf8')) as {
  types: Record<string, { properties: Record<string, { type: string; enum?: boolean }> }>;
};
const pciProperties = JSON.parse(readFileSync(join(here, 'reference', 'pci-properties.json'), 'utf8')) as {
  properties: Array<{ name: string; key: string; dotNetType: string }>;
};

/**
 * Places where Microsoft's doc contradicts itself (each is a docNotes entry in cmdlets.json); the
 * simulator follows the SYNTAX block, which is generated from the real cmdlet.
 */
function withDocFixes(name: string, c: CmdletMeta): CmdletMeta {
  const fixed = structuredClone(c);
  if (name === 'Dismount-VMHostAssignableDevice') {
    // PARAMETERS puts -ComputerName in a set "Path" that SYNTAX (one unnamed set) does not have.
    fixed.parameters.ComputerName!.sets = {
      __AllParameterSets: { mandatory: false, position: null, byValue: false, byPropertyName: false },
    };
  }
  if (name === 'Invoke-CimMethod') {
    // SYNTAX gives -ResourceUri (mandatory) to the ResourceUri sets; PARAMETERS lists only the CimInstance sets.
    for (const set of ['ResourceUriComputerSet', 'ResourceUriSessionSet'])
      fixed.parameters.ResourceUri!.sets[set] = {
        mandatory: true,
        position: null,
        byValue: false,
        byPropertyName: true,
      };
  }
  if (name === 'Get-WmiObject') {
    // PARAMETERS gives -Class and -Property both position 1 in "query"; SYNTAX: [-Class] <String> [[-Property] ...].
    for (const s of Object.values(fixed.parameters.Class!.sets)) s.position = 0;
  }
  return fixed;
}

const shortType = (t: string) => t.replace(/^.*\./, '');

const host = openHost({
  simState: freshState('gpu-workstation'),
  extraScriptDirs: [join(here, 'test-fixtures'), join(here, '..', 'host', 'test-fixtures')],
});
afterAll(() => host.close());
const names = Object.keys(reference.cmdlets).sort();

async function use(state: string) {
  const r = await host.runner.invoke('set-sim-state', { Path: state });
  if (!r.ok) throw new Error(r.error.message);
}
type Shape = { typeNames: string[]; properties: Record<string, string | null> };
async function run(command: string) {
  return host.runner.invoke<Shape[] | Shape>('shape-of', { Command: command });
}
async function shapesOf(command: string): Promise<Shape[]> {
  const r = await run(command);
  if (!r.ok) throw new Error(`${command}: ${r.error.message}`);
  return Array.isArray(r.value) ? r.value : r.value ? [r.value] : [];
}

describe("the simulator has the real cmdlets' surface", () => {
  it('the reference names its source commits', () => {
    for (const s of reference.sources) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(names).toEqual(
      expect.arrayContaining([
        'Remove-VMAssignableDevice',
        'Get-PnpDeviceProperty',
        'Stop-VM',
        'Get-CimInstance',
        'Get-WmiObject',
      ]),
    );
  });

  it('every documented set, parameter, type, alias, position and pipeline binding, and nothing undocumented', async () => {
    const r = await host.runner.invoke<Record<string, CmdletMeta>>('sim-surface', { Names: names });
    if (!r.ok) throw new Error(r.error.message);
    const problems: string[] = [];
    for (const name of names) {
      const want = withDocFixes(name, reference.cmdlets[name]!);
      const got = r.value[name]!;
      const say = (what: string, expected: unknown, actual: unknown) =>
        problems.push(`${name} ${what}: reference ${JSON.stringify(expected)}, simulator ${JSON.stringify(actual)}`);
      if ([...want.parameterSets].sort().join() !== [...got.parameterSets].sort().join())
        say('parameter sets', want.parameterSets, got.parameterSets);
      if (want.parameterSets.length > 1 && want.defaultParameterSet !== got.defaultParameterSet)
        say('default set', want.defaultParameterSet, got.defaultParameterSet);
      if (want.supportsShouldProcess !== got.supportsShouldProcess)
        say('ShouldProcess (-WhatIf/-Confirm)', want.supportsShouldProcess, got.supportsShouldProcess);
      const wantNames = Object.keys(want.parameters).sort();
      const gotNames = Object.keys(got.parameters).sort();
      if (wantNames.join() !== gotNames.join()) say('parameters', wantNames, gotNames);
      for (const p of wantNames) {
        const w = want.parameters[p]!;
        const g = got.parameters[p];
        if (!g) continue;
        if (shortType(w.type) !== g.type) say(`-${p} type`, w.type, g.type);
        // Hyper-V's own types by full name too (its enumerations are made with those names).
        if (w.typeFullName?.startsWith('Microsoft.HyperV.PowerShell.') && w.typeFullName !== g.typeFullName)
          say(`-${p} type's full name`, w.typeFullName, g.typeFullName);
        if ([...w.aliases].sort().join() !== [...g.aliases].sort().join()) say(`-${p} aliases`, w.aliases, g.aliases);
        for (const [set, ws] of Object.entries(w.sets)) {
          const gs = g.sets[set];
          if (!gs) say(`-${p} in set ${set}`, ws, null);
          else if (
            JSON.stringify(ws) !==
            JSON.stringify({
              mandatory: gs.mandatory,
              position: gs.position,
              byValue: gs.byValue,
              byPropertyName: gs.byPropertyName,
            })
          )
            say(`-${p} in set ${set}`, ws, gs);
        }
        for (const set of Object.keys(g.sets)) if (!w.sets[set]) say(`-${p} in set ${set}`, null, g.sets[set]);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('pipelines bind as on a host', () => {
  it('a VirtualMachine piped into Remove-VMAssignableDevice binds to nothing (there is no -VM); its VMAssignedDevice objects do', async () => {
    const untouched = freshState('gpu-workstation');
    await use(untouched);
    const wrong = await run(`Get-VM -Name 'Storage-VM' | Remove-VMAssignableDevice`);
    // A pipeline binding failure is a non-terminating error of that input object (terminating where the
    // caller's preference is Stop); either way nothing is removed.
    const fqid = wrong.ok ? wrong.errors[0]?.fullyQualifiedErrorId : wrong.error.fullyQualifiedErrorId;
    expect(fqid).toMatch(/^InputObjectNotBound,Remove-VMAssignableDevice/);
    expect(readState(untouched).vms.find((v) => v.name === 'Storage-VM')!.assignedDevices).toHaveLength(2);
    const state = freshState('gpu-workstation');
    await use(state);
    await shapesOf(`Get-VMAssignableDevice -VMName 'Storage-VM' | Remove-VMAssignableDevice`);
    expect(readState(state).vms.find((v) => v.name === 'Storage-VM')!.assignedDevices).toEqual([]);
  });

  it('Get-VMHostAssignableDevice | Mount-VMHostAssignableDevice returns every orphan; the PCI\\ id is enabled again', async () => {
    const state = freshState(
      'gpu-workstation',
      (s) => (s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices = []),
    );
    await use(state);
    // assignedDevices emptied in the profile: the NVMe starts on the host, so dismount it first.
    await shapesOf(
      `Disable-PnpDevice -InstanceId (Get-PnpDevice -FriendlyName 'Samsung PM9A3*').InstanceId -Confirm:$false; Dismount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(1B00)#PCI(0000)'`,
    );
    expect(await shapesOf('Get-VMHostAssignableDevice')).toHaveLength(1);
    await shapesOf(`Get-VMHostAssignableDevice | Mount-VMHostAssignableDevice`);
    expect(await shapesOf('Get-VMHostAssignableDevice')).toHaveLength(0);
    await shapesOf(`Get-PnpDevice -FriendlyName 'Samsung PM9A3*' -PresentOnly | Enable-PnpDevice -Confirm:$false`);
    expect(readState(state).devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(1B00)#PCI(0000)')).toMatchObject({
      enabled: true,
      dismounted: false,
    });
  });

  it("SurveyDDA's forms: $dev | Get-PnpDeviceProperty <key> (positional, InstanceId by property name), DEVPKEY_ names and the alias -Key", async () => {
    await use(freshState('gpu-workstation'));
    const viaPipe = await shapesOf(
      `Get-PnpDevice -PresentOnly | Where-Object InstanceId -like 'PCI\\*' | Select-Object -First 1 | Get-PnpDeviceProperty '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  34'`,
    );
    expect(viaPipe[0]!.properties.Data).toBe('Boolean');
    const named = await shapesOf(
      `Get-PnpDevice -PresentOnly -Class Display | Get-PnpDeviceProperty -Key DEVPKEY_PciDevice_RequiresReservedMemoryRegion, DEVPKEY_Device_LocationPaths`,
    );
    expect(named.map((s) => s.properties.Data)).toEqual(expect.arrayContaining(['Boolean', 'String[]']));
  });
});

describe('-WhatIf changes nothing', () => {
  const calls = [
    `Disable-PnpDevice -InstanceId (Get-PnpDevice -FriendlyName 'NVIDIA RTX A4000').InstanceId -WhatIf`,
    `Dismount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0104)#PCI(0000)' -Force -WhatIf`,
    `Mount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(1B00)#PCI(0000)' -WhatIf`,
    `Add-VMAssignableDevice -VMName 'GPU-Render' -LocationPath 'PCIROOT(0)#PCI(1B00)#PCI(0000)' -WhatIf`,
    `Get-VMAssignableDevice -VMName 'Storage-VM' | Remove-VMAssignableDevice -WhatIf`,
    `Set-VM -Name 'GPU-Render' -HighMemoryMappedIoSpace 34359738368 -GuestControlledCacheTypes $true -WhatIf`,
    `Get-VM -Name 'GPU-Render' | Set-VMMemory -DynamicMemoryEnabled $true -WhatIf`,
    `Start-VM -Name 'Dev-Linux' -WhatIf`,
    `Get-VM -Name 'Prod-SQL01' | Stop-VM -TurnOff -WhatIf`,
    `Enable-PnpDevice -InstanceId (Get-PnpDevice -FriendlyName 'NVIDIA RTX A4000').InstanceId -WhatIf`,
  ];
  for (const command of calls) {
    it(command, async () => {
      const state = freshState('gpu-workstation');
      await use(state);
      await shapesOf('Get-VM | Out-Null'); // the simulator records a profile's held devices on first write only
      const before = readFileSync(state, 'utf8');
      await shapesOf(command);
      expect(readFileSync(state, 'utf8')).toBe(before);
    });
  }
});

describe('output objects carry the documented properties with the real types', () => {
  // The documented dismount method, on a device the state below leaves dismounted: a job that ends in Exception.
  const settingData = `<INSTANCE CLASSNAME="Msvm_AssignableDeviceDismountSettingData"><PROPERTY NAME="DeviceLocationPath" TYPE="string"><VALUE>PCIROOT(0)#PCI(1B04)#PCI(0000)</VALUE></PROPERTY><PROPERTY NAME="RequireAcsSupport" TYPE="boolean"><VALUE>true</VALUE></PROPERTY></INSTANCE>`;
  const dismountMethod = `Get-CimInstance -Namespace 'root/virtualization/v2' -ClassName 'Msvm_AssignableDeviceService' | Invoke-CimMethod -MethodName 'DismountAssignableDevice' -Arguments @{ DismountSettingData = '${settingData}' }`;
  const producers: Record<string, string> = {
    'Microsoft.HyperV.PowerShell.VirtualMachine': 'Get-VM',
    'Microsoft.HyperV.PowerShell.VMAssignedDevice': `Get-VMAssignableDevice -VMName 'Storage-VM'`,
    'Microsoft.HyperV.PowerShell.VMHostAssignableDevice': 'Get-VMHostAssignableDevice',
    'Microsoft.HyperV.PowerShell.VMHost': 'Get-VMHost',
    'Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity': 'Get-PnpDevice -PresentOnly',
    'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/GetDeviceProperty/Win32_PnPDeviceProperty': `Get-PnpDevice -PresentOnly | Get-PnpDeviceProperty -KeyName DEVPKEY_Device_LocationPaths`,
    'System.Management.Automation.PSCustomObject': dismountMethod,
    'Microsoft.Management.Infrastructure.CimInstance#root/virtualization/v2/Msvm_ConcreteJob': `$r = ${dismountMethod}; Get-CimInstance -InputObject $r.Job`,
    'Microsoft.Management.Infrastructure.CimInstance#root/virtualization/v2/Msvm_KvpExchangeComponent': `Get-CimInstance -Namespace 'root/virtualization/v2' -ClassName 'Msvm_KvpExchangeComponent'`,
    // the host's lifelines: served from the lifelines-host profile (NICs, switches, disks)
    'Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetAdapter': 'Get-NetAdapter',
    'Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetIPAddress': 'Get-NetIPAddress',
    'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Disk': 'Get-Disk',
    'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Partition': 'Get-Partition',
    'Microsoft.HyperV.PowerShell.VMSwitch': 'Get-VMSwitch',
    'Microsoft.HyperV.PowerShell.VMNetworkAdapter': `Get-VMNetworkAdapter -VMName 'Web*'`,
    'Microsoft.HyperV.PowerShell.VMInternalNetworkAdapter': 'Get-VMNetworkAdapter -ManagementOS',
  };
  const lifelineCmdlets = /^Get-(NetAdapter|NetIPAddress|Disk|Partition|VMSwitch|VMNetworkAdapter)\b/;
  it('covers every type of the reference', () =>
    expect(Object.keys(producers).sort()).toEqual(Object.keys(shapes.types).sort()));
  for (const [typeName, command] of Object.entries(producers)) {
    it(typeName, async () => {
      // one device left dismounted with no VM, so Get-VMHostAssignableDevice has something to show
      const state = lifelineCmdlets.test(command)
        ? freshState('lifelines-host')
        : freshState(
            'gpu-workstation',
            (s) => (s.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(1B04)#PCI(0000)')!.dismounted = true),
          );
      await use(state);
      const objects = await shapesOf(command);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) {
        expect(o.typeNames[0]).toBe(typeName);
        for (const [prop, want] of Object.entries(shapes.types[typeName]!.properties)) {
          expect(Object.keys(o.properties), `${typeName}.${prop}`).toContain(prop);
          const got = o.properties[prop];
          if (want.type.startsWith('(') || got === null) continue; // Data: checked against pci-properties below; null: not set
          expect(got, `${typeName}.${prop}`).toBe(want.type);
        }
      }
    });
  }

  it('PCI property keys hand out the reference types, by key and by DEVPKEY_ name; profiles saying 0/1 for pid 34 still load', async () => {
    const state = freshState('gpu-workstation', (s) => {
      s.devices[0]!.requiresReservedMemoryRegion = 1;
      s.devices[1]!.requiresReservedMemoryRegion = 0;
    });
    await use(state);
    for (const pid of [1, 3, 31, 34]) {
      const ref = pciProperties.properties.find((p) => p.key === `{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62} ${pid}`)!;
      for (const key of [`{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  ${pid}`, ref.name]) {
        const got = await shapesOf(`Get-PnpDevice -PresentOnly | Get-PnpDeviceProperty -KeyName '${key}'`);
        expect(got.length, key).toBeGreaterThan(0);
        // a device without the property gets Type Empty and no Data
        for (const g of got.filter((x) => x.properties.Data !== null))
          expect(g.properties.Data, key).toBe(shortType(ref.dotNetType));
      }
    }
    const rmrr = await host.runner.invoke<Array<{ Data: boolean }>>('sim-call', {
      Command: 'Get-PnpDeviceProperty',
      Parameters: {
        InstanceId: readState(state)
          .devices.slice(0, 2)
          .map((d) => d.instanceId),
        KeyName: ['DEVPKEY_PciDevice_RequiresReservedMemoryRegion'],
      },
    });
    expect(
      rmrr.ok && (rmrr.value as unknown as { output: Array<{ Data: boolean }> }).output.map((o) => o.Data),
    ).toEqual([true, false]);
  });
});

describe("errors behave like the real modules'", () => {
  it('PnpDevice (CDXML) errors are non-terminating and a script-scope preference does not reach them (PowerShell issue 4568); -ErrorAction Stop does', async () => {
    await use(freshState('gpu-workstation'));
    const soft = await run(
      `& { $ErrorActionPreference = 'Stop'; Disable-PnpDevice -InstanceId 'PCI\\VEN_NONE\\0' -Confirm:$false; [pscustomobject]@{ went = 'on' } }`,
    );
    expect(soft.ok).toBe(true);
    if (soft.ok)
      expect(soft.errors[0]?.fullyQualifiedErrorId).toBe('CmdletizationQuery_NotFound_InstanceId,Disable-PnpDevice');
    const hard = await run(`Disable-PnpDevice -InstanceId 'PCI\\VEN_NONE\\0' -Confirm:$false -ErrorAction Stop`);
    expect(hard.ok).toBe(false);
  });

  it("NetAdapter and Storage (CDXML) not-found errors are non-terminating ObjectNotFound with the function's name appended", async () => {
    await use(freshState('lifelines-host'));
    for (const [command, id] of [
      [`Get-NetAdapter -Name 'nope'`, 'CmdletizationQuery_NotFound_Name,Get-NetAdapter'],
      ['Get-Disk -Number 9', 'CmdletizationQuery_NotFound_Number,Get-Disk'],
    ] as const) {
      const r = await run(`& { $ErrorActionPreference = 'Stop'; ${command}; [pscustomobject]@{ went = 'on' } }`);
      expect(r.ok, command).toBe(true);
      if (r.ok) expect(r.errors[0]?.fullyQualifiedErrorId).toBe(id);
    }
    // a partition without a letter has the NUL character; the page file's volume is C:
    const parts = await host.runner.invoke<Array<{ DriveLetter: string }>>('sim-call', {
      Command: 'Get-Partition',
      Parameters: { DiskNumber: [0] },
    });
    expect(
      parts.ok &&
        (parts.value as unknown as { output: Array<{ DriveLetter: string }> }).output.map((p) => p.DriveLetter),
    ).toEqual(['\u0000', '\u0000', 'C']);
  });

  it("Hyper-V (compiled) errors honour the caller's preference: Stop stops, SilentlyContinue lets the script go on", async () => {
    await use(freshState('gpu-workstation'));
    const stop = await run(
      `& { $ErrorActionPreference = 'Stop'; Get-VM -Name 'nope'; [pscustomobject]@{ went = 'on' } }`,
    );
    expect(stop.ok).toBe(false);
    if (!stop.ok)
      expect(stop.error.fullyQualifiedErrorId).toBe('InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM');
    const quiet = await run(
      `& { Get-VM -Name 'nope' -ErrorAction SilentlyContinue; [pscustomobject]@{ went = 'on' } }`,
    );
    expect(quiet.ok).toBe(true);
  });
});
