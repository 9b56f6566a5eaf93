import { describe, expect, it } from 'vitest';
import type { RemoteTargetInput } from '../../shared/hosts';
import { hostSetupKinds, hostSetupSchema, type HostSetup } from '../../shared/prepare-host';
import { psString } from '../../shared/ps-literal';
import { prepareHost, recommendedSetupKinds, setupKindsFor } from './prepare-host';

const winrm = (over: Record<string, unknown> = {}) =>
  ({ id: 'hv1', name: 'HV 1', transport: 'winrm', computerName: 'hv01.lab', ...over }) as RemoteTargetInput;
const ssh = (over: Record<string, unknown> = {}) =>
  ({ id: 'hv2', name: 'HV 2', transport: 'ssh', hostName: 'hv02.lab', ...over }) as RemoteTargetInput;
const all = (setups: HostSetup[]) =>
  setups.flatMap((s) => [...(s.clientCommandsFirst ?? []), ...s.hostCommands, ...s.clientCommands]);
const QUOTES = "'\u2018\u2019\u201A\u201B";

/**
 * PowerShell text with every single-quoted literal removed (PowerShell's rules: any of the five
 * single-quote characters opens and closes one, a doubled one is a quote inside it).
 */
function outsideLiterals(command: string): string {
  let out = '';
  let i = 0;
  while (i < command.length) {
    const ch = command[i]!;
    if (!QUOTES.includes(ch)) {
      out += ch;
      i++;
      continue;
    }
    i++;
    for (;;) {
      if (i >= command.length) throw new Error(`unterminated literal in: ${command}`);
      if (QUOTES.includes(command[i]!)) {
        if (i + 1 < command.length && QUOTES.includes(command[i + 1]!)) {
          i += 2;
          continue;
        }
        i++;
        break;
      }
      i++;
    }
    out += '<lit>';
  }
  return out;
}

