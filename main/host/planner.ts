/**
 * The planner: an intent + the current inventory -> a Plan of ordered steps, each with its exact
 * PowerShell and its undo, plus the warnings and consents it needs. Pure: no I/O, tested directly.
 * Rules from docs hyperv-dda.md §2-§7; every value reaches command text only through ps-literal.
 */
import type { Device, Inventory, Vm } from '../../shared/inventory';
import { DEFAULT_HIGH_MMIO_BASE, formatMB, highMmioRoom, MAX_LOW_MMIO, MIN_ADDRESS_BITS, requiredHighMmio, requiredLowMmio } from '../../shared/mmio';
import { isNetworkDevice, isStorageController } from '../../shared/inventory';
import type { ConsentId, Intent, LocalizedText, Plan, PlanChoices, PlanStep, PlanWarning, PsAction, StepKind } from '../../shared/plan';
import { PS_SWITCH, psCommand, psString } from '../../shared/ps-literal';
import { pciIdOf, samePath } from '../../shared/location-path';
import { iovReadiness } from '../../shared/host-readiness';
import { planEnableDevice, planFitVm, planRepoint, warnDeviceClass, type PlannerKit } from './plan-reconcile';

/** VM settings an earlier assignment replaced (the values before it), so revert can put them back. */
export interface RememberedVmSettings {
  automaticStopAction?: string;
  guestControlledCacheTypes?: boolean;
  lowMemoryMappedIoSpace?: number;
  highMemoryMappedIoSpace?: number;
  dynamicMemoryEnabled?: boolean;
}

/** What the planner needs besides the intent: ids and time from outside (it is pure). */
export interface PlanOptions {
  planId: string;
  /** ISO time the plan is made (shown in the exported script). */
  now?: string;
  /** Settings per VM id, as the journal recorded them when an assignment changed them. */
  rememberedVmSettings?: Record<string, RememberedVmSettings>;
  /** Seconds the guest gets to shut down before the VM is turned off. */
  shutdownTimeoutSec?: number;
  /** Why the recorded VM settings were lost (their file was unreadable), or null. */
  rememberedVmSettingsLost?: string | null;
  /** Devices (location paths) this host refused to dismount with the mitigation check on, this session. */
  mitigationRefusals?: readonly string[];
}

/** How long a guest gets to shut down gracefully before it is turned off. */
export const DEFAULT_SHUTDOWN_TIMEOUT_SEC = 120;

/** The replaces key that marks a step putting back remembered settings (so they can be forgotten). */
export const RESTORING = 'restoring';

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });
/** Names inside prose (never inside code): quoted, with line breaks flattened. */
const q = (s: string) => `'${flat(s)}'`;
/** One line of text: comments in the exported script must not be ended by a line break in a name. */
export function flat(s: string): string {
  return s.replace(/[\r\n\u0085\u2028\u2029\u0000-\u0008\u000B\u000C\u000E-\u001F]+/g, ' ');
}

const consentTexts: Record<ConsentId, LocalizedText> = {
  'turn-off-vm': t(
    'Turn the VM off. A graceful shutdown is tried first; if the guest does not shut down in time, the VM is turned off, which can lose unsaved work in the guest.',
    '关闭虚拟机。先尝试正常关机；如果客户机没有及时关机，将强制关闭（硬关机），客户机中未保存的数据可能丢失。',
  ),
  'force-insecure': t(
    "Dismount without ACS, insecurely: with no ACS on its path to the root complex the device can reach other devices' memory by DMA, so a compromised or malicious guest could attack the host. The vendor-mitigation check stays on. Only for trusted VMs.",
    '不经 ACS 卸除（不安全）：设备到根复合体的路径上没有 ACS，设备可以通过 DMA 访问其他设备的内存，被入侵或不可信的客户机可能借此攻击宿主机。厂商缓解驱动的检查仍然保留。只对可信的虚拟机这样做。',
  ),
  'skip-device-mitigations': t(
    "Dismount without the vendor's mitigation driver, if the host refuses it for that: the device's manufacturer has supplied no directives for securing it in a VM, so a guest could misuse it against the host. The ACS check stays on where the device has ACS. Only for trusted VMs.",
    '如果宿主机因缺少厂商缓解驱动而拒绝，则不经该检查卸除：设备厂商没有提供在虚拟机中保护该设备的指令，客户机可能借此设备攻击宿主机。设备具备 ACS 时，ACS 检查仍然保留。只对可信的虚拟机这样做。',
  ),
  'unknown-address-width': t(
    "Go ahead without knowing the CPU's physical address width (Windows PowerShell 5.1 cannot read it): if the VM's high MMIO gap ends above what the CPU can address, the VM will not start, and the plan's changes have to be reverted.",
    '在不知道 CPU 物理地址位数的情况下继续（Windows PowerShell 5.1 无法读取）：如果虚拟机的高位 MMIO 区域超出 CPU 的寻址范围，虚拟机将无法启动，需要撤销本计划的更改。',
  ),
  'take-last-display': t(
    "Take the host's last display adapter: the host console goes blank until the device is returned (manage the host remotely).",
    '拿走宿主机最后一块显卡：设备还回宿主机之前，宿主机的本地控制台将没有显示（请通过远程方式管理宿主机）。',
  ),
  'discard-saved-state': t(
    'Discard the saved state of the saved VM(s) (Remove-VMSavedState): each guest loses what was in its memory, like pulling the power. This cannot be undone.',
    '丢弃已保存虚拟机的已保存状态（Remove-VMSavedState）：客户机内存中的内容将丢失，相当于直接断电。此操作无法撤销。',
  ),
  'take-host-lifeline': t(
    'Take a device the host itself uses (its network or its data): the host loses it until the device is returned.',
    '拿走宿主机自己在用的设备（网络或数据）：设备还回之前，宿主机将失去它。',
  ),
};

export class Builder {
  steps: PlanStep[] = [];
  warnings: PlanWarning[] = [];
  /** Consents this plan needs; a text here replaces the standard one (it names what is at stake). */
  consents = new Map<ConsentId, LocalizedText | null>();
  need(id: ConsentId, text: LocalizedText | null = null): void {
    if (!this.consents.get(id)) this.consents.set(id, text);
  }
  /** Needs a consent whose text lists every thing at stake (each device of the plan adds its own). */
  needAlso(id: ConsentId, text: LocalizedText): void {
    const had = this.consents.get(id);
    this.consents.set(id, had ? { en: `${had.en} ${text.en}`, 'zh-CN': `${had['zh-CN']}${text['zh-CN']}` } : text);
  }
  blocked: Plan['blocked'] = null;
  offersStartVmAfter = false;
  private n = 0;
  step(kind: StepKind, description: LocalizedText, action: PsAction, undo: PsAction | null, replaces?: Record<string, string | number | boolean>): void {
    this.steps.push({ id: `s${++this.n}`, kind, description, action, undo, ...(replaces ? { replaces } : {}) });
  }
  warn(code: string, severity: PlanWarning['severity'], text: LocalizedText): void {
    if (!this.warnings.some((w) => w.code === code && w.text.en === text.en)) this.warnings.push({ code, severity, text });
  }
  block(code: string, text: LocalizedText): void {
    if (!this.blocked) this.blocked = { code, text };
  }
}

// --- Actions: one function per PowerShell action, the only place commands are spelled -----------
// VMs are named by id in commands (names may repeat on a host, and ids are plain GUIDs); names appear
// only in descriptions. Every value goes through psCommand/psString.

const byId = (vm: Vm) => `Get-VM -Id ${psString(vm.id)}`;
type VmSettings = { AutomaticStopAction?: string; GuestControlledCacheTypes?: boolean; LowMemoryMappedIoSpace?: number; HighMemoryMappedIoSpace?: number };

/** Which of Hyper-V's two dismount checks stay on, and whether a refusal is retried without the mitigation check. */
export interface DismountChecks {
  RequireAcsSupport: boolean;
  RequireDeviceMitigations: boolean;
  RetryWithoutMitigations: boolean;
}
/** A device that goes back where it was (undo, recovery): no check stands in the way of a state that existed. */
export const PUT_BACK: DismountChecks = { RequireAcsSupport: false, RequireDeviceMitigations: false, RetryWithoutMitigations: false };

/** XML text escaping as System.Xml.XmlWriter does it (NewLineHandling.Entitize) in element content. */
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');

/** Msvm_AssignableDeviceDismountSettingData as the embedded instance (CIM-XML) op-dismount-device.ps1 builds. */
export function dismountSettingData(path: string, instanceId: string, requireAcs: boolean, requireMitigations: boolean): string {
  const prop = (name: string, type: string, value: string) => `<PROPERTY NAME="${name}" TYPE="${type}"><VALUE>${value}</VALUE></PROPERTY>`;
  const instance = instanceId ? prop('DeviceInstancePath', 'string', xmlText(instanceId)) : '';
  return `<INSTANCE CLASSNAME="Msvm_AssignableDeviceDismountSettingData">${instance}${prop('DeviceLocationPath', 'string', xmlText(path))}${prop('RequireAcsSupport', 'boolean', String(requireAcs))}${prop('RequireDeviceMitigations', 'boolean', String(requireMitigations))}</INSTANCE>`;
}

