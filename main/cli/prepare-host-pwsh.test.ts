/**
 * The "prepare this host" commands read by the real PowerShell parser: no parse errors, no command or
 * subexpression comes out of a value, each hostile value is exactly one single-quoted literal; the
 * sshd_config edit really puts the Subsystem lines before the Match block (checked with sshd -t), once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RemoteTargetInput } from '../../shared/hosts';
import type { HostSetup } from '../../shared/prepare-host';
import { prepareHost } from '../hosts/prepare-host';
import { findPowerShell } from '../powershell/find-pwsh';
import { PowerShellSession } from '../powershell/session';
import { projectRoot } from '../project-root';

const root = projectRoot();
const pwsh = findPowerShell({ env: process.env, projectRoot: root, platform: process.platform })!;
const session = new PowerShellSession({
  executable: pwsh.path,
  scriptDirs: [join(import.meta.dirname, 'test-fixtures'), join(root, 'main', 'powershell', 'test-fixtures')],
});
afterAll(() => session.dispose());

interface Parsed {
  command: string;
  errors: string[];
  names: string[];
  literals: string[];
  subExpressions: number;
}

const payload = 'Invoke-DdaPwned C:\\ -Recurse';
const hostile = (q: string) => `C:\\keys${q}; ${payload}; ${q}$(${payload})\`" #`;
// ssh refuses paths it would split: a key path has no double quote, a known_hosts path no % either
const hostileKey = (q: string) => `C:\\keys${q}; ${payload}; ${q}$(${payload})\` #`;
const hostileKnownHosts = (q: string) => `C:\\kh ${q}; Invoke-DdaPwned;${q}$(Invoke-DdaPwned)\`#`;
const QUOTES = ["'", '\u2018', '\u2019', '\u201A', '\u201B'];

function hostileSetups(q: string): HostSetup[] {
  const ssh = {
    id: 'hv2',
    name: 'x',
    transport: 'ssh',
    hostName: 'hv02.lab',
    userName: 'LAB\\u\u2019x{y}',
    port: 2222,
    keyFilePath: hostileKey(q),
    knownHostsFile: hostileKnownHosts(q),
  } as RemoteTargetInput;
  const winrm = {
    id: 'hv1',
    name: 'x',
    transport: 'winrm',
    computerName: 'hv01.lab',
    userName: 'u\u2018x',
    useSsl: true,
    skipCertificateChecks: true,
  } as RemoteTargetInput;
  const situation = { jeaModuleSource: hostile(q), publicKey: `ssh-ed25519 AAAAC3Nza me${q}; ${payload}` };
  return [...prepareHost(ssh, situation), ...prepareHost(winrm, situation)];
}

async function parse(commands: string[]): Promise<Parsed[]> {
  const r = await session.invoke<Parsed[]>('parse-commands', { Commands: commands });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('prepare-host commands, read by PowerShell', () => {
  it('parse without errors; no value becomes a command or a subexpression; each value is one literal', async () => {
    for (const q of QUOTES) {
      const setups = hostileSetups(q);
      const commands = setups.flatMap((s) => [
        ...(s.clientCommandsFirst ?? []),
        ...s.hostCommands,
        ...s.clientCommands,
      ]);
      const parsed = await parse(commands);
      expect(parsed).toHaveLength(commands.length);
      for (const p of parsed) {
        expect(p.errors, p.command).toEqual([]);
        expect(
          p.names.filter((n) => /Invoke-DdaPwned/i.test(n)),
          p.command,
        ).toEqual([]);
        // our own commands have no $( ) at all; a value's $( ) stays inert text inside its literal
        expect(p.subExpressions, p.command).toBe(0);
      }
      const literals = parsed.flatMap((p) => p.literals);
      expect(literals).toContain(hostile(q));
      expect(literals).toContain(hostileKey(q));
      expect(literals).toContain(`${hostileKey(q)}.pub`);
      expect(literals).toContain(`UserKnownHostsFile="${hostileKnownHosts(q)}"`);
      expect(literals).toContain(`ssh-ed25519 AAAAC3Nza me${q}; ${payload}`);
      expect(literals).toContain('LAB\\u\u2019x{y}');
      expect(literals).toContain('u\u2018x');
    }
  });

  it("the host commands are Windows PowerShell 5.1 syntax (a host's default shell)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dda-prepare-')), 'host.ps1');
    writeFileSync(
      file,
      hostileSetups("'")
        .flatMap((s) => s.hostCommands)
        .join('\n'),
    );
    const r = await session.invoke<unknown[]>('ps51-compat', { Paths: [file] });
    expect(r.ok && r.value).toEqual([]);
  });

  it("reinstalling the JEA module keeps the administrator's allow list (run here with a folder for the host's)", async () => {
    const jea = prepareHost(
      { id: 'hv1', name: 'x', transport: 'winrm', computerName: 'hv01.lab' } as RemoteTargetInput,
      { jeaModuleSource: 'C:\\DDAStudio.Host', publicKey: null },
    ).find((x) => x.kind === 'jea')!;
    const dir = join(mkdtempSync(join(tmpdir(), 'dda-jea-keep-')), 'DDAStudio.Host');
    const hostDir = 'C:\\Program Files\\WindowsPowerShell\\Modules\\DDAStudio.Host';
    // The two commands around the copy, in this process (the session's scope stands in for the host's).
    const around = jea
      .clientCommandsFirst!.filter((c) => c.includes('ddaAside'))
      .map((c) =>
        c
          .split(`${hostDir}\\`)
          .join(`${dir}/`)
          .split(hostDir)
          .join(dir)
          .replace('Invoke-Command -Session $s', 'Invoke-Command -NoNewScope'),
      );
    expect(around).toHaveLength(2);
    mkdirSync(dir);
    writeFileSync(join(dir, 'DDAStudio.Host.Policy.psd1'), "@{ AllowedVms = @('Router-*') }");
    writeFileSync(join(dir, 'old.ps1'), '');
    const copy = `New-Item -ItemType Directory -Path '${dir}' | Out-Null`;
    const r = await session.invoke('run-commands', { Commands: [around[0], copy, around[1]], ProgramData: tmpdir() });
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    expect(readFileSync(join(dir, 'DDAStudio.Host.Policy.psd1'), 'utf8')).toBe("@{ AllowedVms = @('Router-*') }");
    expect(existsSync(join(dir, 'old.ps1'))).toBe(false);
  });

  it('the sshd_config edit inserts the Subsystem lines before the first Match block, once, keeps what is not ASCII, and sshd accepts the result', async () => {
    const programData = mkdtempSync(join(tmpdir(), 'dda-programdata-'));
    mkdirSync(join(programData, 'ssh'));
    const cfg = join(programData, 'ssh', 'sshd_config');
    // The tail of Windows' default sshd_config: a Subsystem inside this Match block would stop sshd.
    // A group and a user outside ASCII stay as they are (UTF-8, as OpenSSH reads the file).
    const original = [
      'AllowGroups administrators Domänen-Admins 管理员',
      '#Port 22',
      'AuthorizedKeysFile\t.ssh/authorized_keys',
      '# override default of no subsystems',
      'Subsystem\tsftp\tsftp-server.exe',
      '',
      'Match Group administrators',
      '       AuthorizedKeysFile __PROGRAMDATA__/ssh/administrators_authorized_keys',
    ];
    writeFileSync(cfg, original.join('\r\n') + '\r\n');
    const target = { id: 'hv2', name: 'x', transport: 'ssh', hostName: 'hv02.lab' } as RemoteTargetInput;
    const [ssh, jea] = prepareHost(target, {}, ['ssh', 'jea']);
    const edit = (s: HostSetup) => {
      const from = s.hostCommands.findIndex((c) => c.startsWith('$cfg = '));
      return s.hostCommands.slice(from, from + 4);
    };
    for (const commands of [edit(ssh!), edit(jea!), edit(ssh!)]) {
      const r = await session.invoke('run-commands', { Commands: commands, ProgramData: programData });
      expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    }
    const lines = readFileSync(cfg, 'utf8')
      .split(/\r?\n/)
      .filter((l, i, all) => l !== '' || i < all.length - 1);
    expect(lines).toEqual([
      ...original.slice(0, 6),
      'Subsystem powershell c:/progra~1/powershell/7/pwsh.exe -sshs -NoLogo',
      expect.stringMatching(
        /^Subsystem powershell-dda c:\/progra~1\/powershell\/7\/pwsh\.exe -sshs -NoLogo -ConfigurationFile c:\/progra~1\/WindowsPowerShell\/Modules\/DDAStudio\.Host\/\S+\.pssc$/,
      ),
      ...original.slice(6),
    ]);
    if (existsSync('/usr/sbin/sshd')) {
      const key = join(programData, 'hostkey');
      expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status).toBe(0);
      const check = spawnSync('/usr/sbin/sshd', ['-t', '-f', cfg, '-h', key], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
  });
});
