/**
 * `dda doctor`'s texts in English and Simplified Chinese: for each check its title, what each outcome
 * means for the admin and the fix; for each kind of difference a line naming it. {placeholders} are
 * filled from the item's facts (shared/doctor.ts).
 */
import type { Language } from '../contract';
import type { DoctorCheck, DoctorProblem, DoctorStatus } from '../doctor';

type Text = Record<Language, string>;
type CheckTexts = { title: Text; fix: Text } & Partial<Record<DoctorStatus, Text>>;

export const doctorMessages: Record<DoctorCheck, CheckTexts> = {
  powershell: {
    title: { en: 'PowerShell {edition} {version}', 'zh-CN': 'PowerShell {edition} {version}' },
    pass: {
      en: 'DDA Studio runs its scripts in this PowerShell.',
      'zh-CN': 'DDA Studio 可以在此 PowerShell 中运行其脚本。',
    },
    warn: {
      en: 'This PowerShell is older than the versions DDA Studio is tested with (Windows PowerShell 5.1, PowerShell 7.2 or later).',
      'zh-CN': '此 PowerShell 版本低于 DDA Studio 测试过的版本（Windows PowerShell 5.1、PowerShell 7.2 或更高）。',
    },
    fail: {
      en: 'DDA Studio needs Windows PowerShell 5.1 or PowerShell 7; its scripts will not run here.',
      'zh-CN': 'DDA Studio 需要 Windows PowerShell 5.1 或 PowerShell 7，其脚本无法在此运行。',
    },
    fix: {
      en: 'Install PowerShell 7 (winget install Microsoft.PowerShell) or use Windows PowerShell 5.1, then run dda doctor again.',
      'zh-CN':
        '安装 PowerShell 7（winget install Microsoft.PowerShell）或使用 Windows PowerShell 5.1，然后重新运行 dda doctor。',
    },
  },
  'hyperv-module': {
    title: { en: 'Hyper-V PowerShell module {version}', 'zh-CN': 'Hyper-V PowerShell 模块 {version}' },
    pass: {
      en: 'The Hyper-V cmdlets come from module {module} {version}.',
      'zh-CN': 'Hyper-V cmdlet 来自模块 {module} {version}。',
    },
    warn: {
      en: 'The Hyper-V cmdlets come from module {module} {version}, not from Hyper-V 2.0: the checks below decide whether they behave as expected.',
      'zh-CN': 'Hyper-V cmdlet 来自模块 {module} {version}，而非 Hyper-V 2.0：下面的检查将判断它们是否符合预期。',
    },
    fail: {
      en: 'Get-VMHost is not available: the Hyper-V role or its PowerShell module is not installed, so DDA Studio can neither read nor assign devices.',
      'zh-CN': '没有 Get-VMHost：未安装 Hyper-V 角色或其 PowerShell 模块，DDA Studio 无法读取或分配设备。',
    },
    fix: {
      en: 'Install-WindowsFeature -Name Hyper-V, Hyper-V-PowerShell -IncludeManagementTools -Restart',
      'zh-CN': 'Install-WindowsFeature -Name Hyper-V, Hyper-V-PowerShell -IncludeManagementTools -Restart',
    },
  },
  'engine-compat': {
    title: { en: 'Hyper-V in this PowerShell', 'zh-CN': '此 PowerShell 中的 Hyper-V' },
    pass: {
      en: 'The Hyper-V cmdlets run in this PowerShell itself and hand DDA Studio live objects.',
      'zh-CN': 'Hyper-V cmdlet 直接在此 PowerShell 中运行，向 DDA Studio 返回实时对象。',
    },
    fail: {
      en: "PowerShell 7 runs this host's Hyper-V module through Windows PowerShell compatibility (Windows Server 2016): its objects arrive deserialized and the DDA cmdlets cannot take them, so DDA Studio changes nothing from this PowerShell.",
      'zh-CN':
        '此主机的 Hyper-V 模块在 PowerShell 7 中通过 Windows PowerShell 兼容层运行（Windows Server 2016）：返回的对象已反序列化，DDA cmdlet 无法使用，因此 DDA Studio 不会从此 PowerShell 更改主机。',
    },
    unknown: {
      en: 'Whether the Hyper-V module runs through Windows PowerShell compatibility could not be read.',
      'zh-CN': '无法读取 Hyper-V 模块是否通过 Windows PowerShell 兼容层运行。',
    },
    fix: {
      en: "Use Windows PowerShell 5.1 for this host: set DDA Studio's PowerShell to powershell.exe (or dda --pwsh powershell.exe); for a remote host, connect over WinRM.",
      'zh-CN':
        '对此主机使用 Windows PowerShell 5.1：将 DDA Studio 的 PowerShell 设为 powershell.exe（或 dda --pwsh powershell.exe）；远程主机请通过 WinRM 连接。',
    },
  },
  'ui-culture': {
    title: { en: 'Display language {culture}', 'zh-CN': '显示语言 {culture}' },
    pass: {
      en: 'Device names and error messages come in this language; DDA Studio reads no message text, so any language works.',
      'zh-CN': '设备名称和错误信息使用此语言；DDA Studio 不读取任何消息文本，因此任何语言都可以。',
    },
    fix: { en: 'Nothing to do.', 'zh-CN': '无需处理。' },
  },
  elevation: {
    title: { en: 'Elevation', 'zh-CN': '管理员权限' },
    pass: {
      en: 'This session runs as an administrator: DDA Studio can change the host.',
      'zh-CN': '本会话以管理员身份运行：DDA Studio 可以更改主机。',
    },
    fail: {
      en: 'This session is not elevated: DDA Studio can show the host but cannot dismount or assign anything, and the IOMMU policy cannot be read.',
      'zh-CN': '本会话没有管理员权限：DDA Studio 只能查看主机，无法卸除或分配设备，也无法读取 IOMMU 策略。',
    },
    unknown: { en: 'Whether this session is elevated could not be read.', 'zh-CN': '无法读取本会话是否有管理员权限。' },
    fix: {
      en: 'Run dda (or DDA Studio) from an elevated PowerShell: right-click, Run as administrator; a remote host needs an administrator account.',
      'zh-CN': '在以管理员身份运行的 PowerShell 中运行 dda（或 DDA Studio）；远程主机需要管理员账户。',
    },
  },
  iommu: {
    title: { en: 'Hypervisor IOMMU policy', 'zh-CN': '虚拟机监控程序 IOMMU 策略' },
    pass: {
      en: 'The hypervisor uses the IOMMU (bcdedit hypervisoriommupolicy is not "disable").',
      'zh-CN': '虚拟机监控程序使用 IOMMU（bcdedit 的 hypervisoriommupolicy 不是 disable）。',
    },
    fail: {
      en: 'The hypervisor IOMMU policy is disabled: no device can be assigned to a VM.',
      'zh-CN': '虚拟机监控程序的 IOMMU 策略已禁用：任何设备都无法分配给虚拟机。',
    },
    unknown: {
      en: 'The IOMMU policy could not be read (bcdedit needs elevation).',
      'zh-CN': '无法读取 IOMMU 策略（bcdedit 需要管理员权限）。',
    },
    fix: {
      en: 'bcdedit /set hypervisoriommupolicy default, then restart the host; enable VT-d / AMD-Vi (IOMMU) in the firmware.',
      'zh-CN': '运行 bcdedit /set hypervisoriommupolicy default 后重启主机；并在固件中启用 VT-d / AMD-Vi（IOMMU）。',
    },
  },
  'iov-support': {
    title: { en: 'Hyper-V I/O virtualization (IovSupport)', 'zh-CN': 'Hyper-V I/O 虚拟化（IovSupport）' },
    pass: {
      en: 'Get-VMHost reports IovSupport True: the host can assign devices.',
      'zh-CN': 'Get-VMHost 报告 IovSupport 为 True：主机可以直通设备。',
    },
    fail: {
      en: 'Get-VMHost reports IovSupport False ({reasons}): Hyper-V refuses most assignments on this host.',
      'zh-CN': 'Get-VMHost 报告 IovSupport 为 False（{reasons}）：Hyper-V 在此主机上会拒绝大多数直通。',
    },
    unknown: { en: 'Get-VMHost could not be read.', 'zh-CN': '无法读取 Get-VMHost。' },
    fix: {
      en: 'Enable VT-d / AMD-Vi, SR-IOV and interrupt remapping in the firmware, update the firmware, and read the reasons Get-VMHost gives (IovSupportReasons).',
      'zh-CN':
        '在固件中启用 VT-d / AMD-Vi、SR-IOV 和中断重映射，更新固件，并查看 Get-VMHost 给出的原因（IovSupportReasons）。',
    },
  },
  survey: {
    title: { en: 'What the device survey reads', 'zh-CN': '设备检测所需的信息' },
    pass: {
      en: '{devices} PCI functions, their interrupts and memory ranges can be read.',
      'zh-CN': '可以读取 {devices} 个 PCI 功能及其中断和内存范围。',
    },
    fail: {
      en: 'Part of what the survey needs cannot be read: verdicts would be missing or unknown.',
      'zh-CN': '检测所需的部分信息无法读取：判定结果将缺失或未知。',
    },
    fix: {
      en: 'Run elevated, check that the WMI service (winmgmt) runs (Get-Service winmgmt) and that Get-PnpDevice -PresentOnly lists the PCI devices.',
      'zh-CN':
        '以管理员身份运行，确认 WMI 服务（winmgmt）在运行（Get-Service winmgmt），并确认 Get-PnpDevice -PresentOnly 能列出 PCI 设备。',
    },
  },
  surface: {
    title: { en: '{name}', 'zh-CN': '{name}' },
    pass: {
      en: 'Has the parameter sets and parameters DDA Studio uses ({usedIn}).',
      'zh-CN': '具有 DDA Studio 使用的参数集和参数（{usedIn}）。',
    },
    fail: {
      en: 'Differs from what DDA Studio uses ({usedIn}): the steps that call it will fail on this host.',
      'zh-CN': '与 DDA Studio 使用的不一致（{usedIn}）：调用它的步骤在此主机上会失败。',
    },
    fix: {
      en: 'Install the Windows updates for this Windows Server version; if it stays, send a host report (dda host capture --anonymize) with a bug report.',
      'zh-CN':
        '安装此 Windows Server 版本的更新；如果仍然存在，请随错误报告附上主机报告（dda host capture --anonymize）。',
    },
  },
  'pci-property': {
    title: { en: '{name}', 'zh-CN': '{name}' },
    pass: {
      en: 'Read as {expected} on {devices} PCI functions, as DDA Studio expects.',
      'zh-CN': '在 {devices} 个 PCI 功能上读取为 {expected}，符合 DDA Studio 的预期。',
    },
    warn: {
      en: 'No PCI function reports it: the verdicts that rest on it say unknown.',
      'zh-CN': '没有 PCI 功能报告此属性：依赖它的判定结果将显示为未知。',
    },
    fail: {
      en: 'Comes as {actual}, DDA Studio expects {expected}: verdicts that rest on it may be wrong.',
      'zh-CN': '类型为 {actual}，而 DDA Studio 预期为 {expected}：依赖它的判定结果可能有误。',
    },
    unknown: { en: 'Could not be read.', 'zh-CN': '无法读取。' },
    fix: {
      en: "Send a host report (dda host capture --anonymize) with a bug report: DDA Studio must learn this host's type.",
      'zh-CN': '请随错误报告附上主机报告（dda host capture --anonymize）：DDA Studio 需要了解此主机上的类型。',
    },
  },
};