/**
 * The dismount as an admin would type it: the cmdlet when both checks stay on or both go (-Force drops
 * exactly those two), else the WMI method with the one check still enforced, waiting for its job.
 */
function dismountCommand(path: string, instanceId: string, requireAcs: boolean, requireMitigations: boolean, stop: boolean): string {
  const ea = stop ? ' -ErrorAction Stop' : '';
  if (requireAcs && requireMitigations) return `${psCommand('Dismount-VMHostAssignableDevice', [['LocationPath', path]])}${ea}`;
  if (!requireAcs && !requireMitigations) return `${psCommand('Dismount-VMHostAssignableDevice', [['LocationPath', path], ['Force', PS_SWITCH]])}${ea}`;
  return [
    `$r = Get-CimInstance -Namespace 'root/virtualization/v2' -ClassName 'Msvm_AssignableDeviceService' | Invoke-CimMethod -MethodName 'DismountAssignableDevice' -Arguments @{ DismountSettingData = ${psString(dismountSettingData(path, instanceId, requireAcs, requireMitigations))} }`,
    "if ($r.ReturnValue -eq 4096) { $j = Get-CimInstance -InputObject $r.Job; while (@(2, 3, 4, 5, 6, 11, 12) -contains $j.JobState) { Start-Sleep -Milliseconds 250; $j = Get-CimInstance -InputObject $j }; if ($j.JobState -ne 7) { throw ('DismountAssignableDevice failed: ' + $j.ErrorDescription + ' (error ' + $j.ErrorCode + ')') } } elseif ($r.ReturnValue -ne 0) { throw ('DismountAssignableDevice returned ' + $r.ReturnValue) }",
  ].join('; ');
}

/** The PowerShell actions of every step kind (exported for the recovery and the tests). */
export const actions = {
  stopVm: (vm: Vm, timeoutSec: number): PsAction => ({
    script: 'op-stop-vm',
    params: { VmId: vm.id, TimeoutSec: timeoutSec },
    command: `$vm = ${byId(vm)}; $job = $vm | Stop-VM -Force -AsJob; if (-not (Wait-Job $job -Timeout ${timeoutSec}) -or $job.State -ne 'Completed') { $vm | Stop-VM -TurnOff -Force }`,
  }),
  startVm: (vm: Vm): PsAction => ({ script: 'op-start-vm', params: { VmId: vm.id }, command: `${byId(vm)} | Start-VM` }),
  removeSavedState: (vm: Vm): PsAction => ({ script: 'op-remove-saved-state', params: { VmId: vm.id }, command: `${byId(vm)} | Remove-VMSavedState -Confirm:$false` }),
  disable: (instanceId: string): PsAction => ({
    script: 'op-disable-device',
    params: { InstanceId: instanceId },
    command: `${psCommand('Disable-PnpDevice', [['InstanceId', instanceId]])} -Confirm:$false -ErrorAction Stop`,
  }),
  enable: (instanceId: string): PsAction => ({
    script: 'op-enable-device',
    params: { InstanceId: instanceId },
    command: `${psCommand('Enable-PnpDevice', [['InstanceId', instanceId]])} -Confirm:$false -ErrorAction Stop`,
  }),
  dismount: (path: string, instanceId: string, checks: DismountChecks): PsAction => ({
    script: 'op-dismount-device',
    params: { LocationPath: path, InstanceId: instanceId, ...checks },
    command: checks.RetryWithoutMitigations && checks.RequireDeviceMitigations
      ? `try { ${dismountCommand(path, instanceId, checks.RequireAcsSupport, true, true)} } catch { ${dismountCommand(path, instanceId, checks.RequireAcsSupport, false, true)} }`
      : dismountCommand(path, instanceId, checks.RequireAcsSupport, checks.RequireDeviceMitigations, false),
  }),
  mount: (path: string): PsAction => ({ script: 'op-mount-device', params: { LocationPath: path }, command: psCommand('Mount-VMHostAssignableDevice', [['LocationPath', path]]) }),
  add: (vm: Vm, path: string): PsAction => ({
    script: 'op-add-device',
    params: { VmId: vm.id, LocationPath: path },
    command: `${byId(vm)} | ${psCommand('Add-VMAssignableDevice', [['LocationPath', path]])}`,
  }),
  addAll: (vm: Vm, paths: string[]): PsAction => ({
    script: 'op-add-devices',
    params: { VmId: vm.id, LocationPaths: paths },
    command: `$vm = ${byId(vm)}; ${paths.map((p) => `$vm | ${psCommand('Add-VMAssignableDevice', [['LocationPath', p]])}`).join('; ')}`,
  }),
  remove: (vm: Vm, path: string | null): PsAction => ({
    script: 'op-remove-device',
    params: path ? { VmId: vm.id, LocationPath: path } : { VmId: vm.id },
    // Remove-VMAssignableDevice takes VMAssignedDevice objects from the pipeline, never a VM. With no
    // path: every direct entry; an entry assigned through a resource pool (Windows Server 2025) stays
    // (the 2025 doc's own example filters on ResourcePoolName the same way).
    command: path
      ? `Get-VMAssignableDevice -VM (${byId(vm)}) | Where-Object { $_.LocationPath -eq ${psString(path)} } | Remove-VMAssignableDevice`
      : `Get-VMAssignableDevice -VM (${byId(vm)}) | Where-Object { -not $_.ResourcePoolName -or $_.ResourcePoolName -eq 'Primordial' } | Remove-VMAssignableDevice`,
  }),
  setVm: (vm: Vm, settings: VmSettings): PsAction => {
    const parts: Array<readonly [string, unknown]> = [];
    if (settings.AutomaticStopAction !== undefined) parts.push(['AutomaticStopAction', settings.AutomaticStopAction]);
    if (settings.GuestControlledCacheTypes !== undefined) parts.push(['GuestControlledCacheTypes', settings.GuestControlledCacheTypes]);
    if (settings.LowMemoryMappedIoSpace !== undefined) parts.push(['LowMemoryMappedIoSpace', settings.LowMemoryMappedIoSpace]);
    if (settings.HighMemoryMappedIoSpace !== undefined) parts.push(['HighMemoryMappedIoSpace', settings.HighMemoryMappedIoSpace]);
    return { script: 'op-set-vm', params: { VmId: vm.id, ...settings }, command: `${byId(vm)} | ${psCommand('Set-VM', parts)}` };
  },
  setMemory: (vm: Vm, dynamic: boolean): PsAction => ({
    script: 'op-set-vm-memory',
    params: { VmId: vm.id, DynamicMemoryEnabled: dynamic },
    command: `${byId(vm)} | ${psCommand('Set-VMMemory', [['DynamicMemoryEnabled', dynamic]])}`,
  }),
};

// --- Look-ups -------------------------------------------------------------------------------------

