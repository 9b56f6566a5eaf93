/** Whether this host can change anything, and whether it can give devices to VMs at all (§2). */
import { iovReadiness } from '../../../shared/host-readiness';
import { consentMessages, planText } from '../../../shared/i18n/plan-messages';
import type { Device, Inventory } from '../../../shared/inventory';
import type { Builder } from './builder';
import { flat } from './text';

/** Whether this host can change anything at all (revert, repair and orphans need only this). */
export function checkCanChange(inv: Inventory, b: Builder): void {
  const h = inv.host;
  if (!h.hyperVPresent) b.block('no-hyperv', planText('noHyperV'));
  if (!h.elevated) b.block('not-elevated', planText('notElevated'));
  if (h.windowsPowerShellCompat) b.block('engine-compat', planText('engineCompat'));
}

/**
 * Whether this host can give these devices to a VM (§2): SKU, IOV support, PCIe control, IOMMU policy.
 * IovSupport False blocks, unless the language-independent facts show the seed's ACS case
 * (shared/host-readiness.ts): then the force consent, quoting the host's own reasons, lets it go on.
 */
export function checkCanAssign(inv: Inventory, b: Builder, devices: Device[]): void {
  checkCanChange(inv, b);
  const h = inv.host;
  if (h.isServerSku === false || h.productType === 1)
    b.block(
      'client-sku',
      planText('clientSku', { caption: h.osCaption !== null ? flat(h.osCaption) : planText('notServerSku') }),
    );
  if (h.osPcieControl === false) b.block('bios-pcie-control', planText('biosPcieControl'));
  const iov = iovReadiness(h, devices);
  if (iov === 'acs-only') {
    const reasons = h.iovSupportReasons.map(flat).join(' ');
    const why = reasons ? planText('iovHostReasons', { reasons }) : planText('iovNoHostReason');
    b.need('force-insecure', planText('iovAcsOnlyConsent', { consent: consentMessages['force-insecure'], why }));
    b.warn('iov-acs-only', 'danger', planText('iovAcsOnly', { why }));
  } else if (iov === 'blocked') {
    const reasons = h.iovSupportReasons.map(flat).join(' ');
    b.block(
      'no-iov',
      planText('noIov', { reasons: reasons ? planText('noIovReasons', { reasons }) : planText('noIovNoReason') }),
    );
  }
  if (h.iommuPolicyEnabled === false) b.block('iommu-off', planText('iommuOff'));
}
