/**
 * The planner's texts in English and Simplified Chinese: consents, refusals, warnings, step
 * descriptions and titles. {placeholders} are filled by planText() with names already flattened and
 * quoted by the planner; a value may differ per language (a LocalizedText). Kept beside messages.ts,
 * the UI's own catalog, with the same rule: both languages carry the same placeholders.
 */
import type { Language } from '../contract';
import type { ConsentId, LocalizedText } from '../plan';
import { format } from './messages';
import { planStepMessages } from './plan-step-messages';

/** What each consent agrees to, with the risk spelled out (a plan may name what is at stake instead). */
export const consentMessages: Record<ConsentId, LocalizedText> = {
  'turn-off-vm': {
    en: 'Turn the VM off. A graceful shutdown is tried first; if the guest does not shut down in time, the VM is turned off, which can lose unsaved work in the guest.',
    'zh-CN': '关闭虚拟机。先尝试正常关机；如果客户机没有及时关机，将强制关闭（硬关机），客户机中未保存的数据可能丢失。',
  },
  'force-insecure': {
    en: "Dismount without ACS, insecurely: with no ACS on its path to the root complex the device can reach other devices' memory by DMA, so a compromised or malicious guest could attack the host. The vendor-mitigation check stays on. Only for trusted VMs.",
    'zh-CN':
      '不经 ACS 卸除（不安全）：设备到根复合体的路径上没有 ACS，设备可以通过 DMA 访问其他设备的内存，被入侵或不可信的客户机可能借此攻击宿主机。厂商缓解驱动的检查仍然保留。只对可信的虚拟机这样做。',
  },
  'skip-device-mitigations': {
    en: "Dismount without the vendor's mitigation driver, if the host refuses it for that: the device's manufacturer has supplied no directives for securing it in a VM, so a guest could misuse it against the host. The ACS check stays on where the device has ACS. Only for trusted VMs.",
    'zh-CN':
      '如果宿主机因缺少厂商缓解驱动而拒绝，则不经该检查卸除：设备厂商没有提供在虚拟机中保护该设备的指令，客户机可能借此设备攻击宿主机。设备具备 ACS 时，ACS 检查仍然保留。只对可信的虚拟机这样做。',
  },
  'unknown-address-width': {
    en: "Go ahead without knowing the CPU's physical address width (Windows PowerShell 5.1 cannot read it): if the VM's high MMIO gap ends above what the CPU can address, the VM will not start, and the plan's changes have to be reverted.",
    'zh-CN':
      '在不知道 CPU 物理地址位数的情况下继续（Windows PowerShell 5.1 无法读取）：如果虚拟机的高位 MMIO 区域超出 CPU 的寻址范围，虚拟机将无法启动，需要撤销本计划的更改。',
  },
  'unknown-mmio': {
    en: "Go ahead without knowing how much MMIO the device needs (it was never measured working on this host: disabled, without a driver, or already dismounted): the VM gets only Microsoft's buffer for it, and if that is too small the device shows Code 12 in the guest until the VM's MMIO is raised by hand.",
    'zh-CN':
      '在不知道设备所需 MMIO 大小的情况下继续（从未在本宿主机上测到其正常工作时的数据：已禁用、没有驱动或已卸除）：虚拟机只为它预留微软建议的余量，如果不够，设备在客户机中会显示代码 12，需要手动调高虚拟机的 MMIO。',
  },
  'take-last-display': {
    en: "Take the host's last display adapter: the host console goes blank until the device is returned (manage the host remotely).",
    'zh-CN': '拿走宿主机最后一块显卡：设备还回宿主机之前，宿主机的本地控制台将没有显示（请通过远程方式管理宿主机）。',
  },
  'discard-saved-state': {
    en: 'Discard the saved state of the saved VM(s) (Remove-VMSavedState): each guest loses what was in its memory, like pulling the power. This cannot be undone.',
    'zh-CN':
      '丢弃已保存虚拟机的已保存状态（Remove-VMSavedState）：客户机内存中的内容将丢失，相当于直接断电。此操作无法撤销。',
  },
  'take-host-lifeline': {
    en: 'Take a device the host itself uses (its network or its data): the host loses it until the device is returned.',
    'zh-CN': '拿走宿主机自己在用的设备（网络或数据）：设备还回之前，宿主机将失去它。',
  },
};

