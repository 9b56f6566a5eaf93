/**
 * The inventory contract: every PCI device with its survey verdict, every VM, and host readiness.
 * `dda inventory --json` prints exactly this; scripts depend on it, so keep it stable.
 */
import { z } from 'zod';
import { reconcileItemSchema } from './reconcile-item';
import { decodedStartFailureSchema } from './start-failure';

/** Survey verdict codes, from Microsoft's SurveyDDA rules plus the seed's correction (force-insecure). */
export const verdictCodes = [
  'assignable',
  'assignable-less-secure',
  'assignable-legacy-graphics',
  'force-insecure',
  'disabled-unknown',
  'not-assignable',
  'unknown',
] as const;
export const verdictCodeSchema = z.enum(verdictCodes);
export type VerdictCode = z.infer<typeof verdictCodeSchema>;

/** Why a device is not (securely) assignable. */
export const verdictReasons = [
  'rmrr',
  'acs-missing',
  'bios-pcie-control',
  'legacy-non-vga',
  'legacy-pci',
  'line-interrupts',
] as const;
export const verdictReasonSchema = z.enum(verdictReasons);
export type VerdictReason = z.infer<typeof verdictReasonSchema>;

export const verdictSchema = z.object({
  code: verdictCodeSchema,
  reason: verdictReasonSchema.optional(),
  /** True when the verdict rests on an earlier measurement (the device is away from the host, disabled or not started). */
  remembered: z.boolean().optional(),
});
export type Verdict = z.infer<typeof verdictSchema>;

/** Who holds a device now. */
export const ownerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host') }),
  z.object({ kind: z.literal('dismounted') }),
  z.object({ kind: z.literal('vm'), vmName: z.string() }),
]);
export type Owner = z.infer<typeof ownerSchema>;

/** One memory range the device decodes (addresses as decimal strings: they exceed 2^53). */
export const memoryRangeSchema = z.object({ start: z.string(), end: z.string() });

/** The survey's device properties, by their names in SurveyFacts. */
export const surveyFactNames = ['deviceType', 'baseClass', 'acsUpHierarchy', 'requiresReservedMemoryRegion'] as const;
export type SurveyFactName = (typeof surveyFactNames)[number];

/**
 * The raw survey facts behind a verdict; null means the device has no such property, or (listed in
 * `unreadable`) that the call asking for it failed.
 */
export const surveyFactsSchema = z.object({
  deviceType: z.number().int().nullable(),
  baseClass: z.number().int().nullable(),
  acsUpHierarchy: z.number().int().nullable(),
  requiresReservedMemoryRegion: z.number().int().nullable(),
  /** DEVPKEY_PciDevice_BarTypes (the BAR kinds; shared/survey.ts has64BitPrefetchableBar); null or absent: unknown. */
  barTypes: z.number().int().nullable().optional(),
  /** The properties above that are null because no call could read them (absent: all were read). */
  unreadable: z.array(z.enum(surveyFactNames)).optional(),
  disabled: z.boolean(),
  /** Allocated IRQ numbers; message-signalled ones are huge numbers starting 42949... */
  irqs: z.array(z.number()).nullable(),
  memoryRanges: z.array(memoryRangeSchema).nullable(),
  /** Where the measurement came from: read now, remembered from an earlier read, or none. */
  source: z.enum(['live', 'remembered', 'none']),
  /** ISO time of the measurement, when remembered. */
  measuredAt: z.string().optional(),
  notes: z.array(z.string()),
});
export type SurveyFacts = z.infer<typeof surveyFactsSchema>;

/** A Hyper-V virtual switch a NIC is the uplink of, and who is on it. */
export const lifelineSwitchSchema = z.object({
  name: z.string(),
  switchType: z.string(),
  /** VMs with a network adapter connected to the switch. */
  vms: z.array(z.string()),
  /** The host's own addresses on the switch (its vNIC, when the switch allows the management OS). */
  hostIpAddresses: z.array(z.string()),
});
export type LifelineSwitch = z.infer<typeof lifelineSwitchSchema>;

/** A disk behind a storage controller, as the host uses it. */
export const lifelineDiskSchema = z.object({
  number: z.number().int(),
  friendlyName: z.string(),
  isBoot: z.boolean(),
  isSystem: z.boolean(),
  /** Mounted volumes: drive letters ("D:") and folder mount points. */
  volumes: z.array(z.string()),
  pageFile: z.boolean(),
});
export type LifelineDisk = z.infer<typeof lifelineDiskSchema>;

