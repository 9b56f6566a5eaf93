/**
 * Reconcile on connect (issue 18): the host as it is now against the assignments DDA Studio recorded.
 * Pure: the inventory and the records in, the list of changes (each with its fix) and the records to keep
 * out. Rules:
 * - a VM entry whose path no longer exists (stale) is matched by the recorded identity against the
 *   devices no VM holds: exactly one card of that make at the same function = "moved" (fix: re-point the
 *   entry), none = "gone" (fix: remove the entry), several = "stale" naming them (fix: remove);
 * - a dismounted device no VM holds is an orphan (fix: return it to the host and enable it), and says
 *   which deleted VM held it when a record knows;
 * - a device on the host left disabled after DDA (recorded, or a sibling of its card is passed through);
 * - a VM whose settings no longer fit the devices it holds (stop action Save, dynamic memory, MMIO).
 */
import type { AssignmentRecord } from './assignment-record';
import { identityOf, sameCard, type DeviceIdentity } from './device-identity';
import type { Device, Inventory, Vm } from './inventory';
import { cardOf, pciIdOf, samePath } from './location-path';
import { formatMB, highMmioRoom, MiB } from './mmio';
import type { LocalizedText } from './plan';
import type { ReconcileItem } from './reconcile-item';

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });
const q = (s: string) => `'${s.replace(/[\r\n]+/g, ' ')}'`;

const findDevice = (inv: Inventory, path: string) =>
  inv.devices.find((d) => d.locationPath !== null && samePath(d.locationPath, path));
const direct = (vm: Vm) => vm.assignedDevices.filter((a) => !a.resourcePoolName);
const recordFor = (records: readonly AssignmentRecord[], vm: Vm, path: string) =>
  records.find((r) => r.vmId.toLowerCase() === vm.id.toLowerCase() && samePath(r.locationPath, path));

/** The records to keep after seeing this inventory: every present assignment recorded (identity refreshed). */
export function updateRecords(inv: Inventory, records: readonly AssignmentRecord[], now: string): AssignmentRecord[] {
  const out: AssignmentRecord[] = [];
  const vmById = new Map(inv.vms.map((v) => [v.id.toLowerCase(), v]));
  for (const vm of inv.vms) {
    for (const a of direct(vm)) {
      if (
        a.stale ||
        out.some((r) => r.vmId.toLowerCase() === vm.id.toLowerCase() && samePath(r.locationPath, a.locationPath))
      )
        continue;
      const d = findDevice(inv, a.locationPath);
      if (!d) continue;
      const had = recordFor(records, vm, a.locationPath);
      out.push({
        vmId: vm.id,
        vmName: vm.name,
        locationPath: a.locationPath,
        instanceId: pciIdOf(d.instanceId),
        friendlyName: d.friendlyName,
        identity: identityOf(pciIdOf(d.instanceId), had?.identity.serial ?? null),
        recordedAt: had?.recordedAt ?? now,
        lastSeenAt: now,
        computerName: inv.host.computerName,
      });
    }
  }
  for (const r of records) {
    if (out.some((o) => o.vmId.toLowerCase() === r.vmId.toLowerCase() && samePath(o.locationPath, r.locationPath)))
      continue;
    const vm = vmById.get(r.vmId.toLowerCase());
    // The VM still has the entry, now stale: keep the identity to match the card by.
    if (vm) {
      // (its VM is this computer's: so is the record, kept before names were or not)
      if (direct(vm).some((a) => a.stale && samePath(a.locationPath, r.locationPath)))
        out.push({ ...r, computerName: inv.host.computerName });
      continue;
    }
    // The VM is gone: keep while its device waits dismounted, to say which VM left it there.
    const d = findDevice(inv, r.locationPath);
    if (d && d.owner.kind === 'dismounted') out.push(r);
  }
  return out;
}

/** Devices no VM holds (on the host or dismounted), where a moved card can be now. */
function unheld(inv: Inventory): Device[] {
  return inv.devices.filter((d) => d.locationPath !== null && d.owner.kind !== 'vm' && !d.resourcePoolName);
}

