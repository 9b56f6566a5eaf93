/** Settings persisted as JSON in the data folder: validated on read, written atomically, never fatal. */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { settingsSchema, type Settings } from '../../shared/contract';
import { writeFileAtomic } from '../write-file-atomic';

export const windowBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
});
const fileSchema = settingsSchema.extend({ windowBounds: windowBoundsSchema.nullable() });
export type StoredSettings = z.infer<typeof fileSchema>;

export const DEFAULT_SETTINGS: StoredSettings = {
  language: null,
  theme: 'system',
  powershellPath: null,
  simulatorProfile: null,
  windowBounds: null,
};

/** A settings file; a corrupt one is kept as .corrupt and replaced by defaults. */
export class SettingsStore {
  private current: StoredSettings;

  constructor(private readonly file: string) {
    this.current = this.load();
  }

  private load(): StoredSettings {
    if (!existsSync(this.file)) return { ...DEFAULT_SETTINGS };
    try {
      const parsed = fileSchema.safeParse({ ...DEFAULT_SETTINGS, ...JSON.parse(readFileSync(this.file, 'utf8')) });
      if (parsed.success) return parsed.data;
    } catch {
      // fall through to the backup below
    }
    copyFileSync(this.file, `${this.file}.corrupt`);
    return { ...DEFAULT_SETTINGS };
  }

  /** All settings, including window bounds. */
  get(): StoredSettings {
    return { ...this.current };
  }

  /** The settings the UI sees. */
  settings(): Settings {
    const { windowBounds: _bounds, ...rest } = this.current;
    return rest;
  }

  /** Applies a validated patch and writes the file atomically. */
  update(patch: Partial<StoredSettings>): StoredSettings {
    this.current = fileSchema.parse({ ...this.current, ...patch });
    writeFileAtomic(this.file, JSON.stringify(this.current, null, 2));
    return this.get();
  }
}
