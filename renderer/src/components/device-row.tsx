/** One device row of the devices pane: its drag handle, what it is and who owns it, its verdict and actions. */
import { useDraggable } from '@dnd-kit/core';
import { memo } from 'react';
import { isNetworkDevice, isStorageController, type Device } from '../../../shared/inventory';
import { isAssignableVerdict } from '../../../shared/survey';
import { useStore } from '../store';
import { mb, useT } from '../i18n';
import { canOfferDrag } from '../drop-rules';
import { AssignMenu } from './assign-menu';
import { VerdictBadge } from './verdict-badge';

/**
 * One device. dnd-kit re-renders every draggable when a drag starts or ends, so this component holds
 * only the drag hook and a light shell; the content below is memoized on the device object (stable
 * until the next inventory) and does not re-render during a drag. The row itself is memoized too: the
 * virtual list renders again as it scrolls, the rows it keeps do not.
 */
export const DeviceRow = memo(function DeviceRow({ device }: { device: Device }) {
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
});

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
        <button
          className="ghost"
          data-details
          onClick={() => select(path)}
          aria-label={`${t('details')}: ${device.friendlyName}`}
        >
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
