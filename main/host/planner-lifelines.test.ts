/**
 * The host's lifelines (issue 12): a NIC that carries the host's addresses or a vSwitch's uplink, a
 * storage controller with the host's disks. Inventories are built from raw facts shaped like
 * inventory.ps1's output for the lifelines-host profile (buildInventory is pure), so the mapping from
 * the host's facts to each device is tested together with the planner's rules.
 */
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../shared/inventory';
import { planIsRunnable, planSchema, type ConsentId, type Intent, type Plan } from '../../shared/plan';
import { buildInventory, type RawInventory } from './inventory-service';
import { memoryMeasurementStore } from './measurement-store';
import { planOperation } from './planner';
import { startedOperation } from './journal-record';
import { recoveryRefusal } from './recovery-checks';

const MGMT = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const UPLINK = 'PCIROOT(0)#PCI(0300)#PCI(0001)';
const SPARE = 'PCIROOT(0)#PCI(1C04)#PCI(0000)';
const NVME = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';
const AHCI = 'PCIROOT(0)#PCI(1700)';
const id = {
  mgmt: 'PCI\\VEN_8086&DEV_1572&SUBSYS_00028086&REV_02\\0000C9FFFF3B1A4000',
  uplink: 'PCI\\VEN_8086&DEV_1572&SUBSYS_00028086&REV_02\\0000C9FFFF3B1A4001',
  spare: 'PCI\\VEN_8086&DEV_1533&SUBSYS_00008086&REV_03\\4&2A9B1C3D&0&00E4',
  nvme: 'PCI\\VEN_144D&DEV_A824&SUBSYS_A812144D&REV_00\\4&3B7C2D1E&0&0008',
  ahci: 'PCI\\VEN_8086&DEV_A182&SUBSYS_07161028&REV_09\\3&11583659&0&B8',
};

const rawDevice = (instanceId: string, friendlyName: string, cls: string, locationPath: string, baseClass: number) => ({
  instanceId,
  friendlyName,
  class: cls,
  status: 'OK',
  disabled: false,
  locationPath,
  deviceType: 2,
  baseClass,
  acs: 3,
  rmrr: 0,
  irqs: [4294967294],
  memoryRanges: [{ start: '2684354560', end: '2684370943' }],
  resourcesKnown: true,
});
const vmRaw = (name: string, n: number) => ({
  name,
  id: `7b3e9a10-000${n}-4c2d-9e8f-0a1b2c3d4e0${n}`,
  state: 'Off',
  generation: 2,
  automaticStopAction: 'TurnOff',
  guestControlledCacheTypes: false,
  lowMemoryMappedIoSpace: 134217728,
  highMemoryMappedIoSpace: 536870912,
  dynamicMemoryEnabled: false,
  memoryStartup: 4294967296,
  memoryMinimum: 4294967296,
  checkpointType: 'Production',
  automaticCheckpointsEnabled: false,
  guestOs: null,
  assigned: [],
});

/** What inventory.ps1 reports on the lifelines-host profile (see inventory-lifelines.test.ts for the real run). */
function raw(change: (r: RawInventory) => void = () => {}): RawInventory {
  const r: RawInventory = {
    psEdition: 'Core',
    psVersion: '7.6.9',
    os: { caption: 'Microsoft Windows Server 2022 Datacenter', productType: 3, computerName: 'LIFELINE-HV' },
    hyperV: { present: true, iovSupport: true, iovSupportReasons: [], computerName: 'LIFELINE-HV' },
    platform: {
      elevated: true,
      iommuPolicyEnabled: true,
      osPcieControl: null,
      physicalAddressBits: 46,
      systemDiskInstanceIds: [id.ahci],
      systemDiskKnown: true,
      simulated: true,
    },
    devices: [
      rawDevice(id.mgmt, 'Intel(R) Ethernet Controller X710 for 10GbE SFP+', 'Net', MGMT, 2),
      rawDevice(id.uplink, 'Intel(R) Ethernet Controller X710 for 10GbE SFP+ #2', 'Net', UPLINK, 2),
      rawDevice(id.spare, 'Intel(R) I210 Gigabit Network Connection', 'Net', SPARE, 2),
      rawDevice(id.nvme, 'Samsung PM9A3 3.84TB (NVM Express)', 'SCSIAdapter', NVME, 1),
      rawDevice(id.ahci, 'Intel(R) C620 series chipset SATA AHCI Controller', 'HDC', AHCI, 1),
    ],
    hostAssignable: [],
    vms: [vmRaw('Web01', 1), vmRaw('Web02', 2), vmRaw('Lab-VM', 3)],
    lifelines: {
      networkKnown: true,
      nics: [
        { instanceId: id.mgmt, name: 'Management', ipAddresses: ['10.0.0.5'], vSwitches: [], carriesSession: false },
        {
          instanceId: id.uplink,
          name: 'Uplink',
          ipAddresses: [],
          vSwitches: [
            {
              name: 'External',
              switchType: 'External',
              vms: ['Web01', 'Web02'],
              managementOs: true,
              hostIpAddresses: ['10.0.1.5'],
            },
          ],
          carriesSession: false,
        },
        { instanceId: id.spare, name: 'Spare', ipAddresses: [], vSwitches: [], carriesSession: false },
      ],
      session: { remote: false, address: null, placed: false },
      storageKnown: true,
      disks: [
        {
          number: 1,
          friendlyName: 'SAMSUNG MZQL23T8HCLS-00A07',
          controller: id.nvme,
          isBoot: false,
          isSystem: false,
          volumes: ['D:', 'E:'],
          pageFile: false,
        },
        {
          number: 0,
          friendlyName: 'Micron 5300 480GB',
          controller: id.ahci,
          isBoot: true,
          isSystem: true,
          volumes: ['C:'],
          pageFile: true,
        },
      ],
    },
    notes: [],
  };
  change(r);
  return r;
}
const inv = (change?: (r: RawInventory) => void): Inventory =>
  buildInventory(raw(change), memoryMeasurementStore(), new Date('2026-11-30T00:00:00Z'));

