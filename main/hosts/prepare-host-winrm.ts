/** "Prepare this host": the WinRM setups: domain, workgroup over HTTPS, workgroup with TrustedHosts (see prepare-host.ts; every value through psLiteral). */
import { type WinRmTarget } from '../../shared/hosts';
import type { LocalizedText } from '../../shared/plan';
import { type HostSetup } from '../../shared/prepare-host';
import {
  assign,
  checkAndClose,
  command,
  credentialCommand,
  elevatedNote,
  enableRemoting,
  hashtable,
  isIpAddress,
  notWindowsNote,
  ours,
  SWITCH,
  t,
  tokenFilterCommands,
  tokenFilterNote,
  vmHostCheck,
  winrmSession,
  type ClientSituation,
} from './setup-commands';

export function domainSetup(tg: WinRmTarget, s: ClientSituation): HostSetup {
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
export function settingsNote(tg: WinRmTarget, ssl: boolean): LocalizedText[] {
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

export function httpsSetup(tg: WinRmTarget, s: ClientSituation): HostSetup {
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
    ...tokenFilterCommands(tg),
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

export function trustedHostsSetup(tg: WinRmTarget, s: ClientSituation): HostSetup {
  return {
    kind: 'workgroup-trustedhosts',
    title: t('Workgroup: WinRM with TrustedHosts', '工作组：WinRM + TrustedHosts'),
    hostCommands: [enableRemoting(true), ...tokenFilterCommands(tg)],
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
