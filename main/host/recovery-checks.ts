/**
 * What recovery may run. A journal record comes from a file a standard user's process can write, so
 * before the elevated app finishes or rolls back an operation it checks the record against what the
 * planner could have made, and the host as it is now:
 * - each step runs its kind's own script (and undo), never another one (the session set-up scripts,
 *   use-remote, use-simulator and host-functions, are never a step);
 * - a plan that was blocked or lacked a consent never ran, so it is never recovered;
 * - a forward -Force dismount needs the force consent in the plan;
 * - nothing takes from the host a device the planner refuses: the system disk's controller, a device
 *   the survey says is not assignable, or one the host does not have.
 */
import type { Device, Inventory } from '../../shared/inventory';
import { knownComputer, otherComputer } from '../../shared/computer-name';
import { cardOf, pciIdOf, samePath } from '../../shared/location-path';
import { planIsRunnable, type Intent, type Plan, type PsAction, type StepKind } from '../../shared/plan';
import type { OperationRecord } from './journal-record';
import { lifelineDecision } from './planner';
import { isOpScript, opScriptParams } from './steps/op-scripts';

/** Each step kind's script, and the scripts its undo may be. */
export const stepScripts: Record<StepKind, { action: string; undo: readonly string[] }> = {
  'stop-vm': { action: 'op-stop-vm', undo: ['op-start-vm'] },
  'start-vm': { action: 'op-start-vm', undo: ['op-stop-vm'] },
  // A discarded saved state cannot be brought back: no undo.
  'remove-saved-state': { action: 'op-remove-saved-state', undo: [] },
  'disable-device': { action: 'op-disable-device', undo: ['op-enable-device'] },
  'enable-device': { action: 'op-enable-device', undo: ['op-disable-device'] },
  'dismount-device': { action: 'op-dismount-device', undo: ['op-mount-device'] },
  'mount-device': { action: 'op-mount-device', undo: ['op-dismount-device'] },
  'set-vm-stop-action': { action: 'op-set-vm', undo: ['op-set-vm'] },
  'set-vm-cache-types': { action: 'op-set-vm', undo: ['op-set-vm'] },
  'set-vm-mmio': { action: 'op-set-vm', undo: ['op-set-vm'] },
  'set-vm-memory': { action: 'op-set-vm-memory', undo: ['op-set-vm-memory'] },
  'add-device': { action: 'op-add-device', undo: ['op-remove-device'] },
  'remove-device': { action: 'op-remove-device', undo: ['op-add-device'] },
  'remove-all-devices': { action: 'op-remove-device', undo: ['op-add-devices'] },
};

/** The step kinds each intent's plans are made of. */
const kindsOf: Record<Intent['kind'], ReadonlySet<StepKind>> = {
  assign: new Set([
    'stop-vm',
    'remove-saved-state',
    'disable-device',
    'dismount-device',
    'set-vm-stop-action',
    'set-vm-cache-types',
    'set-vm-mmio',
    'set-vm-memory',
    'add-device',
    'start-vm',
  ]),
  revert: new Set([
    'stop-vm',
    'remove-saved-state',
    'remove-device',
    'mount-device',
    'enable-device',
    'set-vm-stop-action',
    'set-vm-cache-types',
    'set-vm-mmio',
    'set-vm-memory',
    'start-vm',
  ]),
  move: new Set([
    'stop-vm',
    'remove-saved-state',
    'remove-device',
    'set-vm-stop-action',
    'set-vm-cache-types',
    'set-vm-mmio',
    'set-vm-memory',
    'add-device',
    'start-vm',
  ]),
  repair: new Set(['stop-vm', 'remove-saved-state', 'remove-all-devices', 'add-device', 'start-vm']),
  'return-orphans': new Set(['mount-device', 'enable-device']),
  repoint: new Set([
    'stop-vm',
    'remove-saved-state',
    'remove-all-devices',
    'disable-device',
    'dismount-device',
    'set-vm-stop-action',
    'set-vm-cache-types',
    'set-vm-mmio',
    'set-vm-memory',
    'add-device',
    'start-vm',
  ]),
  'enable-device': new Set(['enable-device']),
  'fit-vm': new Set([
    'stop-vm',
    'remove-saved-state',
    'set-vm-stop-action',
    'set-vm-cache-types',
    'set-vm-mmio',
    'set-vm-memory',
    'start-vm',
  ]),
  'start-vm': new Set(['start-vm']),
};

