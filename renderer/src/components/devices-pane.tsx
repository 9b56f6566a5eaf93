/** The devices pane: filters, search, devices grouped by card, drag handles and "Assign to…". */
import { useDraggable } from '@dnd-kit/core';
import { memo, useMemo } from 'react';
import { isNetworkDevice, isStorageController, type Device } from '../../../shared/inventory';
import { isAssignableVerdict } from '../../../shared/survey';
import { deviceView } from '../device-search';
import { useStore, type Filter } from '../store';
import { mb, useT } from '../i18n';
import { canOfferDrag } from '../drop-rules';
import { AssignMenu } from './assign-menu';
import { VerdictBadge } from './verdict-badge';

const rank = (d: Device) => (isAssignableVerdict(d.verdict.code) ? 0 : d.verdict.code === 'not-assignable' ? 2 : 1);

/**
 * One device. dnd-kit re-renders every draggable when a drag starts or ends, so this component holds
 * only the drag hook and a light shell; the content below is memoized on the device object (stable
 * until the next inventory) and does not re-render during a drag.
 */
function DeviceRow({ device }: { device: Device }) {
  const path = device.locationPath ?? '';
  const { t } = useT();
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: `device:${path}`,
    data: { path },
    disabled: !path,
    attributes: { roleDescription: t('draggable') },
  });
  // A row no VM can take is not offered to the keyboard or announced as draggable; the pointer may still
  // try it and hear why not. Its name is its content (no aria-label that would differ from what is seen).
  const offered = canOfferDrag(device);
  const handle = offered
    ? { ...listeners, ...attributes }
    : { onPointerDown: listeners?.['onPointerDown'] as React.PointerEventHandler | undefined };
  return (
    <li className={`device ${isDragging ? 'dragging' : ''}`} data-testid="device" data-path={path}>
      <div className="drag" ref={setNodeRef} {...handle} data-testid="device-handle" data-draggable={offered}>
        <DeviceSummary device={device} />
      </div>
      <DeviceActions device={device} />
    </li>
  );
}

const DeviceSummary = memo(function DeviceSummary({ device }: { device: Device }) {
  const { t } = useT();
  const owner =
    device.owner.kind === 'host'
      ? t('ownerHost')
      : device.owner.kind === 'dismounted'
        ? t('ownerDismounted')
        : device.owner.vmName;
  return (
    <>
      <div className="device-name" title={device.friendlyName}>
        {device.friendlyName}
      </div>
      <div className="device-meta muted">
        {device.pnpClass ?? '—'} ·{' '}
        <span title={device.mmioMB === null ? '' : `${device.mmioMB} MB`}>
          {device.mmioMB === null ? t('unknownMmio') : `${mb(device.mmioMB, false)} ${t('mmio')}`}
        </span>{' '}
        · <span data-testid="owner">{owner}</span>
      </div>
      <Lifelines device={device} />
    </>
  );
});

/** What the host itself uses the device for (its addresses, switches, session, disks): one small line. */
export function Lifelines({ device }: { device: Device }) {
  const { t, tf } = useT();
  if (device.owner.kind !== 'host') return null;
  const l = device.lifelines;
  const items: Array<{ key: string; text: string; danger: boolean }> = [];
  if (isNetworkDevice(device)) {
    if (l.carriesSession === true) items.push({ key: 'session', text: t('lifelineSession'), danger: true });
    if (!l.networkKnown) items.push({ key: 'net-unknown', text: t('lifelineNetworkUnknown'), danger: false });
    if (l.ipAddresses.length > 0)
      items.push({ key: 'ip', text: tf('lifelineHostIp', { ips: l.ipAddresses.join(', ') }), danger: false });
    for (const s of l.vSwitches)
      items.push({
        key: `sw:${s.name}`,
        text:
          s.vms.length > 0
            ? tf('lifelineSwitchVms', { name: s.name, vms: s.vms.join(', ') })
            : tf('lifelineSwitch', { name: s.name }),
        danger: false,
      });
    const carries =
      l.ipAddresses.length > 0 || l.vSwitches.some((s) => s.hostIpAddresses.length > 0) || !l.networkKnown;
    if (l.carriesSession === null && carries)
      items.push({ key: 'session-unknown', text: t('lifelineSessionUnknown'), danger: false });
  }
  if (isStorageController(device) || l.disks.length > 0) {
    if (!l.storageKnown) items.push({ key: 'disk-unknown', text: t('lifelineStorageUnknown'), danger: false });
    if (l.disks.some((k) => k.isBoot || k.isSystem) && !device.hostsSystemDisk)
      items.push({ key: 'boot', text: t('lifelineBootDisk'), danger: true });
    if (l.disks.some((k) => k.pageFile)) items.push({ key: 'pagefile', text: t('lifelinePageFile'), danger: true });
    const volumes = l.disks.flatMap((k) => k.volumes);
    if (volumes.length > 0)
      items.push({ key: 'volumes', text: tf('lifelineVolumes', { volumes: volumes.join(', ') }), danger: false });
  }
  if (items.length === 0) return null;
  return (
    <div className="lifelines" aria-label={t('lifelines')} data-testid="lifelines">
      {items.map((i) => (
        <span key={i.key} className={`lifeline ${i.danger ? 'danger' : ''}`} data-testid="lifeline">
          {i.text}
        </span>
      ))}
    </div>
  );
}

