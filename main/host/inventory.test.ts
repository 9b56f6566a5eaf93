/**
 * Inventory against the real pwsh and the simulator. The expected tables are written by hand from the
 * survey rules (Microsoft's SurveyDDA.ps1, as shared/survey.ts applies them) and each profile's raw facts, not captured from the output.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { computerKey } from '../../shared/computer-name';
import { inventorySchema, type Inventory } from '../../shared/inventory';
import { main } from '../cli/dda';
import { generateProfile } from '../simulator/generate-profile';
import { readInventory } from './inventory-service';
import { planOperation } from './planner';
import { memoryMeasurementStore } from './measurement-store';
import { freshState, readState, sharedHost } from '../../testing/test-support';
import { writeFileSync } from 'node:fs';
import { projectRoot } from '../project-root';
import { join } from 'node:path';

type Row = [path: string, code: string, reason: string | undefined, mmioMB: number | null, owner: string];
const expected: Record<string, Row[]> = {
  'ml30-connectx4': [
    ['PCIROOT(0)#PCI(0100)#PCI(0000)', 'assignable', undefined, 32, 'host'],
    ['PCIROOT(0)#PCI(0100)#PCI(0001)', 'assignable', undefined, 32, 'host'],
    ['PCIROOT(0)#PCI(0200)', 'not-assignable', 'rmrr', 272, 'host'],
    ['PCIROOT(0)#PCI(1400)', 'assignable-less-secure', undefined, 1, 'host'],
    ['PCIROOT(0)#PCI(1702)', 'assignable-less-secure', undefined, 1, 'host'],
    ['PCIROOT(0)#PCI(1C00)', 'not-assignable', 'legacy-pci', 0, 'host'],
    ['PCIROOT(0)#PCI(1C04)#PCI(0002)', 'not-assignable', 'bios-pcie-control', 1, 'host'],
    ['PCIROOT(0)#PCI(1F06)', 'not-assignable', 'line-interrupts', 1, 'host'],
    ['PCIROOT(0)#PCI(1C00)#PCI(0000)', 'disabled-unknown', undefined, null, 'host'],
    ['PCIROOT(0)#PCI(0000)', 'not-assignable', 'legacy-pci', 0, 'host'],
  ],
  'r910-x520': [
    ['PCIROOT(0)#PCI(0700)#PCI(0000)', 'force-insecure', 'acs-missing', 1, 'host'],
    ['PCIROOT(0)#PCI(0700)#PCI(0001)', 'force-insecure', 'acs-missing', 1, 'host'],
    ['PCIROOT(0)#PCI(0100)#PCI(0000)', 'force-insecure', 'acs-missing', 32, 'host'],
    ['PCIROOT(0)#PCI(0300)#PCI(0000)', 'force-insecure', 'acs-missing', 1, 'host'],
    ['PCIROOT(0)#PCI(1E00)#PCI(0300)', 'not-assignable', 'legacy-pci', 17, 'host'],
    ['PCIROOT(0)#PCI(0100)', 'not-assignable', 'legacy-pci', 0, 'host'],
    ['PCIROOT(0)#PCI(1D00)', 'not-assignable', 'legacy-pci', 0, 'host'],
  ],
  'gpu-workstation': [
    ['PCIROOT(0)#PCI(0100)#PCI(0000)', 'assignable', undefined, 16432, 'host'],
    ['PCIROOT(0)#PCI(0100)#PCI(0001)', 'assignable', undefined, 1, 'host'],
    ['PCIROOT(0)#PCI(0104)#PCI(0000)', 'assignable', undefined, 1, 'host'],
    ['PCIROOT(0)#PCI(1B00)#PCI(0000)', 'unknown', undefined, null, 'vm:Storage-VM'],
    ['PCIROOT(0)#PCI(1B04)#PCI(0000)', 'assignable', undefined, 1, 'host'],
    ['PCIROOT(0)#PCI(0200)', 'not-assignable', 'rmrr', 272, 'host'],
    ['PCIROOT(0)#PCI(1400)', 'assignable-less-secure', undefined, 1, 'host'],
  ],
  'no-iommu': [
    ['PCIROOT(0)#PCI(1C00)#PCI(0000)', 'assignable', undefined, 1, 'host'],
    ['PCIROOT(0)#PCI(1400)', 'assignable-less-secure', undefined, 1, 'host'],
    ['PCIROOT(0)#PCI(1F02)', 'assignable-less-secure', undefined, 1, 'host'],
  ],
};

const ownerText = (o: Inventory['devices'][number]['owner']) => (o.kind === 'vm' ? `vm:${o.vmName}` : o.kind);

async function cliInventory(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['inventory', ...args], { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

describe('dda inventory --json matches the hand-written survey tables', () => {
  for (const [profile, rows] of Object.entries(expected)) {
    it(profile, async () => {
      const { code, out } = await cliInventory(['--json', '--simulate', profile]);
      const inv = inventorySchema.parse(JSON.parse(out));
      expect(code).toBe(0);
      const actual = inv.devices.map((d): Row => [
        d.locationPath!,
        d.verdict.code,
        d.verdict.reason,
        d.mmioMB,
        ownerText(d.owner),
      ]);
      expect(actual.sort()).toEqual([...rows].sort());
    });
  }
});

const shared = sharedHost();
afterAll(() => shared.host.close());
const inventoryOf = async (state: string) => {
  await shared.use(state);
  return readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
};
const call = async (command: string, parameters: Record<string, unknown>) => {
  const r = await shared.host.runner.invoke('sim-call', { Command: command, Parameters: parameters });
  if (!r.ok) throw new Error(r.error.message);
};

describe('inventory details', () => {
  it('host readiness of a host without IOMMU, with reasons', async () => {
    const inv = await inventoryOf(freshState('no-iommu'));
    expect(inv.host.iovSupport).toBe(false);
    expect(inv.host.iovSupportReasons).toHaveLength(2);
    // No cmdlet reports PCIe control; the (localized) reasons are shown, never parsed: unknown, and IovSupport blocks.
    expect(inv.host.osPcieControl).toBeNull();
    expect(inv.host.iommuPolicyEnabled).toBe(false);
    expect(inv.host.isServerSku).toBe(true);
  });

  it('cards, siblings, system disk and missing properties', async () => {
    const inv = await inventoryOf(freshState('ml30-connectx4'));
    const cx4 = inv.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0100)#PCI(0000)')!;
    expect(cx4.card).toEqual({ path: 'PCIROOT(0)#PCI(0100)#PCI(00xx)', functionNumber: 0 });
    expect(cx4.siblings).toEqual(['PCIROOT(0)#PCI(0100)#PCI(0001)']);
    expect(inv.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(1702)')!.hostsSystemDisk).toBe(true);
    const bridge = inv.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0000)')!;
    expect(bridge.facts.deviceType).toBeNull();
    expect(bridge.facts.notes.join(' ')).toMatch(/DeviceType property missing/);
  });

  /** The ConnectX-4 measured on the host, then disabled by hand (the seed's first step): the memory kept. */
  const measuredThenDisabled = async () => {
    await shared.use(freshState('ml30-connectx4'));
    const memory = memoryMeasurementStore();
    await readInventory(shared.host.runner, { memory });
    await call('Disable-PnpDevice', {
      InstanceId: 'PCI\\VEN_15B3&DEV_1015&SUBSYS_000315B3&REV_00\\4&2C1A7E0F&0&0008',
      Confirm: false,
    });
    return memory;
  };

  it('a dismounted device shows as its PCIP twin, keeps the measurement it had, and is an orphan', async () => {
    const memory = await measuredThenDisabled();
    await call('Dismount-VMHostAssignableDevice', { LocationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)' });
    const inv = await readInventory(shared.host.runner, { memory });
    const cx4 = inv.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0100)#PCI(0000)')!;
    expect(cx4.owner).toEqual({ kind: 'dismounted' });
    expect(cx4.dismountedInstanceId).toMatch(/^PCIP\\/);
    expect(cx4.instanceId).toMatch(/^PCI\\/);
    expect(cx4.friendlyName).toBe('Mellanox ConnectX-4 Lx Ethernet Adapter');
    expect(cx4.mmioMB).toBe(32);
    expect(cx4.verdict).toEqual({ code: 'assignable', remembered: true });
    expect(inv.problems).toContainEqual({ kind: 'orphan', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)' });
    // Without a remembered measurement the app says unknown, honestly.
    const fresh = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(fresh.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0100)#PCI(0000)')!.mmioMB).toBeNull();
  });

  it('a disabled device keeps the MMIO it was measured with: its verdict stays disabled-unknown', async () => {
    // disabled, the device has no resources allocated
    const memory = await measuredThenDisabled();
    const inv = await readInventory(shared.host.runner, { memory });
    const cx4 = inv.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0100)#PCI(0000)')!;
    expect(cx4.owner).toEqual({ kind: 'host' });
    expect(cx4.facts.disabled).toBe(true);
    expect(cx4.verdict).toEqual({ code: 'disabled-unknown', remembered: true });
    expect(cx4.mmioMB).toBe(32);
    expect(cx4.facts.source).toBe('remembered');
    // Never measured: unknown, honestly.
    const fresh = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    const unmeasured = fresh.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0100)#PCI(0000)')!;
    expect(unmeasured.mmioMB).toBeNull();
    expect(unmeasured.verdict).toEqual({ code: 'disabled-unknown' });
  });

  it('an RMRR flag no call could read makes the verdict unknown, not "BIOS-owned memory"', async () => {
    // The walk from the boot disk passes (skip 1); then the call for all keys fails, each key is asked on
    // its own (deviceType, baseClass, acs pass: the second fault's skip 3), and the rmrr call fails.
    const inv = await inventoryOf(
      freshState('ml30-connectx4', (s) => {
        // (two faults are told apart by their text)
        s.faults.push({ cmdlet: 'Get-PnpDeviceProperty', message: 'The RPC server is unavailable', skip: 1, times: 1 });
        s.faults.push({ cmdlet: 'Get-PnpDeviceProperty', message: 'Access is denied', skip: 3, times: 1 });
      }),
    );
    expect(inv.notes.join(' ')).toMatch(/Device property rmrr unreadable: Access is denied/);
    const at = (p: string) => inv.devices.find((d) => d.locationPath === p)!;
    // an assignable NIC and the device whose flag really is set: neither can be told now
    for (const p of ['PCIROOT(0)#PCI(0100)#PCI(0000)', 'PCIROOT(0)#PCI(0200)']) {
      expect(at(p).verdict).toEqual({ code: 'unknown' });
      expect(at(p).facts.unreadable).toEqual(['requiresReservedMemoryRegion']);
      expect(at(p).facts.notes).toContain('RequiresReservedMemoryRegion property unreadable');
    }
    // a refusal that follows from facts that were read stands
    expect(at('PCIROOT(0)#PCI(1C04)#PCI(0002)').verdict).toEqual({
      code: 'not-assignable',
      reason: 'bios-pcie-control',
    });
  });

  it('measurements that cannot be saved (a file Windows keeps locked) are a note, never a failed read', async () => {
    await shared.use(freshState('ml30-connectx4'));
    const memory = {
      ...memoryMeasurementStore(),
      flush: () => {
        throw new Error('EPERM: operation not permitted, rename');
      },
    };
    const inv = await readInventory(shared.host.runner, { memory });
    expect(inv.devices.length).toBeGreaterThan(0);
    expect(inv.notes).toContain(
      'The measurements could not be saved (they are kept for this session): EPERM: operation not permitted, rename',
    );
  });

  it('a survey property no call could read is not remembered as absent: the last good read stands', async () => {
    const state = freshState('ml30-connectx4');
    await shared.use(state);
    const memory = memoryMeasurementStore();
    await readInventory(shared.host.runner, { memory });
    const s = readState(state);
    s.faults.push(
      { cmdlet: 'Get-PnpDeviceProperty', message: 'The RPC server is unavailable', skip: 1, times: 1 },
      { cmdlet: 'Get-PnpDeviceProperty', message: 'Access is denied', skip: 3, times: 1 },
    );
    writeFileSync(state, JSON.stringify(s));
    const inv = await readInventory(shared.host.runner, { memory });
    expect(inv.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0100)#PCI(0000)')!.verdict).toEqual({
      code: 'unknown',
    });
    expect(memory.get(computerKey(inv.host.computerName, 'PCIROOT(0)#PCI(0100)#PCI(0000)'))).toMatchObject({
      requiresReservedMemoryRegion: 0,
      deviceType: 2,
    });
  });

  it('a host without Above 4G decoding (64-bit BARs below 4 GiB): the high gap counts them too', async () => {
    const GPU = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
    const low = await inventoryOf(
      freshState('gpu-workstation', (s) => {
        // the 16 GiB BAR cannot sit below 4 GiB: a 256 MB one, where such a host puts it, and the BAR types
        // the host reports (two 64-bit prefetchable, one non-prefetchable)
        Object.assign(s.devices[0]!, {
          memoryRanges: [
            { start: '0xF6000000', end: '0xF6FFFFFF' },
            { start: '0xE0000000', end: '0xEFFFFFFF' },
            { start: '0xF8000000', end: '0xF9FFFFFF' },
          ],
          barTypes: 2 * 2 ** 24 + 256,
        });
      }),
    );
    const g = low.devices.find((d) => d.locationPath === GPU)!;
    expect([g.mmioMB, g.mmioLowMB, g.mmioHighMB, g.facts.barTypes]).toEqual([304, 304, 304, 2 * 2 ** 24 + 256]);
    // the same card with Above 4G decoding: the 16 GiB BAR above 4 GiB, the 32-bit ones below, each counted once
    const usual = (await inventoryOf(freshState('gpu-workstation'))).devices.find((d) => d.locationPath === GPU)!;
    expect([usual.mmioMB, usual.mmioLowMB, usual.mmioHighMB]).toEqual([16432, 48, 16384]);
  });

  it('stale and duplicate entries are flagged', async () => {
    const state = freshState('gpu-workstation', (s) =>
      s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices.push('PCIROOT(0)#PCI(1B00)#PCI(0000)'),
    );
    const inv = await inventoryOf(state);
    const vm = inv.vms.find((v) => v.name === 'Storage-VM')!;
    expect(vm.assignedDevices.map((a) => [a.locationPath, a.stale, a.duplicate])).toEqual([
      ['PCIROOT(0)#PCI(1B00)#PCI(0000)', false, true],
      ['PCIROOT(0)#PCI(1C00)#PCI(0000)', true, false],
      ['PCIROOT(0)#PCI(1B00)#PCI(0000)', false, true],
    ]);
    expect(inv.problems).toContainEqual({
      kind: 'stale',
      vmName: 'Storage-VM',
      locationPath: 'PCIROOT(0)#PCI(1C00)#PCI(0000)',
    });
    expect(inv.problems).toContainEqual({
      kind: 'duplicate',
      vmNames: ['Storage-VM'],
      locationPath: 'PCIROOT(0)#PCI(1B00)#PCI(0000)',
    });
  });

  it('hostile VM and device names survive the round trip', async () => {
    const evil = `'; Remove-Item C:\\ -Recurse; $(whoami) \`n "q" <b>中文</b> 😀\nnext`;
    const state = freshState('ml30-connectx4', (s) => {
      s.vms[0]!.name = evil;
      s.devices[0]!.friendlyName = evil;
    });
    const inv = await inventoryOf(state);
    expect(inv.vms.map((v) => v.name)).toContain(evil);
    expect(inv.devices.map((d) => d.friendlyName)).toContain(evil);
  });

  it('a class that cannot be read degrades that item with a note instead of failing', async () => {
    const state = freshState('ml30-connectx4', (s) =>
      s.faults.push({ cmdlet: 'Get-CimInstance', match: 'Win32_PnPAllocatedResource', message: 'Access denied' }),
    );
    const inv = await inventoryOf(state);
    expect(inv.notes.join(' ')).toMatch(/Allocated resources unreadable/);
    expect(inv.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(0100)#PCI(0000)')!.verdict.code).toBe('unknown');
    expect(inv.vms).toHaveLength(3);
  });

  it('a caller running under strict mode gets the same facts (a property a CIM instance lacks reads as $null)', async () => {
    await shared.use(freshState('lifelines-host'));
    const script = join(projectRoot(), 'main', 'powershell', 'scripts', 'inventory.ps1');
    const strict = await shared.host.runner.invoke<{ devices: Array<{ resourcesKnown: boolean }>; notes: string[] }>(
      'run-script',
      { Command: `Set-StrictMode -Version Latest; & '${script.replace(/'/g, "''")}'` },
    );
    if (!strict.ok) throw new Error(strict.error.message);
    expect(strict.value.notes).toEqual([]);
    expect(strict.value.devices.length).toBeGreaterThan(0);
    expect(strict.value.devices.every((d) => d.resourcesKnown)).toBe(true);
  });

  it('when the one call for all VMs fails, each VM is read on its own, and no device loses its VM', async () => {
    const state = freshState('gpu-workstation', (s) => {
      s.faults.push({ cmdlet: 'Get-VMAssignableDevice', message: 'RPC server unavailable', times: 1 });
    });
    await shared.use(state);
    await shared.host.runner.invoke('sim-stats', { Reset: true });
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(inv.notes.join(' ')).not.toMatch(/unreadable/);
    expect(inv.devices.find((d) => d.locationPath === 'PCIROOT(0)#PCI(1B00)#PCI(0000)')!.owner).toMatchObject({
      kind: 'vm',
      vmName: 'Storage-VM',
    });
    const stats = await shared.host.runner.invoke<{ calls: Record<string, number> }>('sim-stats', { Reset: true });
    if (!stats.ok) throw new Error(stats.error.message);
    expect(stats.value.calls['Get-VMAssignableDevice']).toBe(1 + inv.vms.length);
  });

  it('when the one property call for every key fails, each key is read by a call of its own, and no verdict is lost', async () => {
    const propertyCalls = async () => {
      const stats = await shared.host.runner.invoke<{ calls: Record<string, number> }>('sim-stats', { Reset: true });
      if (!stats.ok) throw new Error(stats.error.message);
      return stats.value.calls['Get-PnpDeviceProperty'] ?? 0;
    };
    const read = async (state: string) => {
      await shared.use(state);
      await propertyCalls();
      const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
      return { inv, calls: await propertyCalls() };
    };
    const healthy = await read(freshState('ml30-connectx4'));
    const failing = await read(
      freshState('ml30-connectx4', (s) => {
        // skip 1: the platform facts' walk from the boot disk to its controller comes first
        s.faults.push({ cmdlet: 'Get-PnpDeviceProperty', message: 'The RPC server is unavailable', skip: 1, times: 1 });
      }),
    );
    expect(failing.inv.notes.join(' ')).not.toMatch(/unreadable/);
    const verdicts = (i: Inventory) => i.devices.map((d) => [d.locationPath, d.verdict.code, d.verdict.reason]);
    expect(verdicts(failing.inv)).toEqual(verdicts(healthy.inv));
    // the same calls, plus one of its own for each of the 6 keys
    expect(failing.calls).toBe(healthy.calls + 6);
  });

  it('a property call that fails without stopping (as PnP cmdlets do) is a note, never silently missing facts', async () => {
    // skip 1 (the platform walk), then the call for all keys and the first key's own call fail
    const state = freshState('ml30-connectx4', (s) => {
      s.faults.push({ cmdlet: 'Get-PnpDeviceProperty', message: 'Access is denied', skip: 1, times: 2 });
    });
    const inv = await inventoryOf(state);
    expect(inv.notes.join(' ')).toMatch(/Device property deviceType unreadable: Access is denied/);
    expect(inv.notes.join(' ')).not.toMatch(/Device property (baseClass|acs|rmrr|barTypes|paths) unreadable/);
  });

  it('the number of CIM queries stays flat as devices grow (one per class)', async () => {
    const counts: number[] = [];
    for (const devices of [16, 256]) {
      const file = freshState('ml30-connectx4');
      const profile = generateProfile({ devices, vms: 8, seed: 3 });
      writeFileSync(file, JSON.stringify(profile));
      const bootDisks = profile.devices.filter((d) => d.hostsSystemDisk).length;
      await shared.use(file);
      const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
      expect(inv.devices).toHaveLength(devices);
      const stats = await shared.host.runner.invoke<{ cim: Record<string, number>; calls: Record<string, number> }>(
        'sim-stats',
        { Reset: true },
      );
      if (!stats.ok) throw new Error(stats.error.message);
      counts.push(Object.values(stats.value.cim).reduce((a, b) => a + b, 0));
      // one call for every key of 64 devices at a time (a longer WQL query than WBEM_MAX_QUERY fails, and the
      // simulator fails it too), plus ONE walk of all disks and network adapters at once to their PCI
      // functions, which the system-disk check shares (one call per level; the simulator's disks are one hop)
      const chunks = Math.ceil(devices / 64);
      expect(bootDisks).toBe(1); // every host boots from a disk: generated ones too
      expect(stats.value.calls['Get-PnpDeviceProperty']).toBe(chunks + 1);
      // every device's facts were read, none lost to a query too long
      expect(inv.notes.join(' ')).not.toMatch(/unreadable/);
      expect(inv.devices.filter((d) => d.facts.deviceType === null || d.locationPath === null)).toEqual([]);
      for (const c of [
        'Get-NetAdapter',
        'Get-NetIPAddress',
        'Get-VMSwitch',
        'Get-VMNetworkAdapter',
        'Get-Disk',
        'Get-Partition',
        'Get-VMAssignableDevice', // every VM's devices at once
      ])
        expect(stats.value.calls[c], c).toBe(1);
    }
    // PnPAllocatedResource, DeviceMemoryAddress, OperatingSystem; DiskDrive (read once, shared by the system
    // disk and the lifelines), DiskPartition (system disk) and PageFileUsage (the lifelines)
    expect(counts[0]).toBe(6);
    expect(counts[1]).toBe(counts[0]);
  });

  it('exits non-zero with a one-line reason when the host is not elevated', async () => {
    const state = freshState('ml30-connectx4', (s) => (s.host.elevated = false));
    const { code, err } = await cliInventory(['--sim-state', state]);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/Not elevated/);
  });
});

