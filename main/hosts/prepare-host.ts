/**
 * "Prepare this host": the exact PowerShell an admin runs on a remote Hyper-V host and on this machine
 * so that DDA Studio can reach it, for each setup (domain, workgroup over HTTPS, workgroup with
 * TrustedHosts, SSH, JEA). Pure: the UI shows and copies the result, the CLI prints it.
 *
 * SECURITY: every value that comes from the target or the client's situation (computer name, user,
 * port, paths, a public key) becomes PowerShell text only through psLiteral (shared/ps-literal.ts).
 * Everything else in these commands is our own constant text. Do not build a command with a template
 * string that contains a value.
 */
import {
  JEA_CONFIGURATION_NAME,
  JEA_SSH_SUBSYSTEM,
  type RemoteTarget,
  type RemoteTargetInput,
  type SshTarget,
  type WinRmTarget,
} from '../../shared/hosts';
import type { LocalizedText } from '../../shared/plan';
import {
  JEA_MODULE_NAME,
  JEA_REGISTER_SCRIPT,
  JEA_SSH_CONFIGURATION_FILE,
  type HostSetup,
  type HostSetupKind,
} from '../../shared/prepare-host';
import { psLiteral } from '../../shared/ps-literal';
import {
  assign,
  checkAndClose,
  command,
  credentialCommand,
  elevatedNote,
  enableRemoting,
  hashtable,
  HOST_MODULE_DIR,
  HOST_MODULE_DIR_SSHD,
  isIpAddress,
  jeaCheck,
  native,
  needsTokenFilterPolicy,
  notWindowsNote,
  ours,
  parseTarget,
  PUBLIC_KEY,
  PWSH_SSHD,
  sshSession,
  SWITCH,
  t,
  tokenFilterCommand,
  tokenFilterNote,
  vmHostCheck,
  winrmSession,
  type Arg,
  type ClientSituation,
} from './setup-commands';

export type { ClientSituation } from './setup-commands';

/** The setups that fit a target's transport. */
export function setupKindsFor(target: Pick<RemoteTarget, 'transport'>): HostSetupKind[] {
  return target.transport === 'ssh' ? ['ssh', 'jea'] : ['domain', 'workgroup-https', 'workgroup-trustedhosts', 'jea'];
}

/** The setup(s) the target's own settings point at: the transport's, then JEA when it uses that endpoint. */
export function recommendedSetupKinds(input: RemoteTargetInput): HostSetupKind[] {
  const target = parseTarget(input);
  let base: HostSetupKind;
  if (target.transport === 'ssh') base = 'ssh';
  else if (target.useSsl) base = 'workgroup-https';
  else if (target.userName && target.authentication !== 'Kerberos') base = 'workgroup-trustedhosts';
  else base = 'domain';
  return target.endpoint === 'jea' ? [base, 'jea'] : [base];
}
// ---- the setups ----

function domainSetup(tg: WinRmTarget, s: ClientSituation): HostSetup {
  const notes = [
    elevatedNote,
    t(
      "Kerberos authenticates both sides: no TrustedHosts, no certificate. Connect by the host's DNS or NetBIOS name; an IP address falls back to NTLM, which needs the HTTPS or TrustedHosts setup.",
      'Kerberos 会同时验证双方身份：无需 TrustedHosts，也无需证书。请用主机的 DNS 或 NetBIOS 名称连接；用 IP 地址会退回 NTLM，那就需要 HTTPS 或 TrustedHosts 方式。',
    ),
    t(
      'Windows Server enables PowerShell remoting by default; Enable-PSRemoting is harmless when it already is. DDA operations run on the host itself, so no second hop (CredSSP) is needed.',
      'Windows Server 默认已启用 PowerShell 远程管理；已启用时再运行 Enable-PSRemoting 没有副作用。DDA 操作都在主机本地执行，不需要第二跳（CredSSP）。',
    ),
  ];
  if (isIpAddress(tg.computerName)) {
    notes.push(
      t(
        'This host is named by an IP address: Kerberos will not be used. Use its name, or the workgroup setups.',
        '该主机以 IP 地址表示：不会使用 Kerberos。请改用主机名，或使用工作组方式。',
      ),
    );
  }
  return {
    kind: 'domain',
    title: t('Domain: WinRM with Kerberos', '域环境：WinRM + Kerberos'),
    hostCommands: [enableRemoting(false)],
    clientCommands: [
      command('Test-WSMan', [
        ['ComputerName', tg.computerName],
        ['Port', tg.port],
      ]),
      ...(tg.userName ? [credentialCommand(tg)] : []),
      winrmSession(tg, {
        ssl: tg.useSsl,
        credential: !!tg.userName,
        sessionOption: false,
        configurationName: tg.configurationName,
      }),
      ...checkAndClose(vmHostCheck),
    ],
    notes: [...notes, ...notWindowsNote(s)],
  };
}