const DeviceActions = memo(function DeviceActions({ device }: { device: Device }) {
  const { t } = useT();
  const openPlan = useStore((s) => s.openPlan);
  const select = useStore((s) => s.select);
  const path = device.locationPath ?? '';
  return (
    <>
      <VerdictBadge verdict={device.verdict} locationPath={device.locationPath} systemDisk={device.hostsSystemDisk} />
      <div className="row-actions">
        <button className="ghost" onClick={() => select(path)} aria-label={`${t('details')}: ${device.friendlyName}`}>
          {t('details')}
        </button>
        {device.owner.kind !== 'vm' && isAssignableVerdict(device.verdict.code) && !device.hostsSystemDisk && (
          <AssignMenu device={device} />
        )}
        {device.owner.kind === 'dismounted' && (
          <button onClick={() => void openPlan({ kind: 'revert', locationPath: path })}>{t('returnToHost')}</button>
        )}
      </div>
    </>
  );
});

export function DevicesPane() {
  const { t, tf } = useT();
  const inventory = useStore((s) => s.inventory);
  const filter = useStore((s) => s.filter);
  const search = useStore((s) => s.search);
  const setFilter = useStore((s) => s.setFilter);
  const setSearch = useStore((s) => s.setSearch);
  const showBridges = useStore((s) => s.showBridges);
  const setShowBridges = useStore((s) => s.setShowBridges);
  const view = useMemo(
    () => deviceView(inventory?.devices ?? [], filter, search, showBridges),
    [inventory, filter, search, showBridges],
  );
  const groups = useMemo(() => {
    const list = view.shown;
    const byCard = new Map<string, Device[]>();
    for (const d of list) {
      const key = d.card?.path ?? d.locationPath ?? d.instanceId;
      byCard.set(key, [...(byCard.get(key) ?? []), d]);
    }
    return [...byCard.entries()]
      .map(([key, ds]) => ({
        key,
        devices: ds.sort((a, b) => (a.card?.functionNumber ?? 0) - (b.card?.functionNumber ?? 0)),
      }))
      .sort(
        (a, b) =>
          Math.min(...a.devices.map(rank)) - Math.min(...b.devices.map(rank)) ||
          a.devices[0]!.friendlyName.localeCompare(b.devices[0]!.friendlyName),
      );
  }, [view]);
  const filters: Array<[Filter, string]> = [
    ['all', t('filterAll')],
    ['assignable', t('filterAssignable')],
    ['force', t('filterForce')],
    ['not', t('filterNot')],
    ['assigned', t('filterAssigned')],
  ];
  return (
    <section className="pane devices-pane" aria-labelledby="devices-title">
      <div className="pane-head">
        <h2 id="devices-title" title={t('dragHint')}>
          {t('devices')}
        </h2>
        <input
          type="search"
          placeholder={t('searchHint')}
          aria-label={t('search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="device-search"
        />
      </div>
      <div className="filters" role="radiogroup" aria-label={t('filter')}>
        {filters.map(([f, label]) => (
          <button
            key={f}
            role="radio"
            aria-checked={filter === f}
            className={filter === f ? 'chip-filter on' : 'chip-filter'}
            onClick={() => setFilter(f)}
            data-testid="filter-chip"
            data-filter={f}
            data-count={view.counts[f]}
          >
            {label} <span className="chip-count">{view.counts[f]}</span>
          </button>
        ))}
        <label className="bridges-toggle">
          <input
            type="checkbox"
            checked={showBridges}
            onChange={(e) => setShowBridges(e.target.checked)}
            data-testid="show-bridges"
          />{' '}
          {t('showBridges')}
          {view.hiddenBridges > 0 && <span className="muted"> ({view.hiddenBridges})</span>}
        </label>
      </div>
      {groups.length === 0 && (
        <div className="empty-state muted" role="status" data-testid="no-devices">
          {search.trim() ? tf('noDeviceMatches', { search: search.trim() }) : t('noDevicesInFilter')}{' '}
          {(search.trim() || filter !== 'all') && (
            <button className="ghost" onClick={() => (setSearch(''), setFilter('all'))} data-testid="clear-search">
              {t('clearSearch')}
            </button>
          )}
        </div>
      )}
      <ul className="cards" aria-label={t('devices')}>
        {groups.map((g) => (
          <li key={g.key} className="card-group">
            {g.devices.length > 1 && (
              <div className="card-title muted">
                {g.key} · {g.devices.length} {t('functions')}
              </div>
            )}
            <ul>
              {g.devices.map((d) => (
                <DeviceRow key={d.instanceId} device={d} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
