/**
 * The pieces "Prepare this host" builds its setups from: the one command builder (values through
 * psLiteral, our own expressions marked as such), facts about the target, the session commands and notes
 * several setups share.
 *
 * SECURITY: every value that comes from the target or the client's situation (computer name, user,
 * port, paths, a public key) becomes PowerShell text only through psLiteral (shared/ps-literal.ts).
 * Everything else in these commands is our own constant text. Do not build a command with a template
 * string that contains a value.
 */
import {
  remoteTargetSchema,
  type RemoteTarget,
  type RemoteTargetInput,
  type SshTarget,
  type WinRmTarget,
} from '../../shared/hosts';
import type { LocalizedText } from '../../shared/plan';
import { JEA_MODULE_NAME } from '../../shared/prepare-host';
import { PS_SWITCH, psArg, psCommand, psOurs, type PsOurs } from '../../shared/ps-literal';

/** What we know about this machine (the client). */
export interface ClientSituation {
  /** This machine's OS: only Windows opens WinRM sessions. Default 'windows'. */
  platform?: 'windows' | 'linux' | 'macos' | 'other';
  /** This machine's public key (one line of id_ed25519.pub), written into the host's administrators_authorized_keys. */
  publicKey?: string | null;
  /** The DDAStudio.Host module folder on this machine, copied to the host for the JEA setup. */
  jeaModuleSource?: string | null;
}

/** Where the module goes on the host: seen by Windows PowerShell 5.1 and PowerShell 7 alike. */
export const HOST_MODULE_DIR = `C:\\Program Files\\WindowsPowerShell\\Modules\\${JEA_MODULE_NAME}`;
/** The same folder as sshd can start it: the 8.3 name of "Program Files", forward slashes, no spaces. */
export const HOST_MODULE_DIR_SSHD = `c:/progra~1/WindowsPowerShell/Modules/${JEA_MODULE_NAME}`;
/** PowerShell 7 as sshd can start it (Win32-OpenSSH cannot start a subsystem from a path with spaces). */
export const PWSH_SSHD = 'c:/progra~1/powershell/7/pwsh.exe';
export const PUBLIC_KEY =
  /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n\0]*)?$/;

export const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });

// ---- the one builder: values through psLiteral, our own expressions marked as such ----

export const ours = psOurs;
export const SWITCH = PS_SWITCH;
export type Arg = string | number | boolean | PsOurs | typeof SWITCH | undefined;
export const text = (v: Exclude<Arg, typeof SWITCH | undefined>): string => psArg(v);

/** `Command -Name value -Switch ...`; undefined parameters are left out. */
export const command = (name: string, params: ReadonlyArray<readonly [string, Arg]>): string => psCommand(name, params);

/** A native program with its arguments: options are ours, values literals. */
export function native(exe: string, args: ReadonlyArray<Arg>): string {
  return [
    exe,
    ...args.filter((a): a is Exclude<Arg, typeof SWITCH | undefined> => a !== undefined && a !== SWITCH).map(text),
  ].join(' ');
}

/** `@{ Key = value; ... }` with our keys and literal values. */
export function hashtable(entries: ReadonlyArray<readonly [string, Arg]>): PsOurs {
  const body = entries
    .filter(([, v]) => v !== undefined && v !== SWITCH)
    .map(([k, v]) => `${k} = ${text(v as Exclude<Arg, typeof SWITCH | undefined>)}`);
  return ours(`@{ ${body.join('; ')} }`);
}

/** `$name = <expression>` */
export const assign = (variable: string, expression: string | PsOurs) =>
  `$${variable} = ${typeof expression === 'string' ? expression : expression.ours}`;

// ---- facts about the target ----