const m = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export const planMessages = {
  // --- the host (checks-host) ---
  noHyperV: m(
    'Hyper-V and its PowerShell module are not installed on this host.',
    '此主机未安装 Hyper-V 角色及其 PowerShell 模块。',
  ),
  notElevated: m(
    'DDA Studio is not running as administrator: restart it elevated to change anything.',
    'DDA Studio 没有以管理员身份运行：请以管理员身份重新启动后再做更改。',
  ),
  engineCompat: m(
    "PowerShell 7 runs this host's Hyper-V module through Windows PowerShell compatibility (Windows Server 2016), whose objects the DDA cmdlets cannot take. Use Windows PowerShell 5.1 for this host: set DDA Studio's PowerShell to powershell.exe (or dda --pwsh powershell.exe); for a remote host, connect over WinRM.",
    '此主机的 Hyper-V 模块在 PowerShell 7 中通过 Windows PowerShell 兼容层运行（Windows Server 2016），其返回的对象无法传给 DDA cmdlet。请对此主机使用 Windows PowerShell 5.1：将 DDA Studio 的 PowerShell 设为 powershell.exe（或 dda --pwsh powershell.exe）；远程主机请通过 WinRM 连接。',
  ),
  clientSku: m(
    'This is client Windows ({caption}): the cmdlets work, but the VM then fails to start with 0xC035001E ("A hypervisor feature is not available to the user"). Device assignment needs Windows Server.',
    '这是客户端版 Windows（{caption}）：命令可以执行，但虚拟机随后无法启动，报错 0xC035001E（"A hypervisor feature is not available to the user"）。设备直通只支持 Windows Server。',
  ),
  notServerSku: m('not a Server SKU', '非 Server 版'),
  biosPcieControl: m(
    'The firmware does not let Windows control PCI Express: every dismount fails, even with -Force. Update the BIOS/UEFI or enable OS control of PCIe in its settings.',
    '固件不允许 Windows 控制 PCI Express：任何卸除操作都会失败，加 -Force 也不行。请升级 BIOS/UEFI 固件，或在固件设置中允许操作系统控制 PCIe。',
  ),
  iovHostReasons: m(" The host's reasons: {reasons}", '宿主机给出的原因：{reasons}'),
  iovNoHostReason: m(' The host gave no reason.', '宿主机没有给出原因。'),
  iovAcsOnlyConsent: m(
    "{consent} This host also reports IovSupport = False: its devices lack ACS and the IOMMU policy is on, so the likely cause is ACS (the seed's R910 case), which -Force lifts. If the host's reasons are about DMA or interrupt remapping instead, the VM will not start with the device (0xC035001E): give it back to the host (Revert).{why}",
    '{consent}此主机还报告 IovSupport = False：它的设备缺少 ACS，且 IOMMU 策略已启用，所以原因很可能是 ACS（即种子文章中 R910 的情况），-Force 可以绕过。如果宿主机给出的原因是 DMA 重映射或中断重映射，带该设备的虚拟机将无法启动（0xC035001E）：请把设备还给宿主机（还原）。{why}',
  ),
  iovAcsOnly: m(
    "Get-VMHost reports IovSupport = False. DDA Studio does not read the reasons (they are in the host's language); the devices' own facts (no ACS, IOMMU policy on) point to the ACS case, which -Force lifts.{why}",
    'Get-VMHost 报告 IovSupport = False。DDA Studio 不解析原因文本（它们使用宿主机的语言）；设备本身的信息（缺少 ACS、IOMMU 策略已启用）表明属于 ACS 的情况，-Force 可以绕过。{why}',
  ),
  noIov: m(
    'This host cannot assign devices to VMs (Get-VMHost reports IovSupport = False). {reasons}',
    '此主机不支持将设备直通给虚拟机（Get-VMHost 报告 IovSupport = False）。{reasons}',
  ),
  noIovReasons: m('Reasons: {reasons}', '原因：{reasons}'),
  noIovNoReason: m('No reason was given.', '系统没有给出原因。'),
  iommuOff: m(
    'The hypervisor IOMMU policy is off: VMs with devices will not start (0xC035001E). Run bcdedit /set hypervisoriommupolicy enable and reboot.',
    '虚拟机监控程序的 IOMMU 策略已关闭：带直通设备的虚拟机无法启动（0xC035001E）。请运行 bcdedit /set hypervisoriommupolicy enable 并重启。',
  ),

  // --- the device (checks-device) ---
  systemDisk: m(
    "{name} controls the host's system disk: taking it from the host would crash the host. It is never assigned.",
    '{name} 是宿主机系统盘所在的控制器：把它从宿主机拿走会导致宿主机崩溃。不允许直通。',
  ),
  notAssignable: m('{name} cannot be assigned: {reason}', '{name} 无法直通：{reason}'),
  surveyUnreadable: m(
    "{name}'s survey properties ({facts}) could not be read from the host, so whether it can be assigned is unknown. Read the host again (the inventory's notes say why the read failed).",
    '无法从宿主机读取 {name} 的检测属性（{facts}），因此无法判断能否直通。请重新读取宿主机（清单的备注说明了读取失败的原因）。',
  ),
  verdictUnknown: m(
    '{name} could not be fully checked (it is disabled or was never measured on the host); it may not work in the VM.',
    '{name} 无法完整检测（设备已禁用，或从未在宿主机上测量过）；在虚拟机中可能无法正常工作。',
  ),
  lessSecure: m(
    '{name} is an integrated (root-complex) endpoint: assignable, but less isolated than a PCIe card.',
    '{name} 是集成端点（Root Complex Integrated Endpoint）：可以直通，但隔离性不如独立 PCIe 卡。',
  ),
  lastDisplay: m(
    "{name} is the host's last display adapter: the local console goes blank while the VM holds it.",
    '{name} 是宿主机最后一块显卡：虚拟机占用期间，宿主机本地控制台将没有显示。',
  ),
  reasonRmrr: m(
    'the BIOS requires that it stay attached to BIOS-owned memory (RMRR).',
    'BIOS 要求该设备保持与 BIOS 保留内存（RMRR）的关联。',
  ),
  reasonBiosPcieControl: m(
    'the BIOS kept control of PCI Express for this device.',
    'BIOS 保留了对该设备 PCI Express 的控制权。',
  ),
  reasonLegacyNonVga: m('it is a legacy, non-VGA PCI device.', '它是传统（非 VGA）PCI 设备。'),
  reasonLegacyPci: m('it is an old-style PCI device, a bridge or a switch port.', '它是传统 PCI 设备、桥或交换端口。'),
  reasonLineInterrupts: m(
    'all of its interrupts are line-based; assignment needs message-signalled interrupts (MSI/MSI-X).',
    '它的中断全部是线中断（Line Interrupt）；直通需要消息信号中断（MSI/MSI-X）。',
  ),
  reasonAcsMissing: m(
    'traffic from it may be redirected to other devices (no ACS).',
    '它的流量可能被转发到系统中的其他设备（缺少 ACS）。',
  ),
  reasonOther: m('the survey says so.', '检测结果不支持。'),
  inResourcePool: m(
    '{name} is in the resource pool {pool}: VMs get it through the pool (Add-VMAssignableDevice -ResourcePoolName). Take it out of the pool first (Remove-VMHostAssignableDevice -ResourcePoolName).',
    '{name} 位于资源池 {pool} 中：虚拟机通过资源池获得它（Add-VMAssignableDevice -ResourcePoolName）。请先将它移出资源池（Remove-VMHostAssignableDevice -ResourcePoolName）。',
  ),
  siblingsStayOne: m(
    '{name} shares its card with {siblings}, which stays behind; functions of one card usually go to the same VM (you can include them).',
    '{name} 与 {siblings} 位于同一张卡上，它们不会一起分配；同一张卡的多个功能通常应分配给同一台虚拟机（可以选择一起分配）。',
  ),
  siblingsStayMany: m(
    '{name} shares its card with {siblings}, which stay behind; functions of one card usually go to the same VM (you can include them).',
    '{name} 与 {siblings} 位于同一张卡上，它们不会一起分配；同一张卡的多个功能通常应分配给同一台虚拟机（可以选择一起分配）。',
  ),

  // --- the host's lifelines (checks-lifelines) ---
  storageUnknown: m(
    "{name} is a storage controller, and which of the host's disks sit behind it could not be determined (the system disk or the disk list was unreadable): storage controllers are refused until that is known.",
    '{name} 是存储控制器，但无法确定宿主机的哪些磁盘挂在它下面（系统盘或磁盘列表无法读取）：在查明之前，不允许直通任何存储控制器。',
  ),
  diskItem: m('disk {number} {name}', '磁盘 {number} {name}'),
  bootDisk: m(
    "{name} controls the host's boot/system disk ({disks}): taking it from the host would crash the host. It is never assigned.",
    '{name} 是宿主机启动盘/系统盘（{disks}）所在的控制器：把它从宿主机拿走会导致宿主机崩溃。不允许直通。',
  ),
  pageFile: m(
    "{name} holds the host's page file (on {volumes}): Windows cannot lose its page file while running; move the page file first.",
    '{name} 上有宿主机的页面文件（位于 {volumes}）：Windows 运行时不能失去页面文件；请先把页面文件移走。',
  ),
  dataDiskItem: m('disk {number} {name} with {volumes}', '磁盘 {number} {name}（{volumes}）'),
  takeHostData: m(
    'Take {name} from the host: the host loses {disks}. Files open there are lost, and whatever the host keeps there (VM disks, shares, logs) stops working until the device is returned.',
    '从宿主机拿走 {name}：宿主机将失去{disks}。其上打开的文件会丢失，宿主机放在那里的东西（虚拟机磁盘、共享、日志）在设备还回之前都无法使用。',
  ),
  hostData: m('{name} holds host volumes: {volumes}.', '{name} 上有宿主机的卷：{volumes}。'),
  sessionNic: m(
    '{name} carries the connection DDA Studio is using to manage this host: taking it would cut this session off in the middle of the plan. Connect over another NIC to assign it.',
    '{name} 承载着 DDA Studio 管理这台宿主机所用的连接：拿走它会在执行计划的中途切断本次会话。请通过其他网卡连接后再直通它。',
  ),
  sessionNicUnknown: m(
    'DDA Studio is connected to this host remotely and cannot tell which NIC carries that connection; {name} {carries}, so it is refused.',
    'DDA Studio 通过远程连接管理这台宿主机，但无法确定该连接走的是哪块网卡；{name} {carries}，因此不允许直通。',
  ),
  carriesHostAddresses: m("carries the host's addresses ({ips})", '承载着宿主机的地址（{ips}）'),
  mayCarryHostAddresses: m("may carry the host's addresses", '可能承载着宿主机的地址'),
  takeNetworkUnknown: m(
    "Take {name} from the host although the host's network configuration could not be read (unknown): it may carry the host's IP addresses or a virtual switch's uplink, and taking it may cut the host and its VMs off the network.",
    '在无法读取宿主机网络配置（未知）的情况下从宿主机拿走 {name}：它可能承载着宿主机的 IP 地址或虚拟交换机的上行链路，拿走后宿主机及其虚拟机可能断网。',
  ),
  hostLosesAddress: m('the host loses its address {ips}', '宿主机将失去地址 {ips}'),
  hostLosesAddresses: m('the host loses its addresses {ips}', '宿主机将失去地址 {ips}'),
  switchVms: m('the VMs on it ({vms})', '其上的虚拟机（{vms}）'),
  switchNoVms: m('no VM is on it now', '目前没有虚拟机连在上面'),
  switchHostAddress: m(" and the host's own address {ips} on it", '，以及宿主机在其上的地址 {ips}'),
  switchHostAddresses: m(" and the host's own addresses {ips} on it", '，以及宿主机在其上的地址 {ips}'),
  switchLosesUplink: m(
    'the {type} virtual switch {switch} loses its uplink: {vms}{own} lose the network',
    '{type} 虚拟交换机 {switch} 将失去上行链路：{vms}{own}将断网',
  ),
  takeHostNetwork: m(
    'Take {name} from the host: {losses}. Whoever manages the host or uses those VMs over it loses the connection until the device is returned.',
    '从宿主机拿走 {name}：{losses}。通过它管理宿主机或使用这些虚拟机的人，在设备还回之前都会断开连接。',
  ),
  vSwitchItem: m('vSwitch {switch}', '虚拟交换机 {switch}'),
  hostNetwork: m("{name} carries the host's network: {items}.", '{name} 承载着宿主机的网络：{items}。'),
} as const satisfies Record<string, LocalizedText>;

