/** Another host's journal, read without opening the host: how many operations it shows unfinished. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../host/journal';

/** Unfinished operations in the journal of a host's data folder; 0 when there is none or it cannot be read. */
export function unfinishedInJournal(dataDir: string): number {
  if (!existsSync(join(dataDir, 'journal.jsonl'))) return 0;
  try {
    return new Journal(dataDir).findUnfinished().length;
  } catch {
    return 0;
  }
}