export const isIpAddress = (name: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');

/**
 * The name of the host's local account the target connects as, or null for a domain account. A local
 * account gets a filtered token over the network unless it is the built-in Administrator, which the host
 * tells by its SID (RID 500), not by its name: it is renamed, and is "Administrateur" or "Administrador"
 * on French or Spanish Windows (tokenFilterCommand).
 */
export function localAccountName(tg: WinRmTarget): string | null {
  const user = tg.userName;
  if (!user || user.includes('@')) return null;
  const slash = user.indexOf('\\');
  const domain = slash >= 0 ? user.slice(0, slash) : '.';
  const name = slash >= 0 ? user.slice(slash + 1) : user;
  const local = domain === '.' || domain.toLowerCase() === tg.computerName.split('.')[0]?.toLowerCase();
  return local && name ? name : null;
}

export function parseTarget(input: RemoteTargetInput): RemoteTarget {
  const parsed = remoteTargetSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid host: ${issue?.path.join('.') || 'host'}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

// ---- shared pieces ----

export const vmHostCheck = ours(
  '{ $PSVersionTable.PSVersion.ToString(); Get-VMHost | Select-Object -Property ComputerName, IovSupport, IovSupportReasons }',
);
export const jeaCheck = ours('{ Get-Command }');

export function credentialCommand(t: WinRmTarget): string {
  return assign('cred', command('Get-Credential', [['UserName', t.userName]]));
}

/** New-PSSession for a WinRM target. */
export function winrmSession(
  t: WinRmTarget,
  o: { ssl: boolean; credential: boolean; sessionOption: boolean; configurationName?: string | undefined },
): string {
  // The target's port belongs to its own transport (HTTP or HTTPS); a setup for the other one uses the default.
  const port = o.ssl === t.useSsl ? t.port : undefined;
  return assign(
    's',
    command('New-PSSession', [
      ['ComputerName', t.computerName],
      ['Port', port],
      ['UseSSL', o.ssl ? SWITCH : undefined],
      ['SessionOption', o.sessionOption ? ours('$so') : undefined],
      ['Authentication', t.authentication === 'Default' ? undefined : t.authentication],
      ['Credential', o.credential ? ours('$cred') : undefined],
      ['ConfigurationName', o.configurationName],
    ]),
  );
}

/**
 * A known_hosts path as the value of ssh's UserKnownHostsFile option: in double quotes. ssh splits an
 * option's value like a line of ssh_config, and that option takes several files separated by spaces, so
 * C:\Users\John Smith\.ssh\known_hosts unquoted names two files and every host key fails to verify.
 * (Windows paths cannot hold a double quote. The -o argument reaches ssh whole from PowerShell 7.3 on, and
 * from New-PSSession's -Options; SSH remoting needs PowerShell 7 anyway. use-remote.ps1 quotes the same.)
 */
export function sshKnownHostsValue(path: string): string {
  return `"${path}"`;
}

/** New-PSSession for an SSH target, with the options the app itself uses (never prompt, check the host key). */
export function sshSession(t: SshTarget, subsystem: string | undefined): string {
  return assign(
    's',
    command('New-PSSession', [
      ['HostName', t.hostName],
      ['Port', t.port],
      ['UserName', t.userName],
      ['KeyFilePath', t.keyFilePath],
      ['Subsystem', subsystem],
      [
        'Options',
        hashtable([
          ['BatchMode', 'yes'],
          ['StrictHostKeyChecking', 'yes'],
          ['UserKnownHostsFile', t.knownHostsFile === undefined ? undefined : sshKnownHostsValue(t.knownHostsFile)],
        ]),
      ],
    ]),
  );
}

export const checkAndClose = (block: PsOurs) => [
  command('Invoke-Command', [
    ['Session', ours('$s')],
    ['ScriptBlock', block],
  ]),
  'Remove-PSSession -Session $s',
];

export const enableRemoting = (skipNetworkProfileCheck: boolean) =>
  command('Enable-PSRemoting', [
    ['Force', SWITCH],
    ['SkipNetworkProfileCheck', skipNetworkProfileCheck ? SWITCH : undefined],
  ]);

const setTokenFilterPolicy = command('New-ItemProperty', [
  ['Path', 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System'],
  ['Name', 'LocalAccountTokenFilterPolicy'],
  ['Value', 1],
  ['PropertyType', 'DWord'],
  ['Force', SWITCH],
]);

/**
 * The host command for a local account: LocalAccountTokenFilterPolicy = 1 unless the account is the
 * built-in Administrator (its SID ends in -500, whatever it is called), whose remote token is not filtered.
 */
function tokenFilterCommand(accountName: string): string {
  const sid = `(New-Object System.Security.Principal.NTAccount ([Environment]::MachineName), ${text(accountName)}).Translate([System.Security.Principal.SecurityIdentifier]).Value`;
  return `if (${sid} -notlike '*-500') { ${setTokenFilterPolicy} }`;
}

/** The host commands the target's account needs for its token (none for a domain account). */
export function tokenFilterCommands(tg: WinRmTarget): string[] {
  const name = localAccountName(tg);
  return name === null ? [] : [tokenFilterCommand(name)];
}

export function tokenFilterNote(tg: WinRmTarget): LocalizedText {
  return localAccountName(tg) !== null
    ? t(
        'The user is a local account: unless it is the built-in Administrator (the host tells it by its SID, under any name), its remote token is filtered and it is not an administrator in the session without LocalAccountTokenFilterPolicy = 1, which the host command above then sets.',
        '该用户是本地账户：除非它是内置 Administrator（主机按 SID 识别，与名称无关），其远程令牌会被筛选，若不把 LocalAccountTokenFilterPolicy 设为 1，会话中不具备管理员权限；此时上面的主机命令会设置它。',
      )
    : t(
        'A local account other than the built-in Administrator also needs LocalAccountTokenFilterPolicy = 1 on the host (New-ItemProperty under HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System); domain accounts and the built-in Administrator do not.',
        '内置 Administrator 以外的本地账户还需要在主机上把 LocalAccountTokenFilterPolicy 设为 1（HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System 下的 New-ItemProperty）；域账户和内置 Administrator 不需要。',
      );
}

export function notWindowsNote(s: ClientSituation): LocalizedText[] {
  if ((s.platform ?? 'windows') === 'windows') return [];
  return [
    t(
      'This machine is not Windows: PowerShell on Linux and macOS cannot open WinRM sessions. Run the client commands on a Windows machine, or use the SSH setup.',
      '本机不是 Windows：Linux 和 macOS 上的 PowerShell 无法建立 WinRM 会话。请在 Windows 机器上运行客户端命令，或改用 SSH 方式。',
    ),
  ];
}

export const elevatedNote = t(
  'Run the host commands in an elevated PowerShell on the Hyper-V host, in order, in one window (later commands use variables set by earlier ones). The account that connects must be an administrator of the host.',
  '在 Hyper-V 主机上以管理员身份打开 PowerShell，按顺序在同一个窗口中运行主机命令（后面的命令会用到前面设置的变量）。连接所用账户必须是该主机的管理员。',
);