/** When the admin picks a setup that is not what the host's settings say, the settings must follow. */
function settingsNote(tg: WinRmTarget, ssl: boolean): LocalizedText[] {
  if (tg.useSsl === ssl) return [];
  return ssl
    ? [
        t(
          'This host is set to connect over HTTP: after this setup, turn on HTTPS in its settings (dda hosts add ' +
            tg.id +
            ' ... --ssl).',
          '此主机当前设置为通过 HTTP 连接：完成此设置后，请在主机设置中启用 HTTPS（dda hosts add ' +
            tg.id +
            ' ... --ssl）。',
        ),
      ]
    : [
        t(
          'This host is set to connect over HTTPS: after this setup, turn HTTPS off in its settings.',
          '此主机当前设置为通过 HTTPS 连接：完成此设置后，请在主机设置中关闭 HTTPS。',
        ),
      ];
}

function httpsSetup(tg: WinRmTarget, s: ClientSituation): HostSetup {
  const port = (tg.useSsl ? tg.port : undefined) ?? 5986;
  const hostCommands = [
    enableRemoting(true),
    assign(
      'cert',
      command('New-SelfSignedCertificate', [
        ['DnsName', tg.computerName],
        ['CertStoreLocation', 'Cert:\\LocalMachine\\My'],
      ]),
    ),
    command('New-WSManInstance', [
      ['ResourceURI', 'winrm/config/Listener'],
      [
        'SelectorSet',
        hashtable([
          ['Transport', 'HTTPS'],
          ['Address', '*'],
        ]),
      ],
      [
        'ValueSet',
        hashtable([
          ['Hostname', tg.computerName],
          ['CertificateThumbprint', ours('$cert.Thumbprint')],
          ['Port', port === 5986 ? undefined : port],
        ]),
      ],
    ]),
    command('New-NetFirewallRule', [
      ['DisplayName', 'Windows Remote Management (HTTPS-In)'],
      ['Direction', 'Inbound'],
      ['Protocol', 'TCP'],
      ['LocalPort', port],
      ['Action', 'Allow'],
    ]),
    ...(needsTokenFilterPolicy(tg) ? [tokenFilterCommand] : []),
    ...(tg.skipCertificateChecks
      ? []
      : [
          command('Export-Certificate', [
            ['Cert', ours('$cert')],
            ['FilePath', 'C:\\dda-winrm.cer'],
          ]),
        ]),
  ];
  const clientCommands = [
    ...(tg.skipCertificateChecks
      ? [
          assign(
            'so',
            command('New-PSSessionOption', [
              ['SkipCACheck', SWITCH],
              ['SkipCNCheck', SWITCH],
            ]),
          ),
        ]
      : [
          command('Import-Certificate', [
            ['FilePath', 'C:\\dda-winrm.cer'],
            ['CertStoreLocation', 'Cert:\\LocalMachine\\Root'],
          ]),
        ]),
    credentialCommand(tg),
    winrmSession(tg, {
      ssl: true,
      credential: true,
      sessionOption: tg.skipCertificateChecks,
      configurationName: tg.configurationName,
    }),
    ...checkAndClose(vmHostCheck),
  ];
  const notes = [
    elevatedNote,
    t(
      'NTLM (workgroup or IP address) is allowed over an HTTPS listener; the self-signed certificate is made for the name this machine connects to, and the listener and firewall rule open TCP ' +
        String(port) +
        '.',
      '通过 HTTPS 侦听器可以使用 NTLM（工作组或 IP 地址）；自签名证书针对本机连接时使用的名称生成，侦听器和防火墙规则开放 TCP ' +
        String(port) +
        ' 端口。',
    ),
    tg.skipCertificateChecks
      ? t(
          'This host skips the certificate checks (SkipCACheck, SkipCNCheck): the connection is encrypted but the host is not authenticated. Keep that to a lab.',
          '此主机跳过证书检查（SkipCACheck、SkipCNCheck）：连接虽加密，但主机身份未经验证。仅限实验环境使用。',
        )
      : t(
          'Copy C:\\dda-winrm.cer from the host to this machine (same path) before Import-Certificate: this machine then trusts that certificate, and the host is authenticated (elevated PowerShell on this machine).',
          '在运行 Import-Certificate 之前，把主机上的 C:\\dda-winrm.cer 复制到本机同一路径：本机从此信任该证书，主机身份得到验证（需在本机以管理员身份运行）。',
        ),
    tokenFilterNote(tg),
    ...settingsNote(tg, true),
    t(
      'Enable-PSRemoting -SkipNetworkProfileCheck also works on a Public network, where Windows Server still admits only the local subnet over HTTP.',
      'Enable-PSRemoting -SkipNetworkProfileCheck 在“公用”网络下也能完成；此时 Windows Server 的 HTTP 侦听仍只允许本地子网访问。',
    ),
    ...notWindowsNote(s),
  ];
  return {
    kind: 'workgroup-https',
    title: t('Workgroup: WinRM over HTTPS', '工作组：WinRM over HTTPS'),
    hostCommands,
    clientCommands,
    notes,
  };
}

