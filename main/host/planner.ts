/**
 * The planner: an intent + the current inventory -> a Plan of ordered steps, each with its exact
 * PowerShell and its undo, plus the warnings and consents it needs. Pure: no I/O, tested directly.
 * Rules from docs hyperv-dda.md §2-§7; every value reaches command text only through ps-literal.
 */
import type { Device, Inventory, Vm } from '../../shared/inventory';
import { formatMB, highMmioLimit, requiredHighMmio } from '../../shared/mmio';
import type { ConsentId, Intent, LocalizedText, Plan, PlanChoices, PlanStep, PlanWarning, PsAction, StepKind } from '../../shared/plan';
import { psCommand, psString } from '../../shared/ps-literal';
import { samePath } from '../../shared/location-path';

/** VM settings an earlier assignment replaced, so revert can put them back. */
export interface VmOriginals {
  automaticStopAction?: string;
  guestControlledCacheTypes?: boolean;
  highMemoryMappedIoSpace?: number;
  dynamicMemoryEnabled?: boolean;
}

export interface PlanOptions {
  planId: string;
  /** Original settings per VM id, as recorded when an assignment changed them. */
  vmOriginals?: Record<string, VmOriginals>;
}

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });
const q = (s: string) => `'${s}'`;

const consentTexts: Record<ConsentId, LocalizedText> = {
  'turn-off-vm': t(
    'Turn the VM off. A graceful shutdown is tried first; if the guest does not shut down, the VM is turned off, which can lose unsaved work in the guest.',
    '关闭虚拟机。先尝试正常关机；如果客户机没有响应，将强制关闭，客户机中未保存的工作可能丢失。',
  ),
  'force-insecure': t(
    'Dismount with -Force, insecurely: without ACS or a vendor mitigation driver the device can reach other devices\' memory by DMA, so a compromised guest could attack the host. Only for trusted VMs.',
    '使用 -Force 强制卸除（不安全）：缺少 ACS 或厂商的缓解驱动时，设备可以通过 DMA 访问其他设备的内存，被入侵的客户机可能借此攻击宿主机。只对可信的虚拟机这样做。',
  ),
  'take-last-display': t(
    "Take the host's last display adapter: the host console will go blank until the device is returned.",
    '拿走宿主机最后一块显卡：在设备还回宿主机之前，宿主机控制台将没有显示。',
  ),
};

