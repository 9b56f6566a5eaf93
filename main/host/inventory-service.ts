/**
 * Reads the inventory in one PowerShell round trip (scripts/inventory.ps1) and turns the raw facts
 * into the Inventory contract: survey verdicts, ownership, cards and siblings, hygiene problems.
 */
import type {
  AssignedDevice,
  Device,
  HygieneProblem,
  Inventory,
  Lifelines,
  SurveyFactName,
  SurveyFacts,
  Vm,
} from '../../shared/inventory';
import { computerKey, knownComputer, UNKNOWN_COMPUTER } from '../../shared/computer-name';
import { cardModelOf } from '../../shared/device-identity';
import { inventorySchema, isNetworkDevice, isStorageController, surveyFactNames } from '../../shared/inventory';
import { cardOf, pciIdOf } from '../../shared/location-path';
import { mmioHighNeedMB, mmioLowNeedMB, mmioNeedMB, surveyVerdict } from '../../shared/survey';
import type { PsErrorInfo, ScriptRunner } from '../powershell/session-types';
import { rawSchema, type RawInventory, type RawStartFailures } from './inventory-raw';
import { memoryMeasurementStore, type MeasurementStore } from './measurement-store';

export type { RawInventory } from './inventory-raw';

/** Why the inventory could not be read at all (the session failed, or the script's output was not ours). */
export class InventoryError extends Error {
  constructor(
    message: string,
    readonly raw?: PsErrorInfo,
  ) {
    super(message);
  }
}

export interface ReadInventoryOptions {
  memory?: MeasurementStore;
  now?: () => Date;
  timeoutMs?: number;
}

/** One read of the host: the Inventory, and the start-failure events that came with it (null: unreadable). */
export interface InventoryRead {
  inventory: Inventory;
  startFailures: RawStartFailures | null;
}