function findDevice(inv: Inventory, path: string): Device | undefined {
  return inv.devices.find((d) => d.locationPath !== null && samePath(d.locationPath, path));
}
function findVm(inv: Inventory, name: string): Vm | undefined {
  return inv.vms.find((v) => v.name === name);
}
/** Devices the VM holds (not stale), each once, for the MMIO sum. */
function heldBy(inv: Inventory, vm: Vm): Device[] {
  const out: Device[] = [];
  for (const a of vm.assignedDevices) {
    if (a.stale) continue;
    const d = findDevice(inv, a.locationPath);
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}
const holds = (vm: Vm, path: string) => vm.assignedDevices.some((a) => samePath(a.locationPath, path));
const name = (d: Device) => flat(d.friendlyName);

// --- Checks ---------------------------------------------------------------------------------------

/** Whether this host can change anything at all (revert, repair and orphans need only this). */
function checkCanChange(inv: Inventory, b: Builder): void {
  const h = inv.host;
  if (!h.hyperVPresent) b.block('no-hyperv', t('Hyper-V and its PowerShell module are not installed on this host.', '此主机未安装 Hyper-V 角色及其 PowerShell 模块。'));
  if (!h.elevated) b.block('not-elevated', t('DDA Studio is not running as administrator: restart it elevated to change anything.', 'DDA Studio 没有以管理员身份运行：请以管理员身份重新启动后再做更改。'));
}

/**
 * Whether this host can give these devices to a VM (§2): SKU, IOV support, PCIe control, IOMMU policy.
 * IovSupport False blocks, unless the language-independent facts show the seed's ACS case
 * (shared/host-readiness.ts): then the force consent, quoting the host's own reasons, lets it go on.
 */
function checkCanAssign(inv: Inventory, b: Builder, devices: Device[]): void {
  checkCanChange(inv, b);
  const h = inv.host;
  if (h.isServerSku === false || h.productType === 1)
    b.block('client-sku', t(
      `This is client Windows (${flat(h.osCaption ?? 'not a Server SKU')}): the cmdlets work, but the VM then fails to start with 0xC035001E ("A hypervisor feature is not available to the user"). Device assignment needs Windows Server.`,
      `这是客户端版 Windows（${flat(h.osCaption ?? '非 Server 版')}）：命令可以执行，但虚拟机随后无法启动，报错 0xC035001E（"A hypervisor feature is not available to the user"）。设备直通只支持 Windows Server。`));
  if (h.osPcieControl === false)
    b.block('bios-pcie-control', t(
      'The firmware does not let Windows control PCI Express: every dismount fails, even with -Force. Update the BIOS/UEFI or enable OS control of PCIe in its settings.',
      '固件不允许 Windows 控制 PCI Express：任何卸除操作都会失败，加 -Force 也不行。请升级 BIOS/UEFI 固件，或在固件设置中允许操作系统控制 PCIe。'));
  const iov = iovReadiness(h, devices);
  if (iov === 'acs-only') {
    const reasons = h.iovSupportReasons.map(flat).join(' ');
    const why = t(reasons ? ` The host's reasons: ${reasons}` : ' The host gave no reason.', reasons ? `宿主机给出的原因：${reasons}` : '宿主机没有给出原因。');
    b.need('force-insecure', t(
      `${consentTexts['force-insecure'].en} This host also reports IovSupport = False: its devices lack ACS and the IOMMU policy is on, so the likely cause is ACS (the seed's R910 case), which -Force lifts. If the host's reasons are about DMA or interrupt remapping instead, the VM will not start with the device (0xC035001E): give it back to the host (Revert).${why.en}`,
      `${consentTexts['force-insecure']['zh-CN']}此主机还报告 IovSupport = False：它的设备缺少 ACS，且 IOMMU 策略已启用，所以原因很可能是 ACS（即种子文章中 R910 的情况），-Force 可以绕过。如果宿主机给出的原因是 DMA 重映射或中断重映射，带该设备的虚拟机将无法启动（0xC035001E）：请把设备还给宿主机（还原）。${why['zh-CN']}`));
    b.warn('iov-acs-only', 'danger', t(
      `Get-VMHost reports IovSupport = False. DDA Studio does not read the reasons (they are in the host's language); the devices' own facts (no ACS, IOMMU policy on) point to the ACS case, which -Force lifts.${why.en}`,
      `Get-VMHost 报告 IovSupport = False。DDA Studio 不解析原因文本（它们使用宿主机的语言）；设备本身的信息（缺少 ACS、IOMMU 策略已启用）表明属于 ACS 的情况，-Force 可以绕过。${why['zh-CN']}`));
  } else if (iov === 'blocked') {
    const reasons = h.iovSupportReasons.map(flat).join(' ');
    b.block('no-iov', t(
      `This host cannot assign devices to VMs (Get-VMHost reports IovSupport = False). ${reasons ? `Reasons: ${reasons}` : 'No reason was given.'}`,
      `此主机不支持将设备直通给虚拟机（Get-VMHost 报告 IovSupport = False）。${reasons ? `原因：${reasons}` : '系统没有给出原因。'}`));
  }
  if (h.iommuPolicyEnabled === false)
    b.block('iommu-off', t(
      'The hypervisor IOMMU policy is off: VMs with devices will not start (0xC035001E). Run bcdedit /set hypervisoriommupolicy enable and reboot.',
      '虚拟机监控程序的 IOMMU 策略已关闭：带直通设备的虚拟机无法启动（0xC035001E）。请运行 bcdedit /set hypervisoriommupolicy enable 并重启。'));
}

/** A device the VM will get: refusals and warnings that follow from the survey and the host's needs. */
function checkDeviceForVm(inv: Inventory, d: Device, b: Builder): void {
  if (d.hostsSystemDisk)
    b.block('system-disk', t(
      `${name(d)} controls the host's system disk: taking it from the host would crash the host. It is never assigned.`,
      `${name(d)} 是宿主机系统盘所在的控制器：把它从宿主机拿走会导致宿主机崩溃。不允许直通。`));
  if (d.verdict.code === 'not-assignable')
    b.block('not-assignable', t(
      `${name(d)} cannot be assigned: ${reasonText(d).en}`,
      `${name(d)} 无法直通：${reasonText(d)['zh-CN']}`));
  if (d.verdict.code === 'unknown' || d.verdict.code === 'disabled-unknown')
    b.warn('verdict-unknown', 'warning', t(
      `${name(d)} could not be fully checked (it is disabled or was never measured on the host); it may not work in the VM.`,
      `${name(d)} 无法完整检测（设备已禁用，或从未在宿主机上测量过）；在虚拟机中可能无法正常工作。`));
  if (d.verdict.code === 'assignable-less-secure')
    b.warn('less-secure', 'info', t(
      `${name(d)} is an integrated (root-complex) endpoint: assignable, but less isolated than a PCIe card.`,
      `${name(d)} 是集成端点（Root Complex Integrated Endpoint）：可以直通，但隔离性不如独立 PCIe 卡。`));
  if (d.pnpClass === 'Display' && d.owner.kind === 'host' && d.enabled) {
    const others = inv.devices.filter((x) => x !== d && x.pnpClass === 'Display' && x.owner.kind === 'host' && x.enabled);
    if (others.length === 0) {
      b.need('take-last-display');
      b.warn('last-display', 'danger', t(
        `${name(d)} is the host's last display adapter: the local console goes blank while the VM holds it.`,
        `${name(d)} 是宿主机最后一块显卡：虚拟机占用期间，宿主机本地控制台将没有显示。`));
    }
  }
  checkLifelines(d, b);
}

const list = (xs: string[]) => xs.map(flat).join(', ');
const listZh = (xs: string[]) => xs.map(flat).join('、');

/**
 * The host's lifelines (issue 12): a NIC that carries the host's addresses or a vSwitch's uplink, a
 * storage controller with the host's disks. The session's own NIC, the boot/system disk and the page
 * file are refused; mounted data volumes and host networking need take-host-lifeline, whose text
 * names exactly what goes (addresses, switches and their VMs, disks and volumes). What could not be
 * read is unknown: storage controllers are refused, NICs need the consent with a text that says so.
 */
/** What the host's lifelines say of taking this device, decided as the plan decides it (recovery reuses it). */
export function lifelineDecision(d: Device): { refusal: LocalizedText | null; needsConsent: boolean } {
  const b = new Builder();
  checkLifelines(d, b);
  return { refusal: b.blocked?.text ?? null, needsConsent: b.consents.has('take-host-lifeline') };
}

function checkLifelines(d: Device, b: Builder): void {
  if (d.owner.kind !== 'host') return;
  const l = d.lifelines;
  if (isStorageController(d) || l.disks.length > 0) {
    if (!l.storageKnown)
      b.block('storage-unknown', t(
        `${name(d)} is a storage controller, and which of the host's disks sit behind it could not be determined (the system disk or the disk list was unreadable): storage controllers are refused until that is known.`,
        `${name(d)} 是存储控制器，但无法确定宿主机的哪些磁盘挂在它下面（系统盘或磁盘列表无法读取）：在查明之前，不允许直通任何存储控制器。`));
    const boot = l.disks.filter((k) => k.isBoot || k.isSystem);
    if (boot.length > 0 && !d.hostsSystemDisk)
      b.block('system-disk', t(
        `${name(d)} controls the host's boot/system disk (${list(boot.map((k) => `disk ${k.number} ${k.friendlyName}`))}): taking it from the host would crash the host. It is never assigned.`,
        `${name(d)} 是宿主机启动盘/系统盘（${listZh(boot.map((k) => `磁盘 ${k.number} ${k.friendlyName}`))}）所在的控制器：把它从宿主机拿走会导致宿主机崩溃。不允许直通。`));
    const paging = l.disks.filter((k) => k.pageFile);
    if (paging.length > 0)
      b.block('page-file', t(
        `${name(d)} holds the host's page file (on ${list(paging.flatMap((k) => k.volumes))}): Windows cannot lose its page file while running; move the page file first.`,
        `${name(d)} 上有宿主机的页面文件（位于 ${listZh(paging.flatMap((k) => k.volumes))}）：Windows 运行时不能失去页面文件；请先把页面文件移走。`));
    const data = l.disks.filter((k) => k.volumes.length > 0 && !k.isBoot && !k.isSystem && !k.pageFile);
    if (data.length > 0) {
      const en = data.map((k) => `disk ${k.number} ${flat(k.friendlyName)} with ${list(k.volumes)}`).join('; ');
      const zh = data.map((k) => `磁盘 ${k.number} ${flat(k.friendlyName)}（${listZh(k.volumes)}）`).join('；');
      b.needAlso('take-host-lifeline', t(
        `Take ${name(d)} from the host: the host loses ${en}. Files open there are lost, and whatever the host keeps there (VM disks, shares, logs) stops working until the device is returned.`,
        `从宿主机拿走 ${name(d)}：宿主机将失去${zh}。其上打开的文件会丢失，宿主机放在那里的东西（虚拟机磁盘、共享、日志）在设备还回之前都无法使用。`));
      b.warn('host-data', 'danger', t(
        `${name(d)} holds host volumes: ${list(data.flatMap((k) => k.volumes))}.`,
        `${name(d)} 上有宿主机的卷：${listZh(data.flatMap((k) => k.volumes))}。`));
    }
  }
  if (isNetworkDevice(d)) {
    const hostIps = [...l.ipAddresses, ...l.vSwitches.flatMap((s) => s.hostIpAddresses)];
    if (l.carriesSession === true)
      b.block('session-nic', t(
        `${name(d)} carries the connection DDA Studio is using to manage this host: taking it would cut this session off in the middle of the plan. Connect over another NIC to assign it.`,
        `${name(d)} 承载着 DDA Studio 管理这台宿主机所用的连接：拿走它会在执行计划的中途切断本次会话。请通过其他网卡连接后再直通它。`));
    else if (l.carriesSession === null && (hostIps.length > 0 || !l.networkKnown))
      b.block('session-nic-unknown', t(
        `DDA Studio is connected to this host remotely and cannot tell which NIC carries that connection; ${name(d)} ${l.networkKnown ? `carries the host's addresses (${list(hostIps)})` : 'may carry the host\'s addresses'}, so it is refused.`,
        `DDA Studio 通过远程连接管理这台宿主机，但无法确定该连接走的是哪块网卡；${name(d)} ${l.networkKnown ? `承载着宿主机的地址（${listZh(hostIps)}）` : '可能承载着宿主机的地址'}，因此不允许直通。`));
    if (!l.networkKnown) {
      b.needAlso('take-host-lifeline', t(
        `Take ${name(d)} from the host although the host's network configuration could not be read (unknown): it may carry the host's IP addresses or a virtual switch's uplink, and taking it may cut the host and its VMs off the network.`,
        `在无法读取宿主机网络配置（未知）的情况下从宿主机拿走 ${name(d)}：它可能承载着宿主机的 IP 地址或虚拟交换机的上行链路，拿走后宿主机及其虚拟机可能断网。`));
    } else if (l.ipAddresses.length > 0 || l.vSwitches.length > 0) {
      const en: string[] = [];
      const zh: string[] = [];
      if (l.ipAddresses.length > 0) {
        en.push(`the host loses its address${l.ipAddresses.length > 1 ? 'es' : ''} ${list(l.ipAddresses)}`);
        zh.push(`宿主机将失去地址 ${listZh(l.ipAddresses)}`);
      }
      for (const s of l.vSwitches) {
        const vms = s.vms.length > 0 ? `the VMs on it (${list(s.vms)})` : 'no VM is on it now';
        const vmsZh = s.vms.length > 0 ? `其上的虚拟机（${listZh(s.vms)}）` : '目前没有虚拟机连在上面';
        const own = s.hostIpAddresses.length > 0 ? ` and the host's own address${s.hostIpAddresses.length > 1 ? 'es' : ''} ${list(s.hostIpAddresses)} on it` : '';
        const ownZh = s.hostIpAddresses.length > 0 ? `，以及宿主机在其上的地址 ${listZh(s.hostIpAddresses)}` : '';
        en.push(`the ${flat(s.switchType)} virtual switch ${q(s.name)} loses its uplink: ${vms}${own} lose the network`);
        zh.push(`${flat(s.switchType)} 虚拟交换机 ${q(s.name)} 将失去上行链路：${vmsZh}${ownZh}将断网`);
      }
      b.needAlso('take-host-lifeline', t(
        `Take ${name(d)} from the host: ${en.join('; ')}. Whoever manages the host or uses those VMs over it loses the connection until the device is returned.`,
        `从宿主机拿走 ${name(d)}：${zh.join('；')}。通过它管理宿主机或使用这些虚拟机的人，在设备还回之前都会断开连接。`));
      b.warn('host-network', 'danger', t(
        `${name(d)} carries the host's network: ${[...l.ipAddresses, ...l.vSwitches.map((s) => `vSwitch ${q(s.name)}`)].map(flat).join(', ')}.`,
        `${name(d)} 承载着宿主机的网络：${[...l.ipAddresses, ...l.vSwitches.map((s) => `虚拟交换机 ${q(s.name)}`)].map(flat).join('、')}。`));
    }
  }
}

