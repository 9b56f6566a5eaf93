/**
 * The devices pane's rows: the functions of one card together (by function number), cards with an
 * assignable function first, then those that need force, then those that cannot go; by name within each.
 */
import type { Device } from '../../shared/inventory';
import { isAssignableVerdict } from '../../shared/survey';

export interface DeviceGroup {
  /** The card's location path (a device without a card: its own path, or its instance ID). */
  key: string;
  devices: Device[];
}

/** One collator for every comparison: `localeCompare` makes one per call (hundreds of cards, thousands of calls). */
const byName = new Intl.Collator().compare;

const rank = (d: Device) => (isAssignableVerdict(d.verdict.code) ? 0 : d.verdict.code === 'not-assignable' ? 2 : 1);

/** The devices listed, grouped by card and ordered as the pane shows them. */
export function groupByCard(devices: readonly Device[]): DeviceGroup[] {
  const byCard = new Map<string, Device[]>();
  for (const d of devices) {
    const key = d.card?.path ?? d.locationPath ?? d.instanceId;
    const group = byCard.get(key);
    if (group) group.push(d);
    else byCard.set(key, [d]);
  }
  return [...byCard.entries()]
    .map(([key, ds]) => ({
      key,
      devices: ds.sort((a, b) => (a.card?.functionNumber ?? 0) - (b.card?.functionNumber ?? 0)),
      rank: Math.min(...ds.map(rank)),
    }))
    .sort((a, b) => a.rank - b.rank || byName(a.devices[0]!.friendlyName, b.devices[0]!.friendlyName))
    .map(({ key, devices: ds }) => ({ key, devices: ds }));
}

/** Which group lists the device at `path` (-1: none). */
export function groupIndexOf(groups: readonly DeviceGroup[], path: string | null): number {
  if (path === null) return -1;
  return groups.findIndex((g) => g.devices.some((d) => d.locationPath === path));
}
