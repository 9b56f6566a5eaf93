/** A verdict in color AND words (color-blind safe): green, amber, red with the reason, gray. */
import type { Device } from '../../../shared/inventory';
import type { MessageKey } from '../../../shared/i18n/messages';
import { useT } from '../i18n';

const tone: Record<Device['verdict']['code'], string> = {
  assignable: 'green',
  'assignable-less-secure': 'amber',
  'assignable-legacy-graphics': 'amber',
  'force-insecure': 'amber',
  'disabled-unknown': 'gray',
  'not-assignable': 'red',
  unknown: 'gray',
};

export function VerdictBadge({ verdict }: { verdict: Device['verdict'] }) {
  const { t } = useT();
  const reason = verdict.reason && verdict.code === 'not-assignable' ? `: ${t(`reason_${verdict.reason}` as MessageKey)}` : '';
  return (
    <span className={`badge ${tone[verdict.code]}`} data-verdict={verdict.code}>
      {t(`verdict_${verdict.code}` as MessageKey)}
      {reason}
      {verdict.remembered ? ` · ${t('remembered')}` : ''}
    </span>
  );
}
