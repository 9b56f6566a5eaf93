/**
 * buildInventory on hand-written raw facts (what inventory.ps1 returns): what is remembered of a device
 * when some property call failed, and the read of a host whose records cannot be saved.
 */
import { describe, expect, it } from 'vitest';
import { buildInventory, type InventoryRead } from './inventory-service';
import { rawSchema } from './inventory-raw';
import { memoryMeasurementStore } from './measurement-store';
import { readReconciledInventory } from './reconcile-service';
import { memoryAssignmentStore } from './assignment-store';

const PATH = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const ID = 'PCI\\VEN_10DE&DEV_1EB8&SUBSYS_12A210DE&REV_A1\\4&1&0&0018';
const now = new Date('2026-12-01T00:00:00.000Z');
/** Where HV01 keeps the GPU's measurement. */
const KEPT = `HV01|${PATH}`;

/** The raw facts of a host with one GPU, on the host (or dismounted), some properties unreadable. */
function raw(device: Record<string, unknown>, unreadableProps: string[], dismounted = false) {
  return rawSchema.parse({
    psEdition: 'Desktop',
    psVersion: '5.1.20348.2849',
    hyperV: { present: true, iovSupport: true, iovSupportReasons: [], computerName: 'HV01' },
    devices: [
      {
        instanceId: dismounted ? ID.replace(/^PCI\\/, 'PCIP\\') : ID,
        friendlyName: 'NVIDIA Tesla T4',
        class: 'Display',
        disabled: false,
        started: true,
        locationPath: dismounted ? null : PATH,
        deviceType: 2,
        baseClass: 3,
        acs: 3,
        rmrr: false,
        barTypes: 2 * 2 ** 24 + 256,
        irqs: [4294967294],
        memoryRanges: [
          { start: String(0xf6000000), end: String(0xf6ffffff) },
          { start: String(0x3800000000), end: String(0x380fffffff) },
        ],
        resourcesKnown: !dismounted,
        ...device,
      },
    ],
    unreadableProps,
    hostAssignable: dismounted ? [{ instanceId: ID.replace(/^PCI\\/, 'PCIP\\'), locationPath: PATH }] : [],
    vms: [],
    notes: [],
  });
}

describe('what is remembered of a device when a property call failed', () => {
  it("a device's own BarTypes is kept even when the call failed for other devices", () => {
    const memory = memoryMeasurementStore();
    buildInventory(raw({}, ['barTypes']), memory, now);
    expect(memory.get(KEPT)!.barTypes).toBe(2 * 2 ** 24 + 256);
    // its call failed: the value remembered before stands
    buildInventory(raw({ barTypes: null }, ['barTypes']), memory, now);
    expect(memory.get(KEPT)!.barTypes).toBe(2 * 2 ** 24 + 256);
  });

  it('an RMRR flag unreadable at the only measurement stays unknown once the device is away, never "absent"', () => {
    const memory = memoryMeasurementStore();
    const first = buildInventory(raw({ rmrr: null }, ['rmrr']), memory, now);
    expect(first.devices[0]!.verdict).toEqual({ code: 'unknown' });
    expect(memory.get(KEPT)).toMatchObject({
      requiresReservedMemoryRegion: null,
      unreadable: ['requiresReservedMemoryRegion'],
    });
    // dismounted now: its twin has no such properties, the measurement stands, and so does what it lacked
    const away = buildInventory(
      raw({ rmrr: null, deviceType: null, baseClass: null, acs: null }, [], true),
      memory,
      now,
    );
    expect(away.devices[0]!.owner).toEqual({ kind: 'dismounted' });
    expect(away.devices[0]!.verdict).toEqual({ code: 'unknown', remembered: true });
    expect(away.devices[0]!.facts.unreadable).toEqual(['requiresReservedMemoryRegion']);
    // read well on the host again: the record is rewritten, nothing unreadable
    buildInventory(raw({}, []), memory, now);
    expect(memory.get(KEPT)!.unreadable).toBeUndefined();
    expect(memory.get(KEPT)!.requiresReservedMemoryRegion).toBe(0);
  });
});

