/**
 * The host's lifelines read by inventory.ps1 in a real pwsh against the simulator's lifelines-host
 * profile (one session for the file), and what `dda` does with them on the command line.
 */
import { spawnSync } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPowerShell } from '../powershell/find-pwsh';
import { projectRoot } from '../project-root';
import { inventorySchema, type Inventory } from '../../shared/inventory';
import { main } from '../cli/dda';
import { readInventory } from './inventory-service';
import { memoryMeasurementStore } from './measurement-store';
import { behindBusDriver, freshState, sharedHost, type SimJson } from '../../testing/test-support';

const MGMT = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const UPLINK = 'PCIROOT(0)#PCI(0300)#PCI(0001)';
const SPARE = 'PCIROOT(0)#PCI(1C04)#PCI(0000)';
const NVME = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';
const AHCI = 'PCIROOT(0)#PCI(1700)';

const shared = sharedHost();
afterAll(() => shared.host.close());
async function inventoryOf(edit?: (s: SimJson) => void): Promise<Inventory> {
  await shared.use(freshState('lifelines-host', edit));
  return readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
}
const at = (inv: Inventory, path: string) => inv.devices.find((d) => d.locationPath === path)!.lifelines;
type Edit = (s: SimJson) => void;
const arrivedOn =
  (address: string | string[]): Edit =>
  (s) =>
    (s.host.sessionArrivedOn = address);