function plan(intent: Intent, inventory: Inventory, ...consents: ConsentId[]): Plan {
  const p = planOperation(
    intent,
    inventory,
    { consents, startVmAfter: false },
    { planId: 'p1', now: '2026-11-30T00:00:00.000Z' },
  );
  expect(planSchema.parse(p)).toEqual(p);
  for (const c of p.consents) expect(c.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  if (p.blocked) expect(p.blocked.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  return p;
}
const assign = (locationPath: string, includeSiblings = false): Intent => ({
  kind: 'assign',
  locationPath,
  vmName: 'Lab-VM',
  includeSiblings,
});
const lifeline = (p: Plan) => p.consents.find((c) => c.id === 'take-host-lifeline');

describe('the inventory says what each device carries for the host', () => {
  it('NICs carry addresses and switch uplinks, controllers carry disks; other devices carry nothing, known', () => {
    const i = inv();
    const d = (path: string) => i.devices.find((x) => x.locationPath === path)!.lifelines;
    expect(d(MGMT)).toMatchObject({
      networkKnown: true,
      ipAddresses: ['10.0.0.5'],
      vSwitches: [],
      carriesSession: false,
    });
    expect(d(UPLINK).vSwitches).toEqual([
      { name: 'External', switchType: 'External', vms: ['Web01', 'Web02'], hostIpAddresses: ['10.0.1.5'] },
    ]);
    expect(d(SPARE)).toMatchObject({ ipAddresses: [], vSwitches: [], carriesSession: false, networkKnown: true });
    expect(d(NVME)).toMatchObject({
      storageKnown: true,
      disks: [{ number: 1, volumes: ['D:', 'E:'], isBoot: false, pageFile: false }],
    });
    expect(d(AHCI).disks[0]).toMatchObject({ isBoot: true, isSystem: true, pageFile: true });
  });

  it('a system disk that cannot be determined makes every storage controller unknown (not an empty list), NICs stay known', () => {
    const i = inv((r) => (r.platform!.systemDiskKnown = false));
    expect(i.devices.find((x) => x.locationPath === NVME)!.lifelines.storageKnown).toBe(false);
    expect(i.devices.find((x) => x.locationPath === MGMT)!.lifelines.networkKnown).toBe(true);
    expect(i.notes.join(' ')).toMatch(/system disk could not be determined/);
  });

  it('a host script without lifelines (older host module) leaves NICs and controllers unknown', () => {
    const i = inv((r) => delete r.lifelines);
    expect(i.devices.find((x) => x.locationPath === SPARE)!.lifelines).toMatchObject({
      networkKnown: false,
      carriesSession: null,
    });
    expect(i.devices.find((x) => x.locationPath === NVME)!.lifelines.storageKnown).toBe(false);
  });

  it('a remote session whose address is on no known adapter: every NIC may carry it (null)', () => {
    const i = inv((r) => (r.lifelines!.session = { remote: true, address: '10.9.9.9', placed: false }));
    expect(i.devices.find((x) => x.locationPath === MGMT)!.lifelines.carriesSession).toBeNull();
  });
});

describe("the planner guards the host's lifelines", () => {
  it('the management NIC needs take-host-lifeline naming its address; Run waits for it', () => {
    const p = plan(assign(MGMT), inv());
    expect(p.blocked).toBeNull();
    expect(lifeline(p)!.text.en).toContain('10.0.0.5');
    expect(lifeline(p)!.text['zh-CN']).toContain('10.0.0.5');
    expect(planIsRunnable(p)).toBe(false);
    expect(planIsRunnable(plan(assign(MGMT), inv(), 'take-host-lifeline'))).toBe(true);
    expect(p.warnings.map((w) => w.code)).toContain('host-network');
  });

  it('the vSwitch uplink names the switch, its VMs and the host address on it', () => {
    const p = plan(assign(UPLINK), inv());
    const text = lifeline(p)!.text;
    for (const s of ["'External'", 'Web01', 'Web02', '10.0.1.5']) {
      expect(text.en).toContain(s);
      expect(text['zh-CN']).toContain(s);
    }
    expect(text.en).not.toContain('10.0.0.5');
  });

  it('both ports together: one consent that names everything both carry', () => {
    const i = inv();
    // the card relation comes from location paths: the two X710 ports are siblings
    expect(i.devices.find((x) => x.locationPath === UPLINK)!.siblings).toEqual([MGMT]);
    const p = plan(assign(UPLINK, true), i);
    expect(p.consents.filter((c) => c.id === 'take-host-lifeline')).toHaveLength(1);
    expect(lifeline(p)!.text.en).toContain('10.0.0.5');
    expect(lifeline(p)!.text.en).toContain("'External'");
  });

  it('the spare NIC needs no lifeline consent', () => {
    const p = plan(assign(SPARE), inv());
    expect(p.blocked).toBeNull();
    expect(lifeline(p)).toBeUndefined();
    expect(planIsRunnable(p)).toBe(true);
  });

  it('the data NVMe needs the consent naming its disk and volumes', () => {
    const p = plan(assign(NVME), inv());
    expect(p.blocked).toBeNull();
    expect(lifeline(p)!.text.en).toMatch(/disk 1 SAMSUNG MZQL23T8HCLS-00A07 with D:, E:/);
    expect(lifeline(p)!.text['zh-CN']).toContain('D:、E:');
  });

  it('the boot/system disk controller stays refused', () => {
    expect(plan(assign(AHCI), inv()).blocked?.code).toBe('system-disk');
    // also when only the lifelines know it (the platform walk missed it)
    const p = plan(
      assign(AHCI),
      inv((r) => (r.platform!.systemDiskInstanceIds = [])),
    );
    expect(p.blocked?.code).toBe('system-disk');
  });

  it('a controller holding the page file is refused', () => {
    const p = plan(
      assign(NVME),
      inv((r) => (r.lifelines!.disks[0]!.pageFile = true)),
    );
    expect(p.blocked?.code).toBe('page-file');
    expect(p.blocked!.text.en).toContain('D:');
  });

  it('fail closed: storage controllers are refused while the system disk or the disks are unknown', () => {
    expect(
      plan(
        assign(NVME),
        inv((r) => (r.platform!.systemDiskKnown = false)),
      ).blocked?.code,
    ).toBe('storage-unknown');
    expect(
      plan(
        assign(NVME),
        inv((r) => (r.lifelines!.storageKnown = false)),
      ).blocked?.code,
    ).toBe('storage-unknown');
    // a NIC does not depend on the disks
    expect(
      plan(
        assign(SPARE),
        inv((r) => (r.lifelines!.storageKnown = false)),
      ).blocked,
    ).toBeNull();
  });

  it('fail closed: unreadable network facts make every NIC need the consent, saying it is unknown', () => {
    const p = plan(
      assign(SPARE),
      inv((r) => {
        r.lifelines!.networkKnown = false;
        r.lifelines!.nics = [];
      }),
    );
    expect(p.blocked).toBeNull();
    expect(lifeline(p)!.text.en).toMatch(/could not be read \(unknown\)/);
    expect(lifeline(p)!.text['zh-CN']).toContain('未知');
  });

  it("the NIC that carries DDA Studio's own remote session is refused", () => {
    const p = plan(
      assign(MGMT),
      inv((r) => {
        r.lifelines!.nics[0]!.carriesSession = true;
        r.lifelines!.session = { remote: true, address: '10.0.0.5', placed: true };
      }),
    );
    expect(p.blocked?.code).toBe('session-nic');
    expect(p.consents).toEqual([]);
  });

  it('a controller that is no NIC but carries one (a USB NIC behind its USB controller) guards what that NIC carries', () => {
    const XHCI = 'PCIROOT(0)#PCI(1400)';
    const xhci = 'PCI\\VEN_8086&DEV_A36D&SUBSYS_08631028&REV_10\\3&11583659&0&A0';
    const withUsbNic =
      (carriesSession: boolean) =>
      (r: RawInventory): void => {
        r.devices.push(rawDevice(xhci, 'Intel(R) USB 3.1 eXtensible Host Controller', 'USB', XHCI, 12));
        r.lifelines!.nics.push({
          instanceId: xhci,
          name: 'USB Ethernet',
          ipAddresses: ['192.168.8.20'],
          vSwitches: [],
          carriesSession,
        });
      };
    const p = plan(assign(XHCI), inv(withUsbNic(false)));
    expect(p.blocked).toBeNull();
    expect(lifeline(p)!.text.en).toContain('192.168.8.20');
    expect(p.warnings.map((w) => w.code)).toContain('host-network');
    expect(plan(assign(XHCI), inv(withUsbNic(true))).blocked?.code).toBe('session-nic');
    // A remote session that cannot be placed: refused as a NIC with host addresses is.
    const unplaced = (r: RawInventory) => {
      withUsbNic(false)(r);
      r.lifelines!.session = { remote: true, address: null, placed: false };
    };
    expect(plan(assign(XHCI), inv(unplaced)).blocked?.code).toBe('session-nic-unknown');
    // The network unreadable (no adapter traced): a USB controller may carry one, so it needs the consent.
    const unknown = (r: RawInventory) => {
      r.devices.push(rawDevice(xhci, 'Intel(R) USB 3.1 eXtensible Host Controller', 'USB', XHCI, 12));
      r.lifelines!.networkKnown = false;
      r.lifelines!.nics = [];
    };
    const u = plan(assign(XHCI), inv(unknown));
    expect(u.blocked).toBeNull();
    expect(lifeline(u)!.text.en).toMatch(/unknown/);
    // ...and a controller of another kind (the NVMe) does not.
    expect(
      lifeline(
        plan(
          assign(NVME),
          inv((r) => (r.lifelines!.networkKnown = false)),
        ),
      )!.text.en,
    ).not.toMatch(/network/i);
  });

  it('a remote session that cannot be placed: NICs with host addresses are refused, a NIC that carries none is not', () => {
    const unplaced = (r: RawInventory) => (r.lifelines!.session = { remote: true, address: null, placed: false });
    expect(plan(assign(MGMT), inv(unplaced)).blocked?.code).toBe('session-nic-unknown');
    expect(plan(assign(UPLINK), inv(unplaced)).blocked?.code).toBe('session-nic-unknown');
    expect(plan(assign(SPARE), inv(unplaced)).blocked).toBeNull();
  });
});

describe('recovery never takes a lifeline the planner refuses', () => {
  it('a journaled plan for the spare NIC is refused when the session now arrives on it, or for a controller now holding the page file', () => {
    const p = plan(assign(SPARE), inv());
    expect(planIsRunnable(p)).toBe(true);
    const rec = startedOperation('o1', p, '2026-11-30T00:00:00.000Z');
    expect(recoveryRefusal(rec, inv())).toBeNull();
    const now = inv((r) => {
      r.lifelines!.nics[2]!.carriesSession = true;
      r.lifelines!.session = { remote: true, address: '10.0.2.9', placed: true };
    });
    expect(recoveryRefusal(rec, now)).toMatch(/carries the connection DDA Studio is using/);
    // The same decision as the planner's: a NIC that now carries a host address needs the consent the plan lacks.
    const withIp = inv((r) => (r.lifelines!.nics[2]!.ipAddresses = ['10.0.2.9']));
    expect(recoveryRefusal(rec, withIp)).toMatch(
      /which the host itself uses, from the host, and the plan has no consent/,
    );
    const nvme = plan(assign(NVME), inv(), 'take-host-lifeline');
    const nvmeRec = { ...rec, plan: nvme };
    expect(recoveryRefusal(nvmeRec, inv())).toBeNull();
    expect(
      recoveryRefusal(
        nvmeRec,
        inv((r) => (r.lifelines!.disks[0]!.pageFile = true)),
      ),
    ).toMatch(/page file/);
  });
});
