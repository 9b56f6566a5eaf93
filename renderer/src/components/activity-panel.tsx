/** The activity log of the selected host: every inventory, test and operation of this session, newest first; exportable. */
import { bridge } from '../bridge';
import { useStore } from '../store';
import { useT } from '../i18n';

export function ActivityPanel() {
  const { t } = useT();
  const activity = useStore((s) => s.activity);
  const host = useStore((s) => s.host);
  const exportLog = async () => {
    const r = await bridge.exportActivity({ host });
    if (!r.ok) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([r.value.text], { type: 'text/plain' }));
    a.download = r.value.fileName;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <footer className="activity" aria-label={t('activity')}>
      <div className="pane-head">
        <h2>{t('activity')}</h2>
        <button className="ghost" onClick={() => void exportLog()}>
          {t('exportLog')}
        </button>
      </div>
      <ol className="log" data-testid="activity">
        {activity.length === 0 && <li className="muted">{t('noActivity')}</li>}
        {activity.slice(0, 50).map((a) => (
          <li key={a.id}>
            <span className="muted mono">{new Date(a.at).toLocaleTimeString()}</span> <span className="activity-host">{a.hostName}</span> {a.summary}
            {a.durationMs !== undefined ? <span className="muted"> ({a.durationMs} ms)</span> : null}
          </li>
        ))}
      </ol>
    </footer>
  );
}