/**
 * What the host itself loses if this function is taken: its addresses, the virtual switches it is the
 * uplink of (and their VMs), the remote session DDA Studio runs over, its disks and volumes. Facts that
 * could not be read are unknown (the *Known flags), never an empty list.
 */
export const lifelinesSchema = z.object({
  /** NICs: adapters, addresses and switches were read (false: this NIC may carry any of them). */
  networkKnown: z.boolean(),
  /** The host's own addresses on this NIC (link-local ones left out). */
  ipAddresses: z.array(z.string()),
  vSwitches: z.array(lifelineSwitchSchema),
  /** Carries DDA Studio's own remote session; null: a remote session whose NIC could not be told. */
  carriesSession: z.boolean().nullable(),
  /** Storage controllers: disks, partitions and the system disk were read (false: unknown). */
  storageKnown: z.boolean(),
  disks: z.array(lifelineDiskSchema),
});
export type Lifelines = z.infer<typeof lifelinesSchema>;

/** Lifelines of a device the host does not need (known, nothing carried): for fixtures and non-NICs. */
export function noLifelines(): Lifelines {
  return { networkKnown: true, ipAddresses: [], vSwitches: [], carriesSession: false, storageKnown: true, disks: [] };
}

/** The PnP classes and PCI base classes of NICs and storage controllers (lifelines apply to them). */
export function isNetworkDevice(d: { pnpClass: string | null; facts: { baseClass: number | null } }): boolean {
  return d.pnpClass === 'Net' || d.facts.baseClass === 2;
}
export function isStorageController(d: { pnpClass: string | null; facts: { baseClass: number | null } }): boolean {
  return d.pnpClass === 'SCSIAdapter' || d.pnpClass === 'HDC' || d.facts.baseClass === 1;
}

export const deviceSchema = z.object({
  /** The PCI\ instance id (even while dismounted, when the PCIP\ twin exists). */
  instanceId: z.string(),
  /** The PCIP\ twin's id while dismounted or assigned. */
  dismountedInstanceId: z.string().nullable(),
  friendlyName: z.string(),
  pnpClass: z.string().nullable(),
  /** The stable name of the device: DEVPKEY_Device_LocationPaths' PCIROOT entry. */
  locationPath: z.string().nullable(),
  /** The card: location path without its last function, and this device's function number. */
  card: z.object({ path: z.string(), functionNumber: z.number().int() }).nullable(),
  /** Location paths of the other functions of the same card. */
  siblings: z.array(z.string()),
  owner: ownerSchema,
  enabled: z.boolean(),
  /** MMIO need in whole MB, exactly as the survey computes it; null when unknown. */
  mmioMB: z.number().int().nullable(),
  /** The part of mmioMB below 4 GiB, which the VM's low MMIO gap must hold; null when unknown. */
  mmioLowMB: z.number().int().nullable(),
  /**
   * The part of mmioMB the VM's high MMIO gap must hold (shared/survey.ts mmioHighNeedMB: above 4 GiB, and
   * below it too for a device with 64-bit BARs or unknown BAR types); null when unknown.
   */
  mmioHighMB: z.number().int().nullable(),
  verdict: verdictSchema,
  facts: surveyFactsSchema,
  /** The controller of the host's system / boot disk: never assign it. */
  hostsSystemDisk: z.boolean(),
  /**
   * The resource pool a dismounted device was added to (Windows Server 2022 and 2025,
   * Add-VMHostAssignableDevice -ResourcePoolName; Get-VMHostAssignableDevice's ResourcePoolName); null or
   * absent for the default pool "Primordial". A pool member is not an orphan and is never mounted back.
   */
  resourcePoolName: z.string().nullable().optional(),
  /** What the host loses with this device (NICs and storage controllers; empty and known for others). */
  lifelines: lifelinesSchema,
});
export type Device = z.infer<typeof deviceSchema>;

export const vmStates = ['Running', 'Off', 'Saved', 'Paused', 'Starting', 'Stopping', 'Other'] as const;

