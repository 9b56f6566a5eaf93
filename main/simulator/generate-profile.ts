/** Deterministic large simulated hosts (hundreds of functions, dozens of VMs) for benchmarks. */
import type { HostProfile } from './profile-schema';

/** A seeded PRNG (mulberry32): the same seed gives the same host. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');

/** A host with `devices` PCI functions (on multi-function cards) and `vms` VMs; some devices assigned. */
export function generateProfile(opts: { devices: number; vms: number; seed?: number }): HostProfile {
  const rand = rng(opts.seed ?? 1);
  const devices: HostProfile['devices'] = [];
  const assigned: string[] = [];
  let card = 0;
  let mmio = 0xc000_0000;
  while (devices.length < opts.devices) {
    const functions = Math.min(1 + Math.floor(rand() * 4), opts.devices - devices.length);
    const bus = 1 + Math.floor(card / 32);
    const slot = card % 32;
    const roll = rand();
    for (let f = 0; f < functions; f++) {
      const locationPath = `PCIROOT(0)#PCI(${hex(bus, 2)}00)#PCI(${hex(slot, 2)}${hex(f, 2)})`;
      const size = 0x10000 * (1 + Math.floor(rand() * 64));
      // The first storage controller holds the host's system disk (every host has one), enabled, never assigned.
      const system = card === 2 && f === 0;
      const enabled = rand() > 0.05;
      devices.push({
        instanceId: `PCI\\VEN_${hex(0x8000 + (card % 4096), 4)}&DEV_${hex(0x1000 + f, 4)}&SUBSYS_00000000&REV_01\\4&${hex(card * 8 + f, 8)}&0&00${hex(f, 2)}`,
        friendlyName: `Generated Device ${card}.${f}`,
        class: ['Net', 'Display', 'SCSIAdapter', 'USB', 'MEDIA'][card % 5] ?? 'Net',
        locationPath,
        enabled: enabled || system,
        deviceType: roll < 0.8 ? 2 : roll < 0.9 ? 4 : 5,
        baseClass: 2,
        acsUpHierarchy: roll < 0.7 ? 3 : 0,
        requiresReservedMemoryRegion: rand() < 0.03,
        irqs: rand() < 0.05 ? [16] : [4294967294 - (devices.length % 4000)],
        memoryRanges: [{ start: `0x${hex(mmio, 9)}`, end: `0x${hex(mmio + size - 1, 9)}` }],
        hasMitigationDriver: roll < 0.6,
        hostsSystemDisk: system,
        isPrimaryDisplay: false,
      });
      mmio += size;
      if (rand() < 0.1 && !system) assigned.push(locationPath);
    }
    card++;
  }
  const vms: HostProfile['vms'] = Array.from({ length: opts.vms }, (_, i) => ({
    name: `VM-${String(i + 1).padStart(3, '0')}`,
    id: `00000000-0000-4000-8000-${hex(i + 1, 12)}`,
    state: i % 3 === 0 ? 'Running' : 'Off',
    generation: 2,
    automaticStopAction: 'TurnOff',
    guestControlledCacheTypes: false,
    lowMemoryMappedIoSpace: 134217728,
    highMemoryMappedIoSpace: 536870912,
    dynamicMemoryEnabled: false,
    memoryStartup: 4294967296,
    memoryMinimum: 4294967296,
    guestOs: 'Windows Server 2022',
    assignedDevices: [],
  }));
  assigned.forEach((path, i) => vms[i % Math.max(1, vms.length)]?.assignedDevices.push(path));
  return {
    schema: 'dda-studio/host-profile@1',
    host: {
      computerName: `GEN-${opts.devices}`,
      osCaption: 'Microsoft Windows Server 2025 Datacenter',
      productType: 'ServerNT',
      iovSupport: true,
      iovSupportReasons: [],
      osPcieControl: true,
      iommuPolicyEnabled: true,
      physicalAddressBits: 46,
      requireDisableBeforeDismount: true,
      requireVmOffForAssignment: true,
      elevated: true,
    },
    devices,
    vms,
    faults: [],
    latencyMs: {},
  };
}
