/**
 * What the survey measured of a device while it was on the host (kept by main/host/measurement-store.ts,
 * seeded by simulator profiles): a dismounted or assigned device has no host resources to read.
 */
import { z } from 'zod';
import { memoryRangeSchema, surveyFactNames } from './inventory';

export const rememberedFactsSchema = z.object({
  /**
   * The card measured: VEN_xxxx&DEV_xxxx&SUBSYS_xxxxxxxx of its instance id (shared/device-identity.ts;
   * the revision is left out, a firmware update changes it). A measurement of another model (another
   * card in that slot, another computer's) is not used. Absent in measurements kept before it was.
   */
  model: z.string().max(64).optional(),
  deviceType: z.number().int().nullable(),
  baseClass: z.number().int().nullable(),
  acsUpHierarchy: z.number().int().nullable(),
  requiresReservedMemoryRegion: z.number().int().nullable(),
  /** The survey properties above that no call could read when measured (null then means unknown, not absent). */
  unreadable: z.array(z.enum(surveyFactNames)).optional(),
  /** DEVPKEY_PciDevice_BarTypes; absent from measurements kept before it was read (unknown). */
  barTypes: z.number().int().nullable().optional(),
  irqs: z.array(z.number()),
  memoryRanges: z.array(memoryRangeSchema),
  measuredAt: z.string(),
});
export type RememberedFacts = z.infer<typeof rememberedFactsSchema>;