describe('prepareHost: the commands for each setup', () => {
  it('offers every kind, each with host and client commands, titles and notes in both languages', () => {
    const kinds = new Set([...prepareHost(winrm()), ...prepareHost(ssh())].map((s) => s.kind));
    expect([...kinds].sort()).toEqual([...hostSetupKinds].sort());
    for (const s of [...prepareHost(winrm()), ...prepareHost(ssh())]) {
      expect(() => hostSetupSchema.parse(s)).not.toThrow();
      expect(s.hostCommands.length).toBeGreaterThan(0);
      expect(s.clientCommands.length).toBeGreaterThan(0);
      expect(s.title.en && s.title['zh-CN']).toBeTruthy();
      for (const n of s.notes) expect(n.en && n['zh-CN']).toBeTruthy();
    }
  });

  it('fits the setups to the transport and refuses one that does not fit', () => {
    expect(setupKindsFor({ transport: 'ssh' })).toEqual(['ssh', 'jea']);
    expect(setupKindsFor({ transport: 'winrm' })).toEqual([
      'domain',
      'workgroup-https',
      'workgroup-trustedhosts',
      'jea',
    ]);
    expect(() => prepareHost(ssh(), {}, ['domain'])).toThrow(/does not apply to a ssh host/);
    expect(() => prepareHost(winrm(), {}, ['ssh'])).toThrow(/does not apply to a winrm host/);
    expect(prepareHost(winrm(), {}, ['workgroup-https']).map((s) => s.kind)).toEqual(['workgroup-https']);
  });

  it('recommends the setup the target itself describes', () => {
    expect(recommendedSetupKinds(winrm())).toEqual(['domain']);
    expect(recommendedSetupKinds(winrm({ userName: 'admin' }))).toEqual(['workgroup-trustedhosts']);
    expect(recommendedSetupKinds(winrm({ userName: 'admin', useSsl: true }))).toEqual(['workgroup-https']);
    expect(recommendedSetupKinds(winrm({ userName: 'LAB\\admin', authentication: 'Kerberos' }))).toEqual(['domain']);
    expect(recommendedSetupKinds(winrm({ endpoint: 'jea', configurationName: 'DDAStudio' }))).toEqual([
      'domain',
      'jea',
    ]);
    expect(recommendedSetupKinds(ssh({ endpoint: 'jea' }))).toEqual(['ssh', 'jea']);
  });

  it('domain: Enable-PSRemoting on the host, Kerberos by name from here', () => {
    const [d] = prepareHost(winrm({ authentication: 'Kerberos' }), {}, ['domain']);
    expect(d!.hostCommands).toEqual(['Enable-PSRemoting -Force']);
    expect(d!.clientCommands).toContain("$s = New-PSSession -ComputerName 'hv01.lab' -Authentication 'Kerberos'");
    expect(all([d!]).join('\n')).not.toMatch(/TrustedHosts|SkipCACheck|sshd/);
    const [byIp] = prepareHost(winrm({ computerName: '10.0.0.5' }), {}, ['domain']);
    expect(byIp!.notes.some((n) => /IP address/.test(n.en))).toBe(true);
  });

  it('workgroup over HTTPS: certificate, listener, firewall on the port; skips the certificate checks only when the target says so', () => {
    const [h] = prepareHost(winrm({ userName: 'ddaadmin', useSsl: true }), {}, ['workgroup-https']);
    const host = h!.hostCommands.join('\n');
    expect(host).toContain(
      "$cert = New-SelfSignedCertificate -DnsName 'hv01.lab' -CertStoreLocation 'Cert:\\LocalMachine\\My'",
    );
    expect(host).toContain(
      "New-WSManInstance -ResourceURI 'winrm/config/Listener' -SelectorSet @{ Transport = 'HTTPS'; Address = '*' } -ValueSet @{ Hostname = 'hv01.lab'; CertificateThumbprint = $cert.Thumbprint }",
    );
    expect(host).toMatch(/New-NetFirewallRule .*-LocalPort 5986 /);
    expect(host).toContain('LocalAccountTokenFilterPolicy');
    expect(host).toContain('Export-Certificate');
    const client = h!.clientCommands.join('\n');
    expect(client).not.toContain('SkipCACheck');
    expect(client).toContain('Import-Certificate');
    expect(client).toContain("$cred = Get-Credential -UserName 'ddaadmin'");
    expect(client).toContain("$s = New-PSSession -ComputerName 'hv01.lab' -UseSSL -Credential $cred");

    const [skip] = prepareHost(
      winrm({ userName: 'ddaadmin', useSsl: true, skipCertificateChecks: true, port: 15986 }),
      {},
      ['workgroup-https'],
    );
    expect(skip!.clientCommands).toContain('$so = New-PSSessionOption -SkipCACheck -SkipCNCheck');
    expect(skip!.clientCommands).toContain(
      "$s = New-PSSession -ComputerName 'hv01.lab' -Port 15986 -UseSSL -SessionOption $so -Credential $cred",
    );
    expect(skip!.hostCommands.join('\n')).toMatch(/Port = 15986 }[\s\S]*-LocalPort 15986 /);
    expect(skip!.hostCommands.join('\n')).not.toContain('Export-Certificate');
  });

  it('the token filter policy is set for a local account unless the host finds it is the built-in Administrator (RID 500)', () => {
    const policy = (user: string) =>
      prepareHost(winrm({ userName: user }), {}, ['workgroup-trustedhosts'])[0]!.hostCommands.filter((c) =>
        c.includes('LocalAccountTokenFilterPolicy'),
      );
    // the host decides by the account's SID, not its name: the built-in one may be renamed, or be
    // "Administrateur" on a French host, and an account named Administrator may be another one
    const bySid = (name: string) =>
      `if ((New-Object System.Security.Principal.NTAccount ([Environment]::MachineName), '${name}').Translate([System.Security.Principal.SecurityIdentifier]).Value -notlike '*-500') { New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' -Name 'LocalAccountTokenFilterPolicy' -Value 1 -PropertyType 'DWord' -Force }`;
    expect(policy('ddaadmin')).toEqual([bySid('ddaadmin')]);
    expect(policy('.\\ddaadmin')).toEqual([bySid('ddaadmin')]);
    expect(policy('hv01\\Administrateur')).toEqual([bySid('Administrateur')]);
    expect(policy('Administrator')).toEqual([bySid('Administrator')]);
    expect(policy('LAB\\ddaadmin')).toEqual([]);
    expect(policy('ddaadmin@lab.example')).toEqual([]);
  });

  it('workgroup with TrustedHosts: -Concatenate on this machine, credentials, plain HTTP', () => {
    const [h] = prepareHost(winrm({ userName: 'ddaadmin', useSsl: true, port: 15986 }), {}, ['workgroup-trustedhosts']);
    expect(h!.clientCommands).toContain(
      "Set-Item -Path 'WSMan:\\localhost\\Client\\TrustedHosts' -Value 'hv01.lab' -Concatenate -Force",
    );
    // the target's HTTPS port is not carried over to the HTTP setup, and the admin is told to change the target
    expect(h!.clientCommands).toContain("$s = New-PSSession -ComputerName 'hv01.lab' -Credential $cred");
    expect(h!.notes.some((n) => /turn HTTPS off/.test(n.en))).toBe(true);
  });

  it('winrm from a machine that is not Windows says that WinRM sessions cannot be opened here', () => {
    for (const s of prepareHost(winrm(), { platform: 'linux' }))
      expect(s.notes.some((n) => /not Windows/.test(n.en))).toBe(true);
    for (const s of prepareHost(winrm(), { platform: 'windows' }))
      expect(s.notes.some((n) => /not Windows/.test(n.en))).toBe(false);
  });

  it('ssh: OpenSSH server, PowerShell 7, the 8.3 subsystem line before any Match block, administrators_authorized_keys, restart', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx me@client';
    const [s] = prepareHost(
      ssh({ userName: 'LAB\\admin', port: 2222, keyFilePath: '/home/me/.ssh/dda', knownHostsFile: '/home/me/.ssh/kh' }),
      { publicKey: key },
    );
    const host = s!.hostCommands.join('\n');
    expect(host).toContain('OpenSSH.Server~~~~0.0.1.0');
    expect(host).toContain('winget install --id Microsoft.PowerShell');
    expect(host).toContain("$line = 'Subsystem powershell c:/progra~1/powershell/7/pwsh.exe -sshs -NoLogo'");
    expect(host).toMatch(/\$lines\.Insert\(\$at, \$line\)/);
    expect(host).toContain(`Add-Content -Path $keys -Value ${psString(key)}`);
    expect(host).toContain('administrators_authorized_keys');
    expect(host).toMatch(/-LocalPort 2222 /);
    expect(s!.hostCommands.at(-2)).toBe("Restart-Service -Name 'sshd'");
    expect(s!.notes.some((n) => /8\.3/.test(n.en))).toBe(true);
    // The key is made first: the host commands authorize it.
    expect(s!.clientCommandsFirst![0]).toBe("ssh-keygen -t ed25519 -f '/home/me/.ssh/dda'");
    const client = s!.clientCommands.join('\n');
    expect(client).toContain(
      "ssh -o 'UserKnownHostsFile=\"/home/me/.ssh/kh\"' -i '/home/me/.ssh/dda' -p 2222 -l 'LAB\\admin' 'hv02.lab' exit",
    );
    expect(client).toContain(
      "$s = New-PSSession -HostName 'hv02.lab' -Port 2222 -UserName 'LAB\\admin' -KeyFilePath '/home/me/.ssh/dda' -Options @{ BatchMode = 'yes'; StrictHostKeyChecking = 'yes'; UserKnownHostsFile = '\"/home/me/.ssh/kh\"' }",
    );
    expect(all([s!]).join('\n')).not.toMatch(/WSMan|TrustedHosts|New-PSSession -ComputerName/);
  });

  it('ssh without a usable public key asks for it on the host (something that is not one key line is not used)', () => {
    const ask = "Add-Content -Path $keys -Value (Read-Host -Prompt 'Paste the public key line of the client')";
    const [s] = prepareHost(ssh());
    expect(s!.hostCommands).toContain(ask);
    expect(s!.clientCommandsFirst![0]).toBe("ssh-keygen -t ed25519 -f (Join-Path $HOME '.ssh/id_ed25519')");
    for (const publicKey of [
      'ssh-ed25519 AAAA x\nssh-rsa AAAA evil',
      "'; Remove-Item C:\\ -Recurse; '",
      '-----BEGIN OPENSSH PRIVATE KEY-----',
    ]) {
      const [bad] = prepareHost(ssh(), { publicKey });
      expect(bad!.hostCommands).toContain(ask);
      expect(all([bad!]).join('\n')).not.toContain('Remove-Item C:');
      expect(bad!.notes.some((n) => /does not hold one OpenSSH key line/.test(n.en))).toBe(true);
    }
  });

  it('jea over WinRM: registration on the host, -ConfigurationName DDAStudio from here', () => {
    const [j] = prepareHost(
      winrm({ endpoint: 'jea' }),
      { jeaModuleSource: 'C:\\Program Files\\DDA Studio\\resources\\DDAStudio.Host' },
      ['jea'],
    );
    expect(j!.hostCommands).toContain(
      "& 'C:\\Program Files\\WindowsPowerShell\\Modules\\DDAStudio.Host\\Register-DDAStudioEndpoint.ps1'",
    );
    // The module is copied first (the host commands register it); the JEA session comes after them.
    // A reinstall moves the old module folder aside instead of nesting into it or leaving old scripts behind.
    const first = j!.clientCommandsFirst!;
    const removeAt = first.findIndex((c) =>
      c.includes("Rename-Item -LiteralPath 'C:\\Program Files\\WindowsPowerShell\\Modules\\DDAStudio.Host' -NewName"),
    );
    const copyAt = first.findIndex((c) => c.startsWith('Copy-Item'));
    expect(removeAt).toBeGreaterThan(-1);
    expect(removeAt).toBe(copyAt - 1);
    expect(first.join('\n')).toContain(
      "Copy-Item -ToSession $s -Path 'C:\\Program Files\\DDA Studio\\resources\\DDAStudio.Host' -Destination 'C:\\Program Files\\WindowsPowerShell\\Modules\\DDAStudio.Host' -Recurse -Force",
    );
    expect(j!.clientCommands).toContain("$s = New-PSSession -ComputerName 'hv01.lab' -ConfigurationName 'DDAStudio'");
    expect(j!.notes.some((n) => /Register-PSSessionConfiguration -Name DDAStudio -Path/.test(n.en))).toBe(true);
  });

  it('jea over SSH: a powershell-dda subsystem with -ConfigurationFile, reached with -Subsystem', () => {
    const [j] = prepareHost(ssh({ endpoint: 'jea' }), {}, ['jea']);
    const host = j!.hostCommands.join('\n');
    expect(host).toMatch(
      /\$line = 'Subsystem powershell-dda c:\/progra~1\/powershell\/7\/pwsh\.exe -sshs -NoLogo -ConfigurationFile c:\/progra~1\/WindowsPowerShell\/Modules\/DDAStudio\.Host\/[^ ']+\.pssc'/,
    );
    expect(host).not.toContain('Register-PSSessionConfiguration');
    expect(j!.clientCommands.join('\n')).toContain("-Subsystem 'powershell-dda'");
    expect(j!.clientCommandsFirst!.join('\n')).toContain("-Subsystem 'powershell'");
  });
});