describe("inventory.ps1 finds the host's lifelines", () => {
  it('the management port, the vSwitch uplink with its VMs and the host vNIC, the data and system disks; the spare NIC carries nothing', async () => {
    const inv = await inventoryOf();
    expect(at(inv, MGMT)).toEqual({
      networkKnown: true,
      ipAddresses: ['10.0.0.5'],
      vSwitches: [],
      carriesSession: false,
      storageKnown: true,
      disks: [],
    });
    expect(at(inv, UPLINK).vSwitches).toEqual([
      { name: 'External', switchType: 'External', vms: ['Web01', 'Web02'], hostIpAddresses: ['10.0.1.5'] },
    ]);
    expect(at(inv, UPLINK).ipAddresses).toEqual([]);
    expect(at(inv, SPARE)).toMatchObject({ ipAddresses: [], vSwitches: [], carriesSession: false });
    expect(at(inv, NVME).disks).toEqual([
      {
        number: 1,
        friendlyName: 'SAMSUNG MZQL23T8HCLS-00A07',
        isBoot: false,
        isSystem: false,
        volumes: ['D:', 'E:'],
        pageFile: false,
      },
    ]);
    expect(at(inv, AHCI).disks).toEqual([
      { number: 0, friendlyName: 'Micron 5300 480GB', isBoot: true, isSystem: true, volumes: ['C:'], pageFile: true },
    ]);
    expect(inv.devices.find((d) => d.locationPath === AHCI)!.hostsSystemDisk).toBe(true);
    expect(inv.notes).toEqual([]);
  });

  it("the system disk's controller by Get-Disk when no partition is the active one (what BootPartition says on GPT is not settled); none at all is unknown, not none", async () => {
    type Disk = { isBoot: boolean; isSystem: boolean; partitions: Array<{ isBoot: boolean; isSystem: boolean }> };
    const systemDisk = (s: SimJson) =>
      (s.devices.find((d) => d.locationPath === AHCI) as unknown as { disks: Disk[] }).disks[0]!;
    const noActivePartition: Edit = (s) => systemDisk(s).partitions.forEach((p) => (p.isSystem = false));
    let inv = await inventoryOf(noActivePartition);
    expect(inv.devices.find((d) => d.locationPath === AHCI)!.hostsSystemDisk).toBe(true);
    expect(inv.notes).toEqual([]);
    inv = await inventoryOf((s) => {
      noActivePartition(s);
      Object.assign(systemDisk(s), { isBoot: false, isSystem: false });
      systemDisk(s).partitions.forEach((p) => (p.isBoot = false));
    });
    expect(inv.notes).toContain('The controller of the system disk could not be determined.');
    // Get-Disk unreadable: BootPartition alone does not settle it.
    inv = await inventoryOf((s) => (s.faults = [{ cmdlet: 'Get-Disk', message: 'Storage unavailable', times: 1 }]));
    expect(inv.notes).toContain('The controller of the system disk could not be determined.');
  });

  it('the NIC a remote session arrived on: its own address, or the vNIC on the switch it is the uplink of; an address on no adapter is unknown', async () => {
    let inv = await inventoryOf(arrivedOn('10.0.0.5'));
    expect([at(inv, MGMT).carriesSession, at(inv, UPLINK).carriesSession, at(inv, SPARE).carriesSession]).toEqual([
      true,
      false,
      false,
    ]);
    inv = await inventoryOf(arrivedOn('10.0.1.5'));
    expect([at(inv, MGMT).carriesSession, at(inv, UPLINK).carriesSession]).toEqual([false, true]);
    inv = await inventoryOf(arrivedOn('192.0.2.77'));
    expect([at(inv, MGMT).carriesSession, at(inv, SPARE).carriesSession]).toEqual([null, null]);
  });

  it("several candidates (WinRM by host name): each one's NIC carries the session, and the session is placed only when every candidate is on a known adapter and none is loopback", async () => {
    const sessionOf = (inv: Inventory) => [MGMT, UPLINK, SPARE].map((p) => at(inv, p).carriesSession);
    expect(sessionOf(await inventoryOf(arrivedOn(['10.0.0.5', '10.0.1.5'])))).toEqual([true, true, false]);
    // One candidate on no adapter: it may be this session's, so no other NIC can be cleared.
    expect(sessionOf(await inventoryOf(arrivedOn(['10.0.0.5', '192.0.2.77'])))).toEqual([true, null, null]);
    // One through a tunnel (loopback): the same.
    expect(sessionOf(await inventoryOf(arrivedOn(['10.0.0.5', '127.0.0.1'])))).toEqual([true, null, null]);
  });

  it('an uplink the host lists no adapter for leaves the network unknown (its NIC must not look free)', async () => {
    const inv = await inventoryOf((s) => {
      delete (s.devices.find((d) => d.locationPath === UPLINK) as { netAdapter?: unknown }).netAdapter;
    });
    expect(at(inv, UPLINK).networkKnown).toBe(false);
    expect(inv.notes.join(' ')).toMatch(/uplink of vSwitch 'External'/);
  });

  it('an uplink passed through to a VM is no host lifeline: the switch still names it, the network stays known', async () => {
    const inv = await inventoryOf((s) => {
      s.vms.find((v) => v.name === 'Lab-VM')!.assignedDevices = [UPLINK];
    });
    expect(inv.devices.find((d) => d.locationPath === UPLINK)!.owner).toEqual({ kind: 'vm', vmName: 'Lab-VM' });
    expect([at(inv, MGMT).networkKnown, at(inv, SPARE).networkKnown]).toEqual([true, true]);
    expect(inv.notes.join(' ')).not.toMatch(/uplink of vSwitch/);
  });

  it("NICs behind a vendor's bus driver (the adapter is the PCI function's child) carry their function's lifelines: addresses, the uplink with the host vNIC that shares its MAC, the session", async () => {
    // A ConnectX-3 pair: mlx4_bus on the PCI function (class System), an Ethernet adapter below each.
    const edit: Edit = (s) => {
      behindBusDriver(MGMT, '1')(s);
      behindBusDriver(UPLINK, '2')(s);
      // The host vNIC of the External switch took its uplink's MAC (as Hyper-V does).
      const uplinkMac = (s.devices.find((x) => x.locationPath === UPLINK)!.netAdapter as { macAddress: string })
        .macAddress;
      const ext = (s.host.vmSwitches as Array<{ name: string; managementAdapter: { macAddress: string } }>).find(
        (x) => x.name === 'External',
      )!;
      ext.managementAdapter.macAddress = uplinkMac;
    };
    let inv = await inventoryOf(edit);
    expect(inv.notes).toEqual([]);
    expect(at(inv, MGMT)).toMatchObject({ networkKnown: true, ipAddresses: ['10.0.0.5'], vSwitches: [] });
    expect(at(inv, UPLINK).vSwitches).toEqual([
      { name: 'External', switchType: 'External', vms: ['Web01', 'Web02'], hostIpAddresses: ['10.0.1.5'] },
    ]);
    expect(at(inv, SPARE).networkKnown).toBe(true);
    inv = await inventoryOf((s) => {
      edit(s);
      arrivedOn('10.0.1.5')(s);
    });
    expect([at(inv, MGMT).carriesSession, at(inv, UPLINK).carriesSession, at(inv, SPARE).carriesSession]).toEqual([
      false,
      true,
      false,
    ]);
    // Disabled, the function's bus driver takes its adapter away: nothing left to trace, nothing unknown.
    inv = await inventoryOf((s) => {
      edit(s);
      s.devices.find((x) => x.locationPath === MGMT)!.enabled = false;
    });
    expect(at(inv, MGMT)).toMatchObject({ networkKnown: true, ipAddresses: [] });
    expect(inv.notes).toEqual([]);
  });

  it('a dismounted data controller takes its disks away from the host', async () => {
    const inv = await inventoryOf((s) => {
      s.vms.find((v) => v.name === 'Lab-VM')!.assignedDevices = [NVME];
    });
    expect(inv.devices.find((d) => d.locationPath === NVME)!.owner).toEqual({ kind: 'vm', vmName: 'Lab-VM' });
    expect(at(inv, NVME).disks).toEqual([]);
  });

  it('unreadable network or disks degrade with a note to "unknown", never an empty list, and never fail the inventory', async () => {
    let inv = await inventoryOf((s) => s.faults.push({ cmdlet: 'Get-NetIPAddress', message: 'Access denied' }));
    expect(at(inv, SPARE).networkKnown).toBe(false);
    expect(at(inv, NVME).storageKnown).toBe(true);
    expect(inv.notes.join(' ')).toMatch(/IP addresses unreadable/);
    inv = await inventoryOf((s) => s.faults.push({ cmdlet: 'Get-VMSwitch', message: 'Access denied' }));
    expect(at(inv, UPLINK).networkKnown).toBe(false);
    inv = await inventoryOf((s) => s.faults.push({ cmdlet: 'Get-Partition', message: 'Access denied' }));
    expect([at(inv, NVME).storageKnown, at(inv, AHCI).storageKnown, at(inv, MGMT).storageKnown]).toEqual([
      false,
      false,
      true,
    ]);
    expect(inv.notes.join(' ')).toMatch(/Host disks unreadable/);
    expect(inv.devices).toHaveLength(6);
  });

  it('a walk that fails for the disks alone (a property call fails when one of its ids does) leaves the network known and the disks unreadable, not "no controller"', async () => {
    // Every property call that names a disk fails: the joint walk, then the disks' own walk.
    const inv = await inventoryOf((s) =>
      s.faults.push({ cmdlet: 'Get-PnpDeviceProperty', match: 'SCSI\\DISK', message: 'The RPC server is unavailable' }),
    );
    expect([at(inv, NVME).storageKnown, at(inv, AHCI).storageKnown]).toEqual([false, false]);
    expect([at(inv, MGMT).networkKnown, at(inv, UPLINK).networkKnown]).toEqual([true, true]);
    expect(inv.notes.join(' ')).toMatch(/Host disks unreadable: The RPC server is unavailable/);
    expect(inv.notes.join(' ')).not.toMatch(/network adapters are unreadable/);
    expect(inv.notes.join(' ')).not.toMatch(/controller could not be found/);
  });

  it('...and one that fails for an adapter alone (a NIC behind its bus driver) leaves the disks known and the network unreadable', async () => {
    const inv = await inventoryOf((s) => {
      behindBusDriver(MGMT, '1')(s);
      s.faults.push({ cmdlet: 'Get-PnpDeviceProperty', match: 'MLX4\\', message: 'The RPC server is unavailable' });
    });
    expect([at(inv, MGMT).networkKnown, at(inv, UPLINK).networkKnown]).toEqual([false, false]);
    expect([at(inv, NVME).storageKnown, at(inv, AHCI).storageKnown]).toEqual([true, true]);
    expect(at(inv, AHCI).disks.map((d) => d.number)).toEqual([0]);
    expect(inv.devices.find((d) => d.locationPath === AHCI)!.hostsSystemDisk).toBe(true);
    expect(inv.notes.join(' ')).toMatch(/network adapters are unreadable: The RPC server is unavailable/);
    expect(inv.notes.join(' ')).not.toMatch(/Host disks unreadable|system disk could not be determined/);
  });

  it('a walk that fails once is walked again, each group alone: the disks and the network stay known', async () => {
    const propertyCalls = async () => {
      const stats = await shared.host.runner.invoke<{ calls: Record<string, number> }>('sim-stats', { Reset: true });
      if (!stats.ok) throw new Error(stats.error.message);
      return stats.value.calls['Get-PnpDeviceProperty'] ?? 0;
    };
    await shared.use(freshState('lifelines-host'));
    await propertyCalls();
    await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    // One walk for the adapters and the disks (one hop in this profile, the inventory's first property
    // call), then one call for the devices' facts: before, each walk had calls of its own.
    expect(await propertyCalls()).toBe(2);
    const inv = await inventoryOf((s) =>
      s.faults.push({ cmdlet: 'Get-PnpDeviceProperty', message: 'The RPC server is unavailable', skip: 0, times: 1 }),
    );
    expect([at(inv, NVME).storageKnown, at(inv, AHCI).storageKnown]).toEqual([true, true]);
    expect([at(inv, MGMT).networkKnown, at(inv, UPLINK).networkKnown]).toEqual([true, true]);
    expect(at(inv, NVME).disks.map((d) => d.number)).toEqual([1]);
    expect(inv.notes.join(' ')).not.toMatch(/unreadable|controller could not be found/);
    // The devices' facts (the call after the walks) were read.
    expect(inv.devices.find((d) => d.locationPath === NVME)!.facts.baseClass).toBe(1);
  });
});

