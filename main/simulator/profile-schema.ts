/** The simulator's host profile format (dda-studio/host-profile@1), as zod; unknown fields are kept. */
import { z } from 'zod';

const address = z.union([z.number().int().nonnegative(), z.string().regex(/^(0[xX][0-9A-Fa-f]+|\d+)$/, 'a number or a "0x..." hex string')]);
const intOrNull = z.number().int().nullable();

export const profileDeviceSchema = z.looseObject({
  instanceId: z.string().regex(/^PCI\\/i, 'must start with PCI\\'),
  friendlyName: z.string(),
  class: z.string(),
  locationPath: z.string().regex(/^PCIROOT/i, 'must start with PCIROOT'),
  enabled: z.boolean(),
  deviceType: intOrNull,
  baseClass: intOrNull,
  acsUpHierarchy: intOrNull,
  // pid 34 is DEVPROP_TYPE_BOOLEAN on a host (reference/pci-properties.json); older profiles say 0/1.
  requiresReservedMemoryRegion: z.union([z.boolean(), z.literal(0), z.literal(1)]).nullable(),
  irqs: z.array(z.number().int().nonnegative()),
  memoryRanges: z.array(z.object({ start: address, end: address })),
  hasMitigationDriver: z.boolean(),
  hostsSystemDisk: z.boolean(),
  isPrimaryDisplay: z.boolean(),
  /** The driver service (Get-PnpDevice .Service), e.g. nvlddmkm; Microsoft's DDA article filters on it. */
  service: z.string().optional(),
  /**
   * Windows Server 2025: the resource pool the device was added to (Add-VMHostAssignableDevice
   * -ResourcePoolName); it starts dismounted, and Get-VMHostAssignableDevice shows this ResourcePoolName
   * instead of "Primordial".
   */
  resourcePoolName: z.string().min(1).optional(),
});

export const profileVmSchema = z.looseObject({
  name: z.string().min(1),
  id: z.string(),
  state: z.enum(['Running', 'Off', 'Saved', 'Paused']),
  generation: z.union([z.literal(1), z.literal(2)]),
  automaticStopAction: z.enum(['TurnOff', 'Save', 'ShutDown']),
  guestControlledCacheTypes: z.boolean(),
  lowMemoryMappedIoSpace: address,
  highMemoryMappedIoSpace: address,
  /** Where the high MMIO gap starts, on a host whose Get-VM reports it (newer builds); absent: the default base. */
  highMemoryMappedIoBase: address.optional(),
  dynamicMemoryEnabled: z.boolean(),
  memoryStartup: address,
  memoryMinimum: address,
  checkpointType: z.string().optional(),
  /** Set-VM -AutomaticCheckpointsEnabled (Boolean); false when absent. */
  automaticCheckpointsEnabled: z.boolean().optional(),
  /** Get-VM's IsClustered: the VM is a failover cluster role; false when absent. */
  isClustered: z.boolean().optional(),
  /**
   * Windows Server 2025: assignments through a resource pool (Add-VMAssignableDevice -ResourcePoolName),
   * one pool name per entry. Guess (reference README): such an entry names no device (empty InstanceID
   * and LocationPath) until the VM runs.
   */
  poolAssignments: z.array(z.string().min(1)).optional(),
  guestOs: z.string().nullable().optional(),
  assignedDevices: z.array(z.string()),
  guestIgnoresShutdown: z.boolean().optional(),
});

export const hostProfileSchema = z.looseObject({
  schema: z.literal('dda-studio/host-profile@1'),
  host: z.looseObject({
    computerName: z.string().min(1),
    osCaption: z.string(),
    productType: z.enum(['ServerNT', 'LanmanNT', 'WinNT']),
    iovSupport: z.boolean(),
    iovSupportReasons: z.array(z.string()),
    osPcieControl: z.boolean(),
    iommuPolicyEnabled: z.boolean(),
    physicalAddressBits: z.number().int().min(32).max(64),
    requireDisableBeforeDismount: z.boolean(),
    requireVmOffForAssignment: z.boolean(),
    elevated: z.boolean(),
    /** Windows Server 2025: PciExpress resource pools (New-VMResourcePool -ResourcePoolType PciExpress), by name. */
    resourcePools: z.array(z.string().min(1)).optional(),
    /** The host's display language: FriendlyNames and error texts come in it (en-US when absent). */
    uiCulture: z.enum(['en-US', 'zh-CN']).optional(),
  }),
  devices: z.array(profileDeviceSchema),
  vms: z.array(profileVmSchema),
  faults: z
    .array(z.looseObject({ cmdlet: z.string(), match: z.string().optional(), message: z.string(), times: z.number().int().optional(), fullyQualifiedErrorId: z.string().optional() }))
    .optional(),
  latencyMs: z.record(z.string(), z.number().int().nonnegative()).optional(),
});
export type HostProfile = z.infer<typeof hostProfileSchema>;
