/**
 * The host's lifelines (issue 12): a NIC that carries the host's addresses or a vSwitch's uplink, a
 * storage controller with the host's disks. The session's own NIC, the boot/system disk and the page
 * file are refused; mounted data volumes and host networking need take-host-lifeline, whose text
 * names exactly what goes (addresses, switches and their VMs, disks and volumes). What could not be
 * read is unknown: storage controllers are refused, NICs need the consent with a text that says so.
 */
import { planText } from '../../../shared/i18n/plan-messages';
import { isNetworkDevice, isStorageController, type Device } from '../../../shared/inventory';
import type { LocalizedText } from '../../../shared/plan';
import { Builder } from './builder';
import { flat, list, listOf, name, q } from './text';

/** What the host's lifelines say of taking this device, decided as the plan decides it (recovery reuses it). */
export function lifelineDecision(d: Device): { refusal: LocalizedText | null; needsConsent: boolean } {
  const b = new Builder();
  checkLifelines(d, b);
  return { refusal: b.blocked?.text ?? null, needsConsent: b.consents.has('take-host-lifeline') };
}

export function checkLifelines(d: Device, b: Builder): void {
  if (d.owner.kind !== 'host') return;
  if (isStorageController(d) || d.lifelines.disks.length > 0) checkStorage(d, b);
  // A device that is no NIC may still carry one (a USB NIC behind its USB controller): what it carries, or
  // may carry while the network is unknown (inventory-service's lifelineReader), counts.
  const l = d.lifelines;
  if (
    isNetworkDevice(d) ||
    !l.networkKnown ||
    l.carriesSession !== false ||
    l.ipAddresses.length > 0 ||
    l.vSwitches.length > 0
  )
    checkNetwork(d, b);
}

function checkStorage(d: Device, b: Builder): void {
  const l = d.lifelines;
  if (!l.storageKnown) b.block('storage-unknown', planText('storageUnknown', { name: name(d) }));
  const boot = l.disks.filter((k) => k.isBoot || k.isSystem);
  if (boot.length > 0 && !d.hostsSystemDisk)
    b.block(
      'system-disk',
      planText('bootDisk', {
        name: name(d),
        disks: listOf(boot.map((k) => planText('diskItem', { number: k.number, name: flat(k.friendlyName) }))),
      }),
    );
  const paging = l.disks.filter((k) => k.pageFile);
  if (paging.length > 0)
    b.block('page-file', planText('pageFile', { name: name(d), volumes: list(paging.flatMap((k) => k.volumes)) }));
  const data = l.disks.filter((k) => k.volumes.length > 0 && !k.isBoot && !k.isSystem && !k.pageFile);
  if (data.length > 0) {
    const disks = listOf(
      data.map((k) =>
        planText('dataDiskItem', { number: k.number, name: flat(k.friendlyName), volumes: list(k.volumes) }),
      ),
      '; ',
      '；',
    );
    b.needAlso('take-host-lifeline', planText('takeHostData', { name: name(d), disks }));
    b.warn(
      'host-data',
      'danger',
      planText('hostData', { name: name(d), volumes: list(data.flatMap((k) => k.volumes)) }),
    );
  }
}

function checkNetwork(d: Device, b: Builder): void {
  const l = d.lifelines;
  const hostIps = [...l.ipAddresses, ...l.vSwitches.flatMap((s) => s.hostIpAddresses)];
  if (l.carriesSession === true) b.block('session-nic', planText('sessionNic', { name: name(d) }));
  else if (l.carriesSession === null && (hostIps.length > 0 || !l.networkKnown))
    b.block(
      'session-nic-unknown',
      planText('sessionNicUnknown', {
        name: name(d),
        carries: l.networkKnown
          ? planText('carriesHostAddresses', { ips: list(hostIps) })
          : planText('mayCarryHostAddresses'),
      }),
    );
  if (!l.networkKnown) {
    b.needAlso('take-host-lifeline', planText('takeNetworkUnknown', { name: name(d) }));
  } else if (l.ipAddresses.length > 0 || l.vSwitches.length > 0) {
    const losses: LocalizedText[] = [];
    if (l.ipAddresses.length > 0)
      losses.push(
        planText(l.ipAddresses.length > 1 ? 'hostLosesAddresses' : 'hostLosesAddress', { ips: list(l.ipAddresses) }),
      );
    for (const s of l.vSwitches) {
      const vms = s.vms.length > 0 ? planText('switchVms', { vms: list(s.vms) }) : planText('switchNoVms');
      const own =
        s.hostIpAddresses.length > 0
          ? planText(s.hostIpAddresses.length > 1 ? 'switchHostAddresses' : 'switchHostAddress', {
              ips: list(s.hostIpAddresses),
            })
          : '';
      losses.push(planText('switchLosesUplink', { type: flat(s.switchType), switch: q(s.name), vms, own }));
    }
    b.needAlso(
      'take-host-lifeline',
      planText('takeHostNetwork', { name: name(d), losses: listOf(losses, '; ', '；') }),
    );
    const items = listOf([
      ...l.ipAddresses.map(flat),
      ...l.vSwitches.map((s) => planText('vSwitchItem', { switch: q(s.name) })),
    ]);
    b.warn('host-network', 'danger', planText('hostNetwork', { name: name(d), items }));
  }
}
