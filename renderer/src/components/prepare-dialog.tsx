/**
 * "Prepare this host": for each setup kind that fits the host, the exact commands to run on the host
 * and on this computer (from shared/prepare-host.ts, values quoted as PowerShell literals there), each
 * block with a Copy button, and the notes. Commands are shown as text, never as HTML.
 */
import { useEffect, useId, useState } from 'react';
import type { PrepareCommands } from '../../../shared/contract';
import type { AppError } from '../../../shared/result';
import { useStore } from '../store';
import { useT } from '../i18n';
import { Modal } from './modal';

function CopyBlock({ label, lines, testId }: { label: string; lines: string[]; testId: string }) {
  const { t } = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const text = lines.join('\n');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  const headId = useId();
  if (lines.length === 0) return null;
  return (
    <div className="copy-block">
      <div className="copy-head">
        <h4 id={headId}>{label}</h4>
        <button
          className="small"
          onClick={() => void copy()}
          aria-label={`${t('copy')}: ${label}`}
          aria-describedby={headId}
          data-testid={`${testId}-copy`}
        >
          {state === 'copied' ? t('copied') : t('copy')}
        </button>
        <span role="status" className="muted small-text">
          {state === 'failed' ? t('copyFailed') : ''}
        </span>
      </div>
      <pre className="mono commands" data-testid={testId} tabIndex={0} aria-labelledby={headId}>
        {lines.map((line, i) => (
          <span key={i} className="cmd">
            {line}
          </span>
        ))}
      </pre>
    </div>
  );
}

export function PrepareDialog() {
  const dialog = useStore((s) => s.hostDialog);
  if (dialog?.kind !== 'prepare') return null;
  return <PrepareView key={dialog.id} id={dialog.id} />;
}

function PrepareView({ id }: { id: string }) {
  const { t, tf, tx } = useT();
  const open = useStore((s) => s.openHostDialog);
  const load = useStore((s) => s.prepareCommands);
  const [data, setData] = useState<PrepareCommands | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const titleId = useId();
  useEffect(() => {
    let live = true;
    void load(id).then((r) => {
      if (!live) return;
      if (r.ok) setData(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [id, load]);
  const setups = data
    ? [...data.setups].sort(
        (a, b) => Number(data.recommended.includes(b.kind)) - Number(data.recommended.includes(a.kind)),
      )
    : [];
  return (
    <Modal
      labelledBy={titleId}
      onClose={() => open(null)}
      className="prepare-dialog"
      testId="prepare-dialog"
      initialFocus="[data-testid=prepare-close]"
    >
      <h2 id={titleId}>{data ? tf('prepareTitle', { name: data.name }) : t('prepareHost')}</h2>
      {!data && !error && (
        <div className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> {t('loading')}
        </div>
      )}
      {error && (
        <div className="banner bad" role="alert">
          {error.message}
        </div>
      )}
      {data && (
        <>
          <p className="muted">{t('prepareIntro')}</p>
          {setups.map((s, i) => (
            <details
              key={s.kind}
              className="setup"
              open={i === 0 || data.recommended.includes(s.kind) || undefined}
              data-testid="prepare-setup"
              data-kind={s.kind}
            >
              <summary>
                <strong>{tx(s.title)}</strong>
                {data.recommended.includes(s.kind) && <span className="badge green small">{t('recommended')}</span>}
              </summary>
              {s.clientCommandsFirst && (
                <CopyBlock
                  label={t('onThisComputerFirst')}
                  lines={s.clientCommandsFirst}
                  testId={`client-commands-first-${s.kind}`}
                />
              )}
              <CopyBlock label={t('onTheHost')} lines={s.hostCommands} testId={`host-commands-${s.kind}`} />
              <CopyBlock
                label={t(s.clientCommandsFirst ? 'onThisComputerThen' : 'onThisComputer')}
                lines={s.clientCommands}
                testId={`client-commands-${s.kind}`}
              />
              {s.notes.length > 0 && (
                <>
                  <h4>{t('goodToKnow')}</h4>
                  <ul className="notes">
                    {s.notes.map((n, j) => (
                      <li key={j}>{tx(n)}</li>
                    ))}
                  </ul>
                </>
              )}
            </details>
          ))}
        </>
      )}
      <div className="dialog-actions">
        <span className="spacer" />
        <button onClick={() => open(null)} data-testid="prepare-close">
          {t('close')}
        </button>
      </div>
    </Modal>
  );
}

export function RemoveHostDialog() {
  const { t, tf } = useT();
  const dialog = useStore((s) => s.hostDialog);
  const hosts = useStore((s) => s.hosts);
  const open = useStore((s) => s.openHostDialog);
  const remove = useStore((s) => s.removeHost);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const textId = useId();
  if (dialog?.kind !== 'remove') return null;
  const host = hosts.find((h) => h.id === dialog.id);
  if (!host) return null;
  const confirm = async () => {
    setBusy(true);
    const r = await remove(host.id);
    setBusy(false);
    if (r.ok) {
      setError(null);
      open(null);
    } else setError(r.error);
  };
  const cancel = () => {
    setError(null);
    open(null);
  };
  return (
    <Modal
      labelledBy={titleId}
      describedBy={textId}
      onClose={cancel}
      role="alertdialog"
      testId="remove-host-dialog"
      initialFocus="[data-testid=remove-cancel]"
    >
      <h2 id={titleId}>{tf('removeHostTitle', { name: host.name ?? host.id })}</h2>
      <p id={textId}>{t('removeHostText')}</p>
      <p className="muted mono">{host.description}</p>
      {error && (
        <div className="banner bad" role="alert">
          {error.message}
        </div>
      )}
      <div className="dialog-actions">
        <span className="spacer" />
        <button onClick={cancel} data-testid="remove-cancel">
          {t('cancel')}
        </button>
        <button className="danger" onClick={() => void confirm()} disabled={busy} data-testid="remove-confirm">
          {t('removeHost')}
        </button>
      </div>
    </Modal>
  );
}
