/** The shape of capture.ps1's answer (what a host reports, before it becomes a profile). */
import { z } from 'zod';

const str = z.string();
const nstr = z.string().nullable();
export const captureFactsSchema = z.object({
  psEdition: str,
  psVersion: str,
  uiCulture: str,
  os: z.object({ caption: str, productType: z.number(), computerName: str }).nullable(),
  vmHost: z.object({ computerName: str, iovSupport: z.boolean(), iovSupportReasons: z.array(str) }).nullable(),
  platform: z
    .object({
      elevated: z.boolean().nullable(),
      iommuPolicyEnabled: z.boolean().nullable(),
      physicalAddressBits: z.number().nullable(),
      systemDiskInstanceIds: z.array(str),
    })
    .nullable(),
  session: z
    .object({ remote: z.boolean(), address: nstr, addresses: z.array(z.string().max(64)).max(64).optional() })
    .nullable(),
  devices: z.array(
    z.object({
      instanceId: str,
      friendlyName: str,
      originalName: nstr,
      class: str,
      service: nstr,
      problem: z.number(),
      properties: z.record(str, z.object({ type: str, dataType: str, data: z.unknown() })),
      irqs: z.array(z.number()),
      memoryRanges: z.array(z.object({ start: str, end: str })),
    }),
  ),
  hostAssignable: z.array(z.object({ instanceId: str, locationPath: str, resourcePoolName: str })),
  vms: z.array(
    z.object({
      name: str,
      id: str,
      state: str,
      generation: z.number(),
      automaticStopAction: str,
      guestControlledCacheTypes: z.boolean(),
      lowMemoryMappedIoSpace: str,
      highMemoryMappedIoSpace: str,
      highMemoryMappedIoBase: nstr,
      dynamicMemoryEnabled: z.boolean(),
      memoryStartup: str,
      memoryMinimum: str,
      checkpointType: nstr,
      automaticCheckpointsEnabled: z.boolean().nullable(),
      isClustered: z.boolean().nullable(),
      guestOs: nstr,
      assigned: z.array(z.object({ instanceId: str, locationPath: str, resourcePoolName: str })),
    }),
  ),
  switches: z.array(
    z.object({ name: str, id: str, switchType: str, uplinkDescriptions: z.array(str), allowManagementOS: z.boolean() }),
  ),
  vmNics: z.array(z.object({ vmName: str, name: str, switchName: nstr, macAddress: str, isManagementOs: z.boolean() })),
  adapters: z.array(
    z.object({
      name: str,
      description: str,
      interfaceIndex: z.number(),
      macAddress: str,
      pnpDeviceId: str,
      /** The PCI function the adapter is or sits below (absent: a host module older than this field). */
      pciFunction: nstr.optional(),
    }),
  ),
  addresses: z.array(z.object({ interfaceIndex: z.number(), address: str, prefixLength: z.number() })),
  disks: z.array(
    z.object({ number: z.number(), friendlyName: str, isBoot: z.boolean(), isSystem: z.boolean(), controller: nstr }),
  ),
  partitions: z.array(
    z.object({
      diskNumber: z.number(),
      partitionNumber: z.number(),
      driveLetter: nstr,
      accessPaths: z.array(str),
      isBoot: z.boolean(),
      isSystem: z.boolean(),
    }),
  ),
  pageFileLetters: z.array(str),
  notes: z.array(str),
});
export type CaptureFacts = z.infer<typeof captureFactsSchema>;