const problemTexts: Record<DoctorProblem['kind'], Text> = {
  'missing-command': { en: 'the command {name} does not exist', 'zh-CN': '命令 {name} 不存在' },
  'missing-set': { en: 'parameter set {name} is missing', 'zh-CN': '缺少参数集 {name}' },
  'missing-parameter': { en: 'parameter -{name} is missing', 'zh-CN': '缺少参数 -{name}' },
  'parameter-not-in-set': {
    en: 'parameter -{name} is not in parameter set {expected}',
    'zh-CN': '参数 -{name} 不在参数集 {expected} 中',
  },
  'wrong-type': {
    en: '{name} is {actual}, expected {expected}',
    'zh-CN': '{name} 的类型为 {actual}，预期为 {expected}',
  },
  'no-should-process': { en: '{name} does not support -WhatIf/-Confirm', 'zh-CN': '{name} 不支持 -WhatIf/-Confirm' },
  'read-failed': { en: 'reading {name} failed ({actual})', 'zh-CN': '读取 {name} 失败（{actual}）' },
  'not-found': { en: '{name} found nothing', 'zh-CN': '{name} 未找到任何内容' },
};

const fill = (text: string, values: Record<string, string | undefined>) =>
  text.replace(/\{(\w+)\}/g, (m, k: string) =>
    Object.prototype.hasOwnProperty.call(values, k) ? (values[k] ?? '') : m,
  );

