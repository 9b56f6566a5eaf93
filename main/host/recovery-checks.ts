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
import { pciIdOf, samePath } from '../../shared/location-path';
import { planIsRunnable, type PsAction, type StepKind } from '../../shared/plan';
import type { OperationRecord } from './journal';

/** Each step kind's script, and the scripts its undo may be. */
export const stepScripts: Record<StepKind, { action: string; undo: readonly string[] }> = {
  'stop-vm': { action: 'op-stop-vm', undo: ['op-start-vm'] },
  'start-vm': { action: 'op-start-vm', undo: ['op-stop-vm'] },
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

/** Scripts that take a device away from the host. */
const TAKES_FROM_HOST = new Set(['op-disable-device', 'op-dismount-device']);

function deviceOf(inv: Inventory, a: PsAction): Device | undefined {
  const path = typeof a.params.LocationPath === 'string' ? a.params.LocationPath : null;
  const id = typeof a.params.InstanceId === 'string' ? a.params.InstanceId : null;
  return inv.devices.find(
    (d) => (path !== null && d.locationPath !== null && samePath(d.locationPath, path)) || (id !== null && pciIdOf(d.instanceId).toUpperCase() === pciIdOf(id).toUpperCase()),
  );
}

function takeRefusal(inv: Inventory, a: PsAction): string | null {
  if (!TAKES_FROM_HOST.has(a.script)) return null;
  const d = deviceOf(inv, a);
  const what = String(a.params.LocationPath ?? a.params.InstanceId ?? '(no device)');
  if (!d) return `it would take ${what} from the host, and the host has no such device`;
  if (d.hostsSystemDisk) return `it would take ${d.friendlyName} (${what}), the controller of the host's system disk, from the host`;
  if (d.verdict.code === 'not-assignable') return `it would take ${d.friendlyName} (${what}) from the host, and the survey says it is not assignable`;
  return null;
}

/** Why this operation must not be recovered, or null when it may. */
export function recoveryRefusal(rec: OperationRecord, inv: Inventory): string | null {
  if (rec.invalid) return `Its journal is not trustworthy: ${rec.invalid}.`;
  const plan = rec.plan;
  if (!planIsRunnable(plan)) return 'Its plan was blocked or lacked a consent, so it never ran.';
  for (const step of plan.steps) {
    const allowed = stepScripts[step.kind];
    if (step.action.script !== allowed.action) return `Step ${step.id} (${step.kind}) names the script ${step.action.script}, not ${allowed.action}.`;
    if (step.undo && !allowed.undo.includes(step.undo.script)) return `The undo of step ${step.id} (${step.kind}) names the script ${step.undo.script}.`;
    if (step.kind === 'dismount-device' && step.action.params.Force === true && !plan.choices.consents.includes('force-insecure'))
      return `Step ${step.id} dismounts with -Force, and the plan has no force consent.`;
    for (const a of [step.action, step.undo]) {
      const why = a ? takeRefusal(inv, a) : null;
      if (why) return `Step ${step.id} is refused: ${why}.`;
    }
  }
  return null;
}
