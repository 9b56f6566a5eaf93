/**
 * Turns what a host reported (capture.ps1) into a simulator profile (dda-studio/host-profile@1) that
 * replays it: `dda inventory --simulate capture.json` gives the inventory the host gave. What no
 * read-only cmdlet reports (how the host would answer a change) is set to the stricter choice and
 * listed under capture.assumed, so whoever replays it knows.
 */
import { hostProfileSchema, type HostProfile } from '../simulator/profile-schema';
import type { CaptureFacts } from './capture-facts';

const PRODUCT_TYPES: Record<number, 'WinNT' | 'LanmanNT' | 'ServerNT'> = { 1: 'WinNT', 2: 'LanmanNT', 3: 'ServerNT' };
const KEY = {
  deviceType: '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  1',
  baseClass: '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  3',
  acs: '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  31',
  rmrr: '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  34',
  barTypes: '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  16',
  paths: 'DEVPKEY_Device_LocationPaths',
} as const;
/** The keys capture.ps1 reads on every PCI function (the ones inventory.ps1 reads). */
export const CAPTURE_PROPERTY_KEYS = Object.values(KEY);

/** The facts a read-only capture cannot see, with the value the profile takes for each. */
export const ASSUMED = [
  'host.osPcieControl: true (the firmware handed PCIe control to the OS; a dismount will show it)',
  'host.requireDisableBeforeDismount and host.requireVmOffForAssignment: true (the stricter host)',
  'devices[].hasMitigationDriver: true, isPrimaryDisplay: false (a dismount will show them)',
  'a dismounted device (PCIP\\): disabled before its dismount, as DDA Studio does it',
] as const;

/** A number when it is exact in JSON, else the decimal string the profile also accepts. */
function address(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : text;
}
const asNumber = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null);
function asFlag(v: unknown): boolean | 0 | 1 | null {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v;
  return typeof v === 'number' ? v !== 0 : null;
}
const pciId = (id: string) => (/^PCIP\\/i.test(id) ? `PCI\\${id.slice(5)}` : id);
const same = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.toUpperCase() === b.toUpperCase();

type Adapter = CaptureFacts['adapters'][number];
/**
 * The PCI function an adapter is or sits below (a NIC behind its vendor's bus driver), or null (virtual).
 * A PCI\\ adapter is its own function, also when the walk failed or an older host module sent none.
 */
const functionOf = (a: Adapter): string | null =>
  a.pciFunction ?? (/^PCI\\/i.test(a.pnpDeviceId) ? a.pnpDeviceId : null);

function ipsOf(f: CaptureFacts, index: number) {
  return f.addresses
    .filter((a) => a.interfaceIndex === index)
    .map((a) => ({ address: a.address, prefixLength: a.prefixLength }));
}

