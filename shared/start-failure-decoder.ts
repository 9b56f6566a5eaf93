/**
 * The start-failure decoder (issue 18): an event's code + the host's facts -> cause and fix. By code,
 * never by text (startFailureCodes names the source of each); the upper-MMIO case carries no code of its
 * own and is decided from the facts (the VM's high MMIO gap ends above 2^bits). Unknown codes are shown
 * raw, with the event.
 */
import type { Device, Inventory, Vm } from './inventory';
import { samePath } from './location-path';
import { formatMB, highMmioRoom, requiredMmio } from './mmio';
import type { Intent, LocalizedText } from './plan';
import type { ReconcileItem } from './reconcile-item';
import {
  startFailureCodes,
  type DecodedStartFailure,
  type StartFailureCause,
  type StartFailureEvent,
} from './start-failure';

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });
const q = (s: string) => `'${s.replace(/[\r\n]+/g, ' ')}'`;

function heldDevices(inv: Inventory, vm: Vm): Device[] {
  const out: Device[] = [];
  for (const a of vm.assignedDevices) {
    const d = a.stale
      ? undefined
      : inv.devices.find((x) => x.locationPath !== null && samePath(x.locationPath, a.locationPath));
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}

/**
 * Whether the VM's gaps are below what its devices need with Microsoft's buffer (what DDA Studio sets), or
 * a device's need is unknown: only then is "insufficient system resources" the MMIO's.
 */
function mmioShort(vm: Vm, held: Device[]): boolean {
  if (held.some((d) => d.mmioMB === null)) return true;
  const need = requiredMmio(held);
  return vm.lowMemoryMappedIoSpace < need.low || vm.highMemoryMappedIoSpace < need.high;
}

/** Decodes one start failure of a VM against the host as it is now and the reconcile list (for a stale entry's fix). */
export function decodeStartFailure(
  e: StartFailureEvent,
  inv: Inventory,
  vm: Vm,
  items: readonly ReconcileItem[],
): DecodedStartFailure {
  const row = e.hresult ? startFailureCodes.find((c) => c.hresult === e.hresult) : undefined;
  const bits = inv.host.physicalAddressBits;
  let cause: StartFailureCause = row?.cause ?? 'unknown';
  if (
    bits !== null &&
    highMmioRoom(bits, vm.highMemoryMappedIoBase, vm.highMemoryMappedIoSpace) < 0 &&
    (cause === 'unknown' || cause === 'mmio-too-small')
  )
    cause = 'high-mmio-above-limit';
  const held = heldDevices(inv, vm);
  // Insufficient system resources with gaps that already fit the devices: the host itself is short (its
  // memory, most often), not the VM's MMIO.
  if (cause === 'mmio-too-small' && !mmioShort(vm, held)) cause = 'host-resources';
  if (cause === 'hypervisor-feature')
    cause =
      inv.host.isServerSku === false || inv.host.productType === 1
        ? 'client-sku'
        : inv.host.iommuPolicyEnabled === false
          ? 'iommu-off'
          : 'hypervisor-feature';
  const vmItems = items.filter((i) => i.vmName === vm.name && i.fix);
  const code = e.hresult ?? 'no code';
  let explanation: LocalizedText;
  let fix: LocalizedText;
  let fixIntent: Intent | null = null;
  switch (cause) {
    case 'host-resources': {
      explanation = t(
        `${code}: insufficient system resources. The VM's MMIO gaps (${formatMB(vm.lowMemoryMappedIoSpace)} low, ${formatMB(vm.highMemoryMappedIoSpace)} high) fit its devices now: if they were raised since, start the VM again; if it fails again, the host itself is short, most often of memory (a VM with an assigned device runs on static memory: its ${formatMB(vm.memoryStartup)} must all be free).`,
        `${code}：系统资源不足。虚拟机的 MMIO 空间（低位 ${formatMB(vm.lowMemoryMappedIoSpace)}、高位 ${formatMB(vm.highMemoryMappedIoSpace)}）现在已容得下其设备：如果是之后才调高的，请再次启动虚拟机；如果仍然失败，不足的是宿主机本身，最常见的是内存（分配了设备的虚拟机使用静态内存：其 ${formatMB(vm.memoryStartup)} 必须全部空闲）。`,
      );
      fix = t(
        "Start the VM again; if it fails, free memory on the host (or lower the VM's startup memory).",
        '再次启动虚拟机；如果失败，请释放宿主机内存（或降低虚拟机的启动内存）。',
      );
      break;
    }
    case 'mmio-too-small': {
      const { low, high } = requiredMmio(held);
      explanation = t(
        `${code}: the VM's MMIO gap is too small for its devices (insufficient system resources). They need ${formatMB(low)} low and ${formatMB(high)} high MMIO (their ranges + Microsoft's buffer); the VM has ${formatMB(vm.lowMemoryMappedIoSpace)} and ${formatMB(vm.highMemoryMappedIoSpace)}.`,
        `${code}：虚拟机的 MMIO 空间不足以容纳其设备（系统资源不足）。设备需要低位 ${formatMB(low)}、高位 ${formatMB(high)} 的 MMIO（设备范围 + 微软建议的余量）；虚拟机目前为 ${formatMB(vm.lowMemoryMappedIoSpace)} 和 ${formatMB(vm.highMemoryMappedIoSpace)}。`,
      );
      fix = t(
        `Raise the VM's MMIO to ${formatMB(low)} low / ${formatMB(high)} high (Fit the settings).`,
        `将虚拟机的 MMIO 提高到低位 ${formatMB(low)} / 高位 ${formatMB(high)}（调整配置）。`,
      );
      fixIntent = { kind: 'fit-vm', vmName: vm.name };
      break;
    }
    case 'high-mmio-above-limit': {
      const base = vm.highMemoryMappedIoBase;
      const room = highMmioRoom(bits!, base, vm.highMemoryMappedIoSpace);
      const fitSize = Math.max(0, vm.highMemoryMappedIoSpace + room);
      explanation = t(
        `The VM's upper MMIO region (base + ${formatMB(vm.highMemoryMappedIoSpace)}) ends ${formatMB(-room)} above what this ${bits}-bit CPU can address (${formatMB(2 ** bits!)}).`,
        `虚拟机的高位 MMIO 区域（起始地址 + ${formatMB(vm.highMemoryMappedIoSpace)}）超出此 ${bits} 位 CPU 的寻址上限（${formatMB(2 ** bits!)}）${formatMB(-room)}。`,
      );
      fix = t(
        `Make the gap fit: at most ${formatMB(fitSize)} from its current base, or a lower base (Set-VM -HighMemoryMappedIoBaseAddress, where the host has it) so that base + size stays below ${formatMB(2 ** bits!)}.`,
        `让区域放得下：保持当前起始地址时最多 ${formatMB(fitSize)}，或降低起始地址（在支持的主机上使用 Set-VM -HighMemoryMappedIoBaseAddress），使起始地址 + 大小低于 ${formatMB(2 ** bits!)}。`,
      );
      break;
    }
    case 'stale-entry': {
      const item = vmItems.find(
        (i) => i.kind === 'moved' || i.kind === 'gone' || i.kind === 'stale' || i.kind === 'duplicate',
      );
      explanation = t(
        `${code} (element not found): the VM holds a device entry whose device is not there (moved, removed or added twice).`,
        `${code}（找不到元素）：虚拟机持有的设备条目找不到对应设备（设备被移动、拔除或重复添加）。`,
      );
      fix = item?.fixLabel
        ? t(`${item.fixLabel.en}: ${item.text.en}`, `${item.fixLabel['zh-CN']}：${item.text['zh-CN']}`)
        : t('Repair the VM: remove its stale entries.', '修复虚拟机：移除失效条目。');
      fixIntent = item?.fix ?? { kind: 'repair', vmName: vm.name };
      break;
    }
    case 'client-sku':
      explanation = t(
        `${code}: this is client Windows (${inv.host.osCaption ?? 'not a Server SKU'}); Hyper-V does not power on assigned devices there.`,
        `${code}：这是客户端版 Windows（${inv.host.osCaption ?? '非 Server 版'}），Hyper-V 不会为直通设备上电。`,
      );
      fix = t(
        'Device assignment needs Windows Server: return the devices to the host (Revert).',
        '设备直通需要 Windows Server：请把设备还给宿主机（还原）。',
      );
      break;
    case 'iommu-off':
      explanation = t(`${code}: the hypervisor's IOMMU policy is off.`, `${code}：虚拟机监控程序的 IOMMU 策略已关闭。`);
      fix = t(
        'Run bcdedit /set hypervisoriommupolicy enable on the host and reboot.',
        '在宿主机上运行 bcdedit /set hypervisoriommupolicy enable 并重启。',
      );
      break;
    case 'hypervisor-feature':
      explanation = t(
        `${code}: a hypervisor feature is not available (a client SKU, the IOMMU policy, or IOMMU/interrupt remapping in the firmware).`,
        `${code}：虚拟机监控程序功能不可用（客户端版 Windows、IOMMU 策略，或固件中的 IOMMU/中断重映射）。`,
      );
      fix = t(
        'Check that this is Windows Server, that VT-d/AMD-Vi is on in the firmware, and run bcdedit /set hypervisoriommupolicy enable.',
        '确认这是 Windows Server、固件中已启用 VT-d/AMD-Vi，并运行 bcdedit /set hypervisoriommupolicy enable。',
      );
      break;
    case 'device-in-use':
      explanation = t(
        `${code}: a device of the VM is still in use by the host.`,
        `${code}：虚拟机的某个设备仍被宿主机占用。`,
      );
      fix = t(
        'Return the device to the host and assign it again (disable, dismount, add); if it persists, reboot the host.',
        '把设备还给宿主机后重新分配（禁用、卸除、添加）；若仍失败，请重启宿主机。',
      );
      break;
    default:
      explanation = t(
        `The VM did not start: ${code}${e.eventId !== null ? `, event ${e.eventId}` : ''}. DDA Studio does not know this code; the host's own text is below.`,
        `虚拟机未能启动：${code}${e.eventId !== null ? `，事件 ${e.eventId}` : ''}。DDA Studio 不认识此代码；下面是宿主机给出的原文。`,
      );
      fix = t('See the event text.', '请查看事件原文。');
  }
  return { ...e, cause, explanation, fix, fixIntent };
}

/** The start failure as a reconcile item (the VM is not running and its last start failed). */
export function startFailureItem(vm: Vm, f: DecodedStartFailure): ReconcileItem {
  return {
    kind: 'start-failure',
    severity: 'danger',
    vmName: vm.name,
    locationPath: null,
    toPath: null,
    deviceName: null,
    text: t(
      `${q(vm.name)} failed to start${f.at ? ` (${f.at})` : ''}: ${f.explanation.en} ${f.fix.en}`,
      `${q(vm.name)} 启动失败${f.at ? `（${f.at}）` : ''}：${f.explanation['zh-CN']}${f.fix['zh-CN']}`,
    ),
    fix: f.fixIntent,
    fixLabel: f.fixIntent ? t('Fix', '修复') : null,
  };
}
