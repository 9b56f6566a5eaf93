/**
 * The assignments DDA Studio has seen on a host, with each device's durable identity (issue 18), kept in
 * assignments.json in the host's data folder. The folder is one a standard user can write, so the file
 * is validated when read: a file that is not valid JSON of that shape is moved aside
 * (assignments.corrupt-<time>.json) and reported, never silently read as "nothing recorded". A record is
 * only ever a hint for matching a moved card; every fix it leads to is planned against the host as it is.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { assignmentRecordsFileSchema, type AssignmentRecord } from '../../shared/assignment-record';
import { writeFileAtomic } from '../write-file-atomic';

export interface AssignmentStore {
  /** The records, and why earlier ones were lost (null when none were). */
  read(): { records: AssignmentRecord[]; lost: string | null };
  /** Replaces the records (written only when they changed). */
  write(records: AssignmentRecord[]): void;
}

/** An in-memory store (tests; callers that keep nothing). */
export function memoryAssignmentStore(initial: AssignmentRecord[] = []): AssignmentStore {
  let records = initial;
  return { read: () => ({ records, lost: null }), write: (r) => void (records = r) };
}

/** The store of a host's data folder. */
export function fileAssignmentStore(dir: string): AssignmentStore {
  const file = join(dir, 'assignments.json');
  let lost: string | null = null;
  let last = '';
  return {
    read() {
      if (!existsSync(file)) return { records: [], lost };
      let reason: string;
      try {
        const text = readFileSync(file, 'utf8');
        const parsed = assignmentRecordsFileSchema.safeParse(JSON.parse(text));
        if (parsed.success) {
          last = JSON.stringify(parsed.data.records);
          return { records: parsed.data.records, lost };
        }
        reason = `${parsed.error.issues[0]?.path.join('.') || '(file)'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
      } catch (e) {
        reason = (e as Error).message;
      }
      const aside = join(dir, `assignments.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      renameSync(file, aside);
      lost = `The recorded assignments (assignments.json) were unreadable (${reason}); the file was kept as ${aside}. Moved cards are matched again from what is seen from now on.`;
      return { records: [], lost };
    },
    write(records) {
      const text = JSON.stringify(records);
      if (text === last) return;
      writeFileAtomic(file, JSON.stringify({ schema: 'dda-studio/assignments@1', records }, null, 1));
      last = text;
    },
  };
}