describe('prepareHost: no value breaks out of its quotes', () => {
  it('refuses hostile host and user names before any command is made', () => {
    for (const computerName of [
      '-oProxyCommand=calc',
      'hv 01',
      "hv'01",
      'hv"01',
      '$(Remove-Item C:\\)',
      'hv01\nRemove-Item',
      'hv01;calc',
      '',
    ]) {
      expect(() => prepareHost(winrm({ computerName }))).toThrow(/Invalid host/);
      expect(() => prepareHost(ssh({ hostName: computerName }))).toThrow(/Invalid host/);
    }
    for (const userName of ['-oProxyCommand=calc', 'a b', "o'brien", '$(whoami)', 'a\nb', 'a;b']) {
      expect(() => prepareHost(winrm({ userName }))).toThrow(/Invalid host/);
    }
  });

  it('values the schema lets through (paths, typographic quotes, a key comment, the module path) stay inside single-quoted literals', () => {
    const payload = 'Remove-Item C:\\ -Recurse';
    const hostilePath = (q: string) => `C:\\k${q}; ${payload}; ${q}$(${payload})\``;
    // known_hosts paths become one quoted ssh -o value: the schema refuses double quotes and % there
    const hostileNoSpace = (q: string) => `C:\\k ${q}; Remove-Item;${q}$(Remove-Item)\``;
    for (const q of QUOTES) {
      const setups = [
        ...prepareHost(
          ssh({
            keyFilePath: hostilePath(q),
            knownHostsFile: hostileNoSpace(q),
            userName: `u${q === "'" ? '\u2019' : q}x{y}`,
          }),
          {
            publicKey: `ssh-ed25519 AAAAC3Nza u${q}; ${payload}`,
            jeaModuleSource: hostilePath(q),
          },
        ),
        ...prepareHost(winrm({ userName: `LAB\\u${q === "'" ? '\u2019' : q}x`, useSsl: true }), {
          jeaModuleSource: hostilePath(q),
        }),
      ];
      for (const c of all(setups)) {
        const bare = outsideLiterals(c);
        expect(bare, c).not.toContain('Remove-Item C:');
        expect(bare, c).not.toMatch(/[\u2018-\u201B]/);
      }
      // and each value appears as exactly its literal
      expect(all(setups).join('\n')).toContain(psString(hostilePath(q)));
    }
  });
});
