/**
 * The host is lost (issue 17 #5): which link broke, since when the data on screen dates, what to check,
 * and the reconnect the store is already trying (with a button to try at once).
 */
import { useStore } from '../store';
import { useClock, useT } from '../i18n';
import { useHostLabel } from './host-switcher';

export function LostBanner() {
  const { t, tf } = useT();
  const clock = useClock();
  const lost = useStore((s) => s.lost);
  const reconnecting = useStore((s) => s.reconnecting);
  const readAt = useStore((s) => s.inventory?.readAt ?? null);
  const current = useStore((s) => s.hosts.find((h) => h.id === s.host));
  const reconnectNow = useStore((s) => s.reconnectNow);
  const label = useHostLabel();
  if (!lost) return null;
  const name = label(current);
  const title = lost.cause === 'server' ? t('lostServer') : tf('lostHost', { name });
  const check =
    lost.cause === 'server'
      ? t('lostCheckServer')
      : current && current.transport !== 'local'
        ? tf('lostCheckRemote', { name })
        : t('lostCheckLocal');
  return (
    <div className="banner bad lost" role="alert" data-testid="lost-host" data-cause={lost.cause}>
      <div>
        <strong>{title}</strong>{' '}
        {readAt && (
          <span data-testid="lost-read-at" data-read-at={readAt}>
            {tf('lostShowing', { time: clock(readAt) })}
          </span>
        )}
      </div>
      <div>{check}</div>
      {lost.error?.message && (
        <div className="mono small-text" data-verbatim="">
          {lost.error.message}
        </div>
      )}
      <div className="lost-retry">
        <span role="status" aria-live="polite" data-testid="reconnect-status">
          {reconnecting || lost.retryInMs === null
            ? t('reconnecting')
            : tf('reconnectingIn', { seconds: Math.round(lost.retryInMs / 1000) })}
        </span>{' '}
        <button onClick={() => void reconnectNow()} disabled={reconnecting} data-testid="reconnect-now">
          {t('reconnectNow')}
        </button>
      </div>
    </div>
  );
}
