/** "Prepare this host": the JEA endpoint setup (see prepare-host.ts; every value through psLiteral). */
import { JEA_CONFIGURATION_NAME, JEA_SSH_SUBSYSTEM, type RemoteTarget } from '../../shared/hosts';
import {
  JEA_MODULE_NAME,
  JEA_POLICY_FILE,
  JEA_REGISTER_SCRIPT,
  JEA_SSH_CONFIGURATION_FILE,
  type HostSetup,
} from '../../shared/prepare-host';
import { psLiteral } from '../../shared/ps-literal';
import {
  assign,
  checkAndClose,
  command,
  credentialCommand,
  elevatedNote,
  HOST_MODULE_DIR,
  HOST_MODULE_DIR_SSHD,
  jeaCheck,
  notWindowsNote,
  ours,
  PWSH_SSHD,
  sshSession,
  SWITCH,
  t,
  winrmSession,
  type ClientSituation,
} from './setup-commands';
import { sshdSubsystemCommands } from './prepare-host-ssh';

export function jeaSetup(tg: RemoteTarget, s: ClientSituation): HostSetup {
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
  // The old module is moved aside (not deleted) until the new one is in place: an administrator's allow
  // list in it is copied back unless the new module brings one (an upgrade must not widen the role to
  // every VM and class), and a copy that fails leaves the old folder there.
  const policy = `${HOST_MODULE_DIR}\\${JEA_POLICY_FILE}`;
  const removeOld = `Invoke-Command -Session $s -ErrorAction Stop -ScriptBlock { $ddaAside = $null; if (${command('Test-Path', [['LiteralPath', HOST_MODULE_DIR]])}) { $ddaAside = ${psLiteral(`${HOST_MODULE_DIR}.old-`)} + (Get-Date -Format 'yyyyMMddHHmmss'); ${command(
    'Rename-Item',
    [
      ['LiteralPath', HOST_MODULE_DIR],
      ['NewName', ours('(Split-Path -Leaf $ddaAside)')],
      ['ErrorAction', 'Stop'],
    ],
  )} } }`;
  const keepPolicy = `Invoke-Command -Session $s -ErrorAction Stop -ScriptBlock { if ($null -ne $ddaAside) { $kept = Join-Path $ddaAside ${psLiteral(JEA_POLICY_FILE)}; if ((Test-Path -LiteralPath $kept) -and -not (${command('Test-Path', [['LiteralPath', policy]])})) { Copy-Item -LiteralPath $kept -Destination ${psLiteral(policy)}; 'Kept the allow list ${JEA_POLICY_FILE}.' }; Remove-Item -LiteralPath $ddaAside -Recurse -Force } }`;
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
      // The module first (over the full endpoint): the host commands register it.
      clientCommandsFirst: [
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
        keepPolicy,
        'Remove-PSSession -Session $s',
      ],
      clientCommands: [
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
    clientCommandsFirst: [sshSession(tg, 'powershell'), removeOld, copy, keepPolicy, 'Remove-PSSession -Session $s'],
    clientCommands: [sshSession(tg, subsystem), ...checkAndClose(jeaCheck)],
    notes,
  };
}