describe('PowerShell 7 running the Hyper-V module through Windows PowerShell compatibility (Windows Server 2016)', () => {
  it('is told, and nothing may change the host from this engine', async () => {
    const { host, use } = sharedHost();
    try {
      await use(freshState('ml30-connectx4'));
      // The session PowerShell 7 opens for such a module, as Get-PSSession lists it there.
      const stub = await host.runner.invoke('run-script', {
        Command:
          "function global:Get-PSSession { param([string[]]$Name) if ($Name -contains 'WinPSCompatSession') { [pscustomobject]@{ Name = 'WinPSCompatSession' } } }",
      });
      expect(stub.ok).toBe(true);
      const inv = await readInventory(host.runner, { memory: memoryMeasurementStore() });
      expect(inv.host.windowsPowerShellCompat).toBe(true);
      expect(inv.notes.join(' ')).toMatch(/Windows PowerShell compatibility/);
      const plan = planOperation(
        { kind: 'assign', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)', vmName: 'Router-01' },
        inv,
        { consents: [], startVmAfter: false },
        { planId: 'p', now: inv.readAt },
      );
      expect(plan.blocked?.code).toBe('engine-compat');
      const unstub = await host.runner.invoke('run-script', {
        Command: 'Remove-Item -LiteralPath Function:\\Get-PSSession',
      });
      expect(unstub.ok).toBe(true);
      const back = await readInventory(host.runner, { memory: memoryMeasurementStore() });
      expect(back.host.windowsPowerShellCompat).toBeUndefined();
    } finally {
      await host.close();
    }
  }, 60_000);
});
