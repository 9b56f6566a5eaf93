/**
 * Operations another process runs on an open host: the `dda` command beside the window, or another
 * app or server. Each open host's journal is looked at every WATCH_MS (a stat, no PowerShell, off the
 * main thread's I/O). Whenever it changed since the windows were last told, 'operations-changed' is
 * pushed, so they read the host's unfinished operations again: one still running elsewhere shows as
 * running. Once the journal has been quiet for a look, has changed since the host's last read began, and
 * shows no operation running elsewhere (a live lease: not during its long steps, only after its end or
 * once it was cut short), the host is read again: its inventory-changed event puts the moved device on
 * its VM's card without a click on Refresh.
 * While this process runs its own operation on the host the journal is not looked at; when it has
 * ended, create-api.ts calls ownOperationEnded, which tells the windows (the others of a browser-mode
 * server learn of a rollback that failed) and covers what another process journaled meanwhile.
 */
import { stat } from 'node:fs/promises';
import { journalStamp } from '../host/journal';
import type { HostPool, PooledHost } from '../hosts/host-pool';
import type { EventSink } from './api-types';

/** How often the open hosts' journals are looked at. */
export const WATCH_MS = 2_000;

export interface JournalWatch {
  /** A read of the host starts: it shows every operation journaled so far (the inventory cache calls it). */
  readStarts(h: PooledHost): void;
  /** This process's own operation (or recovery) on the host has ended, however it ended. */
  ownOperationEnded(h: PooledHost): void;
  /** One look at every open host (the timer's; tests call it directly). */
  tick(): Promise<void>;
}

/** Watches the open hosts of `pool`; `read` reads a host again (the inventory cache's read). */
export function watchJournals(
  pool: Pick<HostPool, 'openHosts' | 'isBusy' | 'closed'>,
  read: (h: PooledHost) => Promise<unknown>,
  events: EventSink,
  intervalMs: number | null = WATCH_MS,
): JournalWatch {
  // Per open host object (a reopened connection starts again): the journal as its last read began, as
  // the windows were last told of it, and at the previous look.
  const known = new WeakMap<PooledHost, string>();
  const told = new WeakMap<PooledHost, string>();
  const seen = new WeakMap<PooledHost, string>();
  const tell = (h: PooledHost, stamp: string) => {
    if (told.get(h) === stamp) return;
    told.set(h, stamp);
    events.emit({ type: 'operations-changed', host: h.id });
  };
  let looking = false;
  const tick = async () => {
    if (pool.closed) return stop();
    if (looking) return; // a slow folder: the next look starts when this one has ended
    looking = true;
    try {
      for (const h of pool.openHosts()) {
        const file = h.services.journal.file;
        const stamp = journalStamp(await stat(file).catch(() => null));
        if (pool.closed) return stop();
        const previous = seen.get(h);
        seen.set(h, stamp);
        // Not read yet on this connection (its first read shows it all), or running our own operation.
        if (!known.has(h) || pool.isBusy(h.id)) continue;
        tell(h, stamp);
        // Changed since the last read began (a read that joined one already in flight is asked for again
        // here), quiet since the previous look, and no operation running elsewhere now.
        if (known.get(h) === stamp || previous !== stamp) continue;
        if (h.services.operations.unfinishedNow().some((u) => u.running)) continue;
        read(h).catch(() => undefined);
      }
    } finally {
      looking = false;
    }
  };
  const timer = intervalMs === null ? null : setInterval(() => void tick().catch(() => undefined), intervalMs);
  timer?.unref();
  function stop(): void {
    if (timer) clearInterval(timer);
  }
  return {
    readStarts(h) {
      const stamp = h.services.journal.stamp();
      known.set(h, stamp);
      if (!told.has(h)) told.set(h, stamp);
    },
    ownOperationEnded: (h) => tell(h, h.services.journal.stamp()),
    tick,
  };
}
