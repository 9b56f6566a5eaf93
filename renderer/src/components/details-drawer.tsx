/** Every survey fact behind a device's verdict, the MMIO need and the location path with a copy button. */
import { Fragment, useState } from 'react';
import { useStore } from '../store';
import { useT } from '../i18n';
import { Lifelines } from './devices-pane';
import { VerdictBadge } from './verdict-badge';

export function DetailsDrawer() {
  const { t } = useT();
  const selected = useStore((s) => s.selected);
  const device = useStore((s) => s.inventory?.devices.find((d) => d.locationPath === s.selected));
  const select = useStore((s) => s.select);
  const [copied, setCopied] = useState(false);
  if (!selected || !device) return null;
  const f = device.facts;
  const row = (k: string, v: string) => (
    <>
      <dt>{k}</dt>
      <dd className="mono">{v}</dd>
    </>
  );
  return (
    <aside className="drawer" role="complementary" aria-label={t('details')} data-testid="details">
      <header>
        <h2>{device.friendlyName}</h2>
        <button className="ghost" onClick={() => select(null)} aria-label={t('close')}>
          ✕
        </button>
      </header>
      <VerdictBadge verdict={device.verdict} locationPath={device.locationPath} systemDisk={device.hostsSystemDisk} />
      <Lifelines device={device} />
      <dl>
        <dt>{t('locationPath')}</dt>
        <dd className="mono">
          {device.locationPath}{' '}
          <button
            className="ghost small"
            onClick={() => {
              void navigator.clipboard?.writeText(device.locationPath ?? '');
              setCopied(true);
            }}
          >
            {copied ? t('copied') : t('copy')}
          </button>
        </dd>
        {row(t('instanceId'), device.instanceId)}
        {row(t('mmio'), device.mmioMB === null ? t('unknown') : `${device.mmioMB} MB`)}
        {row('DeviceType (pid 1)', String(f.deviceType ?? '—'))}
        {row('BaseClass (pid 3)', String(f.baseClass ?? '—'))}
        {row('AcsCompatibleUpHierarchy (pid 31)', String(f.acsUpHierarchy ?? '—'))}
        {row('RequiresReservedMemoryRegion (pid 34)', String(f.requiresReservedMemoryRegion ?? '—'))}
        {row('Disabled', String(f.disabled))}
        {row('IRQs', f.irqs === null ? t('unknown') : f.irqs.join(', ') || '—')}
        {row('Memory ranges', f.memoryRanges === null ? t('unknown') : f.memoryRanges.map((r) => `0x${BigInt(r.start).toString(16)}-0x${BigInt(r.end).toString(16)}`).join(', ') || '—')}
        {row('Source', f.source + (f.measuredAt ? ` (${f.measuredAt})` : ''))}
        {device.lifelines.disks.map((k) => (
          <Fragment key={k.number}>
            {row(`Disk ${k.number}`, `${k.friendlyName}${k.volumes.length > 0 ? ` · ${k.volumes.join(', ')}` : ''}${k.isBoot || k.isSystem ? ' · boot/system' : ''}${k.pageFile ? ' · pagefile' : ''}`)}
          </Fragment>
        ))}
      </dl>
      {f.notes.length > 0 && (
        <ul className="muted small">
          {f.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </aside>
  );
}
