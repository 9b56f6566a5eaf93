/** Parts of the plan dialog: its title, the steps (with their PowerShell behind a toggle), the sibling choice and the outcome. */
import { messages, type MessageKey } from '../../../shared/i18n/messages';
import type { Device, Inventory } from '../../../shared/inventory';
import type { OperationOutcome, Plan, StepResult } from '../../../shared/plan';
import { movableSiblings } from '../drop-rules';
import { outcomeVm } from '../outcome-vm';
import { useStore } from '../store';
import { useT } from '../i18n';

/** A VM state in the UI's language (an unknown state as the host said it). */
export function useVmState(): (state: string) => string {
  const { t } = useT();
  return (state) => {
    const key = `vmState_${state}`;
    return Object.prototype.hasOwnProperty.call(messages, key) ? t(key as MessageKey) : state;
  };
}

/**
 * The title. A plan with a target VM (assign, move, repair) names that VM and its state first, in bold,
 * so a drop on the wrong card cannot pass unnoticed: "File-Server (Running) ← assign …". The VM and the
 * device are as the admin saw them when asking for the plan; other plans keep the planner's title.
 */
export function PlanTitle({ plan }: { plan: Plan }) {
  const { t, tf, tx } = useT();
  const vmState = useVmState();
  const inventory = useStore((s) => s.planInventory);
  const intent = plan.intent;
  const vmName =
    intent.kind === 'assign' || intent.kind === 'repair' ? intent.vmName : intent.kind === 'move' ? intent.toVm : null;
  const vm = vmName ? inventory?.vms.find((v) => v.name === vmName) : undefined;
  const device =
    'locationPath' in intent ? inventory?.devices.find((d) => d.locationPath === intent.locationPath) : undefined;
  const action =
    intent.kind === 'assign' && device
      ? tf('planTitleAssign', { device: device.friendlyName })
      : intent.kind === 'move' && device?.owner.kind === 'vm'
        ? tf('planTitleMove', { device: device.friendlyName, from: device.owner.vmName })
        : intent.kind === 'repair'
          ? t('planTitleRepair')
          : null;
  if (!vm || !action) return <>{tx(plan.title)}</>;
  return (
    <>
      <strong className="plan-target" data-testid="plan-target">
        {tf('planTitleVm', { vm: vm.name, state: vmState(vm.state) })}
      </strong>
      <span className="plan-action">
        {' ← '}
        {action}
      </span>
    </>
  );
}

/** The name of the device whose dismount was refused: the failed step's, else the intent's. */
export function refusedDeviceName(
  plan: Plan,
  failed: Plan['steps'][number] | undefined,
  inventory: Inventory | null,
): string {
  const fromStep = failed?.action.params['LocationPath'];
  const path = typeof fromStep === 'string' ? fromStep : 'locationPath' in plan.intent ? plan.intent.locationPath : '';
  const d = inventory?.devices.find((x) => x.locationPath?.toUpperCase() === path.toUpperCase());
  return d?.friendlyName ?? path;
}

/** The numbered steps; each one's exact PowerShell is in the page and shown when the toggle is on. */
export function PlanSteps(props: {
  plan: Plan;
  showPs: boolean;
  stepState: (id: string) => string;
  showStates: boolean;
  progress: Record<string, StepResult>;
}) {
  const { t, tx } = useT();
  return (
    <ol className="steps">
      {props.plan.steps.map((s) => {
        const st = props.stepState(s.id);
        const ms = props.progress[s.id]?.durationMs;
        return (
          <li key={s.id} className={`step ${st}`} data-testid="plan-step" data-state={st}>
            <div className="step-line">
              <span className="step-text">{tx(s.description)}</span>
              {props.showStates && (
                <span className={`step-state ${st}`}>
                  {t(`stepState_${st}` as MessageKey)}
                  {ms !== undefined ? ` · ${Math.round(ms)} ms` : ''}
                </span>
              )}
            </div>
            <pre className="mono" hidden={!props.showPs} data-testid="step-command">
              {s.action.command}
            </pre>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * "Also assign <sibling>": the other functions of the card that can go along (same owner). Ticking it
 * plans the same assignment with `includeSiblings` (the planner's, as the CLI's --include-siblings).
 */
export function SiblingsChoice({ plan, disabled }: { plan: Plan; disabled: boolean }) {
  const { t, tf } = useT();
  const inventory = useStore((s) => s.planInventory);
  const replan = useStore((s) => s.replan);
  const intent = plan.intent;
  if (intent.kind !== 'assign' || !inventory) return null;
  const device = inventory.devices.find((d) => d.locationPath === intent.locationPath);
  if (!device || device.owner.kind === 'vm') return null; // a device in a VM is moved alone
  const sibs = movableSiblings(inventory, device);
  if (sibs.length === 0) return null;
  const names = sibs.map((d: Device) => d.friendlyName).join(', ');
  return (
    <label className="consent" data-testid="also-assign">
      <input
        type="checkbox"
        checked={intent.includeSiblings === true}
        disabled={disabled}
        onChange={(e) => void replan(plan.choices, { ...intent, includeSiblings: e.target.checked })}
        data-testid="also-assign-box"
      />
      <span>
        {tf('alsoAssign', { device: names })}
        <span className="muted small"> · {t('alsoAssignHint')}</span>
      </span>
    </label>
  );
}

/** The end of a run: succeeded or rolled back, the failed step and the raw error, and the VM's state now. */
export function PlanOutcome(props: {
  plan: Plan;
  outcome: OperationOutcome;
  failed: Plan['steps'][number] | undefined;
  offerForce: boolean;
}) {
  const { t, tf, tx } = useT();
  const vmState = useVmState();
  const planInventory = useStore((s) => s.planInventory);
  const inventory = useStore((s) => s.inventory);
  const openPlan = useStore((s) => s.openPlan);
  const { outcome, failed } = props;
  const vm = outcomeVm(props.plan.intent, planInventory, inventory);
  return (
    <div
      className={`banner ${outcome.status === 'succeeded' ? 'good' : 'bad'}`}
      role="status"
      data-testid="outcome"
      data-status={outcome.status}
    >
      {outcome.status === 'succeeded'
        ? t('succeeded')
        : outcome.status === 'rolled-back'
          ? t('rolledBack')
          : t('rollbackFailed')}
      {vm && (
        <div data-testid="outcome-vm" data-state={vm.now.state}>
          {tf('vmNowState', { vm: vm.now.name, state: vmState(vm.now.state) })}
          {vm.leftOff && <> {t('vmLeftOff')}</>}
          {vm.start && (
            <>
              {' '}
              <button className="small" data-testid="outcome-start-vm" onClick={() => void openPlan(vm.start!)}>
                {tf('startVmAction', { vm: vm.now.name })}
              </button>
            </>
          )}
        </div>
      )}
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
          {outcome.error.kind === 'needs-mitigation-consent' && !props.offerForce && <p>{t('needsForce')}</p>}
        </>
      )}
    </div>
  );
}
