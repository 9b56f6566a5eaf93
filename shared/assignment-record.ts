/**
 * What DDA Studio remembers of every assignment it has seen (issue 18): the VM, the device's location
 * path, its instance path and its durable identity, so that a VM entry whose path no longer exists can be
 * matched to the card at its new slot ("moved") or said to be gone. Kept per host in assignments.json;
 * every record is validated when read (the file is in a folder a standard user can write).
 */
import { z } from 'zod';
import { deviceIdentitySchema } from './device-identity';

export const assignmentRecordSchema = z.object({
  vmId: z.string().min(1).max(64),
  vmName: z.string().max(512),
  locationPath: z.string().min(1).max(512),
  /** The PCI\ instance id seen when the device was present. */
  instanceId: z.string().max(512),
  friendlyName: z.string().max(512),
  identity: deviceIdentitySchema,
  /** ISO times: first seen assigned, last seen present. */
  recordedAt: z.string().max(64),
  lastSeenAt: z.string().max(64),
  /** The computer that saw it (shared/computer-name.ts); absent in records kept before names were. */
  computerName: z.string().max(300).optional(),
});
export type AssignmentRecord = z.infer<typeof assignmentRecordSchema>;

export const assignmentRecordsFileSchema = z.object({
  schema: z.literal('dda-studio/assignments@1'),
  records: z.array(assignmentRecordSchema).max(10_000),
});
