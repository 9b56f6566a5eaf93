/** The simulator's host profile format (dda-studio/host-profile@1), as zod; unknown fields are kept. */
import { z } from 'zod';
import { assignmentRecordSchema } from '../../shared/assignment-record';
import { rememberedFactsSchema } from '../../shared/remembered-facts';

const address = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^(0[xX][0-9A-Fa-f]+|\d+)$/, 'a number or a "0x..." hex string'),
]);
const intOrNull = z.number().int().nullable();

/** An address of the host (MSFT_NetIPAddress IPAddress / PrefixLength); IPv6 link-local may carry %zone. */
const ipAddress = z.strictObject({
  address: z.string().regex(/^[0-9A-Fa-f:.]+(%\d+)?$/, 'an IPv4 or IPv6 address'),
  prefixLength: z.number().int().min(0).max(128),
});
const macAddress = z.string().regex(/^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){5}$/, 'a MAC address like 00-15-5D-0A-01-05');
/** The host's own adapter of a NIC (Get-NetAdapter: Name, InterfaceIndex, MacAddress; Get-NetIPAddress). */
const netAdapterSchema = z.strictObject({
  name: z.string().min(1),
  interfaceIndex: z.number().int().min(2),
  macAddress,
  ipAddresses: z.array(ipAddress),
  /**
   * The adapter's own device when it is not the PCI function itself but its child under the vendor's
   * bus driver (Get-NetAdapter's PnPDeviceID, e.g. a ConnectX-3 behind mlx4_bus); absent: the function.
   */
  pnpDeviceId: z
    .string()
    .regex(
      /^(?!PCIP?\\)([A-Za-z0-9_]+|\{[0-9A-Fa-f-]+\})\\.+\\.+$/i,
      'a PnP instance id that is not PCI\\ (BUS\\DEVICE\\INSTANCE; the bus may be a {GUID})',
    )
    .optional(),
  /** Get-NetAdapter's InterfaceDescription (and a vSwitch uplink's); absent: the device's friendlyName. */
  interfaceDescription: z.string().min(1).optional(),
});
/** A disk behind a storage controller (Get-Disk IsBoot/IsSystem, Get-Partition, Win32_PageFileUsage). */
const diskSchema = z.strictObject({
  number: z.number().int().nonnegative(),
  friendlyName: z.string(),
  isBoot: z.boolean(),
  isSystem: z.boolean(),
  /** The page file is on one of its lettered volumes. */
  pageFile: z.boolean(),
  partitions: z.array(
    z.strictObject({
      partitionNumber: z.number().int().positive(),
      driveLetter: z
        .string()
        .regex(/^[A-Za-z]$/)
        .nullable(),
      accessPaths: z.array(z.string()).optional(),
      isBoot: z.boolean(),
      isSystem: z.boolean(),
    }),
  ),
});
/** A Hyper-V virtual switch (Get-VMSwitch); uplinks name the PCI functions by location path. */
export const profileVmSwitchSchema = z.strictObject({
  name: z.string().min(1),
  id: z.uuid(),
  switchType: z.enum(['External', 'Internal', 'Private']),
  uplinks: z.array(z.string().regex(/^PCIROOT/i)),
  allowManagementOS: z.boolean(),
  /** The host's vNIC on the switch ("vEthernet (name)"), when allowManagementOS. */
  managementAdapter: z
    .strictObject({ interfaceIndex: z.number().int().min(2), macAddress, ipAddresses: z.array(ipAddress) })
    .optional(),
});

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
  /**
   * DEVPKEY_PciDevice_BarTypes (pciprop.h: one byte per BAR kind; bits 24-31 count 64-bit prefetchable
   * BARs). Absent: derived from the ranges (above 4 GiB 64-bit prefetchable, below non-prefetchable), as on
   * a host with Above 4G decoding; null: the device has no such property.
   */
  barTypes: z.number().int().min(0).max(0xffffffff).nullable().optional(),
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
  /** A NIC's adapter on the host (absent: the host has no adapter data for it). */
  netAdapter: netAdapterSchema.optional(),
  /** A storage controller's disks (absent: a hostsSystemDisk controller gets one system disk with C:). */
  disks: z.array(diskSchema).optional(),
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
  /** The VM's network adapters and the switch each is connected to (Get-VMNetworkAdapter). */
  networkAdapters: z
    .array(
      z.strictObject({ name: z.string().min(1), switchName: z.string().nullable(), macAddress: macAddress.optional() }),
    )
    .optional(),
});

