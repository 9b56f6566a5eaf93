/**
 * The details drawer: Verdict, Why, What you can do (with Microsoft's DDA planning page), then the raw
 * survey facts folded below. It takes focus when it opens, closes on Escape, and gives focus back.
 */
import { Fragment, useEffect, useRef, useState } from 'react';
import { messages, type MessageKey } from '../../../shared/i18n/messages';
import type { Device } from '../../../shared/inventory';
import { useStore } from '../store';
import { useT } from '../i18n';
import { Lifelines } from './device-row';
import { VerdictBadge } from './verdict-badge';

export const DDA_PLANNING_URL =
  'https://learn.microsoft.com/en-us/windows-server/virtualization/hyper-v/plan/plan-for-deploying-devices-using-discrete-device-assignment';

/** The why_/what_ message keys for a device's verdict: the system disk first, then the reason, then the verdict. */
export function explanationKeys(device: Device): { why: MessageKey; what: MessageKey } | null {
  const topic = device.hostsSystemDisk
    ? 'systemDisk'
    : device.verdict.code === 'not-assignable' && device.verdict.reason
      ? device.verdict.reason
      : device.verdict.code;
  const why = `why_${topic}`;
  const what = `what_${topic}`;
  const known = (k: string) => Object.prototype.hasOwnProperty.call(messages, k);
  return known(why) && known(what) ? { why: why as MessageKey, what: what as MessageKey } : null;
}

const NONE: string[] = [];

export function DetailsDrawer() {
  const { t } = useT();
  const selected = useStore((s) => s.selected);
  const device = useStore((s) => s.inventory?.devices.find((d) => d.locationPath === s.selected));
  const refused = useStore((s) => s.forceRefused[s.host] ?? NONE);
  const select = useStore((s) => s.select);
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLElement>(null);
  const open = !!selected && !!device;
  // Focus moves in when the drawer opens (or shows another device) and goes back where it was on close.
  useEffect(() => {
    if (!open) return;
    const before = document.activeElement as HTMLElement | null;
    const path = selected;
    ref.current?.focus();
    return () => {
      if (before && document.contains(before)) return before.focus();
      // The virtual list drew the row again while the drawer was open: its Details button, found by the
      // device's path once the list has rendered, unless the admin has put focus somewhere meanwhile.
      requestAnimationFrame(() => {
        if (document.activeElement && document.activeElement !== document.body) return;
        const row = [...document.querySelectorAll<HTMLElement>('[data-testid="device"]')].find(
          (e) => e.dataset.path === path,
        );
        row?.querySelector<HTMLElement>('button[data-details]')?.focus();
      });
    };
  }, [open, selected]);
  if (!selected || !device) return null;
  const f = device.facts;
  const explain = explanationKeys(device);
  const row = (k: string, v: string) => (
    <>
      <dt>{k}</dt>
      <dd className="mono">{v}</dd>
    </>
  );
  return (
    <aside
      className="drawer"
      role="complementary"
      aria-labelledby="details-title"
      tabIndex={-1}
      ref={ref}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        select(null);
      }}
      data-testid="details"
    >
      <header>
        <h2 id="details-title">
          <span className="sr-only">{t('details')}: </span>
          {device.friendlyName}
        </h2>
        <button className="ghost" onClick={() => select(null)} aria-label={t('close')} data-testid="details-close">
          ✕
        </button>
      </header>
      <section aria-labelledby="details-verdict">
        <h3 id="details-verdict">{t('verdict')}</h3>
        <VerdictBadge verdict={device.verdict} locationPath={device.locationPath} systemDisk={device.hostsSystemDisk} />
        <Lifelines device={device} />
      </section>
      {explain && (
        <>
          <section aria-labelledby="details-why">
            <h3 id="details-why">{t('why')}</h3>
            <p data-testid="details-why">
              {t(explain.why)}
              {device.locationPath && refused.includes(device.locationPath.toUpperCase()) && (
                <> {t('refusedWithoutForce')}</>
              )}
            </p>
          </section>
          <section aria-labelledby="details-what">
            <h3 id="details-what">{t('whatYouCanDo')}</h3>
            <p data-testid="details-what">{t(explain.what)}</p>
            <p>
              <a href={DDA_PLANNING_URL} target="_blank" rel="noreferrer" data-testid="details-learn">
                {t('ddaPlanningLink')}
              </a>
            </p>
          </section>
        </>
      )}
      <details className="raw-facts" data-testid="raw-facts">
        <summary>{t('rawFacts')}</summary>
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
          {row(
            'Memory ranges',
            f.memoryRanges === null
              ? t('unknown')
              : f.memoryRanges
                  .map((r) => `0x${BigInt(r.start).toString(16)}-0x${BigInt(r.end).toString(16)}`)
                  .join(', ') || '—',
          )}
          {row('Source', f.source + (f.measuredAt ? ` (${f.measuredAt})` : ''))}
          {device.lifelines.disks.map((k) => (
            <Fragment key={k.number}>
              {row(
                `Disk ${k.number}`,
                `${k.friendlyName}${k.volumes.length > 0 ? ` · ${k.volumes.join(', ')}` : ''}${k.isBoot || k.isSystem ? ' · boot/system' : ''}${k.pageFile ? ' · pagefile' : ''}`,
              )}
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
      </details>
    </aside>
  );
}
