/**
 * An operation's step log (Activity: a click on an operation's line): its plan's title, how it ended,
 * each step with its state, times, PowerShell and errors, and the exported log's lines of it, folded.
 */
import { useEffect, useState } from 'react';
import type { OperationLog } from '../../../shared/contract';
import type { MessageKey } from '../../../shared/i18n/messages';
import type { AppError } from '../../../shared/result';
import { bridge } from '../bridge';
import { useClock, useT } from '../i18n';
import { Modal } from './modal';

export function OperationLogDialog(props: { host: string; operationId: string; onClose: () => void }) {
  const { t, tf, tx } = useT();
  const clock = useClock();
  const [log, setLog] = useState<OperationLog | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    void bridge.getOperationLog({ host: props.host, operationId: props.operationId }).then((r) => {
      if (!live) return;
      if (r.ok) setLog(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [props.host, props.operationId]);
  // A step never reached in an operation that ended was not run; in one still unfinished it waits.
  const stateOf = (s: OperationLog['steps'][number]) => (s.state === 'pending' && log?.status ? 'not-run' : s.state);
  return (
    <Modal
      labelledBy="oplog-title"
      onClose={props.onClose}
      className="oplog-dialog"
      testId="operation-log"
      initialFocus="[data-testid=oplog-close]"
    >
      <h2 id="oplog-title" data-testid="oplog-title">
        {log ? tx(log.title) : t('opLogTitle')}
      </h2>
      {!log && !error && <p className="muted">{t('opLogLoading')}</p>}
      {error && (
        <div className="banner bad" role="alert" data-testid="oplog-error">
          {error.message}
        </div>
      )}
      {log && (
        <>
          <p className="muted" data-testid="oplog-summary" data-status={log.status ?? 'unfinished'}>
            <span data-verbatim="">{log.computerName}</span> · {tf('opLogStarted', { at: clock(log.startedAt, true) })}
            {log.endedAt ? <> · {tf('opLogEnded', { at: clock(log.endedAt, true) })}</> : null} ·{' '}
            <strong>{log.status ? t(`opStatus_${log.status}`) : t('opLogUnfinished')}</strong>
          </p>
          {log.untrusted && (
            <div className="banner bad" role="alert">
              {t('opLogUntrusted')} <span data-verbatim="">{log.untrusted}</span>
            </div>
          )}
          <ol className="steps">
            {log.steps.map((s) => {
              const st = stateOf(s);
              return (
                <li key={s.stepId} className={`step ${st}`} data-testid="oplog-step" data-state={st}>
                  <div className="step-line">
                    <span className="step-text">{tx(s.description)}</span>
                    <span className={`step-state ${st}`}>
                      {t(`stepState_${st}` as MessageKey)}
                      {s.durationMs !== undefined ? ` · ${s.durationMs} ${t('ms')}` : ''}
                    </span>
                  </div>
                  {(s.startedAt || s.endedAt) && (
                    <div className="muted small mono">
                      {s.startedAt ? clock(s.startedAt, true) : ''}
                      {s.startedAt && s.endedAt ? ' → ' : ''}
                      {s.endedAt ? clock(s.endedAt, true) : ''}
                      {s.reason ? <span data-verbatim=""> ({s.reason})</span> : null}
                    </div>
                  )}
                  <pre className="mono" data-verbatim="">
                    {s.command}
                  </pre>
                  {s.error && (
                    <pre className="mono error-text" data-testid="oplog-step-error" data-verbatim="">
                      {s.error.message}
                      {s.error.fullyQualifiedErrorId ? `\n${s.error.fullyQualifiedErrorId}` : ''}
                    </pre>
                  )}
                  {s.undoError && (
                    <pre className="mono error-text" data-verbatim="">
                      {t('opLogUndoFailed')}: {s.undoError.message}
                    </pre>
                  )}
                </li>
              );
            })}
          </ol>
          <details>
            <summary>{t('opLogFullLog')}</summary>
            <pre className="mono oplog-text" data-testid="oplog-text" data-verbatim="">
              {log.text}
            </pre>
          </details>
        </>
      )}
      <div className="dialog-actions">
        <span className="spacer" />
        <button onClick={props.onClose} data-testid="oplog-close">
          {t('close')}
        </button>
      </div>
    </Modal>
  );
}