const catalog = { ...planMessages, ...planStepMessages };
export type PlanMessageKey = keyof typeof catalog;
/** A placeholder's value: the same text in both languages, or a text of each. */
export type PlanValue = string | number | LocalizedText;

const valueIn = (v: PlanValue, lang: Language): string | number => (typeof v === 'object' ? v[lang] : v);

/** A planner text with its {placeholders} filled in, in both languages. */
export function planText(key: PlanMessageKey, values: Record<string, PlanValue> = {}): LocalizedText {
  const fill = (lang: Language) =>
    format(catalog[key][lang], Object.fromEntries(Object.entries(values).map(([k, v]) => [k, valueIn(v, lang)])));
  return { en: fill('en'), 'zh-CN': fill('zh-CN') };
}

/** Items joined as each language lists them (", " and "、"). */
export function planList(items: ReadonlyArray<PlanValue>, en = ', ', zh = '、'): LocalizedText {
  return { en: items.map((v) => valueIn(v, 'en')).join(en), 'zh-CN': items.map((v) => valueIn(v, 'zh-CN')).join(zh) };
}

/** Every planner text, for the catalog's own test. */
export const allPlanMessages: Readonly<Record<string, LocalizedText>> = {
  ...catalog,
  ...Object.fromEntries(Object.entries(consentMessages).map(([k, v]) => [`consent:${k}`, v])),
};