function reasonText(d: Device): LocalizedText {
  switch (d.verdict.reason) {
    case 'rmrr':
      return t('the BIOS requires that it stay attached to BIOS-owned memory (RMRR).', 'BIOS 要求该设备保持与 BIOS 保留内存（RMRR）的关联。');
    case 'bios-pcie-control':
      return t('the BIOS kept control of PCI Express for this device.', 'BIOS 保留了对该设备 PCI Express 的控制权。');
    case 'legacy-non-vga':
      return t('it is a legacy, non-VGA PCI device.', '它是传统（非 VGA）PCI 设备。');
    case 'legacy-pci':
      return t('it is an old-style PCI device, a bridge or a switch port.', '它是传统 PCI 设备、桥或交换端口。');
    case 'line-interrupts':
      return t('all of its interrupts are line-based; assignment needs message-signalled interrupts (MSI/MSI-X).', '它的中断全部是线中断（Line Interrupt）；直通需要消息信号中断（MSI/MSI-X）。');
    case 'acs-missing':
      return t('traffic from it may be redirected to other devices (no ACS).', '它的流量可能被转发到系统中的其他设备（缺少 ACS）。');
    default:
      return t('the survey says so.', '检测结果不支持。');
  }
}

/** Turns a VM off first when it is not off (consent); returns whether to start it again at the end. */
function ensureOff(vm: Vm, b: Builder, choices: PlanChoices, opts: PlanOptions): boolean {
  if (vm.state === 'Off') return false;
  if (vm.state !== 'Running' && vm.state !== 'Paused' && vm.state !== 'Saved') {
    b.block('vm-transitioning', t(
      `VM ${q(vm.name)} is ${vm.state}: wait until it is running or off, then plan again.`,
      `虚拟机 ${q(vm.name)} 当前状态为 ${vm.state}：请等它运行或关机后重新规划。`));
    return false;
  }
  if (vm.state === 'Saved') {
    // Settings of a saved VM cannot change until its saved state is gone. Remove-VMSavedState is the
    // documented way (cmdlet reference); whether TurnOff discards it is not documented, so it is not used.
    // Two saved VMs in one plan (a move): the consent's standard text, which names none of them.
    if (b.consents.has('discard-saved-state')) b.consents.set('discard-saved-state', null);
    else b.need('discard-saved-state', t(
      `Discard the saved state of ${q(vm.name)} (Remove-VMSavedState): the guest loses what was in its memory, like pulling the power. This cannot be undone.`,
      `丢弃 ${q(vm.name)} 的已保存状态（Remove-VMSavedState）：客户机内存中的内容将丢失，相当于直接断电。此操作无法撤销。`));
    b.warn('saved-state-lost', 'danger', t(
      `VM ${q(vm.name)} is saved: its saved state must be discarded before its devices and settings can change. This cannot be undone.`,
      `虚拟机 ${q(vm.name)} 处于已保存状态：更改直通设备和配置之前必须丢弃已保存的状态。此操作无法撤销。`));
    b.step('remove-saved-state',
      t(`Discard the saved state of ${q(vm.name)} (it is then off; cannot be undone)`, `丢弃 ${q(vm.name)} 的已保存状态（之后虚拟机为关机状态；无法撤销）`),
      actions.removeSavedState(vm), null, { state: 'Saved' });
    return false;
  }
  b.need('turn-off-vm');
  b.warn('vm-not-off', 'warning', t(
    `VM ${q(vm.name)} is ${vm.state}: it must be off to change its devices and settings.`,
    `虚拟机 ${q(vm.name)} 当前状态为 ${vm.state}：更改直通设备和配置前必须关机。`));
  const wasRunning = vm.state === 'Running';
  b.step('stop-vm',
    t(`Turn VM ${q(vm.name)} off (shut down; turn off if the guest does not stop in time)`, `关闭虚拟机 ${q(vm.name)}（先正常关机，客户机未及时关机则硬关机）`),
    actions.stopVm(vm, opts.shutdownTimeoutSec ?? DEFAULT_SHUTDOWN_TIMEOUT_SEC),
    wasRunning ? actions.startVm(vm) : null,
    { state: vm.state });
  if (wasRunning) b.offersStartVmAfter = true;
  return wasRunning && choices.startVmAfter;
}

/** A device in a resource pool (Windows Server 2025) is given out by its pool; DDA Studio leaves it there. */
function checkPool(d: Device, b: Builder): void {
  if (!d.resourcePoolName) return;
  b.block('in-resource-pool', t(
    `${name(d)} is in the resource pool ${q(d.resourcePoolName)}: VMs get it through the pool (Add-VMAssignableDevice -ResourcePoolName). Take it out of the pool first (Remove-VMHostAssignableDevice -ResourcePoolName).`,
    `${name(d)} 位于资源池 ${q(d.resourcePoolName)} 中：虚拟机通过资源池获得它（Add-VMAssignableDevice -ResourcePoolName）。请先将它移出资源池（Remove-VMHostAssignableDevice -ResourcePoolName）。`));
}