describe('a host read whose records cannot be saved (a file Windows keeps locked)', () => {
  it('is a note, not a failed read', async () => {
    const read = async (): Promise<InventoryRead> => ({
      inventory: buildInventory(raw({}, []), memoryMeasurementStore(), now),
      startFailures: null,
    });
    const store = {
      ...memoryAssignmentStore(),
      write: () => {
        throw new Error('EBUSY: resource busy or locked, rename');
      },
    };
    const inv = await readReconciledInventory(read, store, () => now);
    expect(inv.devices).toHaveLength(1);
    expect(inv.notes).toContain('The assignments seen could not be saved: EBUSY: resource busy or locked, rename');
  });
});

describe('a measurement belongs to the computer and the card that it measured', () => {
  /** The GPU on HV01 or another computer, on the host or dismounted. */
  const on = (computerName: string, dismounted: boolean, device: Record<string, unknown> = {}) => {
    const r = raw(device, [], dismounted);
    r.hyperV.computerName = computerName;
    return r;
  };

  it("is kept under the computer's name; another computer's is never used (a roaming data folder, identical servers)", () => {
    const memory = memoryMeasurementStore();
    buildInventory(on('HV01', false), memory, now);
    expect(memory.get(KEPT)?.memoryRanges).toHaveLength(2);
    expect(memory.get(KEPT)?.model).toBe('VEN_10DE&DEV_1EB8&SUBSYS_12A210DE');
    expect(memory.get(PATH)).toBeUndefined();
    // HV02 has its own card in the same slot, dismounted before it was ever measured there
    const there = buildInventory(on('HV02', true), memory, now).devices[0]!;
    expect(there.facts.source).toBe('none');
    expect(there.mmioMB).toBeNull();
    // on HV01 itself (any case) its own measurement sizes the dismounted card
    expect(buildInventory(on('hv01', true), memory, now).devices[0]!.facts.source).toBe('remembered');
  });

  it('nothing is kept under a name that could not be read', () => {
    const memory = memoryMeasurementStore();
    buildInventory(on('localhost', false), memory, now);
    expect(memory.get(PATH)).toBeUndefined();
    expect(memory.get(`LOCALHOST|${PATH}`)).toBeUndefined();
  });

  it('one kept by path alone (before names were) is used for the same model only, and dropped once this computer measures it', () => {
    const memory = memoryMeasurementStore();
    buildInventory(on('HV01', false), memory, now);
    const legacy = { ...memory.get(KEPT)! };
    memory.forget(KEPT);
    const { model: _, ...withoutModel } = legacy;
    memory.set(PATH, withoutModel);
    expect(buildInventory(on('HV01', true), memory, now).devices[0]!.facts.source).toBe('remembered');
    // a measurement of another model in that slot is not this card's
    memory.set(PATH, { ...legacy, model: 'VEN_8086&DEV_1572&SUBSYS_00018086' });
    expect(buildInventory(on('HV01', true), memory, now).devices[0]!.facts.source).toBe('none');
    // measured on the host again: kept under the name, the path-only one dropped
    buildInventory(on('HV01', false), memory, now);
    expect(memory.get(PATH)).toBeUndefined();
    expect(memory.get(KEPT)?.model).toBe('VEN_10DE&DEV_1EB8&SUBSYS_12A210DE');
  });
});

describe("a dismounted device's name", () => {
  it("is its twin's without the suffix Windows adds in the host's language, whatever the language", () => {
    const name = (friendlyName: string, dismounted: boolean) =>
      buildInventory(raw({ friendlyName }, [], dismounted), memoryMeasurementStore(), now).devices[0]!.friendlyName;
    expect(name('NVIDIA Tesla T4 - Dismounted', true)).toBe('NVIDIA Tesla T4');
    expect(name('NVIDIA Tesla T4 - 已卸除', true)).toBe('NVIDIA Tesla T4');
    // the German and Japanese words are made up here (no source gives them): any last " - " part goes
    expect(name('NVIDIA Tesla T4 - PCIe - Getrennt', true)).toBe('NVIDIA Tesla T4 - PCIe');
    expect(name('NVIDIA Tesla T4 - マウント解除', true)).toBe('NVIDIA Tesla T4');
    // a device on the host keeps its whole name
    expect(name('NVIDIA Tesla T4 - PCIe', false)).toBe('NVIDIA Tesla T4 - PCIe');
  });
});