/** Scripts that take a device away from the host. */
const TAKES_FROM_HOST = new Set(['op-disable-device', 'op-dismount-device']);

function deviceOf(inv: Inventory, a: PsAction): Device | undefined {
  const path = typeof a.params.LocationPath === 'string' ? a.params.LocationPath : null;
  const id = typeof a.params.InstanceId === 'string' ? a.params.InstanceId : null;
  return inv.devices.find(
    // A path, when given, decides; an instance id only names the device of an action without one.
    (d) =>
      path !== null
        ? d.locationPath !== null && samePath(d.locationPath, path)
        : id !== null && pciIdOf(d.instanceId).toUpperCase() === pciIdOf(id).toUpperCase(),
  );
}

function takeRefusal(inv: Inventory, a: PsAction, plan: Plan): string | null {
  if (!TAKES_FROM_HOST.has(a.script)) return null;
  const d = deviceOf(inv, a);
  const what = String(a.params.LocationPath ?? a.params.InstanceId ?? '(no device)');
  if (!d) return `it would take ${what} from the host, and the host has no such device`;
  // A path and an instance id must name the same device (the WMI dismount passes both).
  const id = a.params.InstanceId;
  if (
    typeof a.params.LocationPath === 'string' &&
    typeof id === 'string' &&
    id !== '' &&
    pciIdOf(d.instanceId).toUpperCase() !== pciIdOf(id).toUpperCase()
  )
    return `it names ${what} and the instance ${id}, which are not the same device`;
  if (d.hostsSystemDisk)
    return `it would take ${d.friendlyName} (${what}), the controller of the host's system disk, from the host`;
  // The host's lifelines, decided as the planner decides them on today's inventory (issue 12).
  const life = lifelineDecision(d);
  if (life.refusal) return `it would take ${d.friendlyName} (${what}) from the host: ${life.refusal.en}`;
  if (life.needsConsent && !plan.choices.consents.includes('take-host-lifeline'))
    return `it would take ${d.friendlyName} (${what}), which the host itself uses, from the host, and the plan has no consent to that`;
  if (d.verdict.code === 'not-assignable')
    return `it would take ${d.friendlyName} (${what}) from the host, and the survey says it is not assignable`;
  if (d.facts.unreadable?.length)
    return `it would take ${d.friendlyName} (${what}) from the host, and its survey properties (${d.facts.unreadable.join(', ')}) could not be read`;
  return null;
}

/** The device paths an action names. */
function pathsOf(a: PsAction): string[] {
  const p = a.params;
  return [
    ...(typeof p.LocationPath === 'string' ? [p.LocationPath] : []),
    ...(Array.isArray(p.LocationPaths) ? p.LocationPaths.filter((x): x is string => typeof x === 'string') : []),
  ];
}

/**
 * The VMs and devices an intent may touch: the VM it names (for move, the target; plus at most one VM it
 * does not name, the device's holder, for revert and move), and the intent's device with the other
 * functions of its card.
 */
function scopeRefusal(plan: Plan, inv: Inventory): string | null {
  const intent = plan.intent;
  const named = 'vmName' in intent ? intent.vmName : 'toVm' in intent ? intent.toVm : null;
  const namedIds = new Set(inv.vms.filter((v) => v.name === named).map((v) => v.id.toLowerCase()));
  const vmIds = new Set(
    plan.steps
      .flatMap((s) => [s.action, s.undo])
      .flatMap((a) => (a && typeof a.params.VmId === 'string' ? [a.params.VmId.toLowerCase()] : [])),
  );
  const others = [...vmIds].filter((id) => !namedIds.has(id));
  const othersAllowed = intent.kind === 'revert' || intent.kind === 'move' ? 1 : 0;
  if (others.length > othersAllowed)
    return `it names ${others.length} VM(s) the intent does not (${others.join(', ')})`;
  if ('locationPath' in intent) {
    const card = cardOf(intent.locationPath)?.path ?? intent.locationPath;
    for (const a of plan.steps.flatMap((s) => [s.action, s.undo])) {
      if (!a) continue;
      for (const p of pathsOf(a))
        if (!samePath(cardOf(p)?.path ?? p, card))
          return `it names the device ${p}, which is not on the card of ${intent.locationPath}`;
      const id = typeof a.params.InstanceId === 'string' ? a.params.InstanceId : null;
      const d = id ? inv.devices.find((x) => pciIdOf(x.instanceId).toUpperCase() === pciIdOf(id).toUpperCase()) : null;
      if (id && (!d?.locationPath || !samePath(cardOf(d.locationPath)?.path ?? d.locationPath, card)))
        return `it names the device ${id}, which is not on the card of ${intent.locationPath}`;
    }
  }
  return null;
}

