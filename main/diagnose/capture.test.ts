/**
 * `dda host capture` replays exactly: every shipped profile captured through the simulator (real pwsh,
 * the product's scripts), written as a profile, replayed, gives the same inventory bar timestamps.
 * A host with hostile and CJK names loads and replays; anonymized it holds none of its names.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../shared/inventory';
import { main, type Io } from '../cli/dda';
import { readInventory } from '../host/inventory-service';
import { memoryMeasurementStore } from '../host/measurement-store';
import { behindBusDriver, freshState, sharedHost } from '../../testing/test-support';
import { listProfiles } from '../simulator/profiles';
import { generateProfile } from '../simulator/generate-profile';
import { hostProfileSchema } from '../simulator/profile-schema';
import { captureHost } from './capture';

const { host, use } = sharedHost();
afterAll(() => host.close());
const dir = mkdtempSync(join(tmpdir(), 'dda-capture-'));

/** The inventory without its time stamps. */
const comparable = (inv: Inventory): unknown =>
  JSON.parse(JSON.stringify(inv, (k, v: unknown) => (k === 'readAt' || k === 'measuredAt' ? undefined : v)));
const inventoryOf = async (state: string) => {
  await use(state);
  return readInventory(host.runner, { memory: memoryMeasurementStore() });
};

async function captureAndReplay(state: string, file: string, anonymize = false) {
  const live = await inventoryOf(state);
  const profile = await captureHost(host.runner, { anonymize });
  writeFileSync(file, JSON.stringify(profile, null, 2));
  const replayed = await inventoryOf(freshState(file));
  return { live, replayed, profile, text: readFileSync(file, 'utf8') };
}

describe('capture, replay, compare', () => {
  it.each(listProfiles())(
    '%s replays to the same inventory',
    async (name) => {
      const { live, replayed, profile } = await captureAndReplay(freshState(name), join(dir, `${name}.json`));
      expect(hostProfileSchema.safeParse(profile).success).toBe(true);
      expect(live.devices.length).toBeGreaterThan(0);
      expect(comparable(replayed)).toEqual(comparable(live));
    },
    240_000,
  );

  it('a host with 256 PCI functions replays to the same inventory (its properties asked 64 ids at a time)', async () => {
    const state = freshState('ml30-connectx4');
    writeFileSync(state, JSON.stringify(generateProfile({ devices: 256, vms: 4, seed: 11 })));
    const { live, replayed } = await captureAndReplay(state, join(dir, 'generated-256.json'));
    expect(live.notes).toEqual([]);
    expect(comparable(replayed)).toEqual(comparable(live));
  }, 120_000);

  it('keeps the raw PnP property types and the cmdlet surface, and says what it had to assume', async () => {
    const profile = hostProfileSchema.parse(JSON.parse(readFileSync(join(dir, 'gpu-workstation.json'), 'utf8')));
    const capture = profile.capture as { assumed: string[]; surface: Record<string, { parameterSets: string[] }> };
    expect(capture.assumed.join(' ')).toMatch(/osPcieControl/);
    expect(capture.surface['Get-VMNetworkAdapter']!.parameterSets).toContain('All');
    expect(profile.devices[0]).toMatchObject({
      pnpProperties: { '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  34': { type: 'Boolean', dataType: 'System.Boolean' } },
    });
  });
});

describe("NICs behind their vendor's bus driver", () => {
  it('are captured on their PCI function with their own device and description, and replay the same lifelines', async () => {
    const MGMT = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
    const UPLINK = 'PCIROOT(0)#PCI(0300)#PCI(0001)';
    const state = freshState('lifelines-host', (s) => {
      behindBusDriver(MGMT, '1')(s);
      behindBusDriver(UPLINK, '2')(s);
      s.host.sessionArrivedOn = '10.0.1.5';
    });
    const { live, replayed, profile } = await captureAndReplay(state, join(dir, 'bus-driver.json'));
    const uplink = profile.devices.find((d) => d.locationPath === UPLINK)!;
    expect(uplink.netAdapter).toMatchObject({
      pnpDeviceId: 'MLX4\\CONNECTX-3_ETH&00000000\\2',
      interfaceDescription: 'Mellanox ConnectX-3 Ethernet Adapter #2',
    });
    expect(profile.host.vmSwitches!.find((w) => w.name === 'External')!.uplinks).toEqual([UPLINK]);
    expect(live.devices.find((d) => d.locationPath === UPLINK)!.lifelines.carriesSession).toBe(true);
    expect(comparable(replayed)).toEqual(comparable(live));
  }, 120_000);
});

describe('capture of a remote session', () => {
  it.each([['10.0.0.5'], [['10.0.0.5', '192.0.2.77']], [[]]] as Array<[string | string[]]>)(
    'arrived on %j: kept as such, and the replay judges the NICs the same',
    async (arrived) => {
      const state = freshState('lifelines-host', (s) => (s.host.sessionArrivedOn = arrived));
      const { live, replayed, profile } = await captureAndReplay(state, join(dir, 'arrival.json'));
      expect(profile.host.sessionArrivedOn).toEqual(arrived);
      expect(comparable(replayed)).toEqual(comparable(live));
    },
    120_000,
  );
});