class Builder {
  steps: PlanStep[] = [];
  warnings: PlanWarning[] = [];
  consents = new Set<ConsentId>();
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

const byId = (vm: Vm) => `Get-VM -Id ${psString(vm.id)} | `;
const act = {
  stopVm: (vm: Vm): PsAction => ({
    script: 'op-stop-vm',
    params: { VmId: vm.id },
    command: `try { ${byId(vm)}Stop-VM -Force -ErrorAction Stop } catch { ${byId(vm)}Stop-VM -TurnOff -Force }`,
  }),
  startVm: (vm: Vm): PsAction => ({ script: 'op-start-vm', params: { VmId: vm.id }, command: `${byId(vm)}Start-VM` }),
  disable: (d: Device): PsAction => ({
    script: 'op-disable-device',
    params: { InstanceId: d.instanceId },
    command: `${psCommand('Disable-PnpDevice', [['InstanceId', d.instanceId]])} -Confirm:$false`,
  }),
  enable: (d: Device): PsAction => ({
    script: 'op-enable-device',
    params: { InstanceId: d.instanceId },
    command: `${psCommand('Enable-PnpDevice', [['InstanceId', d.instanceId]])} -Confirm:$false`,
  }),
  dismount: (path: string, force: boolean, forceIfRefused: boolean): PsAction => ({
    script: 'op-dismount-device',
    params: { LocationPath: path, Force: force, ForceIfRefused: forceIfRefused },
    command: force
      ? psCommand('Dismount-VMHostAssignableDevice', [['LocationPath', path], ['Force', 'switch']])
      : forceIfRefused
        ? `try { ${psCommand('Dismount-VMHostAssignableDevice', [['LocationPath', path]])} -ErrorAction Stop } catch { if ($_.Exception.Message -notlike '*has not supplied any directives*') { throw }; ${psCommand('Dismount-VMHostAssignableDevice', [['LocationPath', path], ['Force', 'switch']])} }`
        : psCommand('Dismount-VMHostAssignableDevice', [['LocationPath', path]]),
  }),
  mount: (path: string): PsAction => ({ script: 'op-mount-device', params: { LocationPath: path }, command: psCommand('Mount-VMHostAssignableDevice', [['LocationPath', path]]) }),
  add: (vm: Vm, path: string): PsAction => ({
    script: 'op-add-device',
    params: { VmId: vm.id, LocationPath: path },
    command: byId(vm) + psCommand('Add-VMAssignableDevice', [['LocationPath', path]]),
  }),
  remove: (vm: Vm, path: string | null): PsAction => ({
    script: 'op-remove-device',
    params: path ? { VmId: vm.id, LocationPath: path } : { VmId: vm.id },
    command: byId(vm) + psCommand('Remove-VMAssignableDevice', path ? [['LocationPath', path]] : []),
  }),
  setVm: (vm: Vm, settings: { AutomaticStopAction?: string; GuestControlledCacheTypes?: boolean; HighMemoryMappedIoSpace?: number; DynamicMemoryEnabled?: boolean }): PsAction => {
    const parts: Array<readonly [string, unknown]> = [];
    if (settings.AutomaticStopAction !== undefined) parts.push(['AutomaticStopAction', settings.AutomaticStopAction]);
    if (settings.GuestControlledCacheTypes !== undefined) parts.push(['GuestControlledCacheTypes', settings.GuestControlledCacheTypes]);
    if (settings.HighMemoryMappedIoSpace !== undefined) parts.push(['HighMemoryMappedIoSpace', settings.HighMemoryMappedIoSpace]);
    let cmd = byId(vm) + psCommand('Set-VM', parts);
    if (settings.DynamicMemoryEnabled !== undefined) cmd += settings.DynamicMemoryEnabled ? ' -DynamicMemory' : ' -StaticMemory';
    return { script: 'op-set-vm', params: { VmId: vm.id, ...settings }, command: cmd };
  },
};

// --- Shared pieces ---------------------------------------------------------------------------------

function checkHost(inv: Inventory, b: Builder): void {
  const h = inv.host;
  if (!h.hyperVPresent) b.block('no-hyperv', t('Hyper-V and its PowerShell module are not installed on this host.', '此主机未安装 Hyper-V 及其 PowerShell 模块。'));
  if (!h.elevated) b.block('not-elevated', t('DDA Studio is not running as administrator: restart it elevated to change anything.', 'DDA Studio 没有以管理员身份运行：请以管理员身份重新启动后再做更改。'));
  if (h.isServerSku === false)
    b.block('client-sku', t('This is client Windows: devices can be assigned, but the VM will not start (0xC035001E). DDA needs Windows Server.', '这是客户端版 Windows：设备虽然可以分配，但虚拟机无法启动（0xC035001E）。直通需要 Windows Server。'));
  if (h.osPcieControl === false)
    b.block('bios-pcie-control', t('The firmware does not let Windows control PCI Express: every dismount fails, even with -Force. Update or reconfigure the BIOS/UEFI.', '固件不允许 Windows 控制 PCI Express：任何卸除都会失败，即使加 -Force。请更新或调整 BIOS/UEFI 设置。'));
  if (h.iovSupport === false)
    b.block('no-iov', t(`This host cannot assign devices: ${h.iovSupportReasons.join(' ') || 'IovSupport is false.'}`, `此主机不支持设备直通：${h.iovSupportReasons.join(' ') || 'IovSupport 为 false。'}`));
  if (h.iommuPolicyEnabled === false)
    b.block('iommu-off', t('The hypervisor IOMMU policy is off: VMs with devices will not start. Run bcdedit /set hypervisoriommupolicy enable and reboot.', '虚拟机监控程序的 IOMMU 策略已关闭：带直通设备的虚拟机无法启动。请运行 bcdedit /set hypervisoriommupolicy enable 并重启。'));
}

function findDevice(inv: Inventory, path: string): Device | undefined {
  return inv.devices.find((d) => d.locationPath !== null && samePath(d.locationPath, path));
}
function findVm(inv: Inventory, name: string): Vm | undefined {
  return inv.vms.find((v) => v.name === name);
}

/** Turns a VM off first when it is not off (consent), and remembers whether to offer a restart. */
function ensureOff(vm: Vm, b: Builder, choices: PlanChoices): boolean {
  if (vm.state === 'Off') return false;
  b.consents.add('turn-off-vm');
  b.warn('vm-running', 'warning', t(`VM ${q(vm.name)} is ${vm.state}: it must be off to change its devices.`, `虚拟机 ${q(vm.name)} 当前状态为 ${vm.state}：更改设备前必须关机。`));
  const wasRunning = vm.state === 'Running';
  b.step('stop-vm', t(`Turn VM ${q(vm.name)} off (shut down, or turn off if the guest does not respond)`, `关闭虚拟机 ${q(vm.name)}（正常关机，无响应时强制关闭）`), act.stopVm(vm), wasRunning ? act.startVm(vm) : null);
  if (wasRunning) b.offersStartVmAfter = true;
  return wasRunning && choices.startVmAfter;
}

/** The VM settings an assignment needs: stop action, cache types, MMIO, static memory. */
function prepareVm(inv: Inventory, vm: Vm, willHold: Device[], b: Builder): void {
  if (vm.automaticStopAction === 'Save') {
    b.step('set-vm-stop-action', t(`Set the automatic stop action of ${q(vm.name)} to TurnOff (a VM with a device cannot be saved)`, `将 ${q(vm.name)} 的自动停止操作设为 TurnOff（带直通设备的虚拟机不能保存状态）`),
      act.setVm(vm, { AutomaticStopAction: 'TurnOff' }), act.setVm(vm, { AutomaticStopAction: vm.automaticStopAction }), { automaticStopAction: vm.automaticStopAction });
  }
  if (!vm.guestControlledCacheTypes) {
    b.step('set-vm-cache-types', t(`Turn on guest-controlled cache types for ${q(vm.name)} (write-combining, needed by GPUs)`, `为 ${q(vm.name)} 启用客户机控制的缓存类型（写合并，GPU 需要）`),
      act.setVm(vm, { GuestControlledCacheTypes: true }), act.setVm(vm, { GuestControlledCacheTypes: false }), { guestControlledCacheTypes: false });
  }
  const unknown = willHold.filter((d) => d.mmioMB === null);
  for (const d of unknown) {
    b.warn('mmio-unknown', 'warning', t(`The MMIO need of ${d.friendlyName} is unknown (not measured while on the host); the VM's MMIO may be too small and the device would show Code 12 in the guest.`, `${d.friendlyName} 的 MMIO 需求未知（它在宿主机上时没有测量）；虚拟机的 MMIO 可能不够，设备在客户机中会显示代码 12。`));
  }
  const required = requiredHighMmio(willHold.map((d) => d.mmioMB ?? 0));
  const target = Math.max(vm.highMemoryMappedIoSpace, required);
  const bits = inv.host.physicalAddressBits;
  if (bits !== null && target > highMmioLimit(bits)) {
    b.block('mmio-above-limit', t(
      `The devices need ${formatMB(target)} of high MMIO, above what this ${bits}-bit CPU can address for a VM (${formatMB(highMmioLimit(bits))}): the VM would not start.`,
      `这些设备需要 ${formatMB(target)} 的高位 MMIO，超出了此 ${bits} 位 CPU 能为虚拟机寻址的范围（${formatMB(highMmioLimit(bits))}）：虚拟机将无法启动。`));
  } else if (bits === null) {
    b.warn('address-bits-unknown', 'info', t("The CPU's physical address width is unknown, so the MMIO size could not be checked against it.", 'CPU 物理地址位数未知，无法检查 MMIO 大小是否超限。'));
  }
  if (target > vm.highMemoryMappedIoSpace) {
    b.warn('mmio-raise', 'info', t(`High MMIO of ${q(vm.name)} will be raised from ${formatMB(vm.highMemoryMappedIoSpace)} to ${formatMB(target)}.`, `${q(vm.name)} 的高位 MMIO 将从 ${formatMB(vm.highMemoryMappedIoSpace)} 提高到 ${formatMB(target)}。`));
    b.step('set-vm-mmio', t(`Raise the high MMIO space of ${q(vm.name)} to ${formatMB(target)} (devices' need + 512 MB)`, `将 ${q(vm.name)} 的高位 MMIO 空间提高到 ${formatMB(target)}（设备需求 + 512 MB）`),
      act.setVm(vm, { HighMemoryMappedIoSpace: target }), act.setVm(vm, { HighMemoryMappedIoSpace: vm.highMemoryMappedIoSpace }), { highMemoryMappedIoSpace: vm.highMemoryMappedIoSpace });
  }
  if (vm.dynamicMemoryEnabled) {
    b.warn('dynamic-memory', 'warning', t(`Dynamic memory of ${q(vm.name)} will be turned off (not supported with an assigned device).`, `${q(vm.name)} 的动态内存将被关闭（直通设备不支持动态内存）。`));
    b.step('set-vm-memory', t(`Turn dynamic memory off for ${q(vm.name)}`, `关闭 ${q(vm.name)} 的动态内存`), act.setVm(vm, { DynamicMemoryEnabled: false }), act.setVm(vm, { DynamicMemoryEnabled: true }), { dynamicMemoryEnabled: true });
  }
  if (vm.guestOs && /linux|ubuntu|debian|centos|rhel|suse|fedora|truenas|vyos/i.test(vm.guestOs)) {
    b.warn('linux-hv-pci', 'info', t(`The guest (${vm.guestOs}) needs the hv_pci driver to see the device.`, `客户机（${vm.guestOs}）需要 hv_pci 驱动才能看到该设备。`));
  }
}

/** Devices the VM already holds (not stale), for the MMIO sum. */
function heldBy(inv: Inventory, vm: Vm): Device[] {
  const out: Device[] = [];
  for (const a of vm.assignedDevices) {
    if (a.stale) continue;
    const d = findDevice(inv, a.locationPath);
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}

function checkDeviceForVm(inv: Inventory, d: Device, b: Builder): void {
  if (d.hostsSystemDisk) b.block('system-disk', t(`${d.friendlyName} controls the host's system disk: taking it would kill the host.`, `${d.friendlyName} 是宿主机系统盘的控制器：拿走它会让宿主机崩溃。`));
  if (d.verdict.code === 'not-assignable') b.block('not-assignable', t(`${d.friendlyName} cannot be assigned (${d.verdict.reason ?? 'survey'}).`, `${d.friendlyName} 无法直通（${d.verdict.reason ?? '检测结果'}）。`));
  if (d.verdict.code === 'unknown' || d.verdict.code === 'disabled-unknown')
    b.warn('verdict-unknown', 'warning', t(`${d.friendlyName} could not be fully checked (disabled or not measured); it may not work in the VM.`, `${d.friendlyName} 无法完整检测（已禁用或未测量）；在虚拟机中可能无法工作。`));
  if (d.verdict.code === 'assignable-less-secure')
    b.warn('less-secure', 'info', t(`${d.friendlyName} is an integrated endpoint: assignable, but less isolated than a PCIe card.`, `${d.friendlyName} 是集成端点：可以直通，但隔离性不如独立 PCIe 卡。`));
  if (d.pnpClass === 'Display' && d.owner.kind === 'host') {
    const displays = inv.devices.filter((x) => x.pnpClass === 'Display' && x.owner.kind === 'host' && x.enabled);
    if (displays.length <= 1 && d.enabled) b.consents.add('take-last-display');
  }
}

/** Disable + dismount a host device (force per verdict and consent). */
function takeFromHost(d: Device, b: Builder, choices: PlanChoices): void {
  if (d.owner.kind !== 'host') return; // an orphan is already dismounted
  const path = d.locationPath!;
  const force = d.verdict.code === 'force-insecure' || d.verdict.reason === 'acs-missing';
  if (force) b.consents.add('force-insecure');
  if (force) b.warn('force', 'danger', t(`${d.friendlyName} lacks ACS: it can only be dismounted with -Force, insecurely.`, `${d.friendlyName} 缺少 ACS：只能用 -Force 强制卸除（不安全）。`));
  const forceIfRefused = !force && choices.consents.includes('force-insecure');
  {
    if (d.enabled) b.step('disable-device', t(`Disable ${d.friendlyName} on the host`, `在宿主机上禁用 ${d.friendlyName}`), act.disable(d), act.enable(d));
    b.step('dismount-device', t(`Dismount ${d.friendlyName} from the host${force ? ' with -Force (insecure)' : ''}`, `从宿主机卸除 ${d.friendlyName}${force ? '（使用 -Force，不安全）' : ''}`), act.dismount(path, force, forceIfRefused), act.mount(path));
  }
}

/** Siblings that go along (when asked) and the warning when they stay. */
function withSiblings(inv: Inventory, d: Device, intent: { includeSiblings?: boolean }, b: Builder): Device[] {
  const sibs = d.siblings.map((p) => findDevice(inv, p)).filter((x): x is Device => !!x && x.owner.kind === d.owner.kind);
  if (sibs.length === 0) return [d];
  if (intent.includeSiblings) return [d, ...sibs];
  b.warn('siblings', 'info', t(`${d.friendlyName} shares its card with ${sibs.map((s) => s.friendlyName).join(', ')}; you can assign them together.`, `${d.friendlyName} 与 ${sibs.map((s) => s.friendlyName).join('、')} 在同一张卡上；可以一起分配。`));
  return [d];
}

// --- Intents ----------------------------------------------------------------------------------------

function planAssign(inv: Inventory, intent: Extract<Intent, { kind: 'assign' }>, choices: PlanChoices, b: Builder): LocalizedText {
  const d = findDevice(inv, intent.locationPath);
  const vm = findVm(inv, intent.vmName);
  if (!d) return b.block('device-not-found', t(`No device at ${intent.locationPath}.`, `找不到位于 ${intent.locationPath} 的设备。`)), t('Assign a device', '分配设备');
  if (!vm) return b.block('vm-not-found', t(`No VM named ${q(intent.vmName)}.`, `找不到名为 ${q(intent.vmName)} 的虚拟机。`)), t('Assign a device', '分配设备');
  const title = t(`Assign ${d.friendlyName} to ${vm.name}`, `将 ${d.friendlyName} 分配给 ${vm.name}`);
  if (d.owner.kind === 'vm') {
    if (d.owner.vmName === vm.name) b.block('already-assigned', t(`${vm.name} already holds ${d.friendlyName}; adding it again would leave a VM that will not start.`, `${vm.name} 已经拥有 ${d.friendlyName}；重复添加会导致虚拟机无法启动。`));
    else planMove(inv, { kind: 'move', locationPath: intent.locationPath, toVm: intent.vmName }, choices, b);
    return title;
  }
  checkHost(inv, b);
  const devices = withSiblings(inv, d, intent, b);
  for (const x of devices) checkDeviceForVm(inv, x, b);
  const start = ensureOff(vm, b, choices);
  for (const x of devices) takeFromHost(x, b, choices);
  prepareVm(inv, vm, [...heldBy(inv, vm), ...devices], b);
  for (const x of devices) b.step('add-device', t(`Assign ${x.friendlyName} to ${q(vm.name)}`, `将 ${x.friendlyName} 分配给 ${q(vm.name)}`), act.add(vm, x.locationPath!), act.remove(vm, x.locationPath!));
  if (start) b.step('start-vm', t(`Start ${q(vm.name)} again`, `重新启动 ${q(vm.name)}`), act.startVm(vm), null);
  return title;
}

function restoreVm(vm: Vm, originals: VmOriginals | undefined, b: Builder): void {
  if (!originals) return;
  const cur = { automaticStopAction: vm.automaticStopAction, guestControlledCacheTypes: vm.guestControlledCacheTypes, highMemoryMappedIoSpace: vm.highMemoryMappedIoSpace, dynamicMemoryEnabled: vm.dynamicMemoryEnabled };
  const back: Record<string, string | number | boolean> = {};
  const undo: Record<string, string | number | boolean> = {};
  const fields = [
    ['automaticStopAction', 'AutomaticStopAction'],
    ['guestControlledCacheTypes', 'GuestControlledCacheTypes'],
    ['highMemoryMappedIoSpace', 'HighMemoryMappedIoSpace'],
    ['dynamicMemoryEnabled', 'DynamicMemoryEnabled'],
  ] as const;
  for (const [field, param] of fields) {
    const original = originals[field];
    if (original !== undefined && original !== cur[field]) {
      back[param] = original;
      undo[param] = cur[field];
    }
  }
  if (Object.keys(back).length === 0) return;
  b.step('set-vm-stop-action', t(`Restore the settings of ${q(vm.name)} that the assignment changed`, `恢复分配时更改的 ${q(vm.name)} 设置`), act.setVm(vm, back as Parameters<typeof act.setVm>[1]), act.setVm(vm, undo as Parameters<typeof act.setVm>[1]));
}

function planRevert(inv: Inventory, intent: Extract<Intent, { kind: 'revert' }>, choices: PlanChoices, b: Builder, originals: Record<string, VmOriginals>): LocalizedText {
  const d = findDevice(inv, intent.locationPath);
  if (!d) return b.block('device-not-found', t(`No device at ${intent.locationPath}.`, `找不到位于 ${intent.locationPath} 的设备。`)), t('Return a device to the host', '将设备还给宿主机');
  const title = t(`Return ${d.friendlyName} to the host`, `将 ${d.friendlyName} 还给宿主机`);
  if (!inv.host.elevated) checkHost(inv, b);
  if (d.owner.kind === 'host') return b.block('on-host', t(`${d.friendlyName} is already on the host.`, `${d.friendlyName} 已经在宿主机上。`)), title;
  let start = false;
  let vm: Vm | undefined;
  if (d.owner.kind === 'vm') {
    vm = findVm(inv, d.owner.vmName);
    if (!vm) return b.block('vm-not-found', t(`No VM named ${q(d.owner.vmName)}.`, `找不到名为 ${q(d.owner.vmName)} 的虚拟机。`)), title;
    start = ensureOff(vm, b, choices);
    b.step('remove-device', t(`Remove ${d.friendlyName} from ${q(vm.name)}`, `从 ${q(vm.name)} 移除 ${d.friendlyName}`), act.remove(vm, d.locationPath!), act.add(vm, d.locationPath!));
  }
  b.step('mount-device', t(`Mount ${d.friendlyName} back to the host`, `将 ${d.friendlyName} 挂载回宿主机`), act.mount(d.locationPath!), act.dismount(d.locationPath!, true, false));
  b.step('enable-device', t(`Enable ${d.friendlyName} on the host`, `在宿主机上启用 ${d.friendlyName}`), act.enable(d), act.disable(d));
  if (vm) {
    const others = heldBy(inv, vm).filter((x) => x !== d);
    if (others.length === 0) restoreVm(vm, originals[vm.id], b);
    if (start) b.step('start-vm', t(`Start ${q(vm.name)} again`, `重新启动 ${q(vm.name)}`), act.startVm(vm), null);
  }
  return title;
}

function planMove(inv: Inventory, intent: Extract<Intent, { kind: 'move' }>, choices: PlanChoices, b: Builder): LocalizedText {
  const d = findDevice(inv, intent.locationPath);
  const to = findVm(inv, intent.toVm);
  if (!d) return b.block('device-not-found', t(`No device at ${intent.locationPath}.`, `找不到位于 ${intent.locationPath} 的设备。`)), t('Move a device', '移动设备');
  if (!to) return b.block('vm-not-found', t(`No VM named ${q(intent.toVm)}.`, `找不到名为 ${q(intent.toVm)} 的虚拟机。`)), t('Move a device', '移动设备');
  if (d.owner.kind !== 'vm') return planAssign(inv, { kind: 'assign', locationPath: intent.locationPath, vmName: intent.toVm }, choices, b);
  const from = findVm(inv, d.owner.vmName);
  const title = t(`Move ${d.friendlyName} from ${d.owner.vmName} to ${to.name}`, `将 ${d.friendlyName} 从 ${d.owner.vmName} 移到 ${to.name}`);
  if (!from) return b.block('vm-not-found', t(`No VM named ${q(d.owner.vmName)}.`, `找不到名为 ${q(d.owner.vmName)} 的虚拟机。`)), title;
  if (from.name === to.name) return b.block('same-vm', t(`${to.name} already holds ${d.friendlyName}.`, `${to.name} 已经拥有 ${d.friendlyName}。`)), title;
  checkHost(inv, b);
  checkDeviceForVm(inv, d, b);
  const startFrom = ensureOff(from, b, choices);
  const startTo = ensureOff(to, b, choices);
  b.step('remove-device', t(`Remove ${d.friendlyName} from ${q(from.name)}`, `从 ${q(from.name)} 移除 ${d.friendlyName}`), act.remove(from, d.locationPath!), act.add(from, d.locationPath!));
  prepareVm(inv, to, [...heldBy(inv, to), d], b);
  b.step('add-device', t(`Assign ${d.friendlyName} to ${q(to.name)}`, `将 ${d.friendlyName} 分配给 ${q(to.name)}`), act.add(to, d.locationPath!), act.remove(to, d.locationPath!));
  if (startFrom) b.step('start-vm', t(`Start ${q(from.name)} again`, `重新启动 ${q(from.name)}`), act.startVm(from), null);
  if (startTo) b.step('start-vm', t(`Start ${q(to.name)} again`, `重新启动 ${q(to.name)}`), act.startVm(to), null);
  return title;
}

function planRepair(inv: Inventory, intent: Extract<Intent, { kind: 'repair' }>, choices: PlanChoices, b: Builder): LocalizedText {
  const vm = findVm(inv, intent.vmName);
  if (!vm) return b.block('vm-not-found', t(`No VM named ${q(intent.vmName)}.`, `找不到名为 ${q(intent.vmName)} 的虚拟机。`)), t('Repair a VM', '修复虚拟机');
  const title = t(`Repair the device entries of ${vm.name}`, `修复 ${vm.name} 的设备条目`);
  const bad = vm.assignedDevices.filter((a) => a.stale || a.duplicate);
  if (bad.length === 0) return b.block('nothing-to-repair', t(`${vm.name} has no stale or duplicate device entries.`, `${vm.name} 没有失效或重复的设备条目。`)), title;
  if (!inv.host.elevated) checkHost(inv, b);
  const keep: string[] = [];
  for (const a of vm.assignedDevices) if (!a.stale && !keep.some((k) => samePath(k, a.locationPath))) keep.push(a.locationPath);
  const valid = vm.assignedDevices.filter((a) => !a.stale);
  const start = ensureOff(vm, b, choices);
  b.warn('repair', 'info', t(`Every device entry of ${q(vm.name)} is removed (the only way out for stale entries), then each valid device is added back once.`, `先移除 ${q(vm.name)} 的全部设备条目（失效条目只能这样清除），再把每个有效设备重新添加一次。`));
  const restore = valid.map((a) => act.add(vm, a.locationPath));
  b.step('remove-all-devices', t(`Remove every device entry of ${q(vm.name)} (${bad.length} stale or duplicate)`, `移除 ${q(vm.name)} 的全部设备条目（其中 ${bad.length} 个失效或重复）`), act.remove(vm, null),
    restore.length > 0 ? { script: 'op-add-devices', params: { VmId: vm.id, LocationPaths: valid.map((a) => a.locationPath) }, command: restore.map((r) => r.command).join('; ') } : null);
  for (const p of keep) b.step('add-device', t(`Add ${p} back to ${q(vm.name)}, once`, `将 ${p} 重新添加到 ${q(vm.name)}（仅一次）`), act.add(vm, p), act.remove(vm, p));
  if (start) b.step('start-vm', t(`Start ${q(vm.name)} again`, `重新启动 ${q(vm.name)}`), act.startVm(vm), null);
  return title;
}

function planReturnOrphans(inv: Inventory, b: Builder): LocalizedText {
  const title = t('Return dismounted devices that no VM holds to the host', '将没有虚拟机使用的已卸除设备还给宿主机');
  const orphans = inv.devices.filter((d) => d.owner.kind === 'dismounted' && d.locationPath);
  if (orphans.length === 0) return b.block('no-orphans', t('There are no orphaned devices.', '没有孤立的设备。')), title;
  if (!inv.host.elevated) checkHost(inv, b);
  for (const d of orphans) {
    b.step('mount-device', t(`Mount ${d.friendlyName} back to the host`, `将 ${d.friendlyName} 挂载回宿主机`), act.mount(d.locationPath!), act.dismount(d.locationPath!, true, false));
    b.step('enable-device', t(`Enable ${d.friendlyName} on the host`, `在宿主机上启用 ${d.friendlyName}`), act.enable(d), act.disable(d));
  }
  return title;
}

/** The whole plan as one script an admin can run by hand. */
function renderScript(title: LocalizedText, computerName: string, steps: PlanStep[], choices: PlanChoices): string {
  const lines = [
    `# DDA Studio plan: ${title.en.replace(/[\r\n]+/g, ' ')}`,
    `# Host: ${computerName.replace(/[\r\n]+/g, ' ')}   Consents given: ${choices.consents.join(', ') || 'none'}`,
    '# Run in an elevated PowerShell on the host. Stops at the first error; the undo of each step is in its comment.',
    "$ErrorActionPreference = 'Stop'",
    '',
  ];
  steps.forEach((s, i) => {
    lines.push(`# ${i + 1}. ${s.description.en.replace(/[\r\n]+/g, ' ')}`);
    if (s.undo) lines.push(`#    undo: ${s.undo.command.replace(/[\r\n]+/g, ' ')}`);
    lines.push(s.action.command, '');
  });
  return lines.join('\n');
}

/** Makes the plan for an intent against an inventory. */
export function planOperation(intent: Intent, inventory: Inventory, choices: PlanChoices, options: PlanOptions): Plan {
  const b = new Builder();
  let title: LocalizedText;
  switch (intent.kind) {
    case 'assign':
      title = planAssign(inventory, intent, choices, b);
      break;
    case 'revert':
      title = planRevert(inventory, intent, choices, b, options.vmOriginals ?? {});
      break;
    case 'move':
      title = planMove(inventory, intent, choices, b);
      break;
    case 'repair':
      title = planRepair(inventory, intent, choices, b);
      break;
    case 'return-orphans':
      title = planReturnOrphans(inventory, b);
      break;
  }
  const consents = [...b.consents].map((id) => ({ id, text: consentTexts[id], given: choices.consents.includes(id) }));
  const steps = b.blocked ? [] : b.steps;
  return {
    id: options.planId,
    intent,
    choices,
    title,
    computerName: inventory.host.computerName,
    inventoryReadAt: inventory.readAt,
    blocked: b.blocked,
    consents,
    offersStartVmAfter: b.offersStartVmAfter,
    steps,
    warnings: b.warnings,
    script: renderScript(title, inventory.host.computerName, steps, choices),
  };
}

/** Which VM settings a finished plan replaced, per VM id (the first recorded value wins). */
export function replacedVmSettings(plan: Plan): Record<string, VmOriginals> {
  const out: Record<string, VmOriginals> = {};
  for (const s of plan.steps) {
    if (!s.replaces || s.action.script !== 'op-set-vm') continue;
    const vmId = String(s.action.params.VmId);
    out[vmId] = { ...(s.replaces as VmOriginals), ...out[vmId] };
  }
  return out;
}

