/**
 * Operations another process runs on an open host: the `dda` command beside the window, another window
 * of the browser mode's server. Each open host's journal is looked at every WATCH_MS (a stat, no
 * PowerShell). When it changed since the host's last read started, and this process is not running an
 * operation there, the host is read again (its inventory-changed event refreshes every window) and
 * 'operations-changed' is pushed, so the windows also read its unfinished operations: one still running
 * elsewhere shows as running, and the device an assignment moved is on its VM's card without a click on
 * Refresh. What this process journals itself is not news: a change seen while the host is busy with its
 * own operation is taken as known, and the read that follows the operation starts from it.
 */
import type { HostPool, PooledHost } from '../hosts/host-pool';
import type { EventSink } from './api-types';

/** How often the open hosts' journals are looked at. */
export const WATCH_MS = 2_000;

export interface JournalWatch {
  /** A read of the host starts: it shows every operation journaled so far (the inventory cache calls it). */
  readStarts(h: PooledHost): void;
  /** One look at every open host (the timer's; tests call it directly). */
  tick(): void;
  stop(): void;
}

/** Watches the open hosts of `pool`; `read` reads a host again (the inventory cache's read). */
export function watchJournals(
  pool: Pick<HostPool, 'openHosts' | 'isBusy' | 'closed'>,
  read: (h: PooledHost) => Promise<unknown>,
  events: EventSink,
  intervalMs: number | null = WATCH_MS,
): JournalWatch {
  // Per open host object (a reopened connection starts again): the journal as its last read began...
  const known = new WeakMap<PooledHost, string>();
  // ...and the last change the windows were told of (a read already in flight is joined, and started
  // before that change: the next look asks again, without telling twice).
  const told = new WeakMap<PooledHost, string>();
  const tick = () => {
    if (pool.closed) return stop();
    for (const h of pool.openHosts()) {
      const stamp = h.services.journal.stamp();
      const before = known.get(h);
      // Not read yet (its first read says it all), or this process's own operation runs there.
      if (before === undefined || pool.isBusy(h.id)) {
        if (before !== undefined) known.set(h, stamp);
        continue;
      }
      if (before === stamp) continue;
      if (told.get(h) !== stamp) events.emit({ type: 'operations-changed', host: h.id });
      told.set(h, stamp);
      read(h).catch(() => undefined); // a host that cannot be read says so on the window's next read
    }
  };
  const timer = intervalMs === null ? null : setInterval(tick, intervalMs);
  timer?.unref();
  function stop(): void {
    if (timer) clearInterval(timer);
  }
  return {
    readStarts: (h) => void known.set(h, h.services.journal.stamp()),
    tick,
    stop,
  };
}
