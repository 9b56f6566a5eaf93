/** The activity log of this app session: every host's entries, newest first, bounded; each one pushed as an event. */
import type { ActivityEntry } from '../../shared/contract';
import type { EventSink } from './api-types';

const MAX_ACTIVITY = 500;

/** What a caller records: the log adds the id, the time and the host's display name. */
export type ActivityInput = Omit<ActivityEntry, 'id' | 'at' | 'host' | 'hostName'>;

export interface ActivityLog {
  record(host: string, entry: ActivityInput): void;
  /** One host's entries, newest first. */
  of(host: string): ActivityEntry[];
}

/** A log that names each entry's host by `nameOf` and emits each entry on `events`. */
export function createActivityLog(nameOf: (host: string) => string, events: EventSink): ActivityLog {
  const entries: ActivityEntry[] = [];
  let seq = 0;
  return {
    record(host, entry) {
      const full: ActivityEntry = {
        id: String(++seq),
        at: new Date().toISOString(),
        host,
        hostName: nameOf(host),
        ...entry,
      };
      entries.unshift(full);
      entries.length = Math.min(entries.length, MAX_ACTIVITY);
      events.emit({ type: 'activity', entry: full });
    },
    of: (host) => entries.filter((a) => a.host === host),
  };
}