function trustedHostsSetup(tg: WinRmTarget, s: ClientSituation): HostSetup {
  return {
    kind: 'workgroup-trustedhosts',
    title: t('Workgroup: WinRM with TrustedHosts', '工作组：WinRM + TrustedHosts'),
    hostCommands: [enableRemoting(true), ...(needsTokenFilterPolicy(tg) ? [tokenFilterCommand] : [])],
    clientCommands: [
      command('Start-Service', [['Name', 'WinRM']]),
      command('Set-Item', [
        ['Path', 'WSMan:\\localhost\\Client\\TrustedHosts'],
        ['Value', tg.computerName],
        ['Concatenate', SWITCH],
        ['Force', SWITCH],
      ]),
      command('Get-Item', [['Path', 'WSMan:\\localhost\\Client\\TrustedHosts']]),
      credentialCommand(tg),
      winrmSession(tg, { ssl: false, credential: true, sessionOption: false, configurationName: tg.configurationName }),
      ...checkAndClose(vmHostCheck),
    ],
    notes: [
      elevatedNote,
      t(
        'TrustedHosts lets this machine use NTLM with that name without authenticating the host: you vouch for it. Traffic is still encrypted after authentication. Prefer the HTTPS setup where you can.',
        'TrustedHosts 允许本机对该名称使用 NTLM，但不验证主机身份：由你来担保它。认证之后的流量仍是加密的。条件允许时请优先使用 HTTPS 方式。',
      ),
      t(
        'Changing TrustedHosts needs an elevated PowerShell on this machine and the WinRM service running here; -Concatenate keeps the hosts already listed. Every connection passes -Credential (the account must have a password).',
        '修改 TrustedHosts 需要在本机以管理员身份运行 PowerShell，且本机 WinRM 服务在运行；-Concatenate 会保留已列出的主机。每次连接都要传 -Credential（账户必须设置了密码）。',
      ),
      tokenFilterNote(tg),
      ...settingsNote(tg, false),
      ...notWindowsNote(s),
    ],
  };
}

/** Inserts a Subsystem line into the host's sshd_config before the first Match block (a Subsystem inside Match stops sshd). */
function sshdSubsystemCommands(line: string): string[] {
  return [
    assign('cfg', ours("Join-Path $env:ProgramData 'ssh\\sshd_config'")),
    assign('line', psLiteral(line)),
    assign('lines', ours('[System.Collections.Generic.List[string]]@(Get-Content -Path $cfg)')),
    "if ($lines -notcontains $line) { $at = $lines.FindIndex([Predicate[string]] { param($l) $l -match '^\\s*Match\\s' }); if ($at -lt 0) { $lines.Add($line) } else { $lines.Insert($at, $line) }; Set-Content -Path $cfg -Value $lines -Encoding ascii }",
  ];
}

