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
  lostShowing: { en: 'Showing what was read at {time}; nothing can be changed until it is back.', 'zh-CN': '显示的是 {time} 读取的信息；连接恢复前不能进行任何更改。' },
  lostCheckServer: {
    en: 'Check that dda serve (or npm run serve) still runs on the Hyper-V host and that the SSH tunnel to its port is still open.',
    'zh-CN': '请检查 Hyper-V 主机上的 dda serve（或 npm run serve）是否仍在运行，以及到其端口的 SSH 隧道是否仍然打开。',
  },
  lostCheckRemote: { en: 'Check that {name} is on and reachable over the network, and that its SSH or WinRM service runs.', 'zh-CN': '请检查 {name} 是否已开机、网络是否可达，以及它的 SSH 或 WinRM 服务是否在运行。' },
  lostCheckLocal: { en: 'PowerShell on this computer stopped: check that pwsh is installed and not blocked.', 'zh-CN': '本机的 PowerShell 已停止：请检查 pwsh 是否已安装且未被阻止。' },
  reconnectingIn: { en: 'Reconnecting in {seconds} s…', 'zh-CN': '{seconds} 秒后重新连接…' },
  reconnecting: { en: 'Reconnecting…', 'zh-CN': '正在重新连接…' },
  reconnectNow: { en: 'Reconnect now', 'zh-CN': '立即重新连接' },
  lastReadAt: { en: 'last read at {time}', 'zh-CN': '最后读取于 {time}' },
  // Density and finding things (#6)
  searchHint: { en: 'Search: name, VM, ID, GPU, NIC, NVMe, USB…', 'zh-CN': '搜索：名称、虚拟机、ID、显卡、网卡、NVMe、USB…' },
  filter: { en: 'Filter', 'zh-CN': '筛选' },
  showBridges: { en: 'Root ports and bridges', 'zh-CN': '根端口和桥' },
  noDeviceMatches: { en: 'No device matches “{search}”.', 'zh-CN': '没有与“{search}”匹配的设备。' },
  noDevicesInFilter: { en: 'No device here.', 'zh-CN': '这里没有设备。' },
  clearSearch: { en: 'Show all', 'zh-CN': '显示全部' },
  hostReadiness: { en: 'Host readiness', 'zh-CN': '主机就绪情况' },
  readyAll: { en: 'ready for DDA', 'zh-CN': '可以直通' },
  readyMissing: { en: '{n} of {total} ready', 'zh-CN': '{total} 项中 {n} 项就绪' },
} as const satisfies Record<string, Record<Language, string>>;