function devicesOf(f: CaptureFacts, notes: string[]) {
  const systemDisk = new Set((f.platform?.systemDiskInstanceIds ?? []).map((i) => i.toUpperCase()));
  const pageLetters = new Set(f.pageFileLetters.map((l) => l.toUpperCase()));
  const out = [];
  for (const d of f.devices) {
    const paths = d.properties[KEY.paths]?.data;
    const locationPath = (Array.isArray(paths) ? paths : [paths]).find(
      (p): p is string => typeof p === 'string' && /^PCIROOT/i.test(p),
    );
    if (!locationPath) {
      notes.push(`A PCI function without a PCIROOT location path is left out (${d.class}).`);
      continue;
    }
    const dismounted = /^PCIP\\/i.test(d.instanceId);
    const instanceId = pciId(d.instanceId);
    const pool = f.hostAssignable.find(
      (h) => same(h.locationPath, locationPath) && h.resourcePoolName && h.resourcePoolName !== 'Primordial',
    );
    const carried = f.adapters.filter((a) => same(functionOf(a), instanceId));
    const adapter = carried[0];
    if (carried.length > 1)
      notes.push(
        `${locationPath} carries ${carried.length} network adapters; the profile keeps the first (${adapter!.name}).`,
      );
    const disks = f.disks
      .filter((k) => same(k.controller, instanceId))
      .map((k) => {
        const parts = f.partitions.filter((p) => p.diskNumber === k.number);
        return {
          number: k.number,
          friendlyName: k.friendlyName,
          isBoot: k.isBoot,
          isSystem: k.isSystem,
          pageFile: parts.some((p) => p.driveLetter !== null && pageLetters.has(p.driveLetter.toUpperCase())),
          partitions: parts.map((p) => ({
            partitionNumber: p.partitionNumber,
            driveLetter: p.driveLetter,
            ...(p.accessPaths.length ? { accessPaths: p.accessPaths } : {}),
            isBoot: p.isBoot,
            isSystem: p.isSystem,
          })),
        };
      });
    if (dismounted && d.originalName === null)
      notes.push(`The name of dismounted ${locationPath} is its PCIP\\ entry's (the PCI\\ entry was not found).`);
    out.push({
      instanceId,
      friendlyName: dismounted ? (d.originalName ?? d.friendlyName) : d.friendlyName,
      class: d.class,
      locationPath,
      enabled: !dismounted && d.problem !== 22,
      ...(dismounted ? { dismounted: true } : {}),
      deviceType: asNumber(d.properties[KEY.deviceType]?.data),
      baseClass: asNumber(d.properties[KEY.baseClass]?.data),
      acsUpHierarchy: asNumber(d.properties[KEY.acs]?.data),
      requiresReservedMemoryRegion: asFlag(d.properties[KEY.rmrr]?.data),
      // the host's own BAR types (null: it had none), never derived from the ranges on replay
      barTypes: asNumber(d.properties[KEY.barTypes]?.data),
      irqs: d.irqs,
      memoryRanges: d.memoryRanges.map((m) => ({ start: address(m.start), end: address(m.end) })),
      hasMitigationDriver: true,
      hostsSystemDisk: systemDisk.has(instanceId.toUpperCase()),
      isPrimaryDisplay: false,
      ...(d.service ? { service: d.service } : {}),
      ...(pool ? { resourcePoolName: pool.resourcePoolName } : {}),
      ...(adapter
        ? {
            netAdapter: {
              name: adapter.name,
              interfaceIndex: adapter.interfaceIndex,
              macAddress: adapter.macAddress,
              ipAddresses: ipsOf(f, adapter.interfaceIndex),
              ...(same(adapter.pnpDeviceId, instanceId) ? {} : { pnpDeviceId: adapter.pnpDeviceId }),
              ...(adapter.description && adapter.description !== d.friendlyName
                ? { interfaceDescription: adapter.description }
                : {}),
            },
          }
        : {}),
      ...(disks.length ? { disks } : {}),
      /** The PnP properties as the host typed them (Type and the .NET type of Data). */
      pnpProperties: Object.fromEntries(
        Object.entries(d.properties).map(([k, v]) => [k, { type: v.type, dataType: v.dataType }]),
      ),
    });
  }
  return out;
}

function switchesOf(
  f: CaptureFacts,
  devices: Array<{ instanceId: string; friendlyName: string; locationPath: string }>,
) {
  const mac = (m: string) => m.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
  return f.switches.map((s) => {
    const uplinks = s.uplinkDescriptions.flatMap((desc) => {
      const a = f.adapters.find((x) => x.description === desc && functionOf(x) !== null);
      const dev = devices.find((d) => (a ? same(d.instanceId, functionOf(a)) : d.friendlyName === desc));
      return dev ? [dev.locationPath] : [];
    });
    const vnic = f.vmNics.find((n) => n.isManagementOs && n.switchName === s.name);
    const host = vnic
      ? f.adapters.find((a) => functionOf(a) === null && mac(a.macAddress) === mac(vnic.macAddress))
      : undefined;
    return {
      name: s.name,
      id: s.id,
      switchType: s.switchType,
      uplinks,
      allowManagementOS: s.allowManagementOS,
      ...(host
        ? {
            managementAdapter: {
              interfaceIndex: host.interfaceIndex,
              macAddress: host.macAddress,
              ipAddresses: ipsOf(f, host.interfaceIndex),
            },
          }
        : {}),
    };
  });
}

