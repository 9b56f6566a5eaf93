/** The plan dialog, the moment of trust: steps with their exact PowerShell, warnings, consents, run. */
import { useEffect, useRef } from 'react';
import { planIsRunnable, type ConsentId, type Plan, type PlanChoices } from '../../../shared/plan';
import { messages, type MessageKey } from '../../../shared/i18n/messages';
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
  const close = useStore((s) => s.closePlan);
  const planHost = useStore((s) => (s.hosts.length > 1 ? s.hosts.find((h) => h.id === s.planHost) : undefined));
  const hostLabel = useHostLabel();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [plan?.intent, planning]);
  if (!plan && !planning && !planError) return null;
  const choices: PlanChoices = plan?.choices ?? { consents: [], startVmAfter: false };
  const toggle = (id: ConsentId, on: boolean) => void replan({ ...choices, consents: on ? [...choices.consents, id] : choices.consents.filter((c) => c !== id) });
  const stepState = (id: string) => progress[id]?.state ?? outcome?.steps.find((s) => s.stepId === id)?.state ?? 'pending';
  const download = () => {
    if (!plan) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([plan.script], { type: 'text/plain' }));
    a.download = `dda-plan-${plan.intent.kind}.ps1`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const failed = outcome?.failedStepId ? plan?.steps.find((s) => s.id === outcome.failedStepId) : undefined;
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
                <li key={i} className={`warning ${w.severity}`}>
                  {tx(w.text)}
                </li>
              ))}
            </ul>
          </section>
        )}
        {plan && (plan.consents.length > 0 || plan.offersStartVmAfter) && !outcome && (
          <section>
            <h3>{t('consents')}</h3>
            {plan.consents.map((c) => (
              <label key={c.id} className="consent">
                <input type="checkbox" checked={c.given} disabled={running} onChange={(e) => toggle(c.id, e.target.checked)} data-consent={c.id} />
                <span>{tx(c.text)}</span>
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
                {outcome.error.kind === 'needs-force' && <p>{t('needsForce')}</p>}
              </>
            )}
          </div>
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
          {plan && !outcome && (
            <button className="primary" disabled={!planIsRunnable(plan) || running} onClick={() => void run()} data-testid="run">
              {running ? t('running') : t('run')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
