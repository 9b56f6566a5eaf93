/**
 * Durable identity of a PCI function (issue 18). A location path changes when a card moves to another
 * slot; what the card is does not: its vendor, device and subsystem IDs (and revision), which Windows
 * puts in the PCI\ hardware/instance id `PCI\VEN_vvvv&DEV_dddd&SUBSYS_ssssssss&REV_rr\<suffix>`
 * (Microsoft Learn, "Identifiers for PCI devices"). The instance suffix is not stable (it encodes the
 * bus position), so it is kept only to say which instance was seen. A serial number is kept where the
 * device reports one (PCIe Device Serial Number capability); none of our sources read it today, so it is
 * null, and matching never needs it.
 */
import { z } from 'zod';

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9A-F]{${n}}$`));

export const deviceIdentitySchema = z.object({
  vendorId: hex(4).nullable(),
  deviceId: hex(4).nullable(),
  subsystemId: hex(8).nullable(),
  revision: hex(2).nullable(),
  /** The PCIe Device Serial Number, where known (null: not read). */
  serial: z.string().max(128).nullable(),
});
export type DeviceIdentity = z.infer<typeof deviceIdentitySchema>;

/** One field of an id: KEY_ and its hex digits, after the start, a backslash or an &, before the end, an & or a backslash. */
const field = (key: string, n: number) => new RegExp(`(?:^|[\\\\&])${key}_([0-9A-Fa-f]{${n}})(?=[&\\\\]|$)`);
// Made once: an inventory reads the identity of every device.
const fields = { VEN: field('VEN', 4), DEV: field('DEV', 4), SUBSYS: field('SUBSYS', 8), REV: field('REV', 2) };
const part = (id: string, key: keyof typeof fields): string | null => {
  const m = fields[key].exec(id);
  return m?.[1] ? m[1].toUpperCase() : null;
};

/** The identity in a PCI\ (or PCIP\ twin) instance id; fields the id does not carry are null. */
export function identityOf(instanceId: string, serial: string | null = null): DeviceIdentity {
  const head = instanceId.split('\\').slice(0, 2).join('\\');
  return {
    vendorId: part(head, 'VEN'),
    deviceId: part(head, 'DEV'),
    subsystemId: part(head, 'SUBSYS'),
    revision: part(head, 'REV'),
    serial,
  };
}

/** The model of card an instance id names (VEN_xxxx&DEV_xxxx&SUBSYS_xxxxxxxx), or null when it does not say. */
export function cardModelOf(instanceId: string): string | null {
  const i = identityOf(instanceId);
  return i.vendorId && i.deviceId && i.subsystemId
    ? `VEN_${i.vendorId}&DEV_${i.deviceId}&SUBSYS_${i.subsystemId}`
    : null;
}

/**
 * Whether two identities are the same model of card (vendor, device and subsystem all known and equal),
 * and, where both know a serial, the same card. The revision may differ after a firmware update.
 */
export function sameCard(a: DeviceIdentity, b: DeviceIdentity): boolean {
  if (!a.vendorId || !a.deviceId || !a.subsystemId) return false;
  if (a.vendorId !== b.vendorId || a.deviceId !== b.deviceId || a.subsystemId !== b.subsystemId) return false;
  return !(a.serial && b.serial && a.serial !== b.serial);
}

/** "VEN 15B3 DEV 1015 SUBSYS 000315B3", for texts. */
export function describeIdentity(i: DeviceIdentity): string {
  return (
    [
      i.vendorId && `VEN ${i.vendorId}`,
      i.deviceId && `DEV ${i.deviceId}`,
      i.subsystemId && `SUBSYS ${i.subsystemId}`,
      i.serial && `serial ${i.serial}`,
    ]
      .filter(Boolean)
      .join(' ') || 'unknown identity'
  );
}
