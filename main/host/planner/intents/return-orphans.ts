/** Return orphans: every dismounted device no VM holds, mounted back to the host. */
import { planText } from '../../../../shared/i18n/plan-messages';
import { samePath } from '../../../../shared/location-path';
import type { Intent, LocalizedText } from '../../../../shared/plan';
import type { Ctx } from '../builder';
import { checkCanChange } from '../checks-host';
import { returnToHost } from '../host-device';

export function planReturnOrphans(c: Ctx, _intent: Extract<Intent, { kind: 'return-orphans' }>): LocalizedText {
  const { inv, b } = c;
  const title = planText('titleReturnOrphans');
  // Orphans are what Get-VMHostAssignableDevice lists and no VM holds (inventory problems). A member of a
  // resource pool waits in its pool for a VM, and a dismounted twin the host does not list (perhaps in a
  // pool a host lists only by name) is not known to be free: neither is mounted back here.
  const listed = inv.problems.flatMap((p) => (p.kind === 'orphan' ? [p.locationPath] : []));
  const orphans = inv.devices.filter(
    (d) =>
      d.owner.kind === 'dismounted' &&
      d.locationPath &&
      !d.resourcePoolName &&
      listed.some((p) => samePath(p, d.locationPath!)),
  );
  if (orphans.length === 0) return (b.block('no-orphans', planText('noOrphans')), title);
  checkCanChange(inv, b);
  for (const d of orphans) returnToHost(d, b);
  return title;
}