/** One round trip: run inventory.ps1 and build the Inventory; the start-failure events come raw beside it. */
export async function readHost(runner: ScriptRunner, options: ReadInventoryOptions = {}): Promise<InventoryRead> {
  const result = await runner.invoke<unknown>(
    'inventory',
    {},
    options.timeoutMs ? { timeoutMs: options.timeoutMs } : {},
  );
  if (!result.ok) throw new InventoryError(`Inventory failed: ${result.error.message}`, result.error);
  const parsed = rawSchema.safeParse(result.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InventoryError(`Inventory output malformed at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
  }
  const memory = options.memory ?? memoryMeasurementStore();
  const inventory = buildInventory(parsed.data, memory, (options.now ?? (() => new Date()))());
  try {
    memory.flush();
  } catch (e) {
    // The host was read: a measurement that could not be saved (a file Windows keeps locked) is a note.
    inventory.notes.push(
      `The measurements could not be saved (they are kept for this session): ${(e as Error).message}`,
    );
  }
  const events = parsed.data.startFailures;
  return { inventory, startFailures: events?.readable ? events : null };
}

/** The Inventory alone (one round trip). */
export async function readInventory(runner: ScriptRunner, options: ReadInventoryOptions = {}): Promise<Inventory> {
  return (await readHost(runner, options)).inventory;
}

const upper = (s: string) => s.toUpperCase();
/**
 * The pool an entry was assigned through, or null for a direct one. Get-VMAssignableDevice's
 * ResourcePoolName is "Primordial" for a direct assignment (the default pool, as the Hyper-V WMI provider names its primordial Msvm_ResourcePool) and a
 * pool's own name for Add-VMAssignableDevice -ResourcePoolName (Windows Server 2022 and 2025 references).
 */
function poolOf(a: { resourcePoolName?: string | null }): string | null {
  const p = a.resourcePoolName;
  return p && p.toLowerCase() !== 'primordial' ? p : null;
}
/**
 * A dismounted device's PCIP\ twin is named as the device, then " - " and a word in the host's language
 * ("- Dismounted", zh-CN "- 已卸除": hyperv-dda.md; German, Japanese... hosts have their own): the twin's
 * name without its last " - " part, whatever the language.
 */
function withoutTwinSuffix(name: string): string {
  const at = name.lastIndexOf(' - ');
  return at > 0 ? name.slice(0, at) : name;
}

/** inventory.ps1's names of the survey properties, by their names in SurveyFacts. */
const rawFactName: Record<SurveyFactName, string> = {
  deviceType: 'deviceType',
  baseClass: 'baseClass',
  acsUpHierarchy: 'acs',
  requiresReservedMemoryRegion: 'rmrr',
};
/** The device's survey properties that are null because the call for them failed (a remembered value fills one). */
function unreadableFacts(
  facts: SurveyFacts,
  unreadableRaw: ReadonlySet<string>,
  unreadableThen: readonly SurveyFactName[] = [],
): SurveyFactName[] {
  return surveyFactNames.filter(
    (f) => facts[f] === null && (unreadableRaw.has(rawFactName[f]) || unreadableThen.includes(f)),
  );
}

function systemDiskKnown(raw: RawInventory): boolean {
  const p = raw.platform;
  return !!p && p.systemDiskKnown !== false && (p.systemDiskInstanceIds != null || p.systemDiskLocationPaths != null);
}

/**
 * Per device: what the host loses with it (its addresses, the switches it is the uplink of, the
 * session, its disks). A NIC's facts are unknown when the network part could not be read; a storage
 * controller's when the disks or the system disk could not be (fail closed: never an empty "nothing").
 */
function lifelineReader(
  raw: RawInventory,
): (instanceId: string, pnpClass: string | null, baseClass: number | null, onHost: boolean) => Lifelines {
  const l = raw.lifelines ?? null;
  const nics = new Map((l?.nics ?? []).map((n) => [upper(n.instanceId), n]));
  const disksBy = new Map<string, NonNullable<typeof l>['disks']>();
  for (const k of l?.disks ?? [])
    if (k.controller) disksBy.set(upper(k.controller), [...(disksBy.get(upper(k.controller)) ?? []), k]);
  const session = l?.session ?? null;
  const storageKnown = !!l && l.storageKnown && systemDiskKnown(raw);
  return (instanceId, pnpClass, baseClass, onHost) => {
    const id = upper(pciIdOf(instanceId));
    const kind = { pnpClass, facts: { baseClass } };
    const nic = nics.get(id);
    // What may carry a host NIC: a NIC, a function an adapter was traced to (a USB NIC's controller), and,
    // while the network could not be read, any serial-bus controller (PCI base class 0x0C: USB,
    // Thunderbolt, InfiniBand), which an untraced adapter may sit behind.
    const serialBus = baseClass === 0x0c;
    const net = onHost && (isNetworkDevice(kind) || nic !== undefined || (serialBus && !(l && l.networkKnown)));
    const networkKnown = !net || (!!l && l.networkKnown);
    let carriesSession: boolean | null = false;
    if (nic?.carriesSession) carriesSession = true;
    else if (net && (!l || (session?.remote === true && !session.placed))) carriesSession = null;
    const disks = onHost ? (disksBy.get(id) ?? []) : [];
    return {
      networkKnown,
      ipAddresses: onHost ? (nic?.ipAddresses ?? []) : [],
      vSwitches: onHost
        ? (nic?.vSwitches ?? []).map((s) => ({
            name: s.name,
            switchType: s.switchType,
            vms: s.vms,
            hostIpAddresses: s.hostIpAddresses,
          }))
        : [],
      carriesSession: onHost ? carriesSession : false,
      storageKnown: !(onHost && isStorageController(kind)) || storageKnown,
      disks: disks.map((k) => ({
        number: k.number,
        friendlyName: k.friendlyName,
        isBoot: k.isBoot,
        isSystem: k.isSystem,
        volumes: k.volumes,
        pageFile: k.pageFile,
      })),
    };
  };
}

/** Pure: raw facts + remembered measurements -> Inventory (exported for tests). */
export function buildInventory(raw: RawInventory, memory: MeasurementStore, now: Date): Inventory {
  const notes = [...raw.notes];
  const readAt = now.toISOString();
  const dismountedPaths = new Set(raw.hostAssignable.map((h) => upper(h.locationPath)));
  const pathByTwinId = new Map(raw.hostAssignable.map((h) => [upper(h.instanceId), h.locationPath]));
  const poolByPath = new Map(
    raw.hostAssignable.flatMap((h) => (poolOf(h) !== null ? [[upper(h.locationPath), poolOf(h)!] as const] : [])),
  );

  // Who holds which path: every VM entry, with counts for duplicate detection.
  const holders = new Map<string, string[]>();
  for (const vm of raw.vms) {
    for (const a of vm.assigned) {
      if (!a.locationPath || poolOf(a) !== null) continue;
      const list = holders.get(upper(a.locationPath)) ?? [];
      list.push(vm.name);
      holders.set(upper(a.locationPath), list);
    }
  }

  const systemDiskIds = new Set((raw.platform?.systemDiskInstanceIds ?? []).map(upper));
  const systemDiskPaths = new Set((raw.platform?.systemDiskLocationPaths ?? []).map(upper));

  const lifelinesOf = lifelineReader(raw);
  const unreadableRaw = new Set(raw.unreadableProps ?? []);
  const computerName = raw.hyperV.computerName || raw.os?.computerName || UNKNOWN_COMPUTER;
  const devices: Device[] = raw.devices.map((d) => {
    const isTwin = /^PCIP\\/i.test(d.instanceId);
    const locationPath = d.locationPath ?? pathByTwinId.get(upper(d.instanceId)) ?? null;
    const key = locationPath ? upper(locationPath) : null;
    const vmHolders = key ? (holders.get(key) ?? []) : [];
    const owner: Device['owner'] =
      vmHolders[0] !== undefined
        ? { kind: 'vm', vmName: vmHolders[0] }
        : isTwin || (key !== null && dismountedPaths.has(key))
          ? { kind: 'dismounted' }
          : { kind: 'host' };
    const onHost = owner.kind === 'host';
    const deviceNotes: string[] = [];
    const prop = (v: number | null | undefined, what: string, fact: SurveyFactName) => {
      if (v === null || v === undefined)
        deviceNotes.push(`${what} property ${unreadableRaw.has(rawFactName[fact]) ? 'unreadable' : 'missing'}`);
      return v ?? null;
    };
    let facts: SurveyFacts = {
      deviceType: prop(d.deviceType, 'DeviceType', 'deviceType'),
      baseClass: prop(d.baseClass, 'BaseClass', 'baseClass'),
      acsUpHierarchy: prop(d.acs, 'AcsCompatibleUpHierarchy', 'acsUpHierarchy'),
      requiresReservedMemoryRegion: prop(d.rmrr, 'RequiresReservedMemoryRegion', 'requiresReservedMemoryRegion'),
      barTypes: d.barTypes ?? null,
      disabled: onHost && d.disabled,
      irqs: onHost && d.resourcesKnown ? (d.irqs ?? []) : null,
      memoryRanges: onHost && d.resourcesKnown ? (d.memoryRanges ?? []) : null,
      source: onHost && d.resourcesKnown ? 'live' : 'none',
      notes: deviceNotes,
    };
    // Kept under this computer's name (a data folder can follow the admin to another host, where the same
    // slot may hold another card), and only when the name was read; a measurement kept before names were
    // is read by path alone until this computer measures the device itself. Either is used only for the
    // model of card it measured.
    const memoryKey = key && knownComputer(computerName) ? computerKey(computerName, key) : null;
    const model = cardModelOf(d.instanceId);
    const stored = key ? ((memoryKey ? memory.get(memoryKey) : undefined) ?? memory.get(key)) : undefined;
    const remembered = stored && (!stored.model || !model || stored.model === model) ? stored : undefined;
    const unreadableNow = unreadableFacts(facts, unreadableRaw);
    if (facts.source === 'live' && !facts.disabled && memoryKey) {
      // A property no call could read keeps what was remembered of it, or stays listed as unreadable: a
      // null alone would read as "absent" later.
      const kept = (f: SurveyFactName) => (unreadableNow.includes(f) ? (remembered?.[f] ?? null) : (facts[f] ?? null));
      const stillUnreadable = unreadableNow.filter((f) => kept(f) === null);
      memory.set(memoryKey, {
        ...(model ? { model } : {}),
        deviceType: kept('deviceType'),
        baseClass: kept('baseClass'),
        acsUpHierarchy: kept('acsUpHierarchy'),
        requiresReservedMemoryRegion: kept('requiresReservedMemoryRegion'),
        ...(stillUnreadable.length > 0 ? { unreadable: stillUnreadable } : {}),
        // a device's own value, when its call worked; the one remembered when it failed
        barTypes: d.barTypes ?? (unreadableRaw.has('barTypes') ? (remembered?.barTypes ?? null) : null),
        irqs: facts.irqs ?? [],
        memoryRanges: facts.memoryRanges ?? [],
        measuredAt: readAt,
      });
      if (key) memory.forget(key);
    } else if ((!onHost || d.disabled || d.started === false) && remembered) {
      // Not measurable now (away from the host, disabled, or not started): the last measurement stands.
      // A disabled device's verdict stays disabled-unknown; its remembered MMIO still sizes the VM.
      facts = {
        ...facts,
        deviceType: facts.deviceType ?? remembered.deviceType,
        baseClass: facts.baseClass ?? remembered.baseClass,
        acsUpHierarchy: facts.acsUpHierarchy ?? remembered.acsUpHierarchy,
        requiresReservedMemoryRegion: facts.requiresReservedMemoryRegion ?? remembered.requiresReservedMemoryRegion,
        barTypes: facts.barTypes ?? remembered.barTypes ?? null,
        irqs: remembered.irqs,
        memoryRanges: remembered.memoryRanges,
        source: 'remembered',
        measuredAt: remembered.measuredAt,
        notes: deviceNotes.filter((n) => !/property (missing|unreadable)$/.test(n)),
      };
    } else if (!onHost) {
      deviceNotes.push('Not on the host: interrupts and MMIO cannot be measured until it returns.');
    }
    if (onHost && d.started === false && !d.disabled)
      deviceNotes.push(
        'Windows has not started this device (no driver, or a problem code): it has no interrupts or MMIO allocated, so they cannot be measured until it runs.',
      );
    // Unreadable now, or when the measurement now used was taken.
    const unreadable =
      facts.source === 'remembered' ? unreadableFacts(facts, unreadableRaw, remembered?.unreadable) : unreadableNow;
    if (unreadable.length > 0) facts = { ...facts, unreadable };
    const verdict = surveyVerdict(facts);
    // The ranges that size the device: measured now (a disabled device has none allocated), or remembered.
    const sizedBy = facts.source === 'live' && facts.disabled ? null : facts.memoryRanges;
    return {
      instanceId: isTwin ? pciIdOf(d.instanceId) : d.instanceId,
      dismountedInstanceId: isTwin ? d.instanceId : null,
      friendlyName: isTwin ? withoutTwinSuffix(d.friendlyName ?? d.instanceId) : (d.friendlyName ?? d.instanceId),
      pnpClass: d.class || null,
      locationPath,
      card: locationPath ? cardOf(locationPath) : null,
      siblings: [],
      owner,
      enabled: !d.disabled && onHost,
      mmioMB: mmioNeedMB(sizedBy),
      mmioLowMB: mmioLowNeedMB(sizedBy),
      mmioHighMB: mmioHighNeedMB(sizedBy, facts.barTypes),
      verdict: facts.source === 'remembered' ? { ...verdict, remembered: true } : verdict,
      facts,
      resourcePoolName: key !== null ? (poolByPath.get(key) ?? null) : null,
      hostsSystemDisk:
        systemDiskIds.has(upper(d.instanceId)) ||
        systemDiskIds.has(upper(pciIdOf(d.instanceId))) ||
        (key !== null && systemDiskPaths.has(key)),
      lifelines: lifelinesOf(d.instanceId, d.class ?? null, facts.baseClass, onHost),
    };
  });
  if (!systemDiskKnown(raw)) notes.push('The controller of the system disk could not be determined.');
  if (raw.platform?.windowsPowerShellCompat === true)
    notes.push(
      "PowerShell 7 runs this host's Hyper-V module through Windows PowerShell compatibility: use Windows PowerShell 5.1 for this host.",
    );
  if (!raw.lifelines)
    notes.push(
      "The host's network adapters and disks were not read: which NIC and which controller the host needs is unknown.",
    );

  // Siblings: other functions of the same card.
  const byCard = new Map<string, string[]>();
  for (const d of devices)
    if (d.card && d.locationPath) byCard.set(d.card.path, [...(byCard.get(d.card.path) ?? []), d.locationPath]);
  for (const d of devices)
    if (d.card && d.locationPath) d.siblings = (byCard.get(d.card.path) ?? []).filter((p) => p !== d.locationPath);

  const knownPaths = new Set(devices.flatMap((d) => (d.locationPath ? [upper(d.locationPath)] : [])));
  const problems: HygieneProblem[] = [];
  const vms: Vm[] = raw.vms.map((v) => {
    const assignedDevices: AssignedDevice[] = v.assigned.map((a) => {
      const path = a.locationPath || a.name;
      const resourcePoolName = poolOf(a);
      // A pool entry names a pool, not a device: whether its InstanceID/LocationPath are filled is not
      // documented (reference README, guesses), so it is never judged stale or duplicate.
      const stale =
        resourcePoolName === null && (!a.instanceId || !a.locationPath || !knownPaths.has(upper(a.locationPath)));
      const duplicate =
        resourcePoolName === null && !!a.locationPath && (holders.get(upper(a.locationPath))?.length ?? 0) > 1;
      if (stale) problems.push({ kind: 'stale', vmName: v.name, locationPath: path });
      return { locationPath: path, instanceId: a.instanceId, name: a.name, stale, duplicate, resourcePoolName };
    });
    return {
      name: v.name,
      id: v.id,
      state: v.state,
      generation: v.generation,
      automaticStopAction: v.automaticStopAction,
      guestControlledCacheTypes: v.guestControlledCacheTypes,
      lowMemoryMappedIoSpace: v.lowMemoryMappedIoSpace,
      highMemoryMappedIoSpace: v.highMemoryMappedIoSpace,
      highMemoryMappedIoBase: v.highMemoryMappedIoBase ?? null,
      dynamicMemoryEnabled: v.dynamicMemoryEnabled,
      memoryStartup: v.memoryStartup,
      memoryMinimum: v.memoryMinimum,
      checkpointType: v.checkpointType ?? null,
      automaticCheckpointsEnabled: v.automaticCheckpointsEnabled ?? null,
      guestOs: v.guestOs ?? null,
      isClustered: v.isClustered ?? null,
      assignedDevices,
    };
  });
  for (const [path, names] of holders) {
    if (names.length > 1) {
      const display =
        raw.vms.flatMap((v) => v.assigned).find((a) => upper(a.locationPath) === path)?.locationPath ?? path;
      problems.push({ kind: 'duplicate', vmNames: [...new Set(names)], locationPath: display });
    }
  }
  for (const h of raw.hostAssignable) {
    // A member of a resource pool (Windows Server 2022 and 2025 references) waits in its pool for a VM: not an orphan.
    if (!holders.has(upper(h.locationPath)) && poolOf(h) === null)
      problems.push({ kind: 'orphan', locationPath: h.locationPath });
  }

  const reasons = raw.hyperV.iovSupportReasons ?? [];
  const platform = raw.platform;
  // No cmdlet reports whether the firmware granted the OS control of PCIe; IovSupport true implies it.
  // When it is false, the host's own (localized) IovSupportReasons say why: shown, never parsed.
  const osPcieControl = platform?.osPcieControl ?? (raw.hyperV.iovSupport === true ? true : null);
  const productType = raw.os?.productType ?? null;
  const inventory: Inventory = {
    schema: 'dda-studio/inventory@1',
    readAt,
    host: {
      computerName,
      osCaption: raw.os?.caption ?? null,
      productType,
      isServerSku: productType === null ? null : productType !== 1,
      hyperVPresent: raw.hyperV.present,
      iovSupport: raw.hyperV.iovSupport ?? null,
      iovSupportReasons: reasons,
      osPcieControl,
      iommuPolicyEnabled: platform?.iommuPolicyEnabled ?? null,
      elevated: platform?.elevated ?? false,
      physicalAddressBits: platform?.physicalAddressBits ?? null,
      psEdition: raw.psEdition,
      psVersion: raw.psVersion,
      simulated: platform?.simulated === true,
      ...(platform?.windowsPowerShellCompat === true ? { windowsPowerShellCompat: true } : {}),
    },
    devices,
    vms,
    problems,
    notes,
  };
  return inventorySchema.parse(inventory);
}
