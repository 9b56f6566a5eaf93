/**
 * `dda doctor` against simulated hosts (real pwsh): a host as Microsoft documents it passes every
 * surface and property item; a profile switch that breaks the surface (surfaceFaults) fails exactly
 * that item, with its fix, and the exit code says so.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorReportSchema } from '../../shared/doctor';
import { doctorText } from '../../shared/i18n/doctor-messages';
import { main, type Io } from '../cli/dda';
import { freshState, sharedHost } from '../../testing/test-support';
import { generateProfile } from '../simulator/generate-profile';
import { readCaptureFacts } from './capture';
import { runDoctor } from './doctor';
import { usedCmdlets } from './used-surface';

const { host, use } = sharedHost();
afterAll(() => host.close());
const notPassing = (items: Array<{ id: string; status: string }>) =>
  items.filter((i) => i.status !== 'pass').map((i) => `${i.id} ${i.status}`);

describe('dda doctor on a simulated host', () => {
  it('a host as documented: every item passes but the module warning that it is the simulator', async () => {
    await use(freshState('gpu-workstation'));
    const report = await runDoctor(host.runner, true);
    expect(report.computerName).toBe('GPU-WS01');
    expect(notPassing(report.items)).toEqual(['hyperv-module warn']);
    expect(report.items.filter((i) => i.check === 'surface').map((i) => i.subject)).toEqual(usedCmdlets());
    expect(report.exitCode).toBe(0);
  });

  it('a host with 256 PCI functions: every property read passes (asked 64 ids at a time, as one WQL query must)', async () => {
    const state = freshState('gpu-workstation');
    writeFileSync(state, JSON.stringify(generateProfile({ devices: 256, vms: 4, seed: 11 })));
    await use(state);
    const report = await runDoctor(host.runner, true);
    expect(notPassing(report.items.filter((i) => i.check === 'pci-property'))).toEqual([]);
    expect(report.items.filter((i) => i.check === 'pci-property').length).toBeGreaterThan(0);
  });

  it("reads a Nullable<T> parameter as T, as the references print it (a compiled cmdlet's bool? or long?)", async () => {
    await use(freshState('gpu-workstation'));
    const define = await host.runner.invoke('run-script', {
      Command:
        'function global:Set-DdaNullableProbe { param([Nullable[bool]]$Flag, [Nullable[long]]$Size, [string[]]$Names) }',
    });
    expect(define.ok).toBe(true);
    const r = await host.runner.invoke<{ surface: Record<string, { parameters: Record<string, { type: string }> }> }>(
      'doctor',
      { Commands: ['Set-DdaNullableProbe'], PropertyKeys: ['DEVPKEY_PciDevice_DeviceType'] },
    );
    if (!r.ok) throw new Error(r.error.message);
    const params = r.value.surface['Set-DdaNullableProbe']!.parameters;
    expect([params.Flag!.type, params.Size!.type, params.Names!.type]).toEqual(['Boolean', 'Int64', 'String[]']);
  });

  it('a device gone between the listing and the property reads costs only itself, in doctor and capture alike', async () => {
    // A session of its own: its Get-PnpDeviceProperty first says "not found" for a device that went away
    // (as PnP does, without stopping), then answers for the others.
    const own = sharedHost();
    try {
      await own.use(freshState('gpu-workstation'));
      const stub = await own.host.runner.invoke('run-script', {
        Command: `function global:Get-PnpDeviceProperty {
          [CmdletBinding()] param([string[]]$InstanceId, [string[]]$KeyName)
          $ex = New-Object System.Exception 'No matching MSFT_PnpDevice objects found'
          $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord $ex, 'CmdletizationQuery_NotFound_InstanceId,Get-PnpDeviceProperty', 'ObjectNotFound', 'PCI\\VEN_GONE'))
          DdaSim\\Get-PnpDeviceProperty -InstanceId $InstanceId -KeyName $KeyName
        }`,
      });
      expect(stub.ok, stub.ok ? '' : stub.error.message).toBe(true);
      const report = await runDoctor(own.host.runner, true);
      expect(notPassing(report.items.filter((i) => i.check === 'pci-property'))).toEqual([]);
      const facts = await readCaptureFacts(own.host.runner);
      expect(facts.notes.filter((n) => /Device property/.test(n))).toEqual([]);
    } finally {
      await own.host.close();
    }
  });

  it("the host's own facts: no IOMMU, IovSupport False", async () => {
    await use(freshState('no-iommu'));
    const report = await runDoctor(host.runner, true);
    expect(notPassing(report.items)).toEqual(['hyperv-module warn', 'iommu fail', 'iov-support fail']);
    expect(report.exitCode).toBe(1);
  });

  it('a PCI property handed out as another type fails exactly that property, with its fix', async () => {
    await use(
      freshState('gpu-workstation', (s) =>
        Object.assign(s, {
          surfaceFaults: [{ pciProperty: 'DEVPKEY_PciDevice_RequiresReservedMemoryRegion', type: 'UInt32' }],
        }),
      ),
    );
    const report = await runDoctor(host.runner, true);
    expect(notPassing(report.items)).toEqual([
      'hyperv-module warn',
      'pci-property:DEVPKEY_PciDevice_RequiresReservedMemoryRegion fail',
    ]);
    const item = report.items.find((i) => i.status === 'fail')!;
    expect(item.problems).toEqual([
      {
        kind: 'wrong-type',
        name: 'DEVPKEY_PciDevice_RequiresReservedMemoryRegion',
        expected: 'System.Boolean',
        actual: 'System.UInt32',
      },
    ]);
    expect(doctorText(item, 'en').fix).toMatch(/dda host capture --anonymize/);
  });

  it("dda doctor --json on a host without Get-VMNetworkAdapter's parameter set All: that item fails, exit 1", async () => {
    const state = freshState('ml30-connectx4', (s) =>
      Object.assign(s, { surfaceFaults: [{ cmdlet: 'Get-VMNetworkAdapter', removeParameterSet: 'All' }] }),
    );
    const lines: string[] = [];
    const io: Io = { out: (t) => lines.push(t), err: (t) => lines.push(t) };
    expect(await main(['doctor', '--sim-state', state, '--json'], io)).toBe(1);
    const report = doctorReportSchema.parse(JSON.parse(lines.join('\n')));
    expect(notPassing(report.items)).toEqual(['hyperv-module warn', 'surface:Get-VMNetworkAdapter fail']);
    const item = report.items.find((i) => i.status === 'fail')!;
    expect(item.problems).toEqual([{ kind: 'missing-set', name: 'All' }]);
    expect(doctorText(item, 'zh-CN').meaning).toContain('inventory.ps1');
  });

  it('bad arguments exit 3; a host that cannot be opened exits 2', async () => {
    const io: Io = { out: () => {}, err: () => {} };
    expect(await main(['doctor', '--lang', 'fr'], io)).toBe(3);
    expect(await main(['doctor', '--simulate', 'no-such-profile'], io)).toBe(2);
  });
});