describe('hostile and CJK names', () => {
  const names = {
    computer: `HV-测试-'x'`,
    vms: [`渲染-VM "1"; $(Remove-Item C:\\)`, "it's `$env:PATH` 虚拟机"],
    switch: `外部交换机 '$(whoami)'`,
    adapter: `管理网卡 "A" & <b>`,
    devices: [`显卡 NVIDIA "RTX" $(calc)`, `存储 'NVMe' ; exit`],
    disk: `磁盘 '0' $(x)`,
  };
  function hostile(): string {
    return freshState('lifelines-host', (s) => {
      s.host.computerName = names.computer;
      const sw = (s.host.vmSwitches as Array<{ name: string }>)[0]!;
      const oldSwitch = sw.name;
      sw.name = names.switch;
      s.vms.forEach((v, i) => {
        if (i < names.vms.length) v.name = names.vms[i]!;
        for (const n of (v.networkAdapters as Array<{ switchName: string | null }> | undefined) ?? [])
          if (n.switchName === oldSwitch) n.switchName = names.switch;
      });
      s.devices.forEach((d, i) => {
        if (i < names.devices.length) d.friendlyName = names.devices[i]!;
        const nic = d.netAdapter as { name: string } | undefined;
        if (i === 0 && nic) nic.name = names.adapter;
        const disks = d.disks as Array<{ friendlyName: string }> | undefined;
        if (disks?.[0]) disks[0].friendlyName = names.disk;
      });
    });
  }

  it('loads and replays exactly', async () => {
    const { live, replayed, text } = await captureAndReplay(hostile(), join(dir, 'hostile.json'));
    expect(live.host.computerName).toBe(names.computer);
    expect(live.vms.map((v) => v.name)).toEqual(expect.arrayContaining(names.vms));
    expect(text).toContain(JSON.stringify(names.switch).slice(1, -1));
    expect(comparable(replayed)).toEqual(comparable(live));
  }, 240_000);

  it('anonymized: none of the original names or instance ids is in the file; counts, types and verdicts are kept', async () => {
    const state = hostile();
    const { live, replayed, text, profile } = await captureAndReplay(state, join(dir, 'hostile-anon.json'), true);
    const originals = [
      names.computer,
      ...names.vms,
      names.switch,
      names.adapter,
      ...names.devices,
      names.disk,
      ...live.devices.map((d) => d.friendlyName),
      ...live.devices.map((d) => d.instanceId.slice(d.instanceId.lastIndexOf('\\') + 1)),
      ...live.vms.map((v) => v.name),
      ...live.vms.map((v) => v.id),
    ];
    for (const o of originals) {
      expect(text.toLowerCase(), o).not.toContain(o.toLowerCase());
      expect(text.toLowerCase(), o).not.toContain(JSON.stringify(o).slice(1, -1).toLowerCase());
    }
    expect((profile.capture as { anonymized: { kept: string[] } }).anonymized.kept.join(' ')).toMatch(/location paths/);
    const shape = (inv: Inventory) => ({
      devices: inv.devices.map((d) => [
        d.locationPath,
        d.pnpClass,
        d.verdict,
        d.facts,
        d.owner.kind,
        d.enabled,
        d.mmioMB,
      ]),
      vms: inv.vms.map((v) => [v.state, v.generation, v.assignedDevices.length]),
      lifelines: inv.devices.map((d) => [
        d.lifelines.ipAddresses,
        d.lifelines.vSwitches.map((s) => s.vms.length),
        d.lifelines.disks.length,
      ]),
    });
    expect(shape(replayed)).toEqual(shape(live));
  }, 240_000);
});

describe('on the command line', () => {
  it('dda host capture --out, then dda inventory --simulate <capture> gives the same inventory JSON', async () => {
    const lines: string[] = [];
    const io: Io = { out: (t) => lines.push(t), err: (t) => lines.push(t) };
    const state = freshState('ws2025-pools');
    const out = join(dir, 'cli-capture.json');
    expect(await main(['inventory', '--sim-state', state, '--json'], io)).toBe(0);
    const live = JSON.parse(lines.pop()!) as Inventory;
    expect(await main(['host', 'capture', '--sim-state', state, '--out', out], io)).toBe(0);
    expect(lines.join('\n')).toContain(`Wrote ${out}`);
    lines.length = 0;
    expect(await main(['inventory', '--simulate', out, '--json'], io)).toBe(0);
    expect(comparable(JSON.parse(lines.pop()!) as Inventory)).toEqual(comparable(live));
    // Never over an existing file (refused before the host is opened).
    expect(await main(['host', 'capture', '--sim-state', state, '--out', out], io)).toBe(2);
  }, 300_000);
});
