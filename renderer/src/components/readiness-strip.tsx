/** The host readiness strip: name, OS, and each precondition of DDA with its state in words. */
import { useStore } from '../store';
import { useT } from '../i18n';

export function ReadinessStrip() {
  const inv = useStore((s) => s.inventory);
  const info = useStore((s) => s.appInfo);
  const { t } = useT();
  if (!inv) return null;
  const h = inv.host;
  const item = (label: string, value: boolean | null, title: string) => (
    <li className={`ready ${value === null ? 'unknown' : value ? 'good' : 'bad'}`} title={title}>
      <span className="dot" aria-hidden="true" />
      {label}: {value === null ? t('unknown') : value ? t('ok') : t('no')}
    </li>
  );
  return (
    <div className="readiness" aria-label="Host readiness">
      <strong className="host-name">{h.computerName}</strong>
      <span className="muted">{h.osCaption ?? ''}</span>
      {info?.simulated && <span className="badge gray">{t('simulated')}</span>}
      <ul>
        {item(t('readinessServer'), h.isServerSku, h.osCaption ?? '')}
        {item(t('readinessIov'), h.iovSupport, h.iovSupportReasons.join(' '))}
        {item(t('readinessIommu'), h.iommuPolicyEnabled, 'bcdedit hypervisoriommupolicy')}
        {item(t('readinessPcie'), h.osPcieControl, '')}
        {item(t('readinessElevated'), h.elevated, '')}
        <li className="ready muted">PowerShell {h.psEdition} {h.psVersion}</li>
      </ul>
    </div>
  );
}