/** What an assigned device takes away from a VM: live migration (clustered VMs) and checkpoints. */
function checkVmLimits(vm: Vm, b: Builder): void {
  if (vm.isClustered === true)
    b.warn('clustered-vm', 'warning', t(
      `${q(vm.name)} is a clustered VM: with an assigned device it cannot live-migrate, so the cluster's automatic moves (drain, failover, load balancing) will fail for it. Keep it on this node, or take it out of the cluster.`,
      `${q(vm.name)} 是群集虚拟机：直通设备后它无法实时迁移，群集的自动迁移（排空、故障转移、负载均衡）对它都会失败。请让它固定在此节点上，或将它移出群集。`));
  if (vm.automaticCheckpointsEnabled === true)
    b.warn('automatic-checkpoints', 'warning', t(
      `${q(vm.name)} takes automatic checkpoints at start: checkpoints of a VM with an assigned device are not supported. Turn them off (Set-VM -AutomaticCheckpointsEnabled $false).`,
      `${q(vm.name)} 启用了自动检查点（启动时创建）：直通设备的虚拟机不支持检查点。请关闭自动检查点（Set-VM -AutomaticCheckpointsEnabled $false）。`));
}

/** Starts a VM at the end. Its undo turns it off again: a rollback must reach the earlier steps' undos with the VM off. */
function startAgain(vm: Vm, b: Builder, opts: PlanOptions): void {
  b.step('start-vm', t(`Start VM ${q(vm.name)} again`, `重新启动虚拟机 ${q(vm.name)}`), actions.startVm(vm),
    actions.stopVm(vm, opts.shutdownTimeoutSec ?? DEFAULT_SHUTDOWN_TIMEOUT_SEC), { state: 'Off' });
}

/** The VM settings an assignment needs (§3, §6): stop action, cache types, MMIO, static memory. */
function prepareVm(inv: Inventory, vm: Vm, willHold: Device[], b: Builder): void {
  if (vm.automaticStopAction === 'Save') {
    b.step('set-vm-stop-action',
      t(`Set the automatic stop action of ${q(vm.name)} to TurnOff (a VM with an assigned device cannot be saved)`, `将 ${q(vm.name)} 的自动停止操作设为 TurnOff（直通设备的虚拟机不能保存状态）`),
      actions.setVm(vm, { AutomaticStopAction: 'TurnOff' }), actions.setVm(vm, { AutomaticStopAction: vm.automaticStopAction }),
      { automaticStopAction: vm.automaticStopAction });
  }
  if (!vm.guestControlledCacheTypes) {
    b.step('set-vm-cache-types',
      t(`Turn on guest-controlled cache types for ${q(vm.name)} (write-combining; GPUs need it)`, `为 ${q(vm.name)} 启用客户机控制的缓存类型（写合并，GPU 需要）`),
      actions.setVm(vm, { GuestControlledCacheTypes: true }), actions.setVm(vm, { GuestControlledCacheTypes: false }),
      { guestControlledCacheTypes: false });
  }
  for (const d of willHold.filter((x) => x.mmioMB === null)) {
    b.warn('mmio-unknown', 'warning', t(
      `The MMIO need of ${name(d)} is unknown (it was never measured while on the host), so it counts as 0 MB: the VM's MMIO may be too small, and the device would show Code 12 in the guest.`,
      `${name(d)} 的 MMIO 需求未知（从未在宿主机上测量过），按 0 MB 计算：虚拟机的 MMIO 空间可能不够，设备在客户机中会显示代码 12。`));
  }
  sizeLowMmio(vm, willHold, b);
  sizeHighMmio(inv, vm, willHold, b);
  if (vm.dynamicMemoryEnabled) {
    b.warn('dynamic-memory', 'warning', t(
      `Dynamic memory of ${q(vm.name)} will be turned off (not supported with an assigned device); the VM keeps its startup memory (${formatMB(vm.memoryStartup)}).`,
      `${q(vm.name)} 的动态内存将被关闭（直通设备不支持动态内存）；虚拟机使用启动内存（${formatMB(vm.memoryStartup)}）。`));
    b.step('set-vm-memory',
      t(`Turn dynamic memory off for ${q(vm.name)}`, `关闭 ${q(vm.name)} 的动态内存`),
      actions.setMemory(vm, false), actions.setMemory(vm, true), { dynamicMemoryEnabled: true });
  }
  if (vm.guestOs && /linux|ubuntu|debian|centos|rhel|red hat|suse|fedora|alma|rocky|truenas|vyos|openwrt|freebsd|pfsense|opnsense/i.test(vm.guestOs)) {
    b.warn('linux-hv-pci', 'info', t(
      `The guest (${flat(vm.guestOs)}) needs the Hyper-V PCI bus driver (hv_pci on Linux) to see the device.`,
      `客户机（${flat(vm.guestOs)}）需要 Hyper-V PCI 总线驱动（Linux 上为 hv_pci）才能识别该设备。`));
  }
  if (vm.assignedDevices.some((a) => a.stale || a.duplicate)) {
    b.warn('vm-needs-repair', 'warning', t(
      `${q(vm.name)} has stale or duplicate device entries and will not start until they are repaired (Repair).`,
      `${q(vm.name)} 存在失效或重复的设备条目，修复之前虚拟机无法启动（请使用"修复"）。`));
  }
}

/** Low MMIO (§6): the devices' ranges below 4 GiB + 128 MB, raised never lowered, within Set-VM's 128..3584 MB. */
function sizeLowMmio(vm: Vm, willHold: Device[], b: Builder): void {
  const required = requiredLowMmio(willHold.map((d) => d.mmioLowMB ?? 0));
  if (required > MAX_LOW_MMIO) {
    b.block('low-mmio-too-large', t(
      `${q(vm.name)} would need ${formatMB(required)} of low MMIO (the devices' 32-bit ranges + 128 MB), more than Hyper-V allows below 4 GB (${formatMB(MAX_LOW_MMIO)}).`,
      `${q(vm.name)} 需要 ${formatMB(required)} 的低位 MMIO（设备的 32 位地址范围 + 128 MB），超过了 Hyper-V 在 4 GB 以下允许的上限（${formatMB(MAX_LOW_MMIO)}）。`));
    return;
  }
  if (required <= vm.lowMemoryMappedIoSpace) return;
  b.step('set-vm-mmio',
    t(`Raise the low MMIO space of ${q(vm.name)} to ${formatMB(required)} (devices' 32-bit ranges + 128 MB)`, `将 ${q(vm.name)} 的低位 MMIO 空间提高到 ${formatMB(required)}（设备的 32 位地址范围 + 128 MB）`),
    actions.setVm(vm, { LowMemoryMappedIoSpace: required }), actions.setVm(vm, { LowMemoryMappedIoSpace: vm.lowMemoryMappedIoSpace }),
    { lowMemoryMappedIoSpace: vm.lowMemoryMappedIoSpace });
}

/**
 * High MMIO (§6): every device + 512 MB, raised never lowered. What must fit below the CPU's address
 * limit is the whole gap, base + size; the plan says how much room is left. The base is the VM's own when
 * the host reports it, else the default the public reports show (DEFAULT_HIGH_MMIO_BASE, a labelled guess).
 * An unknown address width (Windows PowerShell 5.1) is never a silent note: a gap that would not fit on the
 * narrowest CPU needs the admin's acknowledgement.
 */
