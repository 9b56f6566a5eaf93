/**
 * Anonymizes a captured profile: the computer name, VM names and ids, device instance names (the
 * instance-specific part of each instance id), device, disk, adapter and switch names are replaced by
 * stand-ins, the same original always by the same stand-in, so structure, counts, types, topology
 * and verdicts stay. What was kept is written into the profile (capture.anonymized.kept).
 */
import { createHash } from 'node:crypto';
import type { HostProfile } from '../simulator/profile-schema';

export const ANONYMIZE_KEPT = [
  'PCI vendor, device, subsystem and revision ids (VEN_/DEV_/SUBSYS_/REV_), device classes and driver services',
  'location paths (the PCIe topology the verdicts rest on)',
  'PnP property values and types, IRQs and memory ranges',
  'the OS caption, IovSupport and its reasons, VM settings and states',
  'IP addresses, prefix lengths and MAC addresses (the host lifelines are judged from them)',
  'drive letters and mount points',
] as const;

class StandIns {
  private readonly maps = new Map<string, Map<string, string>>();
  constructor(private readonly salt: string) {}
  /** The stand-in of a value in a kind: `${prefix}${n}`, numbered in order of first use. */
  of(kind: string, value: string, prefix: string): string {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    const key = value.toUpperCase();
    let s = m.get(key);
    if (!s) m.set(key, (s = `${prefix}${m.size + 1}`));
    return s;
  }
  /** A GUID standing in for one (deterministic per original and capture). */
  guid(value: string): string {
    const h = createHash('sha256').update(this.salt).update(value.toLowerCase()).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  counts(): Record<string, number> {
    return Object.fromEntries([...this.maps].map(([k, m]) => [k, m.size]));
  }
}

/** The instance id with its instance-specific last part replaced (PCI\VEN_..&DEV_..\<instance>). */
function anonymizeInstanceId(s: StandIns, id: string): string {
  const i = id.lastIndexOf('\\');
  if (i < 0) return id;
  const n = s.of('deviceInstance', id.slice(i + 1), '');
  return `${id.slice(0, i + 1)}DDAANON${n.padStart(4, '0')}`;
}

/** A copy of the profile with the names replaced; the original is not changed. */
export function anonymizeProfile(profile: HostProfile): HostProfile {
  const p = structuredClone(profile);
  const s = new StandIns(profile.host.computerName);
  const device = (name: string) => s.of('deviceName', name, 'PCI device ');
  p.host.computerName = s.of('computer', p.host.computerName, 'HOST-');
  p.description = 'Captured by dda host capture (anonymized).';
  for (const sw of p.host.vmSwitches ?? []) sw.name = s.of('switch', sw.name, 'vSwitch-');
  for (const d of p.devices) {
    d.instanceId = anonymizeInstanceId(s, d.instanceId);
    d.friendlyName = device(d.friendlyName);
    if (d.netAdapter) {
      d.netAdapter.name = s.of('adapter', d.netAdapter.name, 'Ethernet-');
      if (d.netAdapter.pnpDeviceId) d.netAdapter.pnpDeviceId = anonymizeInstanceId(s, d.netAdapter.pnpDeviceId);
      if (d.netAdapter.interfaceDescription)
        d.netAdapter.interfaceDescription = device(d.netAdapter.interfaceDescription);
    }
    for (const k of d.disks ?? []) k.friendlyName = s.of('disk', k.friendlyName, 'Disk-');
  }
  for (const v of p.vms) {
    v.name = s.of('vm', v.name, 'VM-');
    v.id = s.guid(v.id);
    for (const n of v.networkAdapters ?? []) {
      n.name = s.of('vmAdapter', n.name, 'Network Adapter ');
      if (n.switchName) n.switchName = s.of('switch', n.switchName, 'vSwitch-');
    }
  }
  const capture = (p.capture ?? {}) as Record<string, unknown>;
  const { notes: _notes, ...rest } = capture;
  p.capture = {
    ...rest,
    // Notes may quote names; they are dropped, and so is the surface's module path detail.
    notes: [],
    anonymized: { replaced: s.counts(), kept: [...ANONYMIZE_KEPT] },
  };
  return p;
}
