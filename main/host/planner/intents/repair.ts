/** Repair: a VM's stale and duplicate device entries removed, each valid device added back once. */
import { planText } from '../../../../shared/i18n/plan-messages';
import { samePath } from '../../../../shared/location-path';
import type { Intent, LocalizedText } from '../../../../shared/plan';
import { actions } from '../../steps/actions';
import type { Ctx } from '../builder';
import { checkCanChange } from '../checks-host';
import { findDevice, findVm, holds } from '../lookups';
import { flat, list, name, q } from '../text';
import { ensureOff, startAgain } from '../vm-power';
import { vmNotFoundOrAmbiguous } from './not-found';

export function planRepair(c: Ctx, intent: Extract<Intent, { kind: 'repair' }>): LocalizedText {
  const { inv, b } = c;
  const vm = findVm(inv, intent.vmName);
  if (!vm) return (vmNotFoundOrAmbiguous(b, inv, intent.vmName), planText('titleRepairSome'));
  const vmName = q(vm.name);
  const title = planText('titleRepair', { vm: flat(vm.name) });
  // An entry assigned through a resource pool is never stale or duplicate (inventory) and never removed.
  const direct = vm.assignedDevices.filter((a) => !a.resourcePoolName);
  const pooled = vm.assignedDevices.filter((a) => !!a.resourcePoolName);
  const bad = direct.filter((a) => a.stale || a.duplicate);
  if (bad.length === 0) return (b.block('nothing-to-repair', planText('nothingToRepair', { vm: vmName })), title);
  checkCanChange(inv, b);
  // Each valid device once; one another VM also holds stays with that VM (this VM lets go of it).
  const keep: string[] = [];
  for (const a of direct) {
    if (a.stale || keep.some((k) => samePath(k, a.locationPath))) continue;
    const d = findDevice(inv, a.locationPath);
    if (!d) continue;
    if (inv.vms.some((o) => o !== vm && holds(o, a.locationPath))) {
      b.warn('held-elsewhere', 'warning', planText('heldElsewhere', { name: name(d), vm: vmName }));
      continue;
    }
    keep.push(a.locationPath);
  }
  const start = ensureOff(vm, b, c.choices, c.opts);
  b.warn('repair', 'info', planText('repair', { vm: vmName }));
  if (pooled.length > 0) {
    const pools = list([...new Set(pooled.map((a) => flat(a.resourcePoolName!)))]);
    b.warn(
      'pool-entries-kept',
      'info',
      planText(pooled.length === 1 ? 'poolEntryKept' : 'poolEntriesKept', { count: pooled.length, vm: vmName, pools }),
    );
  }
  const restorable = direct.filter((a) => !a.stale && findDevice(inv, a.locationPath)).map((a) => a.locationPath);
  b.step(
    'remove-all-devices',
    planText('stepRemoveAll', { vm: vmName, count: bad.length }),
    actions.remove(vm, null),
    restorable.length > 0 ? actions.addAll(vm, restorable) : null,
    { entries: direct.length },
  );
  for (const p of keep) {
    const d = findDevice(inv, p)!;
    b.step(
      'add-device',
      planText('stepAddBack', { name: name(d), vm: vmName }),
      actions.add(vm, p),
      actions.remove(vm, p),
      { held: false },
    );
  }
  if (start) startAgain(vm, b, c.opts);
  return title;
}