export const hostProfileSchema = z
  .looseObject({
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
      /** Hyper-V virtual switches. */
      vmSwitches: z.array(profileVmSwitchSchema).optional(),
      /**
       * The host address a remote session arrived on (SSH_CONNECTION's server IP, or a WinRM URI's IP);
       * several: the candidates of a WinRM session by host name (the local ends of the listener's
       * connections); absent: a local session.
       */
      sessionArrivedOn: z.union([z.string(), z.array(z.string()).max(64)]).optional(),
    }),
    devices: z.array(profileDeviceSchema),
    vms: z.array(profileVmSchema),
    faults: z
      .array(
        z.looseObject({
          cmdlet: z.string(),
          match: z.string().optional(),
          message: z.string(),
          times: z.number().int().optional(),
          fullyQualifiedErrorId: z.string().optional(),
        }),
      )
      .optional(),
    latencyMs: z.record(z.string(), z.number().int().nonnegative()).optional(),
    /**
     * A deliberately broken host surface, for `dda doctor` (DdaSim.psm1 applies it): a simulated cmdlet
     * without one parameter set (applied when the module is imported), or a PCI property key handed out
     * as another DEVPROP type.
     */
    surfaceFaults: z
      .array(
        z.union([
          z.strictObject({ cmdlet: z.string().min(1), removeParameterSet: z.string().min(1) }),
          z.strictObject({
            pciProperty: z.string().regex(/^DEVPKEY_\w+$/),
            type: z.enum(['UInt32', 'Byte', 'Boolean', 'String']),
          }),
        ]),
      )
      .optional(),
    /** How the profile was made by `dda host capture` (what was read, anonymized or not); absent for hand-written ones. */
    capture: z.looseObject({}).optional(),
    /**
     * The host's Microsoft-Windows-Hyper-V-Worker-Admin log (Get-WinEvent), oldest first; the simulator's
     * Start-VM appends its refusals. data: the event's values (VM name, VM id, the HRESULT as Int32; a guess).
     */
    events: z
      .array(
        z.strictObject({
          id: z.number().int().nonnegative(),
          level: z.number().int().min(1).max(5),
          timeCreated: z.string().min(1),
          message: z.string(),
          data: z.array(z.union([z.string(), z.number().int(), z.null()])),
        }),
      )
      .optional(),
    /**
     * Not the host's state: what DDA Studio had recorded of this host before the change the profile shows
     * (a card moved, a VM deleted), written to the simulated host's data folder when its state file is made.
     */
    ddaStudioData: z
      .strictObject({
        assignments: z.array(assignmentRecordSchema),
        measurements: z.record(z.string(), rememberedFactsSchema).optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    // The lifeline facts must fit together as on a host: uplinks are devices of the profile, and disk
    // numbers and interface indexes are unique.
    const paths = new Set(p.devices.map((d) => d.locationPath.toUpperCase()));
    (p.host.vmSwitches ?? []).forEach((s, i) =>
      s.uplinks.forEach((u, j) => {
        if (!paths.has(u.toUpperCase()))
          ctx.addIssue({
            code: 'custom',
            path: ['host', 'vmSwitches', i, 'uplinks', j],
            message: 'must be the location path of a device of this profile',
          });
      }),
    );
    const numbers = p.devices.flatMap((d) => (d.disks ?? []).map((k) => k.number));
    if (new Set(numbers).size !== numbers.length)
      ctx.addIssue({ code: 'custom', path: ['devices'], message: 'disk numbers must be unique' });
    const indexes = [
      ...p.devices.flatMap((d) => (d.netAdapter ? [d.netAdapter.interfaceIndex] : [])),
      ...(p.host.vmSwitches ?? []).flatMap((s) => (s.managementAdapter ? [s.managementAdapter.interfaceIndex] : [])),
    ];
    if (new Set(indexes).size !== indexes.length)
      ctx.addIssue({ code: 'custom', path: ['devices'], message: 'interface indexes must be unique' });
    const childIds = p.devices.flatMap((d) =>
      d.netAdapter?.pnpDeviceId ? [d.netAdapter.pnpDeviceId.toUpperCase()] : [],
    );
    if (new Set(childIds).size !== childIds.length)
      ctx.addIssue({ code: 'custom', path: ['devices'], message: 'netAdapter.pnpDeviceId values must be unique' });
  });
export type HostProfile = z.infer<typeof hostProfileSchema>;
