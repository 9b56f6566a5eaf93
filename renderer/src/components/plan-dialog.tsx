/** The plan dialog, the moment of trust: steps with their exact PowerShell, warnings, consents, run. */
import { useEffect, useRef, useState } from 'react';
import { planIsRunnable, type ConsentId, type Plan, type PlanChoices } from '../../../shared/plan';
import { messages, type MessageKey } from '../../../shared/i18n/messages';
import type { Inventory } from '../../../shared/inventory';
import { useStore } from '../store';
import { useT } from '../i18n';
import { useHostLabel } from './host-switcher';

/**
 * The title. A plan with a target VM (assign, move, repair) names that VM and its state first, in bold,
 * so a drop on the wrong card cannot pass unnoticed: "File-Server (Running) ← assign …". The VM and the
 * device are as the admin saw them when asking for the plan; other plans keep the planner's title.
 */
function PlanTitle({ plan }: { plan: Plan }) {
  const { t, tf, tx } = useT();
  const inventory = useStore((s) => s.planInventory);
  const intent = plan.intent;
  const vmName = intent.kind === 'assign' || intent.kind === 'repair' ? intent.vmName : intent.kind === 'move' ? intent.toVm : null;
  const vm = vmName ? inventory?.vms.find((v) => v.name === vmName) : undefined;
  const device = 'locationPath' in intent ? inventory?.devices.find((d) => d.locationPath === intent.locationPath) : undefined;
  const action =
    intent.kind === 'assign' && device
      ? tf('planTitleAssign', { device: device.friendlyName })
      : intent.kind === 'move' && device?.owner.kind === 'vm'
        ? tf('planTitleMove', { device: device.friendlyName, from: device.owner.vmName })
        : intent.kind === 'repair'
          ? t('planTitleRepair')
          : null;
  if (!vm || !action) return <>{tx(plan.title)}</>;
  const stateKey = `vmState_${vm.state}`;
  const state = Object.prototype.hasOwnProperty.call(messages, stateKey) ? t(stateKey as MessageKey) : vm.state;
  return (
    <>
      <strong className="plan-target" data-testid="plan-target">
        {tf('planTitleVm', { vm: vm.name, state })}
      </strong>
      <span className="plan-action">
        {' ← '}
        {action}
      </span>
    </>
  );
}

