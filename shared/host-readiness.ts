/**
 * When Get-VMHost's IovSupport is False, whether the host may still give these devices to a VM.
 *
 * IovSupportReasons are localized display strings (Hyper-V builds them the same way as the documented
 * WMI property Msvm_VirtualEthernetSwitchManagementCapabilities.IOVSupportReasons, string[], no codes),
 * so nothing here reads them: they are shown to the admin, never parsed. The decision comes from facts
 * a host reports the same in every language:
 * - the hypervisor IOMMU policy (bcdedit element names and values are not localized) must be known on;
 * - the firmware must not be known to keep control of PCI Express (osPcieControl false);
 * - every device to be assigned must itself lack ACS on its path (PCI property pid 31 = 0): that is
 *   SurveyDDA's ACS case, which the seed's R910 assigns with -Force.
 * Then the plan goes on with the force consent, whose text quotes the host's reasons. Guess (labelled
 * in main/simulator/reference/README.md): that on such a host the reasons are about ACS only. When they
 * are about DMA or interrupt remapping instead, the VM fails to start with the device (0xC035001E): a
 * start inside the plan rolls the run back, and otherwise Revert gives the device back.
 */
import type { Device, HostReadiness } from './inventory';

/** AcsCompatibleUpHierarchy (pid 31) value "not supported". */
const ACS_NOT_SUPPORTED = 0;

export type IovReadiness = 'ready' | 'acs-only' | 'blocked';

export function iovReadiness(
  host: Pick<HostReadiness, 'iovSupport' | 'osPcieControl' | 'iommuPolicyEnabled'>,
  devices: readonly Pick<Device, 'facts'>[],
): IovReadiness {
  if (host.iovSupport !== false) return 'ready';
  if (host.osPcieControl === false || host.iommuPolicyEnabled !== true) return 'blocked';
  if (devices.length > 0 && devices.every((d) => d.facts.acsUpHierarchy === ACS_NOT_SUPPORTED)) return 'acs-only';
  return 'blocked';
}
