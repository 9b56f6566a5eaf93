/**
 * The activity log of the selected host: every inventory, test and operation of this session, newest
 * first, each line in the app's language with its time as that language writes it; an icon and colour
 * per outcome (failures red), an "operations only" filter; exportable. A click on an operation's line
 * opens its step log.
 */
import { useState } from 'react';
import { createPortal } from 'react-dom';
import type { ActivityEntry } from '../../../shared/contract';
import { useStore } from '../store';
import { useClock, useT } from '../i18n';
import { OperationLogDialog } from './operation-log-dialog';

/** How an entry ended: failed (an error, a rollback), done, or neutral (an inventory, a host change). */
export function activityTone(a: ActivityEntry): 'bad' | 'warn' | 'good' | 'neutral' {
  if (a.kind === 'error' || a.status === 'rollback-failed') return 'bad';
  if (a.status === 'rolled-back') return 'warn';
  if (a.kind === 'operation' || a.kind === 'recovery') return 'good';
  return 'neutral';
}

const icon = { bad: '✖', warn: '↺', good: '✔', neutral: '·' } as const;

export function ActivityPanel() {
  const { t } = useT();
  const activity = useStore((s) => s.activity);
  const exportLog = useStore((s) => s.exportActivity);
  const [operationsOnly, setOperationsOnly] = useState(false);
  const [openLog, setOpenLog] = useState<{ host: string; operationId: string } | null>(null);
  const shown = (
    operationsOnly
      ? activity.filter((a) => a.kind === 'operation' || a.kind === 'recovery' || (a.kind === 'error' && a.operationId))
      : activity
  ).slice(0, 50);
  return (
    <footer className="activity" aria-label={t('activity')}>
      <div className="pane-head">
        <h2>{t('activity')}</h2>
        <label className="small-text">
          <input
            type="checkbox"
            checked={operationsOnly}
            onChange={(e) => setOperationsOnly(e.target.checked)}
            data-testid="operations-only"
          />{' '}
          {t('activityOperationsOnly')}
        </label>
        <span className="spacer" />
        <button className="ghost" onClick={() => void exportLog()}>
          {t('exportLog')}
        </button>
      </div>
      <ol className="log" data-testid="activity">
        {shown.length === 0 && <li className="muted">{t('noActivity')}</li>}
        {shown.map((a) => {
          const tone = activityTone(a);
          return (
            <li
              key={a.id}
              className={`activity-line ${tone}`}
              data-testid="activity-line"
              data-kind={a.kind}
              data-tone={tone}
            >
              <span className="activity-icon" aria-hidden="true">
                {icon[tone]}
              </span>
              {tone === 'bad' && <span className="sr-only">{t('activityKind_error')}: </span>}
              {a.operationId && (a.kind === 'operation' || a.kind === 'recovery') ? (
                <button
                  className="activity-open"
                  onClick={() => setOpenLog({ host: a.host, operationId: a.operationId! })}
                  data-testid="activity-open"
                  aria-haspopup="dialog"
                >
                  <ActivityLineText a={a} />
                  <span className="sr-only"> · {t('opLogOpenHint')}</span>
                </button>
              ) : (
                <ActivityLineText a={a} />
              )}
            </li>
          );
        })}
      </ol>
      {/* On the page, not inside the Activity footer (its landmark and its scrolling). */}
      {openLog &&
        createPortal(
          <OperationLogDialog host={openLog.host} operationId={openLog.operationId} onClose={() => setOpenLog(null)} />,
          document.body,
        )}
    </footer>
  );
}

/** A line's time, host, text and duration. */
function ActivityLineText({ a }: { a: ActivityEntry }) {
  const { t } = useT();
  const clock = useClock();
  const language = useStore((s) => s.language);
  return (
    <>
      <span className="muted mono">{clock(a.at, true)}</span>{' '}
      <span className="activity-host" data-verbatim="">
        {a.hostName}
      </span>{' '}
      {a.text ? a.text[language] : <span data-verbatim="">{a.summary}</span>}
      {a.durationMs !== undefined ? (
        <span className="muted">
          {' '}
          ({a.durationMs} {t('ms')})
        </span>
      ) : null}
    </>
  );
}
