/** "Prepare this host": the SSH setup (see prepare-host.ts; every value through psLiteral). */
import { type SshTarget } from '../../shared/hosts';
import { type HostSetup } from '../../shared/prepare-host';
import { psLiteral } from '../../shared/ps-literal';
import {
  assign,
  checkAndClose,
  command,
  elevatedNote,
  native,
  ours,
  PUBLIC_KEY,
  PWSH_SSHD,
  sshKnownHostsValue,
  sshSession,
  t,
  vmHostCheck,
  type Arg,
  type ClientSituation,
} from './setup-commands';

/**
 * Inserts a Subsystem line into the host's sshd_config before the first Match block (a Subsystem inside
 * Match stops sshd). Read and written as UTF-8 without a BOM (as OpenSSH reads it), by .NET alike on 5.1
 * and 7: Get-Content on 5.1 reads a file without a BOM in the ANSI code page, and an ASCII write turns a
 * group such as Domänen-Admins or a user 张伟 into question marks.
 */
export function sshdSubsystemCommands(line: string): string[] {
  return [
    assign('cfg', ours("Join-Path $env:ProgramData 'ssh\\sshd_config'")),
    assign('line', psLiteral(line)),
    assign('lines', ours('[System.Collections.Generic.List[string]]@([IO.File]::ReadAllLines($cfg))')),
    "if ($lines -notcontains $line) { $at = $lines.FindIndex([Predicate[string]] { param($l) $l -match '^\\s*Match\\s' }); if ($at -lt 0) { $lines.Add($line) } else { $lines.Insert($at, $line) }; [IO.File]::WriteAllLines($cfg, $lines, (New-Object System.Text.UTF8Encoding $false)) }",
  ];
}