describe('Get-DdaSessionArrival on a host (host-functions.ps1, not the simulator)', () => {
  // The real function reads the process environment and $PSSenderInfo; run it in a pwsh of its own.
  type Arrival = { remote: boolean; address: string | null; addresses: string[]; hostName: string | null };
  const arrival = (ssh: string | undefined, winrmUri?: string): Arrival => {
    const pwsh = findPowerShell({ projectRoot: projectRoot() });
    if (!pwsh) throw new Error('no pwsh');
    const script = join(projectRoot(), 'main', 'powershell', 'scripts', 'host-functions.ps1');
    const env: NodeJS.ProcessEnv = { ...process.env, DDA_TEST_HOST_FUNCTIONS: script };
    delete env.SSH_CONNECTION;
    delete env.DDA_TEST_WINRM_URI;
    if (ssh !== undefined) env.SSH_CONNECTION = ssh;
    // A WinRM session's $PSSenderInfo, as about_Automatic_Variables describes it (its ConnectionString).
    if (winrmUri !== undefined) env.DDA_TEST_WINRM_URI = winrmUri;
    const r = spawnSync(
      pwsh.path,
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        'if ($env:DDA_TEST_WINRM_URI) { $PSSenderInfo = [pscustomobject]@{ ConnectionString = $env:DDA_TEST_WINRM_URI } }; ' +
          '. $env:DDA_TEST_HOST_FUNCTIONS; Get-DdaSessionArrival | ConvertTo-Json -Compress',
      ],
      { env, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    const a = JSON.parse(r.stdout) as Arrival;
    return { ...a, addresses: [a.addresses ?? []].flat() };
  };
  it('SSH: the server IP of SSH_CONNECTION (an IPv4-mapped one as IPv4); none: a local session', () => {
    expect(arrival('192.0.2.10 50123 10.0.0.5 22')).toMatchObject({
      remote: true,
      address: '10.0.0.5',
      addresses: ['10.0.0.5'],
    });
    expect(arrival('192.0.2.10 50123 ::ffff:10.0.0.5 22')).toMatchObject({ remote: true, address: '10.0.0.5' });
    expect(arrival(undefined)).toMatchObject({ remote: false, address: null, addresses: [] });
  });
  it('WinRM by IP: that IP; by name: the local ends of the connections to its port, never what the name resolves to', async () => {
    expect(arrival(undefined, 'http://10.0.0.5:5985/wsman?PSVersion=5.1.20348.1')).toMatchObject({
      remote: true,
      address: '10.0.0.5',
      addresses: ['10.0.0.5'],
    });
    // A listener with one established connection stands in for WinRM's port (the TCP table is the OS's own).
    const server = createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
    const port = (server.address() as AddressInfo).port;
    // Another local address for the client: a mix-up of the local and remote ends would answer 127.0.0.3.
    const client = connect({ port, host: '127.0.0.2', localAddress: '127.0.0.3' });
    await new Promise<void>((r) => client.on('connect', r));
    try {
      // The answer comes from the connection, never from resolving the name (here "localhost" would give
      // 127.0.0.1, on Windows a host's own name gives all its addresses): the same name on an idle port
      // tells nothing.
      expect(arrival(undefined, `http://localhost:${port}/wsman`)).toMatchObject({
        remote: true,
        address: '127.0.0.2',
        addresses: ['127.0.0.2'],
        hostName: 'localhost',
      });
      // An IPv6 link-local literal loses its zone id in a URI: it is looked up like a name.
      expect(arrival(undefined, `http://[fe80::1]:${port}/wsman`)).toMatchObject({ addresses: ['127.0.0.2'] });
      client.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      expect(arrival(undefined, `http://localhost:${port}/wsman`)).toMatchObject({
        remote: true,
        address: null,
        addresses: [],
      });
    } finally {
      client.destroy();
      server.close();
    }
  });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

describe('dda and the lifelines', () => {
  it("dda inventory --json prints each device's lifelines", async () => {
    const { code, out } = await cli(['inventory', '--json', '--simulate', 'lifelines-host']);
    expect(code).toBe(0);
    const inv = inventorySchema.parse(JSON.parse(out));
    expect(at(inv, MGMT).ipAddresses).toEqual(['10.0.0.5']);
    const text = await cli(['inventory', '--simulate', 'lifelines-host']);
    expect(text.out).toContain(
      'Intel(R) Ethernet Controller X710 for 10GbE SFP+ #2: vSwitch External (VMs Web01, Web02) with host IP 10.0.1.5',
    );
    expect(text.out).toContain('Samsung PM9A3 3.84TB (NVM Express): disk 1 D:, E:');
  });

  it('dda plan assign on the management NIC exits 2 and names the consent and the address it costs', async () => {
    const { code, out } = await cli([
      'plan',
      'assign',
      '--device',
      MGMT,
      '--vm',
      'Lab-VM',
      '--simulate',
      'lifelines-host',
    ]);
    expect(code).toBe(2);
    expect(out).toMatch(/\[ \] --take-host-lifeline: .*10\.0\.0\.5/);
  });

  it("...and is refused, with the reason, when DDA Studio's own session arrived on it", async () => {
    const state = freshState('lifelines-host', arrivedOn('10.0.0.5'));
    const { code, out } = await cli([
      'plan',
      'assign',
      '--device',
      MGMT,
      '--vm',
      'Lab-VM',
      '--take-host-lifeline',
      '--sim-state',
      state,
    ]);
    expect(code).toBe(2);
    expect(out).toMatch(/REFUSED: .*carries the connection DDA Studio is using/);
  });
});