/** The name of the device whose dismount was refused: the failed step's, else the intent's. */
function refusedDeviceName(plan: Plan, failed: Plan['steps'][number] | undefined, inventory: Inventory | null): string {
  const fromStep = failed?.action.params['LocationPath'];
  const path = typeof fromStep === 'string' ? fromStep : 'locationPath' in plan.intent ? plan.intent.locationPath : '';
  const d = inventory?.devices.find((x) => x.locationPath?.toUpperCase() === path.toUpperCase());
  return d?.friendlyName ?? path;
}

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
  const close = useStore((s) => s.closePlan);
  const inventory = useStore((s) => s.inventory);
  const planHost = useStore((s) => (s.hosts.length > 1 ? s.hosts.find((h) => h.id === s.planHost) : undefined));
  const hostLabel = useHostLabel();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [plan?.intent, planning]);
  if (!plan && !planning && !planError) return null;
  const choices: PlanChoices = plan?.choices ?? { consents: [], startVmAfter: false };
  const toggle = (id: ConsentId, on: boolean) => void replan({ ...choices, consents: on ? [...choices.consents, id] : choices.consents.filter((c) => c !== id) });
  const runState = (id: string) => progress[id]?.state ?? outcome?.steps.find((s) => s.stepId === id)?.state ?? 'pending';
  // Once the operation has ended, a step still waiting never ran: say so rather than "waiting".
  const stepState = (id: string) => {
    const st = runState(id);
    return outcome && st === 'pending' ? 'not-run' : st;
  };
  const download = () => {
    if (!plan) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([plan.script], { type: 'text/plain' }));
    a.download = `dda-plan-${plan.intent.kind}.ps1`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const failed = outcome?.failedStepId ? plan?.steps.find((s) => s.id === outcome.failedStepId) : undefined;
  // A refusal the force consent can lift: offer it here, and a Retry that plans the same intent with it.
  const offerForce = !!plan && outcome?.status === 'rolled-back' && outcome.error?.kind === 'needs-mitigation-consent' && !plan.choices.consents.includes('skip-device-mitigations');
  const refusedDevice = offerForce ? refusedDeviceName(plan, failed, inventory) : '';
  // Why Run is disabled, in words next to it.
  const missing = plan ? plan.consents.filter((c) => !c.given).length : 0;
  const runWhy = !plan || outcome || running ? null : plan.blocked ? t('runBlocked') : plan.steps.length === 0 ? t('runNothingToDo') : missing === 1 ? t('runNeedsConsent') : missing > 1 ? tf('runNeedsConsents', { n: missing }) : null;
  return (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="plan-title" tabIndex={-1} ref={ref} onKeyDown={(e) => e.key === 'Escape' && close()} data-testid="plan-dialog">
        <h2 id="plan-title" data-testid="plan-title">{plan ? <PlanTitle plan={plan} /> : t('loading')}</h2>
        {planHost && (
          <p className="muted plan-host" data-testid="plan-host">
            {tf('onHost', { name: hostLabel(planHost) })}
          </p>
        )}
        {planError && (
          <div className="banner bad" role="alert">
            {planError.message}
          </div>
        )}
        {plan?.blocked && (
          <div className="banner bad" role="alert" data-testid="plan-blocked">
            <strong>{t('blocked')}:</strong> {tx(plan.blocked.text)}
          </div>
        )}
        {plan && plan.steps.length > 0 && (
          <section>
            <h3>{t('planSteps')}</h3>
            <ol className="steps">
              {plan.steps.map((s) => {
                const st = stepState(s.id);
                return (
                  <li key={s.id} className={`step ${st}`} data-testid="plan-step" data-state={st}>
                    <details>
                      <summary>
                        <span className="step-text">{tx(s.description)}</span>
                        {(running || outcome) && <span className={`step-state ${st}`}>{t(`stepState_${st}` as MessageKey)}{progress[s.id]?.durationMs !== undefined ? ` · ${Math.round(progress[s.id]!.durationMs!)} ms` : ''}</span>}
                      </summary>
                      <pre className="mono">{s.action.command}</pre>
                    </details>
                  </li>
                );
              })}
            </ol>
          </section>
        )}
        {plan && plan.warnings.length > 0 && (
          <section>
            <h3>{t('warnings')}</h3>
            <ul className="warnings">
              {plan.warnings.map((w, i) => (
                <li key={i} className={`warning sev-${w.severity}`} data-testid="plan-warning" data-severity={w.severity}>
                  {w.severity !== 'info' && <span className={`severity ${w.severity}`}>{t(`severity_${w.severity}`)}</span>}
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
                <input type="checkbox" checked={c.given} disabled={running} onChange={(e) => toggle(c.id, e.target.checked)} data-consent={c.id} />
                <span>
                  <span className="severity danger">{t('severity_danger')}</span> {tx(c.text)}
                </span>
              </label>
            ))}
            {plan.offersStartVmAfter && (
              <label className="consent">
                <input type="checkbox" checked={choices.startVmAfter} disabled={running} onChange={(e) => void replan({ ...choices, startVmAfter: e.target.checked })} />
                <span>{t('startAfter')}</span>
              </label>
            )}
          </section>
        )}
        {outcome && (
          <div className={`banner ${outcome.status === 'succeeded' ? 'good' : 'bad'}`} role="status" data-testid="outcome" data-status={outcome.status}>
            {outcome.status === 'succeeded' ? t('succeeded') : outcome.status === 'rolled-back' ? t('rolledBack') : t('rollbackFailed')}
            {failed && (
              <div>
                <strong>{t('failedStep')}:</strong> {tx(failed.description)}
              </div>
            )}
            {outcome.error && (
              <>
                <div>
                  <strong>{t('rawError')}:</strong>
                </div>
                <pre className="mono error-text" data-testid="raw-error">
                  {outcome.error.message}
                  {outcome.error.fullyQualifiedErrorId ? `\n${outcome.error.fullyQualifiedErrorId}` : ''}
                </pre>
                {outcome.error.kind === 'needs-mitigation-consent' && !offerForce && <p>{t('needsForce')}</p>}
              </>
            )}
          </div>
        )}
        {offerForce && (
          <section className="retry-force" data-testid="retry-force">
            <p data-testid="needs-force">{tf('needsForceRetry', { device: refusedDevice })}</p>
            <label className="consent danger" data-testid="consent" data-severity="danger">
              <input type="checkbox" checked={retryForce} onChange={(e) => setRetryForce(e.target.checked)} data-consent="skip-device-mitigations" />
              <span>
                <span className="severity danger">{t('severity_danger')}</span> {t('consentForceRetry')}
              </span>
            </label>
          </section>
        )}
        <div className="dialog-actions">
          {plan && plan.steps.length > 0 && (
            <>
              <button onClick={() => void navigator.clipboard?.writeText(plan.script)}>{t('copyScript')}</button>
              <button onClick={download}>{t('saveScript')}</button>
            </>
          )}
          <span className="spacer" />
          <button onClick={close} disabled={running}>
            {outcome ? t('done') : t('cancel')}
          </button>
          {offerForce && (
            <>
              {!retryForce && (
                <span className="run-why" id="retry-why" data-testid="retry-why">
                  {t('retryNeedsConsent')}
                </span>
              )}
              <button className="primary" disabled={!retryForce || planning} aria-describedby={retryForce ? undefined : 'retry-why'} onClick={() => void retryWithConsents(['skip-device-mitigations'])} data-testid="retry">
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
              <button className="primary" disabled={!planIsRunnable(plan) || running} aria-describedby={runWhy ? 'run-why' : undefined} onClick={() => void run()} data-testid="run">
                {running ? t('running') : t('run')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