function vmsOf(f: CaptureFacts) {
  return f.vms.map((v) => {
    const direct = v.assigned.filter((a) => !a.resourcePoolName || a.resourcePoolName === 'Primordial');
    const pooled = v.assigned.filter((a) => a.resourcePoolName && a.resourcePoolName !== 'Primordial');
    const nics = f.vmNics.filter((n) => !n.isManagementOs && n.vmName === v.name);
    return {
      name: v.name,
      id: v.id,
      state: v.state,
      generation: v.generation,
      automaticStopAction: v.automaticStopAction,
      guestControlledCacheTypes: v.guestControlledCacheTypes,
      lowMemoryMappedIoSpace: address(v.lowMemoryMappedIoSpace),
      highMemoryMappedIoSpace: address(v.highMemoryMappedIoSpace),
      ...(v.highMemoryMappedIoBase !== null ? { highMemoryMappedIoBase: address(v.highMemoryMappedIoBase) } : {}),
      dynamicMemoryEnabled: v.dynamicMemoryEnabled,
      memoryStartup: address(v.memoryStartup),
      memoryMinimum: address(v.memoryMinimum),
      ...(v.checkpointType !== null ? { checkpointType: v.checkpointType } : {}),
      ...(v.automaticCheckpointsEnabled !== null ? { automaticCheckpointsEnabled: v.automaticCheckpointsEnabled } : {}),
      ...(v.isClustered !== null ? { isClustered: v.isClustered } : {}),
      guestOs: v.guestOs,
      assignedDevices: direct.map((a) => a.locationPath).filter((p) => p !== ''),
      ...(pooled.length ? { poolAssignments: pooled.map((a) => a.resourcePoolName) } : {}),
      ...(nics.length
        ? {
            networkAdapters: nics.map((n) => ({
              name: n.name,
              switchName: n.switchName,
              ...(/^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){5}$/.test(n.macAddress) ? { macAddress: n.macAddress } : {}),
            })),
          }
        : {}),
    };
  });
}

/**
 * Where a remote session arrived: its one address, or the candidates of a WinRM session by host name, or
 * none found (an empty list: a remote session that cannot be placed, not a local one).
 */
function sessionOf(session: CaptureFacts['session']): { sessionArrivedOn?: string | string[] } {
  if (!session?.remote) return {};
  const all = session.addresses?.length ? session.addresses : session.address ? [session.address] : [];
  return { sessionArrivedOn: all.length === 1 ? all[0]! : all };
}

/** A profile of the host the facts describe; throws when they cannot make a valid one (the message names the field). */
export function buildCaptureProfile(f: CaptureFacts, capturedAt: string): HostProfile {
  const notes = [...f.notes];
  if (!f.os) throw new Error('The host did not report Win32_OperatingSystem: nothing to capture.');
  if (!f.vmHost) notes.push('Get-VMHost could not be read: IovSupport is recorded as False.');
  const bits = f.platform?.physicalAddressBits ?? null;
  if (bits === null)
    notes.push('The CPU address width is unknown here (Windows PowerShell 5.1): the profile says 46 bits.');
  const iommu = f.platform?.iommuPolicyEnabled ?? null;
  if (iommu === null) notes.push('The IOMMU policy could not be read (not elevated?): the profile says enabled.');
  const devices = devicesOf(f, notes);
  const pools = [
    ...new Set([
      ...f.hostAssignable.map((h) => h.resourcePoolName),
      ...f.vms.flatMap((v) => v.assigned.map((a) => a.resourcePoolName)),
    ]),
  ].filter((p) => p && p !== 'Primordial');
  const profile = {
    schema: 'dda-studio/host-profile@1',
    description: `Captured by dda host capture from ${f.os.computerName} on ${capturedAt}.`,
    host: {
      computerName: f.os.computerName || f.vmHost?.computerName || 'HOST',
      osCaption: f.os.caption,
      productType: PRODUCT_TYPES[f.os.productType] ?? 'ServerNT',
      iovSupport: f.vmHost?.iovSupport ?? false,
      iovSupportReasons: f.vmHost?.iovSupportReasons ?? [],
      osPcieControl: true,
      iommuPolicyEnabled: iommu ?? true,
      physicalAddressBits: bits ?? 46,
      requireDisableBeforeDismount: true,
      requireVmOffForAssignment: true,
      elevated: f.platform?.elevated ?? false,
      ...(pools.length ? { resourcePools: pools } : {}),
      ...(f.uiCulture === 'en-US' || f.uiCulture === 'zh-CN' ? { uiCulture: f.uiCulture } : {}),
      vmSwitches: switchesOf(f, devices),
      ...sessionOf(f.session),
    },
    devices,
    vms: vmsOf(f),
    capture: {
      capturedAt,
      powershell: `${f.psEdition} ${f.psVersion}`,
      uiCulture: f.uiCulture,
      assumed: [...ASSUMED],
      notes,
    },
  };
  const parsed = hostProfileSchema.safeParse(profile);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`The captured host does not fit a simulator profile: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
