/**
 * Finding devices (issue 17 #6): the filter chips with their counts, root ports and bridges kept out
 * unless asked for, and a search across the name, location path, instance ID, owning VM, the verdict
 * and its reason (in both languages), and class words an admin types (GPU, NIC, NVMe, USB, storage).
 */
import { translate, type MessageKey } from '../../shared/i18n/messages';
import { isNetworkDevice, isStorageController, type Device } from '../../shared/inventory';
import type { Filter } from './slices/types';

/** PCI base class codes (PCI Code and ID Assignment Specification): 01h storage, 03h display, 06h bridge, 0Ch serial bus (USB). */
const PCI_STORAGE = 1;
const PCI_DISPLAY = 3;
const PCI_BRIDGE = 6;
const PCI_SERIAL_BUS = 12;

/** Root ports, host bridges and PCI-to-PCI bridges: never assigned, rarely what an admin looks for. */
export function isBridgeOrPort(d: Device): boolean {
  return d.facts.baseClass === PCI_BRIDGE;
}

/** The words an admin searches a device's kind by. */
export function classWords(d: Device): string[] {
  const words: string[] = [];
  if (d.facts.baseClass === PCI_DISPLAY || d.pnpClass === 'Display')
    words.push('gpu', 'display', 'graphics', '显卡', 'GPU');
  if (isNetworkDevice(d)) words.push('nic', 'network', 'ethernet', '网卡', '网络');
  if (isStorageController(d) || d.facts.baseClass === PCI_STORAGE) words.push('storage', 'disk', '存储', '磁盘');
  if (/nvme|non-volatile memory/i.test(d.friendlyName)) words.push('nvme');
  if (d.facts.baseClass === PCI_SERIAL_BUS || d.pnpClass === 'USB' || /\busb\b/i.test(d.friendlyName))
    words.push('usb');
  if (isBridgeOrPort(d)) words.push('bridge', 'port', 'root port', '桥', '端口');
  return words;
}

/** Everything a search may match, lower-cased. */
export function searchText(d: Device): string {
  const verdict = [
    `verdict_${d.verdict.code}`,
    ...(d.verdict.reason ? [`reason_${d.verdict.reason}`] : []),
  ] as MessageKey[];
  return [
    d.friendlyName,
    d.locationPath ?? '',
    d.instanceId,
    d.dismountedInstanceId ?? '',
    d.pnpClass ?? '',
    d.owner.kind === 'vm' ? d.owner.vmName : '',
    ...verdict.flatMap((k) => [translate(k, 'en'), translate(k, 'zh-CN')]),
    ...(d.hostsSystemDisk
      ? [translate('verdictBlockedSystemDisk', 'en'), translate('verdictBlockedSystemDisk', 'zh-CN')]
      : []),
    ...classWords(d),
  ]
    .join('\n')
    .toLowerCase();
}

/** Whether a device matches every word of the search (words separated by spaces, any order). */
export function matchesSearch(d: Device, search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = searchText(d);
  return words.every((w) => text.includes(w));
}

export function matchesFilter(d: Device, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'assignable':
      return (
        d.verdict.code === 'assignable' ||
        d.verdict.code === 'assignable-less-secure' ||
        d.verdict.code === 'assignable-legacy-graphics'
      );
    case 'force':
      return d.verdict.code === 'force-insecure';
    case 'not':
      return d.verdict.code === 'not-assignable';
    case 'assigned':
      return d.owner.kind === 'vm';
  }
}

export const filters: readonly Filter[] = ['all', 'assignable', 'force', 'not', 'assigned'];

export interface DeviceView {
  /** The devices to list. */
  shown: Device[];
  /** Per filter chip, how many devices it would list with the same search and bridge toggle. */
  counts: Record<Filter, number>;
  /** Root ports and bridges the toggle hides (with the same search and filter). */
  hiddenBridges: number;
}

/** What the devices pane shows for a filter, a search and the bridges toggle. */
export function deviceView(
  devices: readonly Device[],
  filter: Filter,
  search: string,
  showBridges: boolean,
): DeviceView {
  const searched = devices.filter((d) => matchesSearch(d, search));
  const visible = showBridges ? searched : searched.filter((d) => !isBridgeOrPort(d));
  const counts = Object.fromEntries(
    filters.map((f) => [f, visible.filter((d) => matchesFilter(d, f)).length]),
  ) as Record<Filter, number>;
  const shown = visible.filter((d) => matchesFilter(d, filter));
  const hiddenBridges = showBridges ? 0 : searched.filter((d) => isBridgeOrPort(d) && matchesFilter(d, filter)).length;
  return { shown, counts, hiddenBridges };
}