function sshSetup(tg: SshTarget, s: ClientSituation): HostSetup {
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
  const clientCommands = [
    native('ssh-keygen', [ours('-t'), ours('ed25519'), ours('-f'), keyArg]),
    command('Get-Content', [['Path', pubArg]]),
    native('ssh', [
      ...(tg.knownHostsFile ? [ours('-o'), `UserKnownHostsFile=${tg.knownHostsFile}`] : []),
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
      'Windows Server 2025 ships the OpenSSH server (sshd), not yet running; earlier versions add it with Add-WindowsCapability. PowerShell 7 must be installed on the host (on Server Core without winget, install the PowerShell-7 .msi from github.com/PowerShell/PowerShell/releases with msiexec /i ... /quiet), and PowerShell 7.3 or later on this machine.',
      'Windows Server 2025 自带 OpenSSH 服务器（sshd），只是尚未启动；更早的版本用 Add-WindowsCapability 安装。主机上必须安装 PowerShell 7（没有 winget 的 Server Core 可从 github.com/PowerShell/PowerShell/releases 下载 PowerShell-7 的 .msi，用 msiexec /i ... /quiet 安装），本机需要 PowerShell 7.3 或更高版本。',
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
    hostCommands,
    clientCommands,
    notes,
  };
}

function jeaSetup(tg: RemoteTarget, s: ClientSituation): HostSetup {
  const source = s.jeaModuleSource || null;
  const copy = command('Copy-Item', [
    ['ToSession', ours('$s')],
    ['Path', source ?? ours("'.\\DDAStudio.Host'")],
    ['Destination', HOST_MODULE_DIR],
    ['Recurse', SWITCH],
    ['Force', SWITCH],
  ]);
  // Copy-Item into an existing folder would nest the new module inside the old one, and -Force alone
  // would leave an old version's scripts behind (each of them an operation): the old folder goes first,
  // and a removal that fails stops there (a file in use) instead of nesting silently.
  const removeOld = `Invoke-Command -Session $s -ErrorAction Stop -ScriptBlock { if (${command('Test-Path', [['LiteralPath', HOST_MODULE_DIR]])}) { ${command(
    'Remove-Item',
    [
      ['LiteralPath', HOST_MODULE_DIR],
      ['Recurse', SWITCH],
      ['Force', SWITCH],
      ['ErrorAction', 'Stop'],
    ],
  )} } }`;
  const registerScript = `${HOST_MODULE_DIR}\\${JEA_REGISTER_SCRIPT}`;
  const notes = [
    elevatedNote,
    t(
      'First make the ordinary setup of this host work (' +
        (tg.transport === 'ssh' ? 'SSH' : 'domain, HTTPS or TrustedHosts') +
        '): the module is copied once over the full endpoint, as an administrator.',
      '请先让此主机的常规方式（' +
        (tg.transport === 'ssh' ? 'SSH' : '域、HTTPS 或 TrustedHosts') +
        '）可用：模块需以管理员身份通过完整端点复制一次。',
    ),
    t(
      'The endpoint exposes only the DDAStudio.Host functions in a NoLanguage session: Get-Command in the check lists nothing else.',
      '该端点在 NoLanguage 会话中只公开 DDAStudio.Host 的函数：检查命令中的 Get-Command 不会列出其他命令。',
    ),
  ];
  if (!source) {
    notes.push(
      t(
        'Write the module with "dda hosts jea-module <folder>" and run Copy-Item from that folder, or give its full path.',
        '请先用 "dda hosts jea-module <文件夹>" 生成模块，再在该文件夹中运行 Copy-Item，或写出它的完整路径。',
      ),
    );
  }
  if (tg.transport === 'winrm') {
    const configurationName = tg.configurationName ?? JEA_CONFIGURATION_NAME;
    notes.push(
      t(
        'Register-DDAStudioEndpoint.ps1 runs Register-PSSessionConfiguration -Name DDAStudio -Path <its .pssc>, which restarts WinRM: open sessions to the host drop once. Sessions run as a temporary virtual administrator account; who may connect is set by the role definitions of the .pssc.',
        'Register-DDAStudioEndpoint.ps1 会执行 Register-PSSessionConfiguration -Name DDAStudio -Path <其 .pssc>，这会重启 WinRM：到该主机的现有会话会断开一次。会话以临时虚拟管理员账户运行；谁可以连接由 .pssc 中的角色定义决定。',
      ),
    );
    const ssl = tg.useSsl;
    const cred = !!tg.userName;
    return {
      kind: 'jea',
      title: t('Least privilege: the DDAStudio JEA endpoint (WinRM)', '最小权限：DDAStudio JEA 端点（WinRM）'),
      hostCommands: [
        command('Test-Path', [['Path', `${HOST_MODULE_DIR}\\${JEA_MODULE_NAME}.psd1`]]),
        `& ${psLiteral(registerScript)}`,
        command('Get-PSSessionConfiguration', [['Name', JEA_CONFIGURATION_NAME]]),
      ],
      clientCommands: [
        ...(cred ? [credentialCommand(tg)] : []),
        ...(tg.skipCertificateChecks && ssl
          ? [
              assign(
                'so',
                command('New-PSSessionOption', [
                  ['SkipCACheck', SWITCH],
                  ['SkipCNCheck', SWITCH],
                ]),
              ),
            ]
          : []),
        winrmSession(tg, {
          ssl,
          credential: cred,
          sessionOption: tg.skipCertificateChecks && ssl,
          configurationName: undefined,
        }),
        removeOld,
        copy,
        'Remove-PSSession -Session $s',
        winrmSession(tg, { ssl, credential: cred, sessionOption: tg.skipCertificateChecks && ssl, configurationName }),
        ...checkAndClose(jeaCheck),
      ],
      notes: [...notes, ...notWindowsNote(s)],
    };
  }
  const subsystem = tg.subsystem && tg.subsystem !== 'powershell' ? tg.subsystem : JEA_SSH_SUBSYSTEM;
  notes.push(
    t(
      'Over SSH there is no RunAs account or role mapping: the session runs as the connecting administrator, and the configuration file only narrows what can be called. It is a guard rail, not a security boundary; for that use WinRM JEA.',
      '通过 SSH 时没有 RunAs 账户和角色映射：会话以连接的管理员身份运行，配置文件只限制可调用的命令。它是护栏，而不是安全边界；需要安全边界请使用 WinRM JEA。',
    ),
  );
  return {
    kind: 'jea',
    title: t('Least privilege: the DDAStudio JEA-shaped SSH subsystem', '最小权限：DDAStudio 的 JEA 式 SSH 子系统'),
    hostCommands: [
      command('Test-Path', [['Path', `${HOST_MODULE_DIR}\\${JEA_SSH_CONFIGURATION_FILE}`]]),
      ...sshdSubsystemCommands(
        `Subsystem ${subsystem} ${PWSH_SSHD} -sshs -NoLogo -ConfigurationFile ${HOST_MODULE_DIR_SSHD}/${JEA_SSH_CONFIGURATION_FILE}`,
      ),
      command('Restart-Service', [['Name', 'sshd']]),
    ],
    clientCommands: [
      sshSession(tg, 'powershell'),
      removeOld,
      copy,
      'Remove-PSSession -Session $s',
      sshSession(tg, subsystem),
      ...checkAndClose(jeaCheck),
    ],
    notes,
  };
}

/**
 * The setups for a host: every kind that fits its transport (or only those asked for). Throws on an
 * invalid target, a kind that does not fit it, or a public key that is not one OpenSSH key line.
 */
export function prepareHost(
  input: RemoteTargetInput,
  situation: ClientSituation = {},
  kinds?: readonly HostSetupKind[],
): HostSetup[] {
  const target = parseTarget(input);
  const fits = setupKindsFor(target);
  const wanted = kinds ?? fits;
  const misfit = wanted.find((k) => !fits.includes(k));
  if (misfit)
    throw new Error(
      `The ${misfit} setup does not apply to a ${target.transport} host; choose one of: ${fits.join(', ')}.`,
    );
  return wanted.map((kind): HostSetup => {
    switch (kind) {
      case 'domain':
        return domainSetup(target as WinRmTarget, situation);
      case 'workgroup-https':
        return httpsSetup(target as WinRmTarget, situation);
      case 'workgroup-trustedhosts':
        return trustedHostsSetup(target as WinRmTarget, situation);
      case 'ssh':
        return sshSetup(target as SshTarget, situation);
      case 'jea':
        return jeaSetup(target, situation);
    }
  });
}
