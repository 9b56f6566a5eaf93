/** The refusals every intent shares: what it names is not on the host. */
import { planText } from '../../../../shared/i18n/plan-messages';
import type { Builder } from '../builder';
import { flat, q } from '../text';

export const notFoundDevice = (b: Builder, path: string) =>
  b.block('device-not-found', planText('deviceNotFound', { path: flat(path) }));
export const notFoundVm = (b: Builder, vmName: string) =>
  b.block('vm-not-found', planText('vmNotFound', { vm: q(vmName) }));
