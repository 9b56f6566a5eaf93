/** A verdict in color AND words (color-blind safe): green, amber, red with the reason, gray. */
import type { Device } from '../../../shared/inventory';
import type { MessageKey } from '../../../shared/i18n/messages';
import { useT } from '../i18n';
import { useStore } from '../store';

const tone: Record<Device['verdict']['code'], string> = {
  assignable: 'green',
  'assignable-less-secure': 'amber',
  'assignable-legacy-graphics': 'amber',
  'force-insecure': 'amber',
  'disabled-unknown': 'gray',
  'not-assignable': 'red',
  unknown: 'gray',
};

const NONE: string[] = [];

/**
 * The survey's verdict, or "needs consent: no mitigation driver" for a device whose dismount the host
 * refused this session with the mitigation check on: the survey cannot see that.
 */
export function VerdictBadge({
  verdict: surveyed,
  locationPath,
  systemDisk = false,
}: {
  verdict: Device['verdict'];
  locationPath?: string | null;
  systemDisk?: boolean;
}) {
  const { t } = useT();
  const refusedPaths = useStore((s) => s.forceRefused[s.host] ?? NONE);
  // The controller of the host's system disk is never assigned, whatever the survey says of the hardware.
  if (systemDisk)
    return (
      <span className="badge red" data-verdict="blocked-system-disk">
        {t('verdictBlockedSystemDisk')}
      </span>
    );
  const refused =
    !!locationPath &&
    (surveyed.code.startsWith('assignable') || surveyed.code === 'force-insecure') &&
    refusedPaths.includes(locationPath.toUpperCase());
  const verdict = surveyed;
  const reason =
    verdict.reason && verdict.code === 'not-assignable' ? `: ${t(`reason_${verdict.reason}` as MessageKey)}` : '';
  return (
    <span
      className={`badge ${refused ? 'amber' : tone[verdict.code]}`}
      data-verdict={refused ? 'needs-mitigation-consent' : verdict.code}
      data-refused={refused || undefined}
      title={refused ? t('refusedWithoutForce') : undefined}
    >
      {refused ? t('verdictNeedsMitigationConsent') : t(`verdict_${verdict.code}` as MessageKey)}
      {reason}
      {verdict.remembered ? ` · ${t('remembered')}` : ''}
    </span>
  );
}
