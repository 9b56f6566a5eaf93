/**
 * What the survey measured of a device while it was on the host (kept by main/host/measurement-store.ts,
 * seeded by simulator profiles): a dismounted or assigned device has no host resources to read.
 */
import { z } from 'zod';
import { memoryRangeSchema, surveyFactNames } from './inventory';

export const rememberedFactsSchema = z.object({
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