export const assignedDeviceSchema = z.object({
  /** The entry's location path; for a stale entry the one recorded when it was added, if known. */
  locationPath: z.string(),
  /** The host's PCIP\ id; empty for a stale entry whose physical device is gone. */
  instanceId: z.string(),
  name: z.string(),
  /** The physical device is gone (slot move, hardware swap). */
  stale: z.boolean(),
  /** The same path is held twice in this VM or also by another VM. */
  duplicate: z.boolean(),
  /**
   * The resource pool the entry was assigned through (Windows Server 2022 and 2025 references,
   * Add-VMAssignableDevice -ResourcePoolName); null for a direct assignment (pool "Primordial" or none).
   * A pool entry is never stale and repair never removes it. Absent in inventories made before pools.
   */
  resourcePoolName: z.string().nullable().optional(),
});
export type AssignedDevice = z.infer<typeof assignedDeviceSchema>;

export const vmSchema = z.object({
  name: z.string(),
  id: z.string(),
  state: z.string(),
  generation: z.number().int(),
  automaticStopAction: z.string(),
  guestControlledCacheTypes: z.boolean(),
  lowMemoryMappedIoSpace: z.number(),
  highMemoryMappedIoSpace: z.number(),
  /** Where the high MMIO gap starts (Get-VM HighMemoryMappedIoBaseAddress, newer builds); null when the host does not say. */
  highMemoryMappedIoBase: z.number().nullable(),
  dynamicMemoryEnabled: z.boolean(),
  memoryStartup: z.number(),
  memoryMinimum: z.number(),
  checkpointType: z.string().nullable(),
  automaticCheckpointsEnabled: z.boolean().nullable(),
  guestOs: z.string().nullable(),
  /** Get-VM's IsClustered: the VM is a cluster role (it cannot live-migrate while it holds a device); null: unknown. */
  isClustered: z.boolean().nullable().optional(),
  assignedDevices: z.array(assignedDeviceSchema),
  /** The VM's last start failure (Hyper-V-Worker-Admin log), decoded; absent when none was read. */
  lastStartFailure: decodedStartFailureSchema.nullable().optional(),
});
export type Vm = z.infer<typeof vmSchema>;

export const hostReadinessSchema = z.object({
  computerName: z.string(),
  osCaption: z.string().nullable(),
  /** Win32_OperatingSystem.ProductType: 1 workstation, 2 domain controller, 3 server. */
  productType: z.number().int().nullable(),
  isServerSku: z.boolean().nullable(),
  hyperVPresent: z.boolean(),
  iovSupport: z.boolean().nullable(),
  iovSupportReasons: z.array(z.string()),
  /** Firmware lets Windows control PCIe (null: unknown). */
  osPcieControl: z.boolean().nullable(),
  /** bcdedit hypervisoriommupolicy where readable. */
  iommuPolicyEnabled: z.boolean().nullable(),
  elevated: z.boolean(),
  physicalAddressBits: z.number().int().nullable(),
  psEdition: z.string(),
  psVersion: z.string(),
  simulated: z.boolean(),
  /**
   * PowerShell 7 runs the host's Hyper-V module through Windows PowerShell compatibility (Windows Server
   * 2016): its objects arrive deserialized, so nothing may change the host from this engine. Absent: no.
   */
  windowsPowerShellCompat: z.boolean().optional(),
});
export type HostReadiness = z.infer<typeof hostReadinessSchema>;

export const hygieneProblemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('orphan'), locationPath: z.string() }),
  z.object({ kind: z.literal('stale'), vmName: z.string(), locationPath: z.string() }),
  z.object({ kind: z.literal('duplicate'), vmNames: z.array(z.string()), locationPath: z.string() }),
]);
export type HygieneProblem = z.infer<typeof hygieneProblemSchema>;

export const inventorySchema = z.object({
  schema: z.literal('dda-studio/inventory@1'),
  readAt: z.string(),
  host: hostReadinessSchema,
  devices: z.array(deviceSchema),
  vms: z.array(vmSchema),
  problems: z.array(hygieneProblemSchema),
  /** What changed since DDA Studio last saw the host, each with its fix (reconcile on connect; absent: not reconciled). */
  reconcile: z.array(reconcileItemSchema).optional(),
  /** Degradations: a class or property that could not be read, and what it affects. */
  notes: z.array(z.string()),
});
export type Inventory = z.infer<typeof inventorySchema>;
