import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostTestResultSchema } from '../../shared/contract';
import { hostSetupSchema } from '../../shared/prepare-host';
import { remoteTargetSchema } from '../../shared/hosts';
import { projectRoot } from '../project-root';
import { hostsFile, type SecretStore } from '../hosts/host-registry';
import type { Io } from './args';
import { main } from './dda';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function dda(args: string[], extra: Partial<Io> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), ...extra });
  return { code, out, err };
}

const dataDir = () => mkdtempSync(join(tmpdir(), 'dda-cli-hosts-'));

describe('--json on a Windows console', () => {
  it('prints ASCII only, so PowerShell reads the same names in any code page; a plan saved with --script has a BOM', async () => {
    const d = dataDir();
    const name = 'Rack 张伟 Gerät 東京 😀';
    expect((await dda(['hosts', 'add', 'hv1', '--ssh', 'hv01.lab', '--name', name, '--data-dir', d])).code).toBe(0);
    const { out } = await dda(['hosts', 'list', '--json', '--data-dir', d]);
    expect(out).toMatch(/^[\x00-\x7f]*$/);
    // What PowerShell 5.1 on a Chinese host reads from the pipe: the bytes in code page 936 (ASCII there).
    const asRead = new TextDecoder('gbk').decode(Buffer.from(out, 'utf8'));
    expect((JSON.parse(asRead) as Array<{ name: string }>).map((h) => h.name)).toContain(name);

    const script = join(d, 'plan.ps1');
    const plan = await dda([
      'plan',
      'assign',
      '--device',
      'PCIROOT(0)#PCI(0100)#PCI(0000)',
      '--vm',
      'Router-01',
      '--simulate',
      'ml30-connectx4',
      '--script',
      script,
      '--data-dir',
      d,
    ]);
    expect(plan.code).toBe(0);
    const bytes = readFileSync(script);
    // UTF-8 with a BOM: Windows PowerShell 5.1 reads a .ps1 without one in the ANSI code page.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  }, 120_000);
});

describe('dda hosts add / list / remove', () => {
  it('adds an ssh and a winrm host, lists them (table and JSON), updates, removes', async () => {
    const d = dataDir();
    const a = await dda([
      'hosts',
      'add',
      'hv1',
      '--ssh',
      'hv01.lab',
      '--port',
      '2222',
      '--user',
      'root',
      '--key',
      'keys/id_ed25519',
      '--name',
      'Rack 1',
      '--data-dir',
      d,
    ]);
    expect(a).toMatchObject({ code: 0, err: '' });
    expect(a.out).toContain('Added hv1: ssh root@hv01.lab:2222');
    const w = await dda([
      'hosts',
      'add',
      'hv2',
      '--winrm',
      'hv02',
      '--ssl',
      '--skip-cert-checks',
      '--auth',
      'Negotiate',
      '--user',
      'LAB\\dda',
      '--connect-timeout',
      '5000',
      '--data-dir',
      d,
    ]);
    expect(w.code).toBe(0);
    expect(w.out).toContain('winrm LAB\\dda@hv02 (HTTPS)');

    const list = await dda(['hosts', 'list', '--data-dir', d]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^ID +NAME +TARGET +ENDPOINT$/m);
    expect(list.out).toMatch(/^local +This machine +local +full$/m);
    expect(list.out).toMatch(/^hv1 +Rack 1 +ssh root@hv01\.lab:2222 +full$/m);
    expect(list.out).toMatch(/^hv2 +hv2 +winrm LAB\\dda@hv02 \(HTTPS\) +full$/m);

    const json = JSON.parse((await dda(['hosts', 'list', '--json', '--data-dir', d])).out) as unknown[];
    const [h1, h2] = json.map((h) => remoteTargetSchema.parse(h));
    // a relative key path is remembered absolute: later commands run from other folders
    expect(h1).toMatchObject({
      transport: 'ssh',
      port: 2222,
      userName: 'root',
      keyFilePath: join(process.cwd(), 'keys', 'id_ed25519'),
      name: 'Rack 1',
    });
    expect(h2).toMatchObject({
      transport: 'winrm',
      useSsl: true,
      skipCertificateChecks: true,
      authentication: 'Negotiate',
      connectTimeoutMs: 5000,
    });

    const up = await dda(['hosts', 'add', 'hv1', '--ssh', 'hv01.lab', '--data-dir', d]);
    expect(up.out).toContain('Updated hv1: ssh hv01.lab');

    const rm = await dda(['hosts', 'remove', 'hv1', '--data-dir', d]);
    expect(rm.code).toBe(0);
    expect(rm.out).toContain(`Its journal and measurements stay in ${join(d, 'hosts', 'hv1')}`);
    expect(JSON.parse(readFileSync(hostsFile(d), 'utf8')).hosts.map((h: { id: string }) => h.id)).toEqual(['hv2']);
  });

  it('--jea points the host at our endpoint: the DDAStudio configuration or the powershell-dda subsystem', async () => {
    const d = dataDir();
    await dda(['hosts', 'add', 'w', '--winrm', 'hv02', '--jea', '--data-dir', d]);
    await dda(['hosts', 'add', 's', '--ssh', 'hv01', '--jea', '--data-dir', d]);
    const [w, s] = JSON.parse((await dda(['hosts', 'list', '--json', '--data-dir', d])).out) as Array<
      Record<string, unknown>
    >;
    expect(w).toMatchObject({ endpoint: 'jea', configurationName: 'DDAStudio' });
    expect(s).toMatchObject({ endpoint: 'jea', subsystem: 'powershell-dda' });
  });

  it('removing a host deletes its stored password too', async () => {
    const d = dataDir();
    await dda(['hosts', 'add', 'w', '--winrm', 'hv02', '--user', 'dda', '--data-dir', d]);
    const deleted: string[] = [];
    const secrets: SecretStore = {
      available: true,
      get: () => null,
      set: () => undefined,
      delete: (id) => void deleted.push(id),
    };
    expect((await dda(['hosts', 'remove', 'w', '--data-dir', d], { secrets })).code).toBe(0);
    expect(deleted).toEqual(['w']);
  });

  it('refuses hostile or malformed hosts with exit 3 and the reason, writing nothing', async () => {
    const d = dataDir();
    const cases: Array<[string[], RegExp]> = [
      [['--ssh=-oProxyCommand=calc'], /Invalid host: hostName: a host name or address/],
      [['--ssh', '-oProxyCommand=calc'], /argument is ambiguous/],
      [['--ssh', 'hv 01'], /Invalid host: hostName/],
      [['--winrm', "hv'01"], /Invalid host: computerName/],
      [['--winrm', '$(calc)'], /Invalid host: computerName/],
      [['--winrm', 'hv01\nRemove-Item'], /Invalid host: computerName/],
      [['--ssh', 'hv01', '--user=-x'], /Invalid host: userName/],
      [['--ssh', 'hv01', '--user', "o'brien"], /Invalid host: userName/],
      [['--ssh', 'hv01', '--port', '70000'], /Invalid host: port/],
      [['--ssh', 'hv01', '--port', '22x'], /--port takes a whole number/],
      [['--ssh', 'hv01', '--connect-timeout', '10'], /Invalid host: connectTimeoutMs/],
      [['--winrm', 'hv01', '--auth', 'CredSSP'], /Invalid host: authentication/],
      [['--ssh', 'hv01', '--subsystem', 'a b'], /Invalid host: subsystem/],
      [['--ssh', 'hv01', '--winrm', 'hv01'], /exactly one of --ssh/],
      [[], /exactly one of --ssh/],
      [['--winrm', 'hv01', '--key', 'k'], /--key applies to --ssh hosts only/],
      [['--ssh', 'hv01', '--ssl'], /--ssl applies to --winrm hosts only/],
      [['--winrm', 'hv01', '--skip-cert-checks'], /--skip-cert-checks applies to HTTPS/],
      [['--ssh', 'hv01', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await dda(['hosts', 'add', 'hv1', ...args, '--data-dir', d]);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.err, args.join(' ')).toMatch(message);
    }
    for (const id of ['-hv', 'HV1', 'a b', '../x'])
      expect((await dda(['hosts', 'add', '--ssh', 'hv01', '--data-dir', d, '--', id])).err).toMatch(/Invalid host: id/);
    expect((await dda(['hosts', 'add', 'local', '--ssh', 'hv01', '--data-dir', d])).err).toMatch(
      /"local" is this machine/,
    );
    expect((await dda(['hosts', 'add', '--ssh', 'hv01', '--data-dir', d])).err).toMatch(/Usage: dda hosts add <id>/);
    expect(existsSync(hostsFile(d))).toBe(false);
  });

  it('remove, unknown commands and a corrupt registry', async () => {
    const d = dataDir();
    expect(await dda(['hosts', 'remove', 'nope', '--data-dir', d])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/No host "nope"/),
    });
    expect((await dda(['hosts', 'remove', 'local', '--data-dir', d])).code).toBe(3);
    expect((await dda(['hosts', 'frobnicate'])).code).toBe(3);
    expect((await dda(['hosts'])).code).toBe(3);
    expect((await dda(['hosts', 'help'])).out).toContain('dda hosts <command>');
    writeFileSync(hostsFile(d), '{ broken');
    const r = await dda(['hosts', 'list', '--data-dir', d]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/hosts\.json is not valid JSON/);
    expect(readFileSync(hostsFile(d), 'utf8')).toBe('{ broken');
  });
});

describe('dda hosts prepare', () => {
  it('prints the recommended setup, and any other with --kind; JSON is the HostSetup list', async () => {
    const d = dataDir();
    await dda(['hosts', 'add', 'w', '--winrm', 'hv02', '--ssl', '--user', 'dda', '--data-dir', d]);
    const r = await dda(['hosts', 'prepare', 'w', '--data-dir', d]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('== Workgroup: WinRM over HTTPS (--kind workgroup-https)');
    expect(r.out).toContain('On the host (elevated PowerShell):');
    expect(r.out).toContain("  $s = New-PSSession -ComputerName 'hv02' -UseSSL -Credential $cred");
    expect(r.out).toContain('Other setups for this host: --kind domain, --kind workgroup-trustedhosts, --kind jea');

    const th = await dda(['hosts', 'prepare', 'w', '--kind', 'workgroup-trustedhosts', '--data-dir', d]);
    expect(th.out).toContain(
      "Set-Item -Path 'WSMan:\\localhost\\Client\\TrustedHosts' -Value 'hv02' -Concatenate -Force",
    );

    const json = JSON.parse(
      (await dda(['hosts', 'prepare', 'w', '--kind', 'jea', '--json', '--data-dir', d])).out,
    ) as unknown[];
    expect(json.map((s) => hostSetupSchema.parse(s).kind)).toEqual(['jea']);

    await dda(['hosts', 'add', 's', '--ssh', 'hv01', '--key', join(d, 'nokey'), '--jea', '--data-dir', d]);
    const s = await dda(['hosts', 'prepare', 's', '--data-dir', d]);
    expect(s.out).toContain('(--kind ssh)');
    expect(s.out).toContain('(--kind jea)');
    expect(s.out).toContain("-Subsystem 'powershell-dda'");
  });

  it("puts this machine's public key into the host command when the key file has one", async () => {
    const d = dataDir();
    const key = join(d, 'id_dda');
    writeFileSync(`${key}.pub`, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB me@client\n');
    await dda(['hosts', 'add', 's', '--ssh', 'hv01', '--key', key, '--data-dir', d]);
    const r = await dda(['hosts', 'prepare', 's', '--data-dir', d]);
    expect(r.out).toContain("Add-Content -Path $keys -Value 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB me@client'");
  });

  it('refuses a kind that does not fit, an unknown kind, an unknown host and local', async () => {
    const d = dataDir();
    await dda(['hosts', 'add', 's', '--ssh', 'hv01', '--data-dir', d]);
    expect(await dda(['hosts', 'prepare', 's', '--kind', 'domain', '--data-dir', d])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/does not apply to a ssh host; choose one of ssh, jea/),
    });
    expect(await dda(['hosts', 'prepare', 's', '--kind', 'kerberos', '--data-dir', d])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/--kind is one of domain/),
    });
    expect((await dda(['hosts', 'prepare', 'nope', '--data-dir', d])).code).toBe(3);
    expect((await dda(['hosts', 'prepare', 'local', '--data-dir', d])).code).toBe(3);
  });
});

