/**
 * Device-class warnings before the drop (issue 18): what the survey's verdict does not say but admins
 * learn the hard way. Pure; the planner shows them on assign and move plans, and the drag preview can too.
 * Each names its source:
 * - function-level reset (FLR): a function without it may not reset when the VM restarts, and the host
 *   can hang (hyperv-dda.md §6b; Learn, "Plan for deploying devices by using DDA", device reset). Windows
 *   exposes no PnP property for FLR (pciprop.h, pids 1-48, has none), so DDA Studio cannot read it and
 *   says so for the classes the reports are about (GPUs, audio, USB controllers);
 * - a storage controller goes whole: DDA assigns PCI functions, so every disk behind the controller goes
 *   with it; one disk is a pass-through disk instead (Learn, "Deploy NVMe storage devices using DDA";
 *   Add-VMHardDiskDrive -DiskNumber);
 * - a USB controller by DDA on a VM with a partitioned GPU (GPU-P) is reported to give Code 43
 *   (hyperv-dda.md §6b, public GPU-P tool trackers); whether the VM has one is not read, so it is conditional;
 * - an integrated GPU (a root-complex integrated display endpoint, PCI device type 4, SurveyDDA's
 *   "Embedded Endpoint") often shows Code 43 in the guest: its driver expects the host's firmware tables.
 */
import type { Device, Vm } from '../../shared/inventory';
import { isStorageController } from '../../shared/inventory';
import type { PlanWarning } from '../../shared/plan';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const one = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ');

/** USB host controllers: PnP class USB, or PCI base class 0x0C (serial bus) as SurveyDDA reads pid 3. */
function isUsbController(d: Device): boolean {
  return d.pnpClass === 'USB' || (d.facts.baseClass === 0x0c && d.pnpClass !== 'Net');
}
function isDisplay(d: Device): boolean {
  return d.pnpClass === 'Display' || d.facts.baseClass === 3;
}

/** The warnings for giving this device to this VM. */
export function deviceClassWarnings(d: Device, vm: Vm): PlanWarning[] {
  const n = one(d.friendlyName);
  const v = one(vm.name);
  const out: PlanWarning[] = [];
  if (isDisplay(d) || d.pnpClass === 'MEDIA' || isUsbController(d))
    out.push({
      code: 'flr-unknown',
      severity: 'warning',
      text: t(
        `Windows does not report whether ${n} supports function-level reset (FLR). A device without it may not reset when '${v}' restarts, and the host can hang or crash; check the vendor's documentation (or "FLReset+" in lspci -vv from a Linux live system) before relying on it.`,
        `Windows 不报告 ${n} 是否支持功能级重置（FLR）。不支持 FLR 的设备在 '${v}' 重启时可能无法复位，宿主机可能卡死或崩溃；请先查阅厂商文档（或在 Linux 启动盘上用 lspci -vv 查看 "FLReset+"）。`,
      ),
    });
  if (isStorageController(d)) {
    const disks = d.lifelines.disks.map((k) => `disk ${k.number} ${one(k.friendlyName)}`);
    out.push({
      code: 'controller-not-disk',
      severity: 'warning',
      text: t(
        `DDA gives '${v}' the whole controller ${n}${disks.length > 0 ? `, with every disk behind it (${disks.join(', ')})` : ' with every disk behind it'}. To give a VM one disk, use a pass-through disk instead (Set-Disk -IsOffline $true; Add-VMHardDiskDrive -DiskNumber).`,
        `DDA 会把整个控制器 ${n}${disks.length > 0 ? `连同其下的所有磁盘（${disks.join('、')}）` : '连同其下的所有磁盘'}交给 '${v}'。如果只想给虚拟机一块磁盘，请改用直通磁盘（Set-Disk -IsOffline $true；Add-VMHardDiskDrive -DiskNumber）。`,
      ),
    });
  }
  if (isUsbController(d))
    out.push({
      code: 'usb-with-gpu-p',
      severity: 'info',
      text: t(
        `If '${v}' also uses a partitioned GPU (GPU-P, Add-VMGpuPartitionAdapter), a USB controller assigned by DDA is reported to make the GPU fail with Code 43 in the guest.`,
        `如果 '${v}' 还使用了 GPU 分区（GPU-P，Add-VMGpuPartitionAdapter），据报告通过 DDA 直通 USB 控制器会导致客户机中的 GPU 出现代码 43 错误。`,
      ),
    });
  if (isDisplay(d) && d.facts.deviceType === 4)
    out.push({
      code: 'integrated-gpu',
      severity: 'warning',
      text: t(
        `${n} is an integrated GPU (a root-complex integrated endpoint): in a VM its driver often stops with Code 43, because it expects the host's firmware tables. A discrete card is the reliable choice.`,
        `${n} 是集成显卡（根复合体集成端点）：在虚拟机中其驱动常因依赖宿主机固件表而报代码 43。独立显卡更可靠。`,
      ),
    });
  return out;
}
