/** Another host's journal, read without opening the host: how many operations it shows interrupted. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unfinishedNow } from '../host/operation-lease';
import { Journal } from '../host/journal';

/**
 * Interrupted operations in the journal of a host's data folder (unfinished, and no DDA Studio process runs
 * them now: operation-lease.ts); 0 when there is none or it cannot be read.
 */
export function unfinishedInJournal(dataDir: string): number {
  if (!existsSync(join(dataDir, 'journal.jsonl'))) return 0;
  try {
    return unfinishedNow(new Journal(dataDir)).filter((o) => !o.running).length;
  } catch {
    return 0;
  }
}
