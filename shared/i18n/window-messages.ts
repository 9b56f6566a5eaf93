/**
 * The main window's texts (issue 17 #5-#7): a lost host, density and search, the Activity panel, and
 * the words that were English in zh-CN (VM states, stop actions, generations). Joined into `messages`.
 */
import type { Language } from '../contract';

export const windowMessages = {
  // Losing the host (#5)
  conn_lost: { en: 'disconnected', 'zh-CN': '已断开' },
  lostServer: { en: "Lost the connection to DDA Studio's server.", 'zh-CN': '与 DDA Studio 服务器的连接已断开。' },
  lostHost: { en: 'Lost the connection to {name}.', 'zh-CN': '与 {name} 的连接已断开。' },
  lostShowing: {
    en: 'Showing what was read at {time}; nothing can be changed until it is back.',
    'zh-CN': '显示的是 {time} 读取的信息；连接恢复前不能进行任何更改。',
  },
  lostCheckServer: {
    en: 'Check that dda serve (or npm run serve) still runs on the Hyper-V host and that the SSH tunnel to its port is still open.',
    'zh-CN': '请检查 Hyper-V 主机上的 dda serve（或 npm run serve）是否仍在运行，以及到其端口的 SSH 隧道是否仍然打开。',
  },
  lostCheckRemote: {
    en: 'Check that {name} is on and reachable over the network, and that its SSH or WinRM service runs.',
    'zh-CN': '请检查 {name} 是否已开机、网络是否可达，以及它的 SSH 或 WinRM 服务是否在运行。',
  },
  lostCheckLocal: {
    en: 'PowerShell on this computer stopped: check that pwsh is installed and not blocked.',
    'zh-CN': '本机的 PowerShell 已停止：请检查 pwsh 是否已安装且未被阻止。',
  },
  reconnectingIn: { en: 'Reconnecting in {seconds} s…', 'zh-CN': '{seconds} 秒后重新连接…' },
  reconnecting: { en: 'Reconnecting…', 'zh-CN': '正在重新连接…' },
  reconnectNow: { en: 'Reconnect now', 'zh-CN': '立即重新连接' },
  lastReadAt: { en: 'last read at {time}', 'zh-CN': '最后读取于 {time}' },
  // Density and finding things (#6)
  searchHint: {
    en: 'Search: name, VM, ID, GPU, NIC, NVMe, USB…',
    'zh-CN': '搜索：名称、虚拟机、ID、显卡、网卡、NVMe、USB…',
  },
  filter: { en: 'Filter', 'zh-CN': '筛选' },
  showBridges: { en: 'Root ports and bridges', 'zh-CN': '根端口和桥' },
  noDeviceMatches: { en: 'No device matches “{search}”.', 'zh-CN': '没有与“{search}”匹配的设备。' },
  noDevicesInFilter: { en: 'No device here.', 'zh-CN': '这里没有设备。' },
  clearSearch: { en: 'Show all', 'zh-CN': '显示全部' },
  hostReadiness: { en: 'Host readiness', 'zh-CN': '主机就绪情况' },
  readyAll: { en: 'ready for DDA', 'zh-CN': '可以直通' },
  readyMissing: { en: '{n} of {total} ready', 'zh-CN': '{total} 项中 {n} 项就绪' },
  // 中文 everywhere and the Activity panel (#7)
  vmState_Running: { en: 'Running', 'zh-CN': '正在运行' },
  vmState_Off: { en: 'Off', 'zh-CN': '已关机' },
  vmState_Saved: { en: 'Saved', 'zh-CN': '已保存' },
  vmState_Paused: { en: 'Paused', 'zh-CN': '已暂停' },
  vmState_Starting: { en: 'Starting', 'zh-CN': '正在启动' },
  vmState_Stopping: { en: 'Stopping', 'zh-CN': '正在停止' },
  vmState_Saving: { en: 'Saving', 'zh-CN': '正在保存' },
  stopAction_Save: { en: 'Save', 'zh-CN': '保存' },
  stopAction_TurnOff: { en: 'Turn off', 'zh-CN': '关闭电源' },
  stopAction_ShutDown: { en: 'Shut down', 'zh-CN': '关机' },
  generationN: { en: 'Gen {n}', 'zh-CN': '第 {n} 代' },
  vmCardLabel: { en: 'VM {name}', 'zh-CN': '虚拟机 {name}' },
  dragOntoVm: { en: '{name}: drag onto a VM', 'zh-CN': '{name}：拖到虚拟机上' },
  activityOperationsOnly: { en: 'Operations only', 'zh-CN': '仅显示操作' },
  activityOperation: { en: 'Operation', 'zh-CN': '操作' },
  activityInventory: {
    en: 'Inventory of {name}: {devices} devices, {vms} VMs',
    'zh-CN': '{name} 的清单：{devices} 个设备，{vms} 台虚拟机',
  },
  activityRecovered: { en: 'Recovered {id}: {status}', 'zh-CN': '已恢复 {id}：{status}' },
  activityHostAdded: { en: 'Host added: {name} ({target})', 'zh-CN': '已添加主机：{name}（{target}）' },
  activityHostChanged: { en: 'Host changed: {name} ({target})', 'zh-CN': '已修改主机：{name}（{target}）' },
  activityHostRemoved: { en: 'Host removed: {name}', 'zh-CN': '已移除主机：{name}' },
  activityTest: { en: 'Test: {name}, PowerShell {ps}, {ms} ms', 'zh-CN': '测试：{name}，PowerShell {ps}，{ms} 毫秒' },
  opStatus_succeeded: { en: 'succeeded', 'zh-CN': '成功' },
  'opStatus_rolled-back': { en: 'rolled back', 'zh-CN': '已回滚' },
  'opStatus_rollback-failed': { en: 'rollback failed', 'zh-CN': '回滚失败' },
  activityKind_error: { en: 'Failed', 'zh-CN': '失败' },
  activityKind_ok: { en: 'Done', 'zh-CN': '完成' },
  ms: { en: 'ms', 'zh-CN': '毫秒' },
} as const satisfies Record<string, Record<Language, string>>;