export function sshSetup(tg: SshTarget, s: ClientSituation): HostSetup {
  const subsystem = tg.subsystem ?? 'powershell';
  const port = tg.port ?? 22;
  const keyFile = tg.keyFilePath;
  // Anything but one OpenSSH key line is not used: the host command then asks for the key instead.
  const given = s.publicKey?.trim() || null;
  const publicKey = given !== null && PUBLIC_KEY.test(given) ? given : null;
  const hostCommands = [
    "if (-not (Get-Service -Name sshd -ErrorAction SilentlyContinue)) { Add-WindowsCapability -Online -Name 'OpenSSH.Server~~~~0.0.1.0' }",
    command('Set-Service', [
      ['Name', 'sshd'],
      ['StartupType', 'Automatic'],
    ]),
    command('Start-Service', [['Name', 'sshd']]),
    'winget install --id Microsoft.PowerShell --source winget --accept-package-agreements --accept-source-agreements',
    "(New-Object -ComObject Scripting.FileSystemObject).GetFolder((Join-Path $env:ProgramFiles 'PowerShell\\7')).ShortPath",
    ...sshdSubsystemCommands(`Subsystem ${subsystem} ${PWSH_SSHD} -sshs -NoLogo`),
    assign('keys', ours("Join-Path $env:ProgramData 'ssh\\administrators_authorized_keys'")),
    command('Add-Content', [
      ['Path', ours('$keys')],
      ['Value', publicKey ?? ours("(Read-Host -Prompt 'Paste the public key line of the client')")],
    ]),
    "icacls.exe $keys /inheritance:r /grant '*S-1-5-32-544:F' /grant '*S-1-5-18:F'",
    ...(port === 22
      ? []
      : [
          command('New-NetFirewallRule', [
            ['DisplayName', 'OpenSSH SSH Server (DDA Studio)'],
            ['Direction', 'Inbound'],
            ['Protocol', 'TCP'],
            ['LocalPort', port],
            ['Action', 'Allow'],
          ]),
        ]),
    command('Restart-Service', [['Name', 'sshd']]),
    "Get-ChildItem -Path (Join-Path $env:ProgramData 'ssh\\ssh_host_*_key.pub') | ForEach-Object { ssh-keygen -l -f $_.FullName }",
  ];
  const keyArg: Arg = keyFile ?? ours("(Join-Path $HOME '.ssh/id_ed25519')");
  const pubArg: Arg = keyFile ? `${keyFile}.pub` : ours("(Join-Path $HOME '.ssh/id_ed25519.pub')");
  // The key first: the host commands authorize it.
  const clientCommandsFirst = [
    native('ssh-keygen', [ours('-t'), ours('ed25519'), ours('-f'), keyArg]),
    command('Get-Content', [['Path', pubArg]]),
  ];
  const clientCommands = [
    native('ssh', [
      ...(tg.knownHostsFile ? [ours('-o'), `UserKnownHostsFile=${sshKnownHostsValue(tg.knownHostsFile)}`] : []),
      ...(keyFile ? [ours('-i'), keyFile] : []),
      ...(tg.port ? [ours('-p'), tg.port] : []),
      ...(tg.userName ? [ours('-l'), tg.userName] : []),
      tg.hostName,
      ours('exit'),
    ]),
    sshSession(tg, tg.subsystem),
    ...checkAndClose(vmHostCheck),
  ];
  const notes = [
    elevatedNote,
    t(
      "Windows Server 2025 ships the OpenSSH server (sshd), not yet running; 2019 and 2022 add it with Add-WindowsCapability; Windows Server 2016 has no OpenSSH capability (Microsoft's OpenSSH install page needs 2019 or later): install the Win32-OpenSSH release from github.com/PowerShell/Win32-OpenSSH there, or use WinRM. PowerShell 7 must be installed on the host (on Windows Server 2016, which has no winget, or Server Core without it, install the PowerShell-7 .msi from github.com/PowerShell/PowerShell/releases with msiexec /i ... /quiet), and PowerShell 7.3 or later on this machine.",
      'Windows Server 2025 自带 OpenSSH 服务器（sshd），只是尚未启动；2019 和 2022 用 Add-WindowsCapability 安装；Windows Server 2016 没有 OpenSSH 功能（微软的 OpenSSH 安装说明要求 2019 或更高版本）：请在其上安装 github.com/PowerShell/Win32-OpenSSH 的发行版，或改用 WinRM。主机上必须安装 PowerShell 7（没有 winget 的 Windows Server 2016 或 Server Core 可从 github.com/PowerShell/PowerShell/releases 下载 PowerShell-7 的 .msi，用 msiexec /i ... /quiet 安装），本机需要 PowerShell 7.3 或更高版本。',
    ),
    t(
      'The Subsystem line names pwsh.exe by its 8.3 path (c:/progra~1 is "C:\\Program Files"): sshd on Windows cannot start a subsystem from a path with spaces. The ShortPath command above must print C:\\PROGRA~1\\...; if 8.3 names are turned off ' +
        'on that volume, make a link without spaces (New-Item -ItemType SymbolicLink -Path C:\\pwsh -Target "$env:ProgramFiles\\PowerShell\\7") and use c:/pwsh/pwsh.exe. The line goes before the first Match block: sshd refuses a Subsystem inside one.',
      'Subsystem 行使用 pwsh.exe 的 8.3 短路径（c:/progra~1 即 "C:\\Program Files"）：Windows 上的 sshd 无法从含空格的路径启动子系统。上面的 ShortPath 命令应输出 C:\\PROGRA~1\\...；若该卷关闭了 8.3 短文件名，请建一个不含空格的链接（New-Item -ItemType SymbolicLink -Path C:\\pwsh -Target "$env:ProgramFiles\\PowerShell\\7"），改用 c:/pwsh/pwsh.exe。该行必须放在第一个 Match 块之前：sshd 不接受 Match 块内的 Subsystem。',
    ),
    t(
      "Keys of administrators go into C:\\ProgramData\\ssh\\administrators_authorized_keys (not the user's own authorized_keys), readable only by Administrators and SYSTEM: the icacls command sets that. Run ssh-keygen only if this machine has no key yet; a key with a passphrase needs ssh-agent, because the app never prompts (BatchMode).",
      '管理员的公钥放在 C:\\ProgramData\\ssh\\administrators_authorized_keys（而不是用户自己的 authorized_keys），且只允许 Administrators 和 SYSTEM 访问：icacls 命令负责设置。本机还没有密钥时才需运行 ssh-keygen；带口令的密钥需要 ssh-agent，因为应用从不弹出提示（BatchMode）。',
    ),
    t(
      'The app checks the host key strictly (StrictHostKeyChecking=yes). The first ssh ... exit asks once: accept only if the fingerprint equals one printed by the last host command.',
      '应用会严格检查主机密钥（StrictHostKeyChecking=yes）。第一次运行 ssh ... exit 时会询问一次：只有当指纹与最后一条主机命令输出的某个指纹一致时才接受。',
    ),
  ];
  if (given !== null && publicKey === null) {
    notes.push(
      t(
        'The public key file of this machine does not hold one OpenSSH key line: paste the key when the host asks for it.',
        '本机的公钥文件不是一行 OpenSSH 公钥：请在主机提示时粘贴公钥。',
      ),
    );
  }
  if (port !== 22) {
    notes.push(
      t(
        'This host uses port ' + String(port) + ': set "Port ' + String(port) + '" in sshd_config as well.',
        '此主机使用端口 ' + String(port) + '：还需在 sshd_config 中设置 "Port ' + String(port) + '"。',
      ),
    );
  }
  return {
    kind: 'ssh',
    title: t('SSH: PowerShell 7 over OpenSSH', 'SSH：通过 OpenSSH 使用 PowerShell 7'),
    clientCommandsFirst,
    hostCommands,
    clientCommands,
    notes,
  };
}