/** An item's title, meaning and fix in a language. */
export function doctorText(
  item: { check: DoctorCheck; status: DoctorStatus; facts: Record<string, string> },
  lang: Language,
): { title: string; meaning: string; fix: string | null } {
  const t = doctorMessages[item.check];
  const meaning = t[item.status] ?? t.fail ?? t.pass!;
  return {
    title: fill(t.title[lang], item.facts),
    meaning: fill(meaning[lang], item.facts),
    fix: item.status === 'pass' ? null : fill(t.fix[lang], item.facts),
  };
}

/** One difference as a line. */
export function doctorProblemText(p: DoctorProblem, lang: Language): string {
  return fill(problemTexts[p.kind][lang], { name: p.name, expected: p.expected, actual: p.actual });
}

/** The Help menu and the doctor dialog. */
export const doctorUi = {
  help: { en: 'Help', 'zh-CN': '帮助' },
  checkHost: { en: 'Check this host', 'zh-CN': '检查此主机' },
  saveReport: { en: 'Save host report', 'zh-CN': '保存主机报告' },
  saveReportAnonymized: { en: 'Save host report (anonymized)', 'zh-CN': '保存主机报告（匿名）' },
  doctorTitle: { en: 'Check of {name}', 'zh-CN': '检查 {name}' },
  doctorRunning: { en: 'Checking the host (read-only)…', 'zh-CN': '正在检查主机（只读）…' },
  reportSaving: { en: 'Reading the host for the report (read-only)…', 'zh-CN': '正在读取主机以生成报告（只读）…' },
  reportSaved: {
    en: 'Saved {file}. Attach it to a bug report; "dda inventory --simulate <file>" replays it.',
    'zh-CN': '已保存 {file}。请将其附在错误报告中；"dda inventory --simulate <文件>" 可以重放它。',
  },
  summary: {
    en: '{pass} pass, {warn} warn, {fail} fail, {unknown} could not be checked',
    'zh-CN': '{pass} 项通过，{warn} 项警告，{fail} 项失败，{unknown} 项无法检查',
  },
  fix: { en: 'Fix', 'zh-CN': '修复方法' },
  status_pass: { en: 'Pass', 'zh-CN': '通过' },
  status_warn: { en: 'Warning', 'zh-CN': '警告' },
  status_fail: { en: 'Fail', 'zh-CN': '失败' },
  status_unknown: { en: 'Could not check', 'zh-CN': '无法检查' },
  close: { en: 'Close', 'zh-CN': '关闭' },
} as const satisfies Record<string, Text>;

/** A Help-menu / doctor-dialog text with its {placeholders} filled. */
export function doctorUiText(key: keyof typeof doctorUi, lang: Language, values: Record<string, string> = {}): string {
  return fill(doctorUi[key][lang], values);
}
