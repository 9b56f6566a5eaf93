/** Settings bookkeeping: what a succeeded plan means for the VM settings the journal remembers. */
import type { Plan, StepKind } from '../../../shared/plan';
import { RESTORING, type RememberedVmSettings } from './builder';

const settingKinds: ReadonlySet<StepKind> = new Set([
  'set-vm-stop-action',
  'set-vm-cache-types',
  'set-vm-mmio',
  'set-vm-memory',
]);

/** The MMIO values a step sets, as remembered (setLow/HighMemoryMappedIoSpace). */
function written(params: Record<string, unknown>): RememberedVmSettings {
  const out: RememberedVmSettings = {};
  if (typeof params.LowMemoryMappedIoSpace === 'number') out.setLowMemoryMappedIoSpace = params.LowMemoryMappedIoSpace;
  if (typeof params.HighMemoryMappedIoSpace === 'number')
    out.setHighMemoryMappedIoSpace = params.HighMemoryMappedIoSpace;
  return out;
}

/**
 * What a succeeded plan means for the remembered VM settings: the originals its preparing steps
 * replaced (to remember; the earliest recorded value wins) and the VMs whose settings it put back
 * (to forget).
 */
export function vmSettingsEffects(plan: Plan): { remember: Record<string, RememberedVmSettings>; forget: string[] } {
  const remember: Record<string, RememberedVmSettings> = {};
  const forget = new Set<string>();
  for (const s of plan.steps) {
    if (!settingKinds.has(s.kind) || !s.replaces) continue;
    const vmId = String(s.action.params.VmId);
    if (s.replaces[RESTORING] === true) {
      forget.add(vmId);
      continue;
    }
    const { [RESTORING]: _, ...values } = s.replaces;
    remember[vmId] = { ...(values as RememberedVmSettings), ...remember[vmId], ...written(s.action.params) };
  }
  return { remember, forget: [...forget] };
}
