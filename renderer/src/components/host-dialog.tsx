/**
 * Add or edit a remote host: transport (SSH or WinRM), the fields of the shared schema, the JEA
 * endpoint, a password for WinRM with a user (kept by the OS credential store, or in memory only
 * where there is none: the dialog says which), the domain / workgroup explanation, Test and Save.
 * Every field is checked with the same schema the privileged side uses; errors name the field.
 */
import { useId, useMemo, useState } from 'react';
import { type HostSummary, type HostTestResult } from '../../../shared/contract';
import type { AppError } from '../../../shared/result';
import { useStore } from '../store';
import { useT } from '../i18n';
import { Modal } from './modal';
import { Check, TextField } from './form-fields';
import { draftOf, errorsOf, inputOf, samePair, type Draft, type Field } from '../host-draft';

/** The add / edit dialog when it is open; a fresh form each time it opens. */
export function HostDialog() {
  const dialog = useStore((s) => s.hostDialog);
  const hosts = useStore((s) => s.hosts);
  if (!dialog || (dialog.kind !== 'add' && dialog.kind !== 'edit')) return null;
  const editing = dialog.kind === 'edit' ? hosts.find((h) => h.id === dialog.id) : undefined;
  if (dialog.kind === 'edit' && !editing) return null;
  return <HostForm key={editing?.id ?? 'new'} editing={editing} />;
}