describe('dda hosts test', () => {
  it("--json prints the HostTestResult the app's testHost returns; the table says what answered", async () => {
    const d = dataDir();
    const j = await dda(['hosts', 'test', 'local', '--simulate', 'ml30-connectx4', '--json', '--data-dir', d]);
    expect(j.code, j.err).toBe(0);
    const result = hostTestResultSchema.strict().parse(JSON.parse(j.out));
    expect(result).toMatchObject({
      host: 'local',
      name: 'ML30-GEN10',
      connectMs: null,
      computerName: 'ML30-GEN10',
      readiness: { computerName: 'ML30-GEN10', simulated: true },
    });
    expect(result.devices).toBeGreaterThan(0);
    const t = await dda(['hosts', 'test', 'local', '--simulate', 'ml30-connectx4', '--data-dir', d]);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/^this machine: connected in \d+ ms$/m);
    expect(t.out).toMatch(/Computer +ML30-GEN10/);
    expect(t.out).toMatch(/Inventory +\d+ devices, \d+ VMs in \d+ ms/);
  });
});

describe('--host on the host commands', () => {
  it('is a usage error together with --simulate or --sim-state, or when the host is unknown', async () => {
    const d = dataDir();
    await dda(['hosts', 'add', 's', '--ssh', 'hv01', '--data-dir', d]);
    for (const args of [
      ['inventory', '--host', 's', '--simulate', 'ml30-connectx4'],
      ['plan', 'return-orphans', '--host', 's', '--sim-state', join(d, 'x.json')],
      ['assign', '--device', 'X', '--vm', 'V', '--host', 's', '--simulate', 'ml30-connectx4'],
    ]) {
      const r = await dda([...args, '--data-dir', d]);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.err).toMatch(/--host cannot be combined with --simulate or --sim-state/);
    }
    expect(await dda(['inventory', '--host', 'nope', '--data-dir', d])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/No host "nope"/),
    });
    expect(await dda(['revert', '--device', 'X', '--host=-oProxyCommand=x', '--data-dir', d])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/is not a host id/),
    });
    expect(await dda(['hosts', 'test', 'nope', '--data-dir', d])).toMatchObject({ code: 3 });
  });

  it('a WinRM user without --password-stdin and without a stored password: exit 2, one line', async () => {
    const d = dataDir();
    await dda(['hosts', 'add', 'w', '--winrm', 'hv02', '--user', 'LAB\\dda', '--data-dir', d]);
    for (const args of [['inventory'], ['recover'], ['move', '--device', 'X', '--to', 'V'], ['hosts', 'test', 'w']]) {
      const r = await dda(args[0] === 'hosts' ? [...args, '--data-dir', d] : [...args, '--host', 'w', '--data-dir', d]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/needs the password of LAB\\dda: pipe it in with --password-stdin/);
    }
  });

  it('--password-stdin is refused where no password is used', async () => {
    const d = dataDir();
    await dda(['hosts', 'add', 's', '--ssh', 'hv01', '--data-dir', d]);
    await dda(['hosts', 'add', 'k', '--winrm', 'hv02', '--data-dir', d]);
    expect(await dda(['inventory', '--host', 's', '--password-stdin', '--data-dir', d])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/signs in with its ssh key/),
    });
    expect(await dda(['inventory', '--host', 'k', '--password-stdin', '--data-dir', d])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/the current logon/),
    });
    expect(await dda(['inventory', '--password-stdin', '--data-dir', d])).toMatchObject({
      code: 3,
      err: expect.stringMatching(/only for a remote WinRM host/),
    });
  });

  it('the password read with --password-stdin goes to the host connection and into no output', async () => {
    const d = dataDir();
    await dda([
      'hosts',
      'add',
      'w',
      '--winrm',
      '127.0.0.9',
      '--user',
      'dda',
      '--connect-timeout',
      '2000',
      '--data-dir',
      d,
    ]);
    const secret = 'S3cret-"$(whoami)"-\u2019';
    let asked = 0;
    const r = await dda(['inventory', '--host', 'w', '--password-stdin', '--data-dir', d], {
      readSecret: async () => (asked++, secret),
    });
    expect(asked).toBe(1);
    // WinRM cannot connect from here (no such host; on Linux no WinRM client at all): the error names the host
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/127\.0\.0\.9/);
    expect(r.out + r.err).not.toContain('S3cret');
  });

  it('dda reads --password-stdin from a pipe, ends, and never shows it', async () => {
    const d = dataDir();
    await dda([
      'hosts',
      'add',
      'w',
      '--winrm',
      '127.0.0.9',
      '--user',
      'dda',
      '--connect-timeout',
      '2000',
      '--data-dir',
      d,
    ]);
    const child = spawn(
      process.execPath,
      [join(projectRoot(), 'bin', 'dda.mjs'), 'hosts', 'test', 'w', '--password-stdin', '--data-dir', d],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.stdin.end('Pa55-word-in-pipe\nsecond line is never read\n');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/could not reach w \(winrm dda@127\.0\.0\.9\)/);
    expect(output).not.toContain('Pa55');
  });
});
