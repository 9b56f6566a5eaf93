/** The refusals every intent shares: what it names is not on the host. */
import { planText } from '../../../../shared/i18n/plan-messages';
import type { Inventory } from '../../../../shared/inventory';
import type { Builder } from '../builder';
import { flat, q } from '../text';

export const notFoundDevice = (b: Builder, path: string) =>
  b.block('device-not-found', planText('deviceNotFound', { path: flat(path) }));
/** No VM of that name, or more than one (`findVm`): refused, saying which. */
export function vmNotFoundOrAmbiguous(b: Pick<Builder, 'block'>, inv: Inventory, vmName: string): void {
  const count = inv.vms.filter((v) => v.name === vmName).length;
  if (count > 1) b.block('vm-name-ambiguous', planText('vmNameAmbiguous', { vm: q(vmName), count: String(count) }));
  else b.block('vm-not-found', planText('vmNotFound', { vm: q(vmName) }));
}
