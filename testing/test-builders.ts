/**
 * Hand-built inventories and hosts for pure tests (the planner's, the reconciler's, the renderer's): a
 * device, a VM, an inventory and a host summary, each with defaults. Imports shared/ only, so renderer
 * tests use it too (renderer/ never imports main/).
 */
import type { HostSummary } from '../shared/contract';
import { LOCAL_HOST_ID } from '../shared/hosts';
import { noLifelines, type Device, type Inventory, type Vm } from '../shared/inventory';
import { MiB } from '../shared/mmio';

let seq = 0;

/** A securely assignable PCIe NIC on the host, measured live, carrying nothing the host uses. */
export function testDevice(path: string, over: Partial<Device> = {}): Device {
  const n = ++seq;
  const mmioMB = over.mmioMB === undefined ? 32 : over.mmioMB;
  const mmioLowMB = over.mmioLowMB === undefined ? 0 : over.mmioLowMB;
  return {
    instanceId: `PCI\\VEN_8086&DEV_${String(1000 + n)}&SUBSYS_00000000&REV_01\\4&${n}&0&00E0`,
    dismountedInstanceId: null,
    friendlyName: `Device ${path}`,
    pnpClass: 'Net',
    locationPath: path,
    card: null,
    siblings: [],
    owner: { kind: 'host' },
    enabled: true,
    mmioMB,
    mmioLowMB,
    // 32-bit BARs below 4 GiB, 64-bit ones above it: the high gap holds the rest (unless a test says otherwise)
    mmioHighMB: mmioMB === null ? null : mmioMB - (mmioLowMB ?? 0),
    lifelines: noLifelines(),
    verdict: { code: 'assignable' },
    facts: {
      deviceType: 2,
      baseClass: 2,
      acsUpHierarchy: 3,
      requiresReservedMemoryRegion: 0,
      disabled: false,
      irqs: [4294967294],
      memoryRanges: [],
      source: 'live',
      notes: [],
    },
    hostsSystemDisk: false,
    ...over,
  };
}

/** An Off Generation 2 VM with Hyper-V's defaults (stop action Save, 128 MB low / 512 MB high MMIO). */
export function testVm(name: string, over: Partial<Vm> = {}): Vm {
  return {
    name,
    id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    state: 'Off',
    generation: 2,
    automaticStopAction: 'Save',
    guestControlledCacheTypes: false,
    lowMemoryMappedIoSpace: 128 * MiB,
    highMemoryMappedIoSpace: 512 * MiB,
    highMemoryMappedIoBase: null,
    dynamicMemoryEnabled: false,
    memoryStartup: 4096 * MiB,
    memoryMinimum: 4096 * MiB,
    checkpointType: 'Production',
    automaticCheckpointsEnabled: false,
    guestOs: 'Windows Server 2022',
    assignedDevices: [],
    ...over,
  };
}

/** A ready Windows Server host (elevated, IOV, IOMMU, 46 address bits) with these devices and VMs. */
export function testInventory(
  devices: Device[],
  vms: Vm[],
  host: Partial<Inventory['host']> = {},
  readAt = '2026-11-25T00:00:00.000Z',
): Inventory {
  return {
    schema: 'dda-studio/inventory@1',
    readAt,
    host: {
      computerName: 'HV01',
      osCaption: 'Microsoft Windows Server 2022 Datacenter',
      productType: 3,
      isServerSku: true,
      hyperVPresent: true,
      iovSupport: true,
      iovSupportReasons: [],
      osPcieControl: true,
      iommuPolicyEnabled: true,
      elevated: true,
      physicalAddressBits: 46,
      psEdition: 'Core',
      psVersion: '7.6.9',
      simulated: true,
      ...host,
    },
    devices,
    vms,
    problems: [],
    notes: [],
  };
}

/** A connected host of the host list (the local one by its id, else an SSH host). */
export function testHostSummary(id: string, over: Partial<HostSummary> = {}): HostSummary {
  return {
    id,
    name: id,
    description: '',
    transport: id === LOCAL_HOST_ID ? 'local' : 'ssh',
    endpoint: 'full',
    state: 'connected',
    lastError: null,
    hasStoredPassword: false,
    readiness: null,
    unfinished: 0,
    target: null,
    ...over,
  };
}

/** Lets every queued task and promise run (no clock involved). */
export const flushTasks = () => new Promise<void>((r) => setTimeout(r, 0));
