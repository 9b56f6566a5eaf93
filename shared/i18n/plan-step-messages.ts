/**
 * The planner's texts about VMs, MMIO, steps and intents, in English and Simplified Chinese (the
 * device and host rules are in plan-messages.ts). Same rule: both languages carry the same placeholders.
 */
import type { LocalizedText } from '../plan';

const m = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export const planStepMessages = {
  // --- the VM's power (vm-power) ---
  vmTransitioning: m(
    'VM {vm} is {state}: wait until it is running or off, then plan again.',
    '虚拟机 {vm} 当前状态为 {state}：请等它运行或关机后重新规划。',
  ),
  discardSavedStateOf: m(
    'Discard the saved state of {vm} (Remove-VMSavedState): the guest loses what was in its memory, like pulling the power. This cannot be undone.',
    '丢弃 {vm} 的已保存状态（Remove-VMSavedState）：客户机内存中的内容将丢失，相当于直接断电。此操作无法撤销。',
  ),
  savedStateLost: m(
    'VM {vm} is saved: its saved state must be discarded before its devices and settings can change. This cannot be undone.',
    '虚拟机 {vm} 处于已保存状态：更改直通设备和配置之前必须丢弃已保存的状态。此操作无法撤销。',
  ),
  stepRemoveSavedState: m(
    'Discard the saved state of {vm} (it is then off; cannot be undone)',
    '丢弃 {vm} 的已保存状态（之后虚拟机为关机状态；无法撤销）',
  ),
  vmNotOff: m(
    'VM {vm} is {state}: it must be off to change its devices and settings.',
    '虚拟机 {vm} 当前状态为 {state}：更改直通设备和配置前必须关机。',
  ),
  stepStopVm: m(
    'Turn VM {vm} off (shut down; turn off if the guest does not stop in time)',
    '关闭虚拟机 {vm}（先正常关机，客户机未及时关机则硬关机）',
  ),
  stepStartVm: m('Start VM {vm} again', '重新启动虚拟机 {vm}'),
  clusteredVm: m(
    "{vm} is a clustered VM: with an assigned device it cannot live-migrate, so the cluster's automatic moves (drain, failover, load balancing) will fail for it. Keep it on this node, or take it out of the cluster.",
    '{vm} 是群集虚拟机：直通设备后它无法实时迁移，群集的自动迁移（排空、故障转移、负载均衡）对它都会失败。请让它固定在此节点上，或将它移出群集。',
  ),
  automaticCheckpoints: m(
    '{vm} takes automatic checkpoints at start: checkpoints of a VM with an assigned device are not supported. Turn them off (Set-VM -AutomaticCheckpointsEnabled $false).',
    '{vm} 启用了自动检查点（启动时创建）：直通设备的虚拟机不支持检查点。请关闭自动检查点（Set-VM -AutomaticCheckpointsEnabled $false）。',
  ),

  // --- the VM's settings (vm-settings, vm-mmio) ---
  stepSetStopAction: m(
    'Set the automatic stop action of {vm} to TurnOff (a VM with an assigned device cannot be saved)',
    '将 {vm} 的自动停止操作设为 TurnOff（直通设备的虚拟机不能保存状态）',
  ),
  stepSetCacheTypes: m(
    'Turn on guest-controlled cache types for {vm} (write-combining; GPUs need it)',
    '为 {vm} 启用客户机控制的缓存类型（写合并，GPU 需要）',
  ),
  mmioUnknown: m(
    "The MMIO need of {name} is unknown (it was never measured working on the host), so it counts as 0 MB: the VM's MMIO may be too small, and the device would show Code 12 in the guest. The plan needs your acknowledgement.",
    '{name} 的 MMIO 需求未知（从未在宿主机上测到其正常工作时的数据），按 0 MB 计算：虚拟机的 MMIO 空间可能不够，设备在客户机中会显示代码 12。本计划需要你确认。',
  ),
  dynamicMemory: m(
    'Dynamic memory of {vm} will be turned off (not supported with an assigned device); the VM keeps its startup memory ({memory}).',
    '{vm} 的动态内存将被关闭（直通设备不支持动态内存）；虚拟机使用启动内存（{memory}）。',
  ),
  stepSetMemory: m('Turn dynamic memory off for {vm}', '关闭 {vm} 的动态内存'),
  linuxHvPci: m(
    'The guest ({os}) needs the Hyper-V PCI bus driver (hv_pci on Linux) to see the device.',
    '客户机（{os}）需要 Hyper-V PCI 总线驱动（Linux 上为 hv_pci）才能识别该设备。',
  ),
  vmNeedsRepair: m(
    '{vm} has stale or duplicate device entries and will not start until they are repaired (Repair).',
    '{vm} 存在失效或重复的设备条目，修复之前虚拟机无法启动（请使用"修复"）。',
  ),
  lowMmioTooLarge: m(
    "{vm} would need {required} of low MMIO (the devices' 32-bit ranges + 128 MB), more than Hyper-V allows below 4 GB ({max}).",
    '{vm} 需要 {required} 的低位 MMIO（设备的 32 位地址范围 + 128 MB），超过了 Hyper-V 在 4 GB 以下允许的上限（{max}）。',
  ),
  stepRaiseLowMmio: m(
    "Raise the low MMIO space of {vm} to {size} (devices' 32-bit ranges + 128 MB)",
    '将 {vm} 的低位 MMIO 空间提高到 {size}（设备的 32 位地址范围 + 128 MB）',
  ),
  highMmioDefaultBase: m(
    'the default base ({base}; this host does not report it)',
    '默认起始地址（{base}；此主机不报告该值）',
  ),
  highMmioBase: m('its base at {base}', '其起始地址 {base}'),
  mmioAboveLimit: m(
    '{vm} would need {target} of high MMIO (every device it will hold + 512 MB). From {base} that ends {over} above what this {bits}-bit CPU can address ({limit}): the VM would not start ("upper MMIO region ... above the supported physical address range"). A CPU with more address bits, or a lower base (Set-VM -HighMemoryMappedIoBaseAddress, where the host\'s Hyper-V has it), is needed.',
    '{vm} 需要 {target} 的高位 MMIO（它将持有的全部设备 + 512 MB）。从{base}开始，区域末端超出此 {bits} 位 CPU 的寻址上限（{limit}）{over}：虚拟机将无法启动（"upper MMIO region ... above the supported physical address range"）。需要地址位数更多的 CPU，或降低起始地址（在支持的 Hyper-V 上使用 Set-VM -HighMemoryMappedIoBaseAddress）。',
  ),
  mmioRoom: m(
    "High MMIO of {target} from {base} leaves {room} below this {bits}-bit CPU's limit.",
    '高位 MMIO 从{base}起共 {target}，距此 {bits} 位 CPU 的上限还剩 {room}。',
  ),
  addressBitsUnknown: m(
    "The CPU's physical address width is unknown (Windows PowerShell 5.1 cannot read it). {vm}'s high MMIO gap ({target} from {base}) does not fit on a {bits}-bit CPU; on one, the VM would not start.",
    'CPU 物理地址位数未知（Windows PowerShell 5.1 无法读取）。{vm} 的高位 MMIO 区域（从{base}起共 {target}）在 {bits} 位 CPU 上放不下；在这样的 CPU 上虚拟机将无法启动。',
  ),
  mmioRaise: m('High MMIO of {vm} will be raised from {from} to {to}.', '{vm} 的高位 MMIO 将从 {from} 提高到 {to}。'),
  stepRaiseHighMmio: m(
    "Raise the high MMIO space of {vm} to {size} (devices' need + 512 MB)",
    '将 {vm} 的高位 MMIO 空间提高到 {size}（设备需求 + 512 MB）',
  ),
  vmSettingsLost: m(
    "{vm}'s settings from before its assignment are not restored: {why} Check its stop action, cache types, MMIO and memory by hand.",
    '不会恢复 {vm} 在分配之前的设置：记录这些设置的文件无法读取（{why}）。请手动检查它的自动停止操作、缓存类型、MMIO 和内存设置。',
  ),
  settingsKept: m(
    '{vm} keeps the settings the assignment changed (stop action, cache types, MMIO, static memory) while it still holds {devices}.',
    '{vm} 仍持有 {devices}，因此保留分配时更改的设置（自动停止操作、缓存类型、MMIO、静态内存）。',
  ),
  on: m('on', '启用'),
  off: m('off', '禁用'),
  stepRestoreStopAction: m(
    'Restore the automatic stop action of {vm} to {value}',
    '将 {vm} 的自动停止操作恢复为 {value}',
  ),
  stepRestoreCacheTypes: m(
    'Restore guest-controlled cache types of {vm} to {value}',
    '将 {vm} 的客户机控制缓存类型恢复为{value}',
  ),
  stepRestoreLowMmio: m('Restore the low MMIO space of {vm} to {size}', '将 {vm} 的低位 MMIO 空间恢复为 {size}'),
  stepRestoreHighMmio: m('Restore the high MMIO space of {vm} to {size}', '将 {vm} 的高位 MMIO 空间恢复为 {size}'),
  mmioKept: m(
    'The {which} MMIO space of {vm} is kept at {now}: it was changed since DDA Studio set it to {set} (for another adapter, perhaps), so the value from before the assignment is not put back.',
    '{vm} 的{which} MMIO 空间保持为 {now}：DDA Studio 将其设为 {set} 之后它又被更改过（可能是为了其他适配器），因此不恢复分配之前的值。',
  ),
  low: m('low', '低位'),
  high: m('high', '高位'),
  stepRestoreMemory: m('Turn dynamic memory of {vm} back {value}', '将 {vm} 的动态内存恢复为{value}'),

  // --- a device leaving or returning to the host (host-device) ---
  refusedMitigations: m(
    'This host refused to dismount {name} with its mitigation check on (usually: no vendor mitigation driver): without that check it may dismount.',
    '这台宿主机曾拒绝在保留缓解检查的情况下卸除 {name}（通常是没有厂商缓解驱动）：关闭该检查后可能可以卸除。',
  ),
  forceAcs: m(
    '{name} has no ACS on its path to the root complex: it can only be dismounted with the ACS check off, which is insecure.',
    '{name} 到根复合体的路径上缺少 ACS 支持：只能关闭 ACS 检查后卸除，这是不安全的。',
  ),
  forceIfRefused: m(
    'If the host refuses to dismount {name} for lack of a vendor mitigation driver, it is dismounted without that check, as you agreed{acs}.',
    '如果宿主机因缺少厂商缓解驱动而拒绝卸除 {name}，将按你的同意不经该检查卸除{acs}。',
  ),
  acsStaysOn: m('; the ACS check stays on', '；ACS 检查仍然保留'),
  stepDisable: m('Disable {name} on the host', '在宿主机上禁用 {name}'),
  stepDismount: m('Dismount {name} from the host', '从宿主机卸除 {name}'),
  stepDismountInsecure: m(
    'Dismount {name} from the host without the ACS check (insecure)',
    '从宿主机卸除 {name}（不检查 ACS，不安全）',
  ),
  stepMount: m('Mount {name} back to the host', '将 {name} 挂载回宿主机'),
  stepEnable: m('Enable {name} on the host', '在宿主机上启用 {name}'),

  // --- the intents (intents/*) ---
  deviceNotFound: m('No device at {path}.', '找不到位于 {path} 的设备。'),
  vmNotFound: m('No VM named {vm}.', '找不到名为 {vm} 的虚拟机。'),
  vmNameAmbiguous: m(
    '{count} VMs are named {vm}: which one is meant is unknown. Give each a name of its own (Rename-VM), then try again.',
    '有 {count} 台虚拟机都名为 {vm}，无法确定指的是哪一台。请先为每台虚拟机改用不同的名称（Rename-VM），然后重试。',
  ),
  titleAssignSome: m('Assign a device', '分配设备'),
  titleAssignDevice: m('Assign {name}', '分配 {name}'),
  titleAssign: m('Assign {name} to {vm}', '将 {name} 直通给 {vm}'),
  alreadyHeldAssign: m(
    '{vm} already holds {name}. Adding it a second time would leave a VM that will not start ("Element not found"); nothing to do.',
    '{vm} 已经持有 {name}。重复添加会导致虚拟机无法启动（"Element not found"）；无需操作。',
  ),
  assignIsMove: m(
    '{name} is held by {from}: it is moved from that VM to {to}.',
    '{name} 当前由 {from} 持有：将从该虚拟机移到 {to}。',
  ),
  stepAdd: m('Assign {name} to {vm} (once)', '将 {name} 直通给 {vm}（只添加一次）'),
  titleReturnSome: m('Return a device to the host', '将设备还给宿主机'),
  titleReturn: m('Return {name} to the host', '将 {name} 还给宿主机'),
  onHost: m('{name} is already on the host.', '{name} 已经在宿主机上。'),
  stepRemove: m('Remove {name} from {vm}', '从 {vm} 移除 {name}'),
  titleMoveSome: m('Move a device', '移动设备'),
  titleMoveDevice: m('Move {name}', '移动 {name}'),
  titleMove: m('Move {name} from {from} to {to}', '将 {name} 从 {from} 移到 {to}'),
  alreadyHeldMove: m('{vm} already holds {name}; nothing to do.', '{vm} 已经持有 {name}；无需操作。'),
  titleRepairSome: m('Repair a VM', '修复虚拟机'),
  titleRepair: m('Repair the device entries of {vm}', '修复 {vm} 的直通设备条目'),
  nothingToRepair: m('{vm} has no stale or duplicate device entries.', '{vm} 没有失效或重复的设备条目。'),
  heldElsewhere: m(
    '{name} is also held by another VM; {vm} lets go of it.',
    '{name} 同时被另一台虚拟机持有；{vm} 将放弃它。',
  ),
  repair: m(
    'Every direct device entry of {vm} is removed (its entries piped to Remove-VMAssignableDevice: the only way out for stale entries), then each valid device is added back once.',
    '先移除 {vm} 的全部直接分配的设备条目（将条目通过管道传给 Remove-VMAssignableDevice，失效条目只能这样清除），再把每个有效设备重新添加一次。',
  ),
  poolEntryKept: m(
    '{count} entry of {vm} assigned through a resource pool ({pools}) stays as they are.',
    '{vm} 通过资源池（{pools}）分配的 {count} 个条目保持不变。',
  ),
  poolEntriesKept: m(
    '{count} entries of {vm} assigned through a resource pool ({pools}) stay as they are.',
    '{vm} 通过资源池（{pools}）分配的 {count} 个条目保持不变。',
  ),
  stepRemoveAll: m(
    'Remove every direct device entry of {vm} ({count} stale or duplicate)',
    '移除 {vm} 的全部直接分配的设备条目（其中 {count} 个失效或重复）',
  ),
  stepAddBack: m('Add {name} back to {vm}, once', '将 {name} 重新添加到 {vm}（只添加一次）'),
  titleReturnOrphans: m(
    'Return dismounted devices that no VM holds to the host',
    '将没有虚拟机持有的已卸除设备还给宿主机',
  ),
  titleStartSome: m('Start a VM', '启动虚拟机'),
  titleStart: m('Start {vm}', '启动 {vm}'),
  stepStartVmNow: m('Start VM {vm}', '启动虚拟机 {vm}'),
  startAlreadyRunning: m('{vm} is already running.', '{vm} 已经在运行。'),
  startSaved: m(
    '{vm} is saved: starting it resumes its saved state, which DDA Studio does not do. Resume it in Hyper-V Manager, or discard its saved state first.',
    '{vm} 处于已保存状态：启动它会恢复已保存的状态，DDA Studio 不执行此操作。请在 Hyper-V 管理器中恢复它，或先丢弃其已保存的状态。',
  ),
  startNotOff: m(
    '{vm} is {state}: only a VM that is off can be started here. Wait until it is off, then plan again.',
    '{vm} 当前状态为 {state}：这里只能启动已关机的虚拟机。请等它关机后重新规划。',
  ),
  noOrphans: m('There are no orphaned devices.', '没有孤立（已卸除但无虚拟机持有）的设备。'),
} as const satisfies Record<string, LocalizedText>;