function sizeHighMmio(inv: Inventory, vm: Vm, willHold: Device[], b: Builder): void {
  const required = requiredHighMmio(willHold.map((d) => d.mmioMB ?? 0));
  const target = Math.max(vm.highMemoryMappedIoSpace, required);
  const base = vm.highMemoryMappedIoBase;
  const baseText = base === null
    ? t(`the default base (${formatMB(DEFAULT_HIGH_MMIO_BASE)}; this host does not report it)`, `默认起始地址（${formatMB(DEFAULT_HIGH_MMIO_BASE)}；此主机不报告该值）`)
    : t(`its base at ${formatMB(base)}`, `其起始地址 ${formatMB(base)}`);
  const bits = inv.host.physicalAddressBits;
  if (bits !== null) {
    const room = highMmioRoom(bits, base, target);
    if (room < 0) {
      b.block('mmio-above-limit', t(
        `${q(vm.name)} would need ${formatMB(target)} of high MMIO (every device it will hold + 512 MB). From ${baseText.en} that ends ${formatMB(-room)} above what this ${bits}-bit CPU can address (${formatMB(2 ** bits)}): the VM would not start ("upper MMIO region ... above the supported physical address range"). A CPU with more address bits, or a lower base (Set-VM -HighMemoryMappedIoBaseAddress, where the host's Hyper-V has it), is needed.`,
        `${q(vm.name)} 需要 ${formatMB(target)} 的高位 MMIO（它将持有的全部设备 + 512 MB）。从${baseText['zh-CN']}开始，区域末端超出此 ${bits} 位 CPU 的寻址上限（${formatMB(2 ** bits)}）${formatMB(-room)}：虚拟机将无法启动（"upper MMIO region ... above the supported physical address range"）。需要地址位数更多的 CPU，或降低起始地址（在支持的 Hyper-V 上使用 Set-VM -HighMemoryMappedIoBaseAddress）。`));
      return;
    }
    if (target > vm.highMemoryMappedIoSpace)
      b.warn('mmio-room', 'info', t(
        `High MMIO of ${formatMB(target)} from ${baseText.en} leaves ${formatMB(room)} below this ${bits}-bit CPU's limit.`,
        `高位 MMIO 从${baseText['zh-CN']}起共 ${formatMB(target)}，距此 ${bits} 位 CPU 的上限还剩 ${formatMB(room)}。`));
  } else if (highMmioRoom(MIN_ADDRESS_BITS, base, target) < 0) {
    b.need('unknown-address-width');
    b.warn('address-bits-unknown', 'warning', t(
      `The CPU's physical address width is unknown (Windows PowerShell 5.1 cannot read it). ${q(vm.name)}'s high MMIO gap (${formatMB(target)} from ${baseText.en}) does not fit on a ${MIN_ADDRESS_BITS}-bit CPU; on one, the VM would not start.`,
      `CPU 物理地址位数未知（Windows PowerShell 5.1 无法读取）。${q(vm.name)} 的高位 MMIO 区域（从${baseText['zh-CN']}起共 ${formatMB(target)}）在 ${MIN_ADDRESS_BITS} 位 CPU 上放不下；在这样的 CPU 上虚拟机将无法启动。`));
  }
  if (target > vm.highMemoryMappedIoSpace) {
    b.warn('mmio-raise', 'info', t(
      `High MMIO of ${q(vm.name)} will be raised from ${formatMB(vm.highMemoryMappedIoSpace)} to ${formatMB(target)}.`,
      `${q(vm.name)} 的高位 MMIO 将从 ${formatMB(vm.highMemoryMappedIoSpace)} 提高到 ${formatMB(target)}。`));
    b.step('set-vm-mmio',
      t(`Raise the high MMIO space of ${q(vm.name)} to ${formatMB(target)} (devices' need + 512 MB)`, `将 ${q(vm.name)} 的高位 MMIO 空间提高到 ${formatMB(target)}（设备需求 + 512 MB）`),
      actions.setVm(vm, { HighMemoryMappedIoSpace: target }), actions.setVm(vm, { HighMemoryMappedIoSpace: vm.highMemoryMappedIoSpace }),
      { highMemoryMappedIoSpace: vm.highMemoryMappedIoSpace });
  }
}

/** Puts back the settings an assignment changed, when the VM will hold no device after this plan. */
function restoreVm(inv: Inventory, vm: Vm, leaving: Device[], remembered: RememberedVmSettings | undefined, b: Builder, lost?: string | null): void {
  if (!remembered) {
    if (lost)
      b.warn('vm-settings-lost', 'warning', t(
        `${q(vm.name)}'s settings from before its assignment are not restored: ${flat(lost)} Check its stop action, cache types, MMIO and memory by hand.`,
        `不会恢复 ${q(vm.name)} 在分配之前的设置：记录这些设置的文件无法读取（${flat(lost)}）。请手动检查它的自动停止操作、缓存类型、MMIO 和内存设置。`));
    return;
  }
  const remaining = heldBy(inv, vm).filter((x) => !leaving.includes(x));
  if (remaining.length > 0) {
    b.warn('settings-kept', 'info', t(
      `${q(vm.name)} keeps the settings the assignment changed (stop action, cache types, MMIO, static memory) while it still holds ${remaining.map(name).join(', ')}.`,
      `${q(vm.name)} 仍持有 ${remaining.map(name).join('、')}，因此保留分配时更改的设置（自动停止操作、缓存类型、MMIO、静态内存）。`));
    return;
  }
  const mark = { [RESTORING]: true } as const;
  const r = remembered;
  if (r.automaticStopAction !== undefined && r.automaticStopAction !== vm.automaticStopAction)
    b.step('set-vm-stop-action',
      t(`Restore the automatic stop action of ${q(vm.name)} to ${r.automaticStopAction}`, `将 ${q(vm.name)} 的自动停止操作恢复为 ${r.automaticStopAction}`),
      actions.setVm(vm, { AutomaticStopAction: r.automaticStopAction }), actions.setVm(vm, { AutomaticStopAction: vm.automaticStopAction }),
      { automaticStopAction: vm.automaticStopAction, ...mark });
  if (r.guestControlledCacheTypes !== undefined && r.guestControlledCacheTypes !== vm.guestControlledCacheTypes)
    b.step('set-vm-cache-types',
      t(`Restore guest-controlled cache types of ${q(vm.name)} to ${r.guestControlledCacheTypes ? 'on' : 'off'}`, `将 ${q(vm.name)} 的客户机控制缓存类型恢复为${r.guestControlledCacheTypes ? '启用' : '禁用'}`),
      actions.setVm(vm, { GuestControlledCacheTypes: r.guestControlledCacheTypes }), actions.setVm(vm, { GuestControlledCacheTypes: vm.guestControlledCacheTypes }),
      { guestControlledCacheTypes: vm.guestControlledCacheTypes, ...mark });
  if (r.lowMemoryMappedIoSpace !== undefined && r.lowMemoryMappedIoSpace !== vm.lowMemoryMappedIoSpace)
    b.step('set-vm-mmio',
      t(`Restore the low MMIO space of ${q(vm.name)} to ${formatMB(r.lowMemoryMappedIoSpace)}`, `将 ${q(vm.name)} 的低位 MMIO 空间恢复为 ${formatMB(r.lowMemoryMappedIoSpace)}`),
      actions.setVm(vm, { LowMemoryMappedIoSpace: r.lowMemoryMappedIoSpace }), actions.setVm(vm, { LowMemoryMappedIoSpace: vm.lowMemoryMappedIoSpace }),
      { lowMemoryMappedIoSpace: vm.lowMemoryMappedIoSpace, ...mark });
  if (r.highMemoryMappedIoSpace !== undefined && r.highMemoryMappedIoSpace !== vm.highMemoryMappedIoSpace)
    b.step('set-vm-mmio',
      t(`Restore the high MMIO space of ${q(vm.name)} to ${formatMB(r.highMemoryMappedIoSpace)}`, `将 ${q(vm.name)} 的高位 MMIO 空间恢复为 ${formatMB(r.highMemoryMappedIoSpace)}`),
      actions.setVm(vm, { HighMemoryMappedIoSpace: r.highMemoryMappedIoSpace }), actions.setVm(vm, { HighMemoryMappedIoSpace: vm.highMemoryMappedIoSpace }),
      { highMemoryMappedIoSpace: vm.highMemoryMappedIoSpace, ...mark });
  if (r.dynamicMemoryEnabled !== undefined && r.dynamicMemoryEnabled !== vm.dynamicMemoryEnabled)
    b.step('set-vm-memory',
      t(`Turn dynamic memory of ${q(vm.name)} back ${r.dynamicMemoryEnabled ? 'on' : 'off'}`, `将 ${q(vm.name)} 的动态内存恢复为${r.dynamicMemoryEnabled ? '启用' : '禁用'}`),
      actions.setMemory(vm, r.dynamicMemoryEnabled), actions.setMemory(vm, vm.dynamicMemoryEnabled),
      { dynamicMemoryEnabled: vm.dynamicMemoryEnabled, ...mark });
}

/**
 * Disable + dismount a host device (§3). Hyper-V's two dismount checks are consented to separately:
 * ACS missing is known from the survey (force-insecure); a missing vendor mitigation driver only shows
 * when the host refuses (skip-device-mitigations: the refusal is retried without that check alone).
 */
function takeFromHost(d: Device, b: Builder, choices: PlanChoices, opts: PlanOptions): void {
  if (d.owner.kind !== 'host') return; // an orphan is already dismounted
  const path = d.locationPath!;
  const acsMissing = d.verdict.reason === 'acs-missing' || d.facts.acsUpHierarchy === 0;
  const withoutMitigations = choices.consents.includes('skip-device-mitigations');
  if (opts.mitigationRefusals?.some((p) => samePath(p, path))) {
    // Known now: the host refused it with the mitigation check on. Ask before running, not after.
    b.need('skip-device-mitigations');
    b.warn('refused-mitigations', 'danger', t(
      `This host refused to dismount ${name(d)} with its mitigation check on (no vendor mitigation driver): it can only be dismounted without that check.`,
      `这台宿主机曾拒绝在保留缓解检查的情况下卸除 ${name(d)}（没有厂商缓解驱动）：只能关闭该检查后卸除。`));
  }
  if (acsMissing) {
    b.need('force-insecure');
    b.warn('force', 'danger', t(
      `${name(d)} has no ACS on its path to the root complex: it can only be dismounted with the ACS check off, which is insecure.`,
      `${name(d)} 到根复合体的路径上缺少 ACS 支持：只能关闭 ACS 检查后卸除，这是不安全的。`));
  }
  if (withoutMitigations) {
    // The admin already agreed (usually after a dismount refused for lack of a mitigation driver).
    b.need('skip-device-mitigations');
    b.warn('force-if-refused', 'danger', t(
      `If the host refuses to dismount ${name(d)} for lack of a vendor mitigation driver, it is dismounted without that check, as you agreed${acsMissing ? '' : '; the ACS check stays on'}.`,
      `如果宿主机因缺少厂商缓解驱动而拒绝卸除 ${name(d)}，将按你的同意不经该检查卸除${acsMissing ? '' : '；ACS 检查仍然保留'}。`));
  }
  if (d.enabled)
    b.step('disable-device', t(`Disable ${name(d)} on the host`, `在宿主机上禁用 ${name(d)}`),
      actions.disable(d.instanceId), actions.enable(d.instanceId), { enabled: true });
  b.step('dismount-device',
    t(`Dismount ${name(d)} from the host${acsMissing ? ' without the ACS check (insecure)' : ''}`, `从宿主机卸除 ${name(d)}${acsMissing ? '（不检查 ACS，不安全）' : ''}`),
    actions.dismount(path, d.instanceId, { RequireAcsSupport: !acsMissing, RequireDeviceMitigations: true, RetryWithoutMitigations: withoutMitigations }),
    actions.mount(path), { owner: 'host' });
}