function matchMoved(inv: Inventory, identity: DeviceIdentity, fromPath: string): Device[] {
  const fn = cardOf(fromPath)?.functionNumber ?? null;
  return unheld(inv).filter((d) => {
    if (samePath(d.locationPath!, fromPath) || !sameCard(identityOf(pciIdOf(d.instanceId)), identity)) return false;
    const dfn = cardOf(d.locationPath!)?.functionNumber ?? null;
    return fn === null || dfn === null || fn === dfn;
  });
}

const repairFix = (vm: Vm) => ({
  fix: { kind: 'repair' as const, vmName: vm.name },
  fixLabel: t('Remove the entry', '移除该条目'),
});

/** Each of the VM's stale entries whose card is found at exactly one new slot (one re-point plan moves them all). */
function movesOf(
  inv: Inventory,
  records: readonly AssignmentRecord[],
  vm: Vm,
): Array<{ fromPath: string; toPath: string }> {
  const out: Array<{ fromPath: string; toPath: string }> = [];
  for (const a of direct(vm).filter((x) => x.stale)) {
    const r = recordFor(records, vm, a.locationPath);
    const found = r
      ? matchMoved(inv, r.identity, a.locationPath).filter((d) => !out.some((m) => samePath(m.toPath, d.locationPath!)))
      : [];
    if (found.length === 1) out.push({ fromPath: a.locationPath, toPath: found[0]!.locationPath! });
  }
  return out;
}

function staleItems(inv: Inventory, records: readonly AssignmentRecord[]): ReconcileItem[] {
  const out: ReconcileItem[] = [];
  for (const vm of inv.vms) {
    const moves = movesOf(inv, records, vm);
    for (const a of direct(vm).filter((x) => x.stale)) {
      const r = recordFor(records, vm, a.locationPath);
      const base = { vmName: vm.name, locationPath: a.locationPath, toPath: null, deviceName: r?.friendlyName ?? null };
      if (!r) {
        out.push({
          ...base,
          kind: 'stale',
          severity: 'danger',
          ...repairFix(vm),
          text: t(
            `${q(vm.name)} holds an entry for ${a.locationPath}, where there is no device now, and DDA Studio has no record of which card it was. The VM will not start ("Element not found", 0x80070490) until the entry is removed.`,
            `${q(vm.name)} 持有 ${a.locationPath} 的条目，但该位置现在没有设备，DDA Studio 也没有记录那是哪张卡。移除该条目之前，虚拟机无法启动（"找不到元素"，0x80070490）。`,
          ),
        });
        continue;
      }
      const found = matchMoved(inv, r.identity, a.locationPath);
      const move = moves.find((m) => samePath(m.fromPath, a.locationPath));
      const to = move ? findDevice(inv, move.toPath) : undefined;
      if (move && to) {
        out.push({
          ...base,
          kind: 'moved',
          severity: 'danger',
          toPath: to.locationPath,
          deviceName: to.friendlyName,
          fix: { kind: 'repoint', vmName: vm.name, moves },
          fixLabel: t('Re-point the entry', '改指向新位置'),
          text: t(
            `The card ${q(r.friendlyName)} of ${q(vm.name)} in ${a.locationPath} moved to ${to.locationPath} (same vendor, device and subsystem IDs). The VM's entry still names the old slot, so it will not start ("Element not found", 0x80070490).`,
            `${q(vm.name)} 的卡 ${q(r.friendlyName)} 从 ${a.locationPath} 移到了 ${to.locationPath}（厂商、设备和子系统 ID 相同）。虚拟机的条目仍指向旧插槽，因此无法启动（"找不到元素"，0x80070490）。`,
          ),
        });
      } else if (found.length === 0) {
        out.push({
          ...base,
          kind: 'gone',
          severity: 'danger',
          ...repairFix(vm),
          text: t(
            `The card ${q(r.friendlyName)} of ${q(vm.name)} in ${a.locationPath} is gone: no device on the host has its IDs. The VM will not start ("Element not found", 0x80070490) until the entry is removed.`,
            `${q(vm.name)} 位于 ${a.locationPath} 的卡 ${q(r.friendlyName)} 已不在：宿主机上没有相同 ID 的设备。移除该条目之前，虚拟机无法启动（"找不到元素"，0x80070490）。`,
          ),
        });
      } else {
        const where = found.map((d) => d.locationPath!).join(', ');
        out.push({
          ...base,
          kind: 'stale',
          severity: 'danger',
          ...repairFix(vm),
          text: t(
            `The card ${q(r.friendlyName)} of ${q(vm.name)} is no longer in ${a.locationPath}; ${found.length} cards of the same make are free (${where}), so DDA Studio cannot tell which it is. Remove the entry, then assign the right card.`,
            `${q(vm.name)} 的卡 ${q(r.friendlyName)} 已不在 ${a.locationPath}；有 ${found.length} 张同型号的卡空闲（${where}），DDA Studio 无法判断是哪一张。请移除该条目，再分配正确的卡。`,
          ),
        });
      }
    }
  }
  return out;
}

