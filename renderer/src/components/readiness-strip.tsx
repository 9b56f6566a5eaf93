/**
 * The selected host's readiness, folded beside its tab (issue 17 #6): one chip, "ready for DDA" or
 * "3 of 5 ready" naming what is missing; every precondition with its state in the chip's title and
 * for screen readers. The banners below say how to fix a missing one.
 */
import { useStore } from '../store';
import { useT } from '../i18n';

export function ReadinessStrip() {
  const inv = useStore((s) => s.inventory);
  const info = useStore((s) => s.appInfo);
  const { t, tf } = useT();
  if (!inv) return null;
  const h = inv.host;
  const items: Array<{ label: string; value: boolean | null; why: string }> = [
    { label: t('readinessServer'), value: h.isServerSku, why: h.osCaption ?? '' },
    { label: t('readinessIov'), value: h.iovSupport, why: h.iovSupportReasons.join(' ') },
    { label: t('readinessIommu'), value: h.iommuPolicyEnabled, why: 'bcdedit hypervisoriommupolicy' },
    { label: t('readinessPcie'), value: h.osPcieControl, why: '' },
    { label: t('readinessElevated'), value: h.elevated, why: '' },
  ];
  const state = (v: boolean | null) => (v === null ? t('unknown') : v ? t('ok') : t('no'));
  const good = items.filter((i) => i.value === true).length;
  const missing = items.filter((i) => i.value !== true);
  const tone = missing.some((i) => i.value === false) ? 'bad' : missing.length > 0 ? 'unknown' : 'good';
  const details = [
    h.osCaption ?? '',
    `PowerShell ${h.psEdition} ${h.psVersion}`,
    ...items.map((i) => `${i.label}: ${state(i.value)}${i.why ? ` (${i.why})` : ''}`),
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div className="readiness" aria-label={t('hostReadiness')} role="group" title={details} data-testid="readiness">
      <span className="sr-only">
        <strong className="host-name">{h.computerName}</strong>
      </span>
      <span className={`ready ${tone}`} data-testid="readiness-chip" data-ready={good === items.length}>
        <span className="dot" aria-hidden="true" />
        {good === items.length ? t('readyAll') : tf('readyMissing', { n: good, total: items.length })}
        {missing.length > 0 && (
          <span className="ready-missing"> · {missing.map((i) => `${i.label}: ${state(i.value)}`).join(' · ')}</span>
        )}
      </span>
      <ul className="sr-only">
        {items.map((i) => (
          <li key={i.label}>
            {i.label}: {state(i.value)}
          </li>
        ))}
      </ul>
      {info?.simulated && <span className="badge gray small">{t('simulated')}</span>}
    </div>
  );
}
