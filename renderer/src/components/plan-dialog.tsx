/**
 * The plan dialog, the moment of trust: steps with their exact PowerShell (behind "Show PowerShell"),
 * warnings, consents and choices, run. A `Modal`: focus stays inside, Escape closes (never while
 * running), focus goes back where it came from; Run and Cancel sit in a footer that never scrolls away.
 */
import { useEffect, useState } from 'react';
import { planIsRunnable, type ConsentId, type PlanChoices } from '../../../shared/plan';
import { ps1FileText } from '../../../shared/ps-literal';
import type { MessageKey } from '../../../shared/i18n/messages';
import type { ErrorCode } from '../../../shared/result';
import { useStore } from '../store';
import { useT } from '../i18n';
import { useHostLabel } from './host-switcher';
import { Modal } from './modal';
import { PlanOutcome, PlanSteps, PlanTitle, SiblingsChoice, refusedDeviceName } from './plan-dialog-parts';

/** What a refusal that came before anything ran says first, in the window's language (the detail follows). */
const notRunHeadline: Partial<Record<ErrorCode, MessageKey>> = { busy: 'runBusy', 'stale-plan': 'runStalePlan' };

export function PlanDialog() {
  const { t, tf, tx } = useT();
  const plan = useStore((s) => s.plan);
  const planning = useStore((s) => s.planning);
  const planError = useStore((s) => s.planError);
  const running = useStore((s) => s.running);
  const progress = useStore((s) => s.progress);
  const outcome = useStore((s) => s.outcome);
  const replan = useStore((s) => s.replan);
  const run = useStore((s) => s.runPlan);
  const retryWithConsents = useStore((s) => s.retryWithConsents);
  // The mitigation consent offered after a dismount the host refused with that check on; a new plan starts unticked.
  const [retryForce, setRetryForce] = useState(false);
  useEffect(() => setRetryForce(false), [plan?.id]);
  const [showPs, setShowPs] = useState(false);
  const close = useStore((s) => s.closePlan);
  const inventory = useStore((s) => s.inventory);
  const planHost = useStore((s) => (s.hosts.length > 1 ? s.hosts.find((h) => h.id === s.planHost) : undefined));
  const hostLabel = useHostLabel();
  if (!plan && !planning && !planError) return null;
  const choices: PlanChoices = plan?.choices ?? { consents: [], startVmAfter: false };
  const toggle = (id: ConsentId, on: boolean) =>
    void replan({ ...choices, consents: on ? [...choices.consents, id] : choices.consents.filter((c) => c !== id) });
  const runState = (id: string) =>
    progress[id]?.state ?? outcome?.steps.find((s) => s.stepId === id)?.state ?? 'pending';
  // Once the operation has ended, a step still waiting never ran: say so rather than "waiting".
  const stepState = (id: string) => {
    const st = runState(id);
    return outcome && st === 'pending' ? 'not-run' : st;
  };
  const download = () => {
    if (!plan) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([ps1FileText(plan.script)], { type: 'text/plain' }));
    a.download = `dda-plan-${plan.intent.kind}.ps1`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const failed = outcome?.failedStepId ? plan?.steps.find((s) => s.id === outcome.failedStepId) : undefined;
  // A refusal the force consent can lift: offer it here, and a Retry that plans the same intent with it.
  const offerForce =
    !!plan &&
    outcome?.status === 'rolled-back' &&
    outcome.error?.kind === 'needs-mitigation-consent' &&
    !plan.choices.consents.includes('skip-device-mitigations');
  const refusedDevice = offerForce ? refusedDeviceName(plan, failed, inventory) : '';
  // Why Run is disabled, in words next to it.
  const missing = plan ? plan.consents.filter((c) => !c.given).length : 0;
  const runWhy =
    !plan || outcome || running
      ? null
      : plan.blocked
        ? t('runBlocked')
        : plan.steps.length === 0
          ? t('runNothingToDo')
          : missing === 1
            ? t('runNeedsConsent')
            : missing > 1
              ? tf('runNeedsConsents', { n: missing })
              : null;
  return (
    <Modal labelledBy="plan-title" onClose={close} className="plan-dialog" testId="plan-dialog">
      <div className="plan-body">
        <h2 id="plan-title" data-testid="plan-title">
          {plan ? <PlanTitle plan={plan} /> : t('loading')}
        </h2>
        {planHost && (
          <p className="muted plan-host" data-testid="plan-host">
            {tf('onHost', { name: hostLabel(planHost) })}
          </p>
        )}
        {planError && (
          <div className="banner bad" role="alert" data-testid="plan-error">
            {notRunHeadline[planError.code] && <strong>{t(notRunHeadline[planError.code]!)} </strong>}
            {planError.message}
          </div>
        )}
        {plan?.blocked && (
          <div className="banner bad" role="alert" data-testid="plan-blocked">
            <strong>{t('blocked')}:</strong> {tx(plan.blocked.text)}
          </div>
        )}
        {plan && !outcome && <SiblingsChoice plan={plan} disabled={running || planning} />}
        {plan && plan.steps.length > 0 && (
          <section>
            <div className="steps-head">
              <h3>{t('planSteps')}</h3>
              <button
                className="ghost small"
                aria-pressed={showPs}
                onClick={() => setShowPs(!showPs)}
                data-testid="show-powershell"
              >
                {t('showPowerShell')}
              </button>
            </div>
            <PlanSteps
              plan={plan}
              showPs={showPs}
              stepState={stepState}
              showStates={running || !!outcome}
              progress={progress}
            />
          </section>
        )}
        {plan && plan.warnings.length > 0 && (
          <section>
            <h3>{t('warnings')}</h3>
            <ul className="warnings">
              {plan.warnings.map((w, i) => (
                <li
                  key={i}
                  className={`warning sev-${w.severity}`}
                  data-testid="plan-warning"
                  data-severity={w.severity}
                >
                  {w.severity !== 'info' && (
                    <span className={`severity ${w.severity}`}>{t(`severity_${w.severity}`)}</span>
                  )}
                  <span>{tx(w.text)}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {plan && (plan.consents.length > 0 || plan.offersStartVmAfter) && !outcome && (
          <section>
            <h3>{t('consents')}</h3>
            {plan.consents.map((c) => (
              // Every consent accepts a risk (DMA exposure, a VM turned off, a blank console): styled as a danger.
              <label key={c.id} className="consent danger" data-testid="consent" data-severity="danger">
                <input
                  type="checkbox"
                  checked={c.given}
                  disabled={running}
                  onChange={(e) => toggle(c.id, e.target.checked)}
                  data-consent={c.id}
                />
                <span>
                  <span className="severity danger">{t('severity_danger')}</span> {tx(c.text)}
                </span>
              </label>
            ))}
            {plan.offersStartVmAfter && (
              <label className="consent" data-testid="start-after">
                <input
                  type="checkbox"
                  checked={choices.startVmAfter}
                  disabled={running}
                  onChange={(e) => void replan({ ...choices, startVmAfter: e.target.checked })}
                />
                <span>{t('startAfter')}</span>
              </label>
            )}
          </section>
        )}
        {plan && outcome && <PlanOutcome plan={plan} outcome={outcome} failed={failed} offerForce={offerForce} />}
        {offerForce && (
          <section className="retry-force" data-testid="retry-force">
            <p data-testid="needs-force">{tf('needsForceRetry', { device: refusedDevice })}</p>
            <label className="consent danger" data-testid="consent" data-severity="danger">
              <input
                type="checkbox"
                checked={retryForce}
                onChange={(e) => setRetryForce(e.target.checked)}
                data-consent="skip-device-mitigations"
              />
              <span>
                <span className="severity danger">{t('severity_danger')}</span> {t('consentForceRetry')}
              </span>
            </label>
          </section>
        )}
      </div>
      <div className="dialog-actions plan-footer" data-testid="plan-footer">
        {plan && plan.steps.length > 0 && (
          <>
            <button onClick={() => void navigator.clipboard?.writeText(plan.script)}>{t('copyScript')}</button>
            <button onClick={download}>{t('saveScript')}</button>
          </>
        )}
        <span className="spacer" />
        <button onClick={close} disabled={running} data-testid="cancel">
          {outcome ? t('done') : t('cancel')}
        </button>
        {offerForce && (
          <>
            {!retryForce && (
              <span className="run-why" id="retry-why" data-testid="retry-why">
                {t('retryNeedsConsent')}
              </span>
            )}
            <button
              className="primary"
              disabled={!retryForce || planning}
              aria-describedby={retryForce ? undefined : 'retry-why'}
              onClick={() => void retryWithConsents(['skip-device-mitigations'])}
              data-testid="retry"
            >
              {t('retryPlan')}
            </button>
          </>
        )}
        {plan && !outcome && (
          <>
            {runWhy && (
              <span className="run-why" id="run-why" data-testid="run-why">
                {runWhy}
              </span>
            )}
            <button
              className="primary"
              disabled={!planIsRunnable(plan) || running}
              aria-describedby={runWhy ? 'run-why' : undefined}
              onClick={() => void run()}
              data-testid="run"
            >
              {running ? t('running') : t('run')}
            </button>
          </>
        )}
      </div>
    </Modal>
  );
}
