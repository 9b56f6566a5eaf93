/**
 * What the survey measured of each device while it was on the host. A dismounted or assigned device
 * has no host resources, so its MMIO need and interrupts can only be remembered from an earlier read.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { rememberedFactsSchema, type RememberedFacts } from '../../shared/remembered-facts';
import { writeFileAtomic } from '../write-file-atomic';

export { rememberedFactsSchema, type RememberedFacts };

const fileSchema = z.object({
  schema: z.literal('dda-studio/measurements@1'),
  devices: z.record(z.string(), rememberedFactsSchema),
});

/**
 * Remembered measurements keyed by the computer's name and the location path (upper-cased, "HV01|PCIROOT...",
 * shared/computer-name.ts), or by the path alone when kept before names were (or the name was unknown).
 */
export interface MeasurementStore {
  get(locationPath: string): RememberedFacts | undefined;
  set(locationPath: string, facts: RememberedFacts): void;
  /** Drops a key (a measurement kept by path alone, once this computer's own is kept). */
  forget(key: string): void;
  /** Persists changes, if any. */
  flush(): void;
}

/** An in-memory store, for callers that keep nothing between runs. */
export function memoryMeasurementStore(): MeasurementStore {
  const map = new Map<string, RememberedFacts>();
  return {
    get: (p) => map.get(p.toUpperCase()),
    set: (p, f) => void map.set(p.toUpperCase(), f),
    forget: (p) => void map.delete(p.toUpperCase()),
    flush: () => {},
  };
}

/** The same facts, measured at any time (a record is rewritten only when one changed). */
function sameMeasurement(a: RememberedFacts, b: RememberedFacts): boolean {
  return (
    (a.model ?? null) === (b.model ?? null) &&
    a.deviceType === b.deviceType &&
    a.baseClass === b.baseClass &&
    a.acsUpHierarchy === b.acsUpHierarchy &&
    a.requiresReservedMemoryRegion === b.requiresReservedMemoryRegion &&
    JSON.stringify(a.unreadable ?? []) === JSON.stringify(b.unreadable ?? []) &&
    (a.barTypes ?? null) === (b.barTypes ?? null) &&
    JSON.stringify(a.irqs) === JSON.stringify(b.irqs) &&
    JSON.stringify(a.memoryRanges) === JSON.stringify(b.memoryRanges)
  );
}

/** A JSON-file store (atomic writes); an unreadable file starts empty rather than failing the inventory. */
export function fileMeasurementStore(file: string): MeasurementStore {
  let devices: Record<string, RememberedFacts> = {};
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) devices = parsed.data.devices;
  } catch {
    // missing or corrupt: start empty; the next flush writes a good file
  }
  let dirty = false;
  return {
    get: (p) => devices[p.toUpperCase()],
    set(p, f) {
      const key = p.toUpperCase();
      const was = devices[key];
      if (was && sameMeasurement(was, f)) return;
      devices[key] = f;
      dirty = true;
    },
    forget(p) {
      const key = p.toUpperCase();
      if (!(key in devices)) return;
      delete devices[key];
      dirty = true;
    },
    flush() {
      if (!dirty) return;
      writeFileAtomic(file, JSON.stringify({ schema: 'dda-studio/measurements@1', devices }, null, 1));
      dirty = false;
    },
  };
}