/** The device plus the siblings that go along (when asked), and a warning when siblings stay. */
function withSiblings(inv: Inventory, d: Device, includeSiblings: boolean | undefined, b: Builder): Device[] {
  const sibs = d.siblings.map((p) => findDevice(inv, p)).filter((x): x is Device => !!x && x !== d);
  const movable = sibs.filter((x) => x.owner.kind === d.owner.kind && x.locationPath !== null);
  if (sibs.length === 0) return [d];
  if (includeSiblings && movable.length > 0) return [d, ...movable];
  b.warn('siblings', 'info', t(
    `${name(d)} shares its card with ${sibs.map(name).join(', ')}, which stay${sibs.length === 1 ? 's' : ''} behind; functions of one card usually go to the same VM (you can include them).`,
    `${name(d)} 与 ${sibs.map(name).join('、')} 位于同一张卡上，它们不会一起分配；同一张卡的多个功能通常应分配给同一台虚拟机（可以选择一起分配）。`));
  return [d];
}

// --- Intents ----------------------------------------------------------------------------------------

type Ctx = { inv: Inventory; choices: PlanChoices; b: Builder; opts: PlanOptions; remembered: Record<string, RememberedVmSettings> };

const notFoundDevice = (b: Builder, p: string) => b.block('device-not-found', t(`No device at ${flat(p)}.`, `找不到位于 ${flat(p)} 的设备。`));
const notFoundVm = (b: Builder, n: string) => b.block('vm-not-found', t(`No VM named ${q(n)}.`, `找不到名为 ${q(n)} 的虚拟机。`));

function planAssign(c: Ctx, intent: Extract<Intent, { kind: 'assign' }>): LocalizedText {
  const { inv, b } = c;
  const d = findDevice(inv, intent.locationPath);
  const vm = findVm(inv, intent.vmName);
  if (!d) return notFoundDevice(b, intent.locationPath), t('Assign a device', '分配设备');
  if (!vm) return notFoundVm(b, intent.vmName), t(`Assign ${name(d)}`, `分配 ${name(d)}`);
  const title = t(`Assign ${name(d)} to ${flat(vm.name)}`, `将 ${name(d)} 直通给 ${flat(vm.name)}`);
  if (holds(vm, d.locationPath!)) {
    b.block('already-assigned', t(
      `${q(vm.name)} already holds ${name(d)}. Adding it a second time would leave a VM that will not start ("Element not found"); nothing to do.`,
      `${q(vm.name)} 已经持有 ${name(d)}。重复添加会导致虚拟机无法启动（"Element not found"）；无需操作。`));
    return title;
  }
  if (d.owner.kind === 'vm') {
    // Another VM holds it: an assign is a move (never through the host).
    b.warn('assign-is-move', 'info', t(
      `${name(d)} is held by ${q(d.owner.vmName)}: it is moved from that VM to ${q(vm.name)}.`,
      `${name(d)} 当前由 ${q(d.owner.vmName)} 持有：将从该虚拟机移到 ${q(vm.name)}。`));
    planMove(c, { kind: 'move', locationPath: intent.locationPath, toVm: intent.vmName });
    return t(`Move ${name(d)} from ${flat(d.owner.vmName)} to ${flat(vm.name)}`, `将 ${name(d)} 从 ${flat(d.owner.vmName)} 移到 ${flat(vm.name)}`);
  }
  const devices = withSiblings(inv, d, intent.includeSiblings, b);
  checkCanAssign(inv, b, devices);
  for (const x of devices) checkPool(x, b);
  checkVmLimits(vm, b);
  for (const x of devices) checkDeviceForVm(inv, x, b);
  for (const x of devices) warnDeviceClass(b, x, vm);
  const start = ensureOff(vm, b, c.choices, c.opts);
  for (const x of devices) takeFromHost(x, b, c.choices, c.opts);
  prepareVm(inv, vm, [...heldBy(inv, vm), ...devices], b);
  for (const x of devices)
    b.step('add-device', t(`Assign ${name(x)} to ${q(vm.name)} (once)`, `将 ${name(x)} 直通给 ${q(vm.name)}（只添加一次）`),
      actions.add(vm, x.locationPath!), actions.remove(vm, x.locationPath!), { held: false });
  if (start) startAgain(vm, b, c.opts);
  return title;
}

function planRevert(c: Ctx, intent: Extract<Intent, { kind: 'revert' }>): LocalizedText {
  const { inv, b } = c;
  const d = findDevice(inv, intent.locationPath);
  if (!d) return notFoundDevice(b, intent.locationPath), t('Return a device to the host', '将设备还给宿主机');
  const title = t(`Return ${name(d)} to the host`, `将 ${name(d)} 还给宿主机`);
  if (d.owner.kind === 'host') return b.block('on-host', t(`${name(d)} is already on the host.`, `${name(d)} 已经在宿主机上。`)), title;
  checkPool(d, b);
  checkCanChange(inv, b);
  let vm: Vm | undefined;
  let start = false;
  if (d.owner.kind === 'vm') {
    vm = findVm(inv, d.owner.vmName);
    if (!vm) return notFoundVm(b, d.owner.vmName), title;
    start = ensureOff(vm, b, c.choices, c.opts);
    b.step('remove-device', t(`Remove ${name(d)} from ${q(vm.name)}`, `从 ${q(vm.name)} 移除 ${name(d)}`),
      actions.remove(vm, d.locationPath!), actions.add(vm, d.locationPath!), { held: true });
  }
  returnToHost(d, b);
  if (vm) {
    restoreVm(inv, vm, [d], c.remembered[vm.id], b, c.opts.rememberedVmSettingsLost);
    if (start) startAgain(vm, b, c.opts);
  }
  return title;
}

/** Mount + enable (the PCI\ id). Undo of a mount dismounts with -Force: it puts back a state that existed. */
function returnToHost(d: Device, b: Builder): void {
  b.step('mount-device', t(`Mount ${name(d)} back to the host`, `将 ${name(d)} 挂载回宿主机`),
    actions.mount(d.locationPath!), actions.dismount(d.locationPath!, pciIdOf(d.instanceId), PUT_BACK), { owner: 'dismounted' });
  b.step('enable-device', t(`Enable ${name(d)} on the host`, `在宿主机上启用 ${name(d)}`),
    actions.enable(pciIdOf(d.instanceId)), actions.disable(pciIdOf(d.instanceId)), { enabled: false });
}

function planMove(c: Ctx, intent: Extract<Intent, { kind: 'move' }>): LocalizedText {
  const { inv, b } = c;
  const d = findDevice(inv, intent.locationPath);
  const to = findVm(inv, intent.toVm);
  if (!d) return notFoundDevice(b, intent.locationPath), t('Move a device', '移动设备');
  if (!to) return notFoundVm(b, intent.toVm), t(`Move ${name(d)}`, `移动 ${name(d)}`);
  if (d.owner.kind !== 'vm') return planAssign(c, { kind: 'assign', locationPath: intent.locationPath, vmName: intent.toVm });
  const title = t(`Move ${name(d)} from ${flat(d.owner.vmName)} to ${flat(to.name)}`, `将 ${name(d)} 从 ${flat(d.owner.vmName)} 移到 ${flat(to.name)}`);
  const from = findVm(inv, d.owner.vmName);
  if (!from) return notFoundVm(b, d.owner.vmName), title;
  if (from === to || holds(to, d.locationPath!))
    return b.block('already-assigned', t(`${q(to.name)} already holds ${name(d)}; nothing to do.`, `${q(to.name)} 已经持有 ${name(d)}；无需操作。`)), title;
  checkCanAssign(inv, b, [d]);
  checkPool(d, b);
  checkVmLimits(to, b);
  checkDeviceForVm(inv, d, b);
  warnDeviceClass(b, d, to);
  const startFrom = ensureOff(from, b, c.choices, c.opts);
  const startTo = ensureOff(to, b, c.choices, c.opts);
  b.step('remove-device', t(`Remove ${name(d)} from ${q(from.name)}`, `从 ${q(from.name)} 移除 ${name(d)}`),
    actions.remove(from, d.locationPath!), actions.add(from, d.locationPath!), { held: true });
  restoreVm(inv, from, [d], c.remembered[from.id], b, c.opts.rememberedVmSettingsLost);
  prepareVm(inv, to, [...heldBy(inv, to), d], b);
  b.step('add-device', t(`Assign ${name(d)} to ${q(to.name)} (once)`, `将 ${name(d)} 直通给 ${q(to.name)}（只添加一次）`),
    actions.add(to, d.locationPath!), actions.remove(to, d.locationPath!), { held: false });
  if (startFrom) startAgain(from, b, c.opts);
  if (startTo) startAgain(to, b, c.opts);
  return title;
}