function hostItems(inv: Inventory, records: readonly AssignmentRecord[]): ReconcileItem[] {
  const out: ReconcileItem[] = [];
  for (const p of inv.problems) {
    if (p.kind === 'duplicate') {
      const vm = inv.vms.find((v) => v.name === p.vmNames[0]);
      out.push({
        kind: 'duplicate',
        severity: 'danger',
        vmName: p.vmNames[0] ?? null,
        locationPath: p.locationPath,
        toPath: null,
        deviceName: findDevice(inv, p.locationPath)?.friendlyName ?? null,
        ...(vm ? repairFix(vm) : { fix: null, fixLabel: null }),
        text: t(
          `${p.locationPath} is held ${p.vmNames.length > 1 ? `by ${p.vmNames.map(q).join(', ')}` : 'twice'}: a VM with a duplicate entry does not start.`,
          `${p.locationPath} 被${p.vmNames.length > 1 ? ` ${p.vmNames.map(q).join('、')} ` : '同一虚拟机'}重复持有：存在重复条目的虚拟机无法启动。`,
        ),
      });
    }
    if (p.kind !== 'orphan') continue;
    const d = findDevice(inv, p.locationPath);
    const former = records.find(
      (r) =>
        samePath(r.locationPath, p.locationPath) && !inv.vms.some((v) => v.id.toLowerCase() === r.vmId.toLowerCase()),
    );
    const who = former
      ? t(
          ` It was assigned to ${q(former.vmName)}, which no longer exists.`,
          `它原先分配给 ${q(former.vmName)}，该虚拟机已不存在。`,
        )
      : t('', '');
    out.push({
      kind: 'orphan',
      severity: 'warning',
      vmName: former?.vmName ?? null,
      locationPath: p.locationPath,
      toPath: null,
      deviceName: d?.friendlyName ?? null,
      fix: { kind: 'revert', locationPath: p.locationPath },
      fixLabel: t('Return to host and enable', '还给宿主机并启用'),
      text: t(
        `${q(d?.friendlyName ?? p.locationPath)} is dismounted and no VM holds it: the host cannot use it (Device Manager shows it "- Dismounted").${who.en}`,
        `${q(d?.friendlyName ?? p.locationPath)} 已卸除，但没有虚拟机持有它：宿主机无法使用（设备管理器中显示为"- 已卸除"）。${who['zh-CN']}`,
      ),
    });
  }
  for (const d of inv.devices) {
    if (
      d.owner.kind !== 'host' ||
      d.enabled ||
      !d.locationPath ||
      d.verdict.code === 'not-assignable' ||
      d.dismountedInstanceId
    )
      continue;
    const recorded = records.some((r) => samePath(r.locationPath, d.locationPath!));
    const siblingOut = d.siblings.some((s) => {
      const x = findDevice(inv, s);
      return !!x && x.owner.kind !== 'host';
    });
    if (!recorded && !siblingOut) continue;
    out.push({
      kind: 'disabled',
      severity: 'warning',
      vmName: null,
      locationPath: d.locationPath,
      toPath: null,
      deviceName: d.friendlyName,
      fix: { kind: 'enable-device', locationPath: d.locationPath },
      fixLabel: t('Enable it', '启用'),
      text: t(
        `${q(d.friendlyName)} is back on the host but disabled (left so by an unfinished return or manual step${siblingOut ? '; another function of its card is passed through' : ''}).`,
        `${q(d.friendlyName)} 已回到宿主机，但仍处于禁用状态（还原未完成或手动步骤遗留${siblingOut ? '；同一张卡的另一个功能正在直通' : ''}）。`,
      ),
    });
  }
  return out;
}

