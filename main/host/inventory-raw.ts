/** The raw facts inventory.ps1 returns, as zod reads them (nulls and PowerShell's scalar-or-array shapes included). */
import { z } from 'zod';

const num = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^-?\d+$/)
      .transform(Number),
  ])
  .nullable()
  .optional();
// DEVPKEY_PciDevice_RequiresReservedMemoryRegion is DEVPROP_TYPE_BOOLEAN on a host: .Data is [bool] and
// ConvertTo-Json writes true/false. The survey keeps SurveyDDA's "-ne 0" as a 0/1 flag; a number is
// accepted too (a profile or a capture written before the type was known).
const flag = z
  .union([z.boolean().transform((b) => (b ? 1 : 0)), z.number()])
  .nullable()
  .optional();
const rawDeviceSchema = z.object({
  instanceId: z.string(),
  friendlyName: z.string().nullable().optional(),
  class: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  disabled: z.boolean(),
  /** Windows has started it (no problem code); absent from hosts read before it was sent. */
  started: z.boolean().optional(),
  locationPath: z.string().nullable().optional(),
  deviceType: num,
  baseClass: num,
  acs: num,
  rmrr: flag,
  /** DEVPKEY_PciDevice_BarTypes (UINT32); absent from older scripts. */
  barTypes: num,
  irqs: z.array(z.number()).nullable().optional(),
  memoryRanges: z
    .array(z.object({ start: z.coerce.string(), end: z.coerce.string() }))
    .nullable()
    .optional(),
  resourcesKnown: z.boolean(),
});
// The host's lifelines as inventory.ps1 joins them (absent: a host script that predates them = unknown).
const rawLifelinesSchema = z.object({
  networkKnown: z.boolean(),
  nics: z.array(
    z.object({
      instanceId: z.string(),
      name: z.string().nullable().optional(),
      ipAddresses: z.array(z.string()),
      vSwitches: z.array(
        z.object({
          name: z.string(),
          switchType: z.string(),
          vms: z.array(z.string()),
          managementOs: z.boolean(),
          hostIpAddresses: z.array(z.string()),
        }),
      ),
      carriesSession: z.boolean(),
    }),
  ),
  session: z
    .object({ remote: z.boolean(), address: z.string().nullable().optional(), placed: z.boolean() })
    .nullable()
    .optional(),
  storageKnown: z.boolean(),
  disks: z.array(
    z.object({
      number: z.number(),
      friendlyName: z.string(),
      controller: z.string().nullable().optional(),
      isBoot: z.boolean(),
      isSystem: z.boolean(),
      volumes: z.array(z.string()),
      pageFile: z.boolean(),
    }),
  ),
});
/** The Hyper-V-Worker-Admin log's error events, raw (inventory.ps1 reads them; reconcile-service.ts reads them as start failures). */
export const rawStartFailuresSchema = z.object({
  readable: z.boolean(),
  events: z
    .array(
      z.object({
        id: z.number().int(),
        /** The event's level (2 Error, 4 Information); absent from hosts read before it was sent. */
        level: z.number().int().nullable().optional(),
        at: z.string().max(64).nullable().optional(),
        message: z.string().max(100_000).nullable().optional(),
        // An event's data is the host's to choose (a byte[] arrives as its numbers joined by spaces): a long
        // value or a long list is cut, never a reason to refuse the whole inventory. Only the VM's id and
        // the code are read from it, both short and first.
        data: z
          .array(z.union([z.number(), z.string().transform((v) => v.slice(0, 4000)), z.null()]))
          .transform((a) => a.slice(0, 64))
          .nullable()
          .optional(),
      }),
    )
    .max(1000),
});
export type RawStartFailures = z.infer<typeof rawStartFailuresSchema>;

export const rawSchema = z.object({
  psEdition: z.string(),
  psVersion: z.string(),
  os: z.object({ caption: z.string(), productType: z.number(), computerName: z.string() }).nullable().optional(),
  hyperV: z.object({
    present: z.boolean(),
    iovSupport: z.boolean().nullable().optional(),
    iovSupportReasons: z.array(z.string()).nullable().optional(),
    computerName: z.string().nullable().optional(),
  }),
  platform: z
    .object({
      elevated: z.boolean(),
      iommuPolicyEnabled: z.boolean().nullable().optional(),
      osPcieControl: z.boolean().nullable().optional(),
      physicalAddressBits: z.number().nullable().optional(),
      systemDiskInstanceIds: z.array(z.string()).nullable().optional(),
      systemDiskLocationPaths: z.array(z.string()).nullable().optional(),
      systemDiskKnown: z.boolean().nullable().optional(),
      simulated: z.boolean().nullable().optional(),
      windowsPowerShellCompat: z.boolean().nullable().optional(),
    })
    .nullable()
    .optional(),
  devices: z.array(rawDeviceSchema),
  /** The properties (deviceType, baseClass, acs, rmrr, paths) no call could read; absent from older scripts. */
  unreadableProps: z.array(z.string()).nullable().optional(),
  hostAssignable: z.array(
    z.object({ instanceId: z.string(), locationPath: z.string(), resourcePoolName: z.string().nullable().optional() }),
  ),
  vms: z.array(
    z.object({
      name: z.string(),
      id: z.string(),
      state: z.string(),
      generation: z.number(),
      automaticStopAction: z.string(),
      guestControlledCacheTypes: z.boolean(),
      lowMemoryMappedIoSpace: z.number(),
      highMemoryMappedIoSpace: z.number(),
      highMemoryMappedIoBase: z.number().nullable().optional(),
      dynamicMemoryEnabled: z.boolean(),
      memoryStartup: z.number(),
      memoryMinimum: z.number(),
      checkpointType: z.string().nullable().optional(),
      automaticCheckpointsEnabled: z.boolean().nullable().optional(),
      guestOs: z.string().nullable().optional(),
      isClustered: z.boolean().nullable().optional(),
      assigned: z.array(
        z.object({
          name: z.string(),
          instanceId: z.string(),
          locationPath: z.string(),
          resourcePoolName: z.string().nullable().optional(),
        }),
      ),
    }),
  ),
  lifelines: rawLifelinesSchema.nullable().optional(),
  // Absent from a host whose script predates it: the log counts as unreadable.
  startFailures: rawStartFailuresSchema.nullable().optional(),
  notes: z.array(z.string()),
});
export type RawInventory = z.infer<typeof rawSchema>;