function planRepair(c: Ctx, intent: Extract<Intent, { kind: 'repair' }>): LocalizedText {
  const { inv, b } = c;
  const vm = findVm(inv, intent.vmName);
  if (!vm) return notFoundVm(b, intent.vmName), t('Repair a VM', '修复虚拟机');
  const title = t(`Repair the device entries of ${flat(vm.name)}`, `修复 ${flat(vm.name)} 的直通设备条目`);
  // An entry assigned through a resource pool is never stale or duplicate (inventory) and never removed.
  const direct = vm.assignedDevices.filter((a) => !a.resourcePoolName);
  const pooled = vm.assignedDevices.filter((a) => !!a.resourcePoolName);
  const bad = direct.filter((a) => a.stale || a.duplicate);
  if (bad.length === 0) return b.block('nothing-to-repair', t(`${q(vm.name)} has no stale or duplicate device entries.`, `${q(vm.name)} 没有失效或重复的设备条目。`)), title;
  checkCanChange(inv, b);
  // Each valid device once; one another VM also holds stays with that VM (this VM lets go of it).
  const keep: string[] = [];
  for (const a of direct) {
    if (a.stale || keep.some((k) => samePath(k, a.locationPath))) continue;
    const d = findDevice(inv, a.locationPath);
    if (!d) continue;
    const elsewhere = inv.vms.some((o) => o !== vm && holds(o, a.locationPath));
    if (elsewhere) {
      b.warn('held-elsewhere', 'warning', t(
        `${name(d)} is also held by another VM; ${q(vm.name)} lets go of it.`,
        `${name(d)} 同时被另一台虚拟机持有；${q(vm.name)} 将放弃它。`));
      continue;
    }
    keep.push(a.locationPath);
  }
  const start = ensureOff(vm, b, c.choices, c.opts);
  b.warn('repair', 'info', t(
    `Every direct device entry of ${q(vm.name)} is removed (its entries piped to Remove-VMAssignableDevice: the only way out for stale entries), then each valid device is added back once.`,
    `先移除 ${q(vm.name)} 的全部直接分配的设备条目（将条目通过管道传给 Remove-VMAssignableDevice，失效条目只能这样清除），再把每个有效设备重新添加一次。`));
  if (pooled.length > 0)
    b.warn('pool-entries-kept', 'info', t(
      `${pooled.length} entr${pooled.length === 1 ? 'y' : 'ies'} of ${q(vm.name)} assigned through a resource pool (${[...new Set(pooled.map((a) => flat(a.resourcePoolName!)))].join(', ')}) stay${pooled.length === 1 ? 's' : ''} as they are.`,
      `${q(vm.name)} 通过资源池（${[...new Set(pooled.map((a) => flat(a.resourcePoolName!)))].join('、')}）分配的 ${pooled.length} 个条目保持不变。`));
  const restorable = direct.filter((a) => !a.stale && findDevice(inv, a.locationPath)).map((a) => a.locationPath);
  b.step('remove-all-devices',
    t(`Remove every direct device entry of ${q(vm.name)} (${bad.length} stale or duplicate)`, `移除 ${q(vm.name)} 的全部直接分配的设备条目（其中 ${bad.length} 个失效或重复）`),
    actions.remove(vm, null), restorable.length > 0 ? actions.addAll(vm, restorable) : null,
    { entries: direct.length });
  for (const p of keep) {
    const d = findDevice(inv, p)!;
    b.step('add-device', t(`Add ${name(d)} back to ${q(vm.name)}, once`, `将 ${name(d)} 重新添加到 ${q(vm.name)}（只添加一次）`),
      actions.add(vm, p), actions.remove(vm, p), { held: false });
  }
  if (start) startAgain(vm, b, c.opts);
  return title;
}

function planReturnOrphans(c: Ctx): LocalizedText {
  const { inv, b } = c;
  const title = t('Return dismounted devices that no VM holds to the host', '将没有虚拟机持有的已卸除设备还给宿主机');
  // Orphans are what Get-VMHostAssignableDevice lists and no VM holds (inventory problems). A member of a
  // resource pool waits in its pool for a VM, and a dismounted twin the host does not list (perhaps in a
  // pool a host lists only by name) is not known to be free: neither is mounted back here.
  const listed = inv.problems.flatMap((p) => (p.kind === 'orphan' ? [p.locationPath] : []));
  const orphans = inv.devices.filter((d) => d.owner.kind === 'dismounted' && d.locationPath && !d.resourcePoolName && listed.some((p) => samePath(p, d.locationPath!)));
  if (orphans.length === 0) return b.block('no-orphans', t('There are no orphaned devices.', '没有孤立（已卸除但无虚拟机持有）的设备。')), title;
  checkCanChange(inv, b);
  for (const d of orphans) returnToHost(d, b);
  return title;
}

/** The whole plan as one script an admin can run by hand (values quoted by psCommand; names only in comments, flattened). */
function renderScript(title: LocalizedText, inv: Inventory, steps: PlanStep[], choices: PlanChoices, opts: PlanOptions): string {
  const lines = [
    `# DDA Studio plan: ${flat(title.en)}`,
    `# Host: ${flat(inv.host.computerName)}   Planned: ${flat(opts.now ?? inv.readAt)}   Consents given: ${choices.consents.join(', ') || 'none'}`,
    '# Run in an elevated PowerShell on the host. It stops at the first error; each step\'s undo is in the comment above it.',
    "$ErrorActionPreference = 'Stop'",
    '',
  ];
  steps.forEach((s, i) => {
    lines.push(`# ${i + 1}. ${flat(s.description.en)}`);
    if (s.undo) lines.push(`#    undo: ${flat(s.undo.command)}`);
    lines.push(s.action.command, '');
  });
  if (steps.length === 0) lines.push('# Nothing to run.');
  return lines.join('\n');
}

/** The building blocks the reconcile fixes are planned with (plan-reconcile.ts). */
const kit: PlannerKit<Builder, PlanOptions> = { actions, checkCanChange, checkCanAssign, checkDeviceForVm, checkPool, checkVmLimits, ensureOff, startAgain, takeFromHost, prepareVm };

/** Makes the plan for an intent against an inventory (pure). */
export function planOperation(intent: Intent, inventory: Inventory, choices: PlanChoices, opts: PlanOptions): Plan {
  const b = new Builder();
  const c: Ctx = { inv: inventory, choices, b, opts, remembered: opts.rememberedVmSettings ?? {} };
  let title: LocalizedText;
  switch (intent.kind) {
    case 'assign':
      title = planAssign(c, intent);
      break;
    case 'revert':
      title = planRevert(c, intent);
      break;
    case 'move':
      title = planMove(c, intent);
      break;
    case 'repair':
      title = planRepair(c, intent);
      break;
    case 'return-orphans':
      title = planReturnOrphans(c);
      break;
    case 'repoint':
      title = planRepoint(c, kit, intent);
      break;
    case 'enable-device':
      title = planEnableDevice(c, kit, intent);
      break;
    case 'fit-vm':
      title = planFitVm(c, kit, intent);
      break;
  }
  const consents = [...b.consents].map(([id, text]) => ({ id, text: text ?? consentTexts[id], given: choices.consents.includes(id) }));
  const steps = b.blocked ? [] : b.steps;
  return {
    id: opts.planId,
    intent,
    choices,
    title,
    computerName: inventory.host.computerName,
    inventoryReadAt: inventory.readAt,
    blocked: b.blocked,
    consents: b.blocked ? [] : consents,
    offersStartVmAfter: !b.blocked && b.offersStartVmAfter,
    steps,
    warnings: b.warnings,
    script: renderScript(title, inventory, steps, choices, opts),
  };
}

const settingKinds: ReadonlySet<StepKind> = new Set(['set-vm-stop-action', 'set-vm-cache-types', 'set-vm-mmio', 'set-vm-memory']);

/**
 * What a succeeded plan means for the remembered VM settings: the originals its preparing steps
 * replaced (to remember; the earliest recorded value wins) and the VMs whose settings it put back
 * (to forget).
 */
export function vmSettingsEffects(plan: Plan): { remember: Record<string, RememberedVmSettings>; forget: string[] } {
  const remember: Record<string, RememberedVmSettings> = {};
  const forget = new Set<string>();
  for (const s of plan.steps) {
    if (!settingKinds.has(s.kind) || !s.replaces) continue;
    const vmId = String(s.action.params.VmId);
    if (s.replaces[RESTORING] === true) {
      forget.add(vmId);
      continue;
    }
    const { [RESTORING]: _, ...values } = s.replaces;
    remember[vmId] = { ...(values as RememberedVmSettings), ...remember[vmId] };
  }
  return { remember, forget: [...forget] };
}
