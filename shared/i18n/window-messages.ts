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
} as const satisfies Record<string, Record<Language, string>>;
