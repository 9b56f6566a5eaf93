/** Blocking host states, each with the fix in plain words, and interrupted operations to resolve. */
import { useEffect } from 'react';
import { bridge } from '../bridge';
import { useStore } from '../store';
import { useT } from '../i18n';
import { useHostLabel } from './host-switcher';
import { iovReadiness } from '../../../shared/host-readiness';
import { LostBanner } from './lost-banner';

/** How often an operation running in another process is looked at again. */
const RUNNING_POLL_MS = 5_000;

export function Banners() {
  const inv = useStore((s) => s.inventory);
  const info = useStore((s) => s.appInfo);
  const loadError = useStore((s) => s.loadError);
  const unfinished = useStore((s) => s.unfinished);
  const resolve = useStore((s) => s.resolveUnfinished);
  const refreshUnfinished = useStore((s) => s.refreshUnfinished);
  // An operation another process runs: looked at again until it has ended (or stopped half-way).
  const watching = unfinished.some((u) => u.running);
  useEffect(() => {
    if (!watching) return;
    const timer = setInterval(() => void refreshUnfinished(), RUNNING_POLL_MS);
    return () => clearInterval(timer);
  }, [watching, refreshUnfinished]);
  const load = useStore((s) => s.loadInventory);
  const current = useStore((s) => s.hosts.find((h) => h.id === s.host));
  const openDialog = useStore((s) => s.openHostDialog);
  const hostLabel = useHostLabel();
  const { t, tf } = useT();
  const out = [];
  const hostsError = useStore((s) => s.hostsError);
  const lost = useStore((s) => s.lost);
  const remote = current && current.transport !== 'local' ? current : null;
  if (hostsError) {
    out.push(
      <div key="hosts" className="banner bad" role="alert" data-testid="hosts-error">
        <strong>{t('hostsUnreadable')}</strong> <span className="mono">{hostsError.message}</span>
      </div>,
    );
  }
  // A lost server or host says what to check and reconnects (LostBanner); other failures are shown here.
  if (lost) out.push(<LostBanner key="lost" />);
  else if (loadError) {
    out.push(
      <div key="err" className="banner bad" role="alert" data-testid="load-error">
        <strong>
          {loadError.code === 'powershell-missing'
            ? t('fixPowerShell')
            : remote
              ? tf('hostUnreachable', { name: hostLabel(remote) })
              : t('errorTitle')}
        </strong>{' '}
        <span className="mono">{loadError.message}</span> <button onClick={() => void load(true)}>{t('retry')}</button>
        {remote && (
          <>
            {' '}
            <button onClick={() => openDialog({ kind: 'edit', id: remote.id })}>{t('editHost')}</button>{' '}
            <button onClick={() => openDialog({ kind: 'prepare', id: remote.id })}>{t('prepareHost')}</button>
          </>
        )}
      </div>,
    );
  }
  if (inv) {
    const h = inv.host;
    if (!h.elevated)
      out.push(
        <div key="elev" className="banner warn" role="alert" data-testid="not-elevated">
          {t('fixNotElevated')}{' '}
          {info?.canRestartElevated && (
            <button onClick={() => void bridge.restartElevated({})}>{t('restartElevated')}</button>
          )}
        </div>,
      );
    if (h.windowsPowerShellCompat)
      out.push(
        <div key="compat" className="banner bad" role="alert" data-testid="engine-compat">
          {t('fixEngineCompat')}
        </div>,
      );
    if (!h.hyperVPresent)
      out.push(
        <div key="hv" className="banner bad" role="alert">
          {t('fixNoHyperV')}
        </div>,
      );
    if (h.isServerSku === false)
      out.push(
        <div key="sku" className="banner bad" role="alert">
          {t('fixClientSku')}
        </div>,
      );
    // The seed's ACS case (shared/host-readiness.ts): some device's own facts let -Force through.
    const acsOnly =
      h.iovSupport === false && inv.devices.some((d) => d.owner.kind === 'host' && iovReadiness(h, [d]) === 'acs-only');
    if (h.iovSupport === false)
      out.push(
        <div
          key="iov"
          className={acsOnly ? 'banner warn' : 'banner bad'}
          role="alert"
          data-testid={acsOnly ? 'iov-acs-only' : 'no-iov'}
        >
          {t(acsOnly ? 'fixIovAcsOnly' : 'fixNoIov')}
          <ul>
            {h.iovSupportReasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>,
      );
    if (h.iommuPolicyEnabled === false)
      out.push(
        <div key="iommu" className="banner bad" role="alert">
          {t('fixIommu')}
        </div>,
      );
  }
  for (const u of unfinished)
    out.push(
      u.untrusted ? (
        <div key={u.operationId} className="banner bad" role="alert" data-testid="untrusted-operation">
          {t('unfinishedUntrusted')} {u.title}: {u.untrusted}
        </div>
      ) : u.running ? (
        <div key={u.operationId} className="banner" role="status" data-testid="running-operation">
          {t('unfinishedRunning')} {u.title} ({u.completedSteps.length}/{u.totalSteps}): {u.running}
        </div>
      ) : (
        <div key={u.operationId} className="banner warn" role="alert">
          {t('unfinished')} {u.title} ({u.completedSteps.length}/{u.totalSteps}){' '}
          <button onClick={() => void resolve(u.operationId, 'rollback')}>{t('rollback')}</button>{' '}
          <button onClick={() => void resolve(u.operationId, 'finish')}>{t('finish')}</button>
        </div>
      ),
    );
  return <>{out}</>;
}
