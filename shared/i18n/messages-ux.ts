/**
 * UI strings of the plan dialog's choices, the details drawer's explanations, the "Assign to…" menu and
 * the keyboard drag's announcements, in English and Simplified Chinese. Part of `messages` (spread in
 * there); kept apart so the catalogue stays readable.
 */
import type { Language } from '../contract';

export const uxMessages = {
  // Plan dialog
  alsoAssign: { en: 'Also assign {device}', 'zh-CN': '同时分配 {device}' },
  alsoAssignHint: {
    en: 'Functions of one card usually go to the same VM.',
    'zh-CN': '同一张卡上的多个功能通常分配给同一台虚拟机。',
  },
  showPowerShell: { en: 'Show PowerShell', 'zh-CN': '显示 PowerShell' },
  vmNowState: { en: 'VM {vm} is now {state}.', 'zh-CN': '虚拟机 {vm} 现在的状态：{state}。' },
  vmLeftOff: {
    en: 'It was running before; start it again when you are ready.',
    'zh-CN': '它之前在运行；准备好后请重新启动它。',
  },
  startVmAction: { en: 'Start {vm}', 'zh-CN': '启动 {vm}' },
  // Activity: an operation's step log
  opLogTitle: { en: 'Operation log', 'zh-CN': '操作日志' },
  opLogLoading: { en: 'Reading the journal…', 'zh-CN': '正在读取日志…' },
  opLogStarted: { en: 'started {at}', 'zh-CN': '开始于 {at}' },
  opLogEnded: { en: 'ended {at}', 'zh-CN': '结束于 {at}' },
  opLogUnfinished: { en: 'unfinished (see recovery)', 'zh-CN': '未完成（见恢复）' },
  opLogUntrusted: { en: 'The journal of this operation is not trusted:', 'zh-CN': '此操作的日志不可信：' },
  opLogUndoFailed: { en: 'Undo failed', 'zh-CN': '撤销失败' },
  opLogFullLog: { en: 'The log as exported', 'zh-CN': '导出的日志原文' },
  opLogOpenHint: { en: 'Open its step log', 'zh-CN': '打开它的步骤日志' },
  // Details drawer
  why: { en: 'Why', 'zh-CN': '原因' },
  whatYouCanDo: { en: 'What you can do', 'zh-CN': '你可以怎么做' },
  rawFacts: { en: 'Raw facts (what the survey read)', 'zh-CN': '原始数据（检测读到的内容）' },
  ddaPlanningLink: {
    en: 'Microsoft: Plan for deploying devices by using Discrete Device Assignment',
    'zh-CN': 'Microsoft 文档：规划使用离散设备分配（DDA）部署设备',
  },
  why_assignable: {
    en: 'A PCI Express endpoint with message-signalled interrupts behind ACS: Hyper-V can hand it to a VM and keep it isolated.',
    'zh-CN': '这是一个支持消息中断、路径上有 ACS 的 PCIe 端点设备：Hyper-V 可以把它交给虚拟机并保持隔离。',
  },
  what_assignable: { en: 'Drag it onto a VM, or use Assign to…', 'zh-CN': '把它拖到虚拟机上，或使用"分配给…"。' },
  'why_assignable-less-secure': {
    en: 'A root-complex integrated endpoint: it can be assigned, but how well it is isolated depends on the chipset.',
    'zh-CN': '这是集成在根复合体中的端点设备：可以直通，但隔离程度取决于芯片组。',
  },
  'what_assignable-less-secure': { en: 'Assign it only to VMs you trust.', 'zh-CN': '只分配给你信任的虚拟机。' },
  'why_assignable-legacy-graphics': {
    en: 'A legacy PCI Express endpoint that is a display adapter: Hyper-V accepts it as legacy graphics.',
    'zh-CN': '这是传统 PCIe 端点，但它是显示适配器：Hyper-V 按传统显卡接受它。',
  },
  'what_assignable-legacy-graphics': {
    en: "Assign it; the plan raises the VM's MMIO when the card needs more.",
    'zh-CN': '可以直通；显卡需要更多 MMIO 时，计划会调大虚拟机的 MMIO。',
  },
  'why_force-insecure': {
    en: "A switch or port between the device and its root port lacks ACS (Access Control Services): the device could reach other devices' memory (DMA) without the IOMMU seeing it.",
    'zh-CN': '设备到根端口之间的交换芯片或端口缺少 ACS（访问控制服务）：设备可能绕过 IOMMU 访问其他设备的内存（DMA）。',
  },
  'what_force-insecure': {
    en: 'Update the BIOS and firmware, or move the card to a slot whose root port has ACS, then Refresh. Otherwise assign it with -Force, and only to a VM you trust.',
    'zh-CN':
      '升级 BIOS 和固件，或把卡换到根端口支持 ACS 的插槽，然后刷新。否则只能用 -Force 直通，并且只给可信的虚拟机。',
  },
  'why_disabled-unknown': {
    en: 'The device is disabled on the host, so its interrupts and memory ranges cannot be read.',
    'zh-CN': '设备在宿主机上已禁用，无法读取它的中断和内存范围。',
  },
  'what_disabled-unknown': {
    en: 'Enable the device (Device Manager or Enable-PnpDevice), then Refresh.',
    'zh-CN': '启用该设备（设备管理器或 Enable-PnpDevice），然后刷新。',
  },
  why_unknown: {
    en: 'Its interrupts or memory ranges are not known: it is dismounted or in a VM and was never measured here.',
    'zh-CN': '它的中断或内存范围未知：设备已卸除或在虚拟机中，本工具从未测量过它。',
  },
  what_unknown: { en: 'Return it to the host and Refresh to measure it.', 'zh-CN': '把它还给宿主机后刷新，即可测量。' },
  why_rmrr: {
    en: 'The firmware reserves memory for this device (RMRR): the BIOS keeps using it, so it cannot leave the host safely.',
    'zh-CN': '固件为该设备保留了内存（RMRR）：BIOS 会继续使用它，因此无法安全地从宿主机移走。',
  },
  what_rmrr: {
    en: 'Not fixable in Windows. Some vendors ship a BIOS update or setting that removes the RMRR; otherwise choose another device.',
    'zh-CN': '在 Windows 中无法解决。有些厂商提供去掉 RMRR 的 BIOS 更新或设置；否则请换用其他设备。',
  },
  'why_legacy-non-vga': {
    en: 'A legacy PCI Express endpoint that is not a display adapter.',
    'zh-CN': '这是传统 PCIe 端点，而且不是显示适配器。',
  },
  'what_legacy-non-vga': {
    en: 'Not fixable: only legacy display adapters can be assigned.',
    'zh-CN': '无法解决：只有传统显示适配器可以直通。',
  },
  'why_bios-pcie-control': {
    en: 'The firmware did not hand PCI Express control to Windows, so the device is treated as plain PCI.',
    'zh-CN': '固件没有把 PCIe 控制权交给 Windows，设备被当作普通 PCI 设备。',
  },
  'what_bios-pcie-control': {
    en: 'Update the BIOS or turn on native PCIe (OS) control in its settings, then restart the host.',
    'zh-CN': '升级 BIOS，或在 BIOS 设置中启用由操作系统控制 PCIe，然后重启宿主机。',
  },
  'why_legacy-pci': {
    en: 'A conventional PCI device, a bridge or a port: DDA assigns only PCI Express endpoints.',
    'zh-CN': '这是传统 PCI 设备、桥或端口：DDA 只能直通 PCIe 端点设备。',
  },
  'what_legacy-pci': {
    en: 'Not fixable: assign the device behind it instead.',
    'zh-CN': '无法解决：请直通它后面的设备。',
  },
  'why_line-interrupts': {
    en: 'It uses only line-based interrupts (no MSI or MSI-X): Hyper-V cannot deliver them to a VM.',
    'zh-CN': '它只使用线路中断（没有 MSI 或 MSI-X）：Hyper-V 无法把这类中断交给虚拟机。',
  },
  'what_line-interrupts': {
    en: 'Not fixable from here; a driver or firmware that turns on MSI-X may change it, then Refresh.',
    'zh-CN': '在这里无法解决；启用 MSI-X 的驱动或固件可能改变这一点，之后请刷新。',
  },
  why_systemDisk: {
    en: "This controller holds the host's system disk: taking it away would stop the host.",
    'zh-CN': '该控制器上有宿主机的系统盘：把它移走会让宿主机停止工作。',
  },
  what_systemDisk: { en: 'Not possible: choose another device.', 'zh-CN': '不可能：请换用其他设备。' },
  // "Assign to…" menu
  vmStateRunningWillStop: { en: 'Running: will be shut down', 'zh-CN': '正在运行：将被关机' },
  vmStateSavedWillDiscard: { en: 'Saved: its saved state will be discarded', 'zh-CN': '已保存：将丢弃已保存状态' },
  vmStatePausedWillStop: { en: 'Paused: will be turned off', 'zh-CN': '已暂停：将被关闭' },
  menuNeedsForce: { en: 'needs the no-ACS consent', 'zh-CN': '需要同意不检查 ACS' },
  menuNeedsLifeline: { en: 'the host uses it: needs consent', 'zh-CN': '宿主机在用：需要同意' },
  menuReady: { en: 'ready', 'zh-CN': '可以直接分配' },
  // Keyboard drag and its announcements
  draggable: { en: 'draggable device', 'zh-CN': '可拖动的设备' },
  dragInstructions: {
    en: 'To pick up a device, press Space or Enter. The arrow keys move it from one VM to the next; Space or Enter drops it; Escape cancels.',
    'zh-CN': '按空格键或回车键拿起设备。方向键在虚拟机之间逐个移动；空格键或回车键放下；Esc 取消。',
  },
  announceStart: {
    en: 'Picked up {device}. Arrow keys move it from one VM to the next.',
    'zh-CN': '已拿起 {device}。用方向键在虚拟机之间移动。',
  },
  announceOver: {
    en: '{device} over {vm}, {state}: {verdict}.',
    'zh-CN': '{device} 位于 {vm}（{state}）上方：{verdict}。',
  },
  announceNoTarget: { en: '{device} is over no VM.', 'zh-CN': '{device} 未指向任何虚拟机。' },
  announceDropPlan: {
    en: 'Dropped {device} on {vm}: the plan opens.',
    'zh-CN': '已将 {device} 放到 {vm} 上：正在打开计划。',
  },
  announceDropRefused: {
    en: '{device} not dropped on {vm}: {verdict}.',
    'zh-CN': '{device} 未放到 {vm} 上：{verdict}。',
  },
  announceDropNone: {
    en: '{device} dropped on no VM: nothing changes.',
    'zh-CN': '{device} 未放到任何虚拟机上：不做任何更改。',
  },
  announceCancel: { en: 'Drag of {device} cancelled.', 'zh-CN': '已取消拖动 {device}。' },
} as const satisfies Record<string, Record<Language, string>>;
