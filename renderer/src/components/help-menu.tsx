/**
 * Help menu: "Check this host" (dda doctor's read-only checks, in a dialog) and "Save host report"
 * (dda host capture, as a download; anonymized or not) for the host in view.
 */
import { useEffect, useId, useState } from 'react';
import type { DoctorReport, DoctorStatus } from '../../../shared/doctor';
import { doctorProblemText, doctorText, doctorUiText } from '../../../shared/i18n/doctor-messages';
import type { AppError } from '../../../shared/result';
import { bridge } from '../bridge';
import { useStore } from '../store';
import { Modal } from './modal';

export function HelpMenu() {
  const lang = useStore((s) => s.language);
  const host = useStore((s) => s.host);
  const [open, setOpen] = useState(false);
  const [doctor, setDoctor] = useState(false);
  const [saving, setSaving] = useState<string | null>(null);
  const u = (k: Parameters<typeof doctorUiText>[0], v?: Record<string, string>) => doctorUiText(k, lang, v);
  const save = async (anonymize: boolean) => {
    setOpen(false);
    setSaving(u('reportSaving'));
    const r = await bridge.captureHost({ host, anonymize });
    if (!r.ok) return setSaving(r.error.message);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([r.value.text], { type: 'application/json' }));
    a.download = r.value.fileName;
    a.click();
    URL.revokeObjectURL(a.href);
    setSaving(u('reportSaved', { file: r.value.fileName }));
  };
  return (
    <span className="menu-wrap">
      <button aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="help-menu">
        {u('help')}
      </button>
      {open && (
        <ul role="menu" className="menu" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <li role="none">
            <button role="menuitem" onClick={() => (setOpen(false), setDoctor(true))} data-testid="help-check-host">
              {u('checkHost')}
            </button>
          </li>
          <li role="none">
            <button role="menuitem" onClick={() => void save(false)} data-testid="help-save-report">
              {u('saveReport')}
            </button>
          </li>
          <li role="none">
            <button role="menuitem" onClick={() => void save(true)} data-testid="help-save-report-anonymized">
              {u('saveReportAnonymized')}
            </button>
          </li>
        </ul>
      )}
      {saving && (
        <span className="muted" role="status" data-testid="help-report-status">
          {saving}
        </span>
      )}
      {doctor && <DoctorDialog host={host} onClose={() => setDoctor(false)} />}
    </span>
  );
}

const ICON: Record<DoctorStatus, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?' };

function DoctorDialog(props: { host: string; onClose: () => void }) {
  const lang = useStore((s) => s.language);
  const titleId = useId();
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    void bridge.runDoctor({ host: props.host }).then((r) => live && (r.ok ? setReport(r.value) : setError(r.error)));
    return () => {
      live = false;
    };
  }, [props.host]);
  const u = (k: Parameters<typeof doctorUiText>[0], v?: Record<string, string>) => doctorUiText(k, lang, v);
  const count = (s: DoctorStatus) => String(report?.items.filter((i) => i.status === s).length ?? 0);
  return (
    <Modal
      labelledBy={titleId}
      onClose={props.onClose}
      className="doctor-dialog"
      testId="doctor-dialog"
      initialFocus="[data-testid=doctor-close]"
    >
      <h2 id={titleId}>{u('doctorTitle', { name: report?.computerName ?? props.host })}</h2>
      {!report && !error && (
        <div className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> {u('doctorRunning')}
        </div>
      )}
      {error && (
        <div className="banner bad" role="alert">
          {error.message}
        </div>
      )}
      {report && (
        <>
          <p role="status" data-testid="doctor-summary">
            {u('summary', { pass: count('pass'), warn: count('warn'), fail: count('fail'), unknown: count('unknown') })}
          </p>
          <ul className="doctor-items" data-testid="doctor-items">
            {report.items.map((item) => {
              const t = doctorText(item, lang);
              return (
                <li key={item.id} data-status={item.status} data-testid={`doctor-item-${item.id}`}>
                  <strong>
                    <span aria-hidden="true">{ICON[item.status]}</span> {u(`status_${item.status}`)}: {t.title}
                  </strong>
                  <div>{t.meaning}</div>
                  {item.problems.length > 0 && (
                    <ul>
                      {item.problems.map((p, i) => (
                        <li key={i}>{doctorProblemText(p, lang)}</li>
                      ))}
                    </ul>
                  )}
                  {t.fix && item.status !== 'pass' && (
                    <div className="muted">
                      {u('fix')}: <span className="mono">{t.fix}</span>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div className="actions">
        <button onClick={props.onClose} data-testid="doctor-close">
          {u('close')}
        </button>
      </div>
    </Modal>
  );
}