/** What no longer fits: the settings of a VM against the devices it holds (raw needs, without Microsoft's buffer). */
export function vmMisfits(inv: Inventory, vm: Vm): LocalizedText[] {
  const held = direct(vm)
    .filter((a) => !a.stale)
    .map((a) => findDevice(inv, a.locationPath))
    .filter((d): d is Device => !!d);
  if (held.length === 0) return [];
  const out: LocalizedText[] = [];
  if (vm.automaticStopAction === 'Save')
    out.push(
      t(
        'its automatic stop action is Save (a VM with a device cannot be saved)',
        '自动停止操作为"保存"（直通设备的虚拟机不能保存）',
      ),
    );
  if (vm.dynamicMemoryEnabled && vm.memoryStartup !== vm.memoryMinimum)
    out.push(t('dynamic memory is on with startup ≠ minimum memory', '启用了动态内存且启动内存不等于最小内存'));
  const low = held.reduce((s, d) => s + (d.mmioLowMB ?? 0) * MiB, 0);
  const high = held.reduce((s, d) => s + (d.mmioHighMB ?? 0) * MiB, 0);
  if (low > vm.lowMemoryMappedIoSpace)
    out.push(
      t(
        `low MMIO ${formatMB(vm.lowMemoryMappedIoSpace)} < the devices' ${formatMB(low)}`,
        `低位 MMIO ${formatMB(vm.lowMemoryMappedIoSpace)} 小于设备所需的 ${formatMB(low)}`,
      ),
    );
  if (high > vm.highMemoryMappedIoSpace)
    out.push(
      t(
        `high MMIO ${formatMB(vm.highMemoryMappedIoSpace)} < the devices' ${formatMB(high)}`,
        `高位 MMIO ${formatMB(vm.highMemoryMappedIoSpace)} 小于设备所需的 ${formatMB(high)}`,
      ),
    );
  const bits = inv.host.physicalAddressBits;
  if (bits !== null && highMmioRoom(bits, vm.highMemoryMappedIoBase, vm.highMemoryMappedIoSpace) < 0)
    out.push(
      t(
        `its high MMIO gap ends above what this ${bits}-bit CPU can address`,
        `高位 MMIO 区域超出此 ${bits} 位 CPU 的寻址范围`,
      ),
    );
  return out;
}

function settingsItems(inv: Inventory): ReconcileItem[] {
  return inv.vms.flatMap((vm) => {
    const misfits = vmMisfits(inv, vm);
    if (misfits.length === 0) return [];
    return [
      {
        kind: 'vm-settings' as const,
        severity: 'warning' as const,
        vmName: vm.name,
        locationPath: null,
        toPath: null,
        deviceName: null,
        fix: { kind: 'fit-vm' as const, vmName: vm.name },
        fixLabel: t('Fit the settings', '调整配置'),
        text: t(
          `The settings of ${q(vm.name)} no longer fit its devices: ${misfits.map((m) => m.en).join('; ')}.`,
          `${q(vm.name)} 的配置已不适合它持有的设备：${misfits.map((m) => m['zh-CN']).join('；')}。`,
        ),
      },
    ];
  });
}

/** The list of changes, most severe first (stale and moved entries, orphans, disabled devices, VM settings). */
export function reconcileHost(inv: Inventory, records: readonly AssignmentRecord[]): ReconcileItem[] {
  return [...staleItems(inv, records), ...hostItems(inv, records), ...settingsItems(inv)];
}