function HostForm({ editing }: { editing: HostSummary | undefined }) {
  const { t, tf } = useT();
  const info = useStore((s) => s.appInfo);
  const open = useStore((s) => s.openHostDialog);
  const save = useStore((s) => s.saveHost);
  const testHost = useStore((s) => s.testHost);
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing, info?.platform));
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [test, setTest] = useState<{ ok: true; value: HostTestResult } | { ok: false; error: AppError } | null>(null);
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const hostId = editing?.id;
  const errors = useMemo(() => errorsOf(draft, hostId), [draft, hostId]);
  // The stored password belongs to the saved computer and user: another pair does not get it (main drops it).
  const passwordStays = !!editing?.hasStoredPassword && samePair(draftOf(editing), draft);
  const shown = (f: Field) => (submitted || touched[f] ? (errors[f] ? t(errors[f]) : undefined) : undefined);
  const set = <K extends keyof Draft>(k: K, v: Draft[K], field?: Field) => {
    setDraft((d) => ({ ...d, [k]: v }));
    if (field) setTouched((x) => ({ ...x, [field]: true }));
    setTest(null);
    setSaveError(null);
  };
  const close = () => open(null);
  const valid = Object.keys(errors).length === 0;
  const usesPassword = draft.transport === 'winrm' && draft.userName.trim() !== '';
  const passwordArg = usesPassword && draft.password !== '' ? draft.password : undefined;
  const ms = (n: number | null) => (n === null ? '—' : `${n.toLocaleString('en-US')} ms`);

  const runTest = async () => {
    setSubmitted(true);
    if (!valid) return;
    setBusy('test');
    setTest(null);
    const r = await testHost({ target: inputOf(draft, hostId), ...(passwordArg ? { password: passwordArg } : {}) });
    setBusy(null);
    setTest(r);
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!valid) return;
    setBusy('save');
    const r = await save(inputOf(draft, hostId), passwordArg, usesPassword ? draft.forgetPassword : false);
    setBusy(null);
    if (r.ok) close();
    else setSaveError(r.error);
  };

  const title = editing ? tf('hostDialogEdit', { name: editing.name ?? editing.id }) : t('hostDialogAdd');
  return (
    <Modal labelledBy={id('title')} onClose={close} className="host-dialog" testId="host-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={id('title')}>{title}</h2>
        <div className="form-grid">
          <TextField
            id={id('name')}
            label={t('fieldName')}
            value={draft.name}
            onChange={(v) => set('name', v, 'name')}
            error={shown('name')}
            hint={t('fieldNameHint')}
            testId="host-name-input"
            wide
          />
          <fieldset className="wide transport">
            <legend>{t('transport')}</legend>
            {(['ssh', 'winrm'] as const).map((tr) => (
              <label key={tr} className="radio">
                <input
                  type="radio"
                  name={id('transport')}
                  value={tr}
                  checked={draft.transport === tr}
                  onChange={() => set('transport', tr)}
                  data-testid={`transport-${tr}`}
                />
                <span>
                  <strong>{tr === 'ssh' ? t('transportSsh') : t('transportWinrm')}</strong>{' '}
                  <span className="muted">{tr === 'ssh' ? t('transportSshHint') : t('transportWinrmHint')}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {draft.transport === 'ssh' ? (
            <p className="explain wide" data-testid="host-explain">
              {t('explainSsh')}
            </p>
          ) : (
            <dl className="explain wide" data-testid="host-explain">
              <dt>{t('explainDomainLabel')}</dt>
              <dd>{t('explainDomain')}</dd>
              <dt>{t('explainWorkgroupLabel')}</dt>
              <dd>{t('explainWorkgroup')}</dd>
            </dl>
          )}
          <TextField
            id={id('address')}
            label={t('fieldHostName')}
            value={draft.address}
            onChange={(v) => set('address', v, 'address')}
            error={shown('address')}
            testId="host-address-input"
          />
          <TextField
            id={id('port')}
            label={t('fieldPort')}
            value={draft.port}
            onChange={(v) => set('port', v, 'port')}
            error={shown('port')}
            hint={draft.transport === 'ssh' ? t('fieldPortHintSsh') : t('fieldPortHintWinrm')}
            inputMode="numeric"
            testId="host-port-input"
          />
          <TextField
            id={id('user')}
            label={t('fieldUser')}
            value={draft.userName}
            onChange={(v) => set('userName', v, 'userName')}
            error={shown('userName')}
            hint={draft.transport === 'ssh' ? t('fieldUserHintSsh') : t('fieldUserHintWinrm')}
            testId="host-user-input"
          />
          {draft.transport === 'winrm' ? (
            <div className="field">
              <label htmlFor={id('password')}>{t('fieldPassword')}</label>
              <input
                id={id('password')}
                type="password"
                value={draft.password}
                disabled={!usesPassword}
                autoComplete="new-password"
                onChange={(e) => set('password', e.target.value, 'password')}
                aria-describedby={
                  shown('password') ? `${id('password-error')} ${id('password-hint')}` : id('password-hint')
                }
                aria-invalid={shown('password') ? true : undefined}
                data-testid="host-password-input"
              />
              {shown('password') && (
                <div id={id('password-error')} className="field-error">
                  {shown('password')}
                </div>
              )}
              <div id={id('password-hint')} className="field-hint muted" data-testid="password-hint">
                {!usesPassword
                  ? t('passwordNeedsUser')
                  : passwordStays
                    ? `${t('passwordKept')} `
                    : editing?.hasStoredPassword
                      ? `${t('passwordNotCarried')} `
                      : ''}
                {usesPassword && (info?.passwordStore === 'os' ? t('passwordStoredOs') : t('passwordMemoryOnly'))}
              </div>
              {usesPassword && passwordStays && (
                <Check
                  label={t('forgetPassword')}
                  checked={draft.forgetPassword}
                  onChange={(v) => set('forgetPassword', v)}
                  testId="forget-password"
                />
              )}
            </div>
          ) : (
            <TextField
              id={id('key')}
              label={t('fieldKeyFile')}
              value={draft.keyFilePath}
              onChange={(v) => set('keyFilePath', v, 'keyFilePath')}
              error={shown('keyFilePath')}
              hint={t('fieldKeyFileHint')}
              testId="host-key-input"
            />
          )}
          {draft.transport === 'winrm' && (
            <div className="wide checks">
              <Check
                label={t('fieldUseSsl')}
                checked={draft.useSsl}
                onChange={(v) => set('useSsl', v)}
                testId="host-ssl"
              />
              <Check
                label={t('fieldSkipCert')}
                checked={draft.useSsl && draft.skipCertificateChecks}
                disabled={!draft.useSsl}
                onChange={(v) => set('skipCertificateChecks', v)}
                testId="host-skip-cert"
              />
            </div>
          )}
          <div className="wide checks">
            <Check label={t('fieldJea')} checked={draft.jea} onChange={(v) => set('jea', v)} testId="host-jea" />
          </div>
          <details
            className="wide advanced"
            open={
              !!(
                draft.knownHostsFile ||
                draft.subsystem ||
                draft.configurationName ||
                draft.authentication !== 'Default' ||
                shown('knownHostsFile') ||
                shown('subsystem') ||
                shown('configurationName') ||
                shown('timeoutSec')
              ) || undefined
            }
          >
            <summary>{t('advanced')}</summary>
            <div className="form-grid">
              {draft.transport === 'ssh' ? (
                <>
                  <TextField
                    id={id('known')}
                    label={t('fieldKnownHosts')}
                    value={draft.knownHostsFile}
                    onChange={(v) => set('knownHostsFile', v, 'knownHostsFile')}
                    error={shown('knownHostsFile')}
                    hint={t('fieldKnownHostsHint')}
                    testId="host-known-hosts-input"
                  />
                  <TextField
                    id={id('subsystem')}
                    label={t('fieldSubsystem')}
                    value={draft.subsystem}
                    onChange={(v) => set('subsystem', v, 'subsystem')}
                    error={shown('subsystem')}
                    hint={t('fieldSubsystemHint')}
                    testId="host-subsystem-input"
                  />
                </>
              ) : (
                <>
                  <div className="field">
                    <label htmlFor={id('auth')}>{t('fieldAuth')}</label>
                    <select
                      id={id('auth')}
                      value={draft.authentication}
                      onChange={(e) => set('authentication', e.target.value as Draft['authentication'])}
                      data-testid="host-auth"
                    >
                      <option value="Default">{t('authDefault')}</option>
                      <option value="Kerberos">{t('authKerberos')}</option>
                      <option value="Negotiate">{t('authNegotiate')}</option>
                    </select>
                  </div>
                  <TextField
                    id={id('config')}
                    label={t('fieldConfigName')}
                    value={draft.configurationName}
                    onChange={(v) => set('configurationName', v, 'configurationName')}
                    error={shown('configurationName')}
                    hint={t('fieldConfigNameHint')}
                    testId="host-config-input"
                  />
                </>
              )}
              <TextField
                id={id('timeout')}
                label={t('fieldTimeout')}
                value={draft.timeoutSec}
                onChange={(v) => set('timeoutSec', v, 'timeoutSec')}
                error={shown('timeoutSec')}
                inputMode="numeric"
                testId="host-timeout-input"
              />
            </div>
          </details>
        </div>
        {submitted && !valid && (
          <div className="banner bad" role="alert" data-testid="host-form-invalid">
            {t('fixErrors')}
          </div>
        )}
        <div role="status" aria-live="polite" className="test-result">
          {busy === 'test' && (
            <div className="muted">
              <span className="spinner" aria-hidden="true" /> {t('testing')}
            </div>
          )}
          {test?.ok && (
            <div className="banner good" data-testid="host-test-result" data-ok="true">
              {tf('testOk', {
                computer: test.value.computerName,
                edition: test.value.psEdition,
                version: test.value.psVersion,
                devices: test.value.devices,
                vms: test.value.vms,
                connect: ms(test.value.connectMs),
                roundTrip: ms(test.value.roundTripMs),
              })}
            </div>
          )}
          {test && !test.ok && (
            <div className="banner bad" data-testid="host-test-result" data-ok="false">
              <strong>{t('testFailed')}:</strong> <span className="mono error-text-inline">{test.error.message}</span>
            </div>
          )}
        </div>
        {saveError && (
          <div className="banner bad" role="alert" data-testid="host-save-error">
            {saveError.message}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => void runTest()} disabled={busy !== null} data-testid="host-test">
            {busy === 'test' ? t('testing') : t('test')}
          </button>
          <span className="spacer" />
          <button type="button" onClick={close}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy !== null} data-testid="host-save">
            {busy === 'save' ? t('saving') : t('save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