/**
 * Why an operation journaled on one computer is not this host's to recover: its data folder came from
 * another (a copied or restored folder, or the roaming one older versions kept it in). Identical servers
 * have identical location paths, so its steps would act on this host's devices. Null when it is this host's,
 * or when the plan's own name was unknown; refused too when this host's name cannot be read now.
 */
export function otherComputerReason(plan: Plan, computerNameNow: string): string | null {
  if (otherComputer(plan.computerName, computerNameNow))
    return `It ran on ${plan.computerName}, and this host is ${computerNameNow}: its journal came from another computer (a copied folder, or the roaming one older versions kept it in), and nothing of it is run here. Recover it on ${plan.computerName} (or, if this computer was renamed since, read the journal and put the host right by hand).`;
  if (knownComputer(plan.computerName) && !knownComputer(computerNameNow))
    return `It ran on ${plan.computerName}, and this host's name could not be read (neither Get-VMHost nor Win32_OperatingSystem gave it), so it cannot be told from another computer: read the host again and recover it then.`;
  return null;
}

/** Why an unfinished operation is listed as untrusted (no finish or rollback offered), or null. */
export function untrustedReason(rec: OperationRecord, computerNameNow: string): string | null {
  return rec.invalid ?? otherComputerReason(rec.plan, computerNameNow);
}

/** Why this operation must not be recovered, or null when it may. */
export function recoveryRefusal(rec: OperationRecord, inv: Inventory): string | null {
  if (rec.invalid) return `Its journal is not trustworthy: ${rec.invalid}.`;
  const plan = rec.plan;
  const elsewhere = otherComputerReason(plan, inv.host.computerName);
  if (elsewhere) return elsewhere;
  if (!planIsRunnable(plan)) return 'Its plan was blocked or lacked a consent, so it never ran.';
  for (const step of plan.steps) {
    const allowed = stepScripts[step.kind];
    if (!kindsOf[plan.intent.kind].has(step.kind))
      return `Step ${step.id} (${step.kind}) is not part of a ${plan.intent.kind} plan.`;
    if (step.action.script !== allowed.action)
      return `Step ${step.id} (${step.kind}) names the script ${step.action.script}, not ${allowed.action}.`;
    if (step.undo && !allowed.undo.includes(step.undo.script))
      return `The undo of step ${step.id} (${step.kind}) names the script ${step.undo.script}.`;
    for (const [a, which] of [
      [step.action, 'Step'],
      [step.undo, 'The undo of step'],
    ] as const) {
      if (!a) continue;
      const params = isOpScript(a.script) ? opScriptParams[a.script].safeParse(a.params) : undefined;
      if (!params?.success)
        return `${which} ${step.id} passes parameters ${a.script} does not take (${params?.error.issues[0]?.path.join('.') ?? a.script}).`;
      // Each of Hyper-V's two dismount checks is dropped only with its consent, or to put back an orphan
      // the plan had mounted (the undo of a return-orphans mount, as it was before).
      const dismount = a.script === 'op-dismount-device';
      const skipsAcs = dismount && a.params.RequireAcsSupport === false;
      const skipsMitigations =
        dismount && (a.params.RequireDeviceMitigations === false || a.params.RetryWithoutMitigations === true);
      const putsBackOrphan =
        which === 'The undo of step' && step.kind === 'mount-device' && plan.intent.kind === 'return-orphans';
      if (skipsAcs && !plan.choices.consents.includes('force-insecure') && !putsBackOrphan)
        return `${which} ${step.id} dismounts without the ACS check, and the plan has no consent to that.`;
      if (skipsMitigations && !plan.choices.consents.includes('skip-device-mitigations') && !putsBackOrphan)
        return `${which} ${step.id} dismounts without the mitigation check, and the plan has no consent to that.`;
      const why = takeRefusal(inv, a, plan);
      if (why) return `${which} ${step.id} is refused: ${why}.`;
    }
  }
  const outOfScope = scopeRefusal(plan, inv);
  if (outOfScope) return `It reaches beyond what it was planned for: ${outOfScope}.`;
  return null;
}
