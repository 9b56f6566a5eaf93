/**
 * Per open host: its last inventory and the read in flight (one read at a time; a new connection
 * starts empty). A read tells the pool the host's readiness, records an activity entry and pushes
 * the progress and changed events.
 */
import type { Inventory } from '../../shared/inventory';
import type { HostPool, PooledHost } from '../hosts/host-pool';
import type { ActivityLog } from './activity-log';
import { activityText } from './activity-text';
import type { EventSink } from './api-types';

interface HostCache {
  cached: Inventory | null;
  inflight: Promise<Inventory> | null;
}

export interface InventoryCache {
  /** The host's last inventory, if one was read on this connection. */
  cached(h: PooledHost): Inventory | null;
  /** Reads the host (joining a read in flight) and keeps the answer. */
  read(h: PooledHost): Promise<Inventory>;
}

export function createInventoryCache(
  pool: Pick<HostPool, 'noteInventory'>,
  activity: ActivityLog,
  events: EventSink,
  /** Told when a read starts (not when one in flight is joined): journal-watch.ts. */
  onReadStart: (h: PooledHost) => void = () => undefined,
): InventoryCache {
  const caches = new WeakMap<PooledHost, HostCache>();
  const cacheOf = (h: PooledHost): HostCache => {
    let c = caches.get(h);
    if (!c) caches.set(h, (c = { cached: null, inflight: null }));
    return c;
  };
  return {
    cached: (h) => cacheOf(h).cached,
    read(h) {
      const c = cacheOf(h);
      if (!c.inflight) {
        onReadStart(h);
        events.emit({ type: 'inventory-progress', host: h.id, phase: 'reading' });
        const t0 = performance.now();
        c.inflight = h.services
          .readInventory()
          .then((inv) => {
            c.cached = inv;
            pool.noteInventory(h.id, inv);
            activity.record(h.id, {
              kind: 'inventory',
              summary: `Inventory of ${inv.host.computerName}: ${inv.devices.length} devices, ${inv.vms.length} VMs`,
              text: activityText('activityInventory', {
                name: inv.host.computerName,
                devices: inv.devices.length,
                vms: inv.vms.length,
              }),
              durationMs: Math.round(performance.now() - t0),
            });
            events.emit({ type: 'inventory-changed', host: h.id, readAt: inv.readAt });
            return inv;
          })
          .finally(() => {
            c.inflight = null;
          });
      }
      return c.inflight;
    },
  };
}
