/**
 * Test and benchmark support: simulated remote Hyper-V hosts behind a private sshd, on Linux, without
 * Windows. One sshd listens on 127.0.0.2 and 127.0.0.3 (both loopback); `Match LocalAddress` gives each
 * address its own simulator state (SetEnv DDA_SIM_STATE / DDA_SIM_MODULE), so each address is one host.
 * Key authentication only, host keys pinned in a known_hosts file, StrictModes off because everything
 * lives in a temp folder. Subsystems: `powershell` (full endpoint) and, when a session configuration
 * file is given, `powershell-dda` (`pwsh -sshs -ConfigurationFile`, the JEA-shaped restricted endpoint).
 *
 * Needs root (sshd's privilege separation) and /usr/sbin/sshd (Debian openssh-server; scripts/ensure-tools
 * installs it). `sshTestHostsUnavailable()` says why not, for a clear skip outside CI; in CI the suite
 * fails instead (see remote tests).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JEA_SSH_SUBSYSTEM, type SshTarget } from '../shared/hosts';
import { findPowerShell } from '../main/powershell/find-pwsh';
import { projectRoot } from '../main/project-root';
import { profilePath, simulatorModulePath } from '../main/simulator/profiles';

const SSHD = '/usr/sbin/sshd';
export const TEST_ADDRESSES = ['127.0.0.2', '127.0.0.3'] as const;

/** Why the harness cannot run here, or null when it can. */
export function sshTestHostsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'the sshd test hosts run on Linux only';
  if (!existsSync(SSHD)) return `${SSHD} is missing (apt-get install openssh-server; scripts/ensure-tools.mjs does it)`;
  if (!commandExists('ssh')) return 'the ssh client is missing (apt-get install openssh-client)';
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'sshd needs root for its privilege separation';
  return null;
}

function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export interface SshTestHost {
  /** 'host-a', 'host-b'. */
  id: string;
  address: string;
  /** The simulator state of this host (the remote side reads and writes it). */
  stateFile: string;
  /** A target for the full endpoint. */
  target: SshTarget;
}

export interface SshTestHosts {
  dir: string;
  port: number;
  hosts: SshTestHost[];
  /** A target for a host's JEA-shaped endpoint (only when started with a configuration file). */
  jeaTarget(index: number): SshTarget;
  /** A target whose key is not authorized. */
  wrongKeyTarget(index: number): SshTarget;
  /** Stops sshd and every connection it serves (the remote pwsh processes with them). */
  stop(): Promise<void>;
  /** Starts sshd again (same port, keys and states). */
  start(): Promise<void>;
  /** Stops and removes everything. */
  close(): Promise<void>;
}

export interface SshTestHostsOptions {
  /** One simulator profile per address; default two ConnectX-4 Lx hosts. */
  profiles?: [string, string];
  /** A session configuration (.pssc) for the `powershell-dda` subsystem. */
  jeaConfigurationFile?: string;
}

async function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, address, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Every descendant of pid (from /proc), deepest last. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function killTree(pid: number): void {
  const all = [pid, ...descendants(pid)];
  for (const p of all) {
    try {
      process.kill(p, 'SIGSTOP');
    } catch {
      // already gone
    }
  }
  for (const p of [pid, ...descendants(pid), ...all]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Starts the private sshd with two simulated hosts. Throws when it cannot (check sshTestHostsUnavailable first). */
export async function startSshTestHosts(options: SshTestHostsOptions = {}): Promise<SshTestHosts> {
  const why = sshTestHostsUnavailable();
  if (why) throw new Error(`sshd test hosts unavailable: ${why}`);
  const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform });
  if (!pwsh) throw new Error('pwsh not found for the sshd test hosts');
  const dir = mkdtempSync(join(tmpdir(), 'dda-sshd-'));
  chmodSync(dir, 0o755);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
    return r.stdout;
  };
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'wrong_key')]);
  copyFileSync(join(dir, 'client_key.pub'), join(dir, 'authorized_keys'));
  chmodSync(join(dir, 'authorized_keys'), 0o600);

  const profiles = options.profiles ?? ['ml30-connectx4', 'ml30-connectx4'];
  const hosts: SshTestHost[] = [];
  const port = await freePort(TEST_ADDRESSES[0]);
  // In a folder with a space and a quote, as under C:\Users\John O'Brien: ssh splits an unquoted path.
  mkdirSync(join(dir, "John O'Brien"));
  const knownHosts = join(dir, "John O'Brien", 'known_hosts');
  TEST_ADDRESSES.forEach((address, i) => {
    const stateFile = join(dir, `host-${'ab'[i]}.json`);
    copyFileSync(profilePath(profiles[i]!), stateFile);
    const id = `host-${'ab'[i]}`;
    hosts.push({
      id,
      address,
      stateFile,
      target: {
        id,
        name: `Host ${'AB'[i]}`,
        transport: 'ssh',
        endpoint: 'full',
        connectTimeoutMs: 10_000,
        hostName: address,
        port,
        userName: 'root',
        keyFilePath: join(dir, 'client_key'),
        knownHostsFile: knownHosts,
      },
    });
  });

  // The subsystem runs under `$SHELL -c`: a wrapper without spaces, with what a tool-installed pwsh needs.
  const dotnet = spawnSync('sh', ['-c', 'command -v dotnet'], { encoding: 'utf8' }).stdout.trim();
  const dotnetRoot = process.env.DOTNET_ROOT || (dotnet ? dirname(realpathSync(dotnet)) : '');
  const wrapper = (file: string, extra: string) => {
    writeFileSync(
      file,
      `#!/bin/sh\n${dotnetRoot ? `export DOTNET_ROOT='${dotnetRoot}'\n` : ''}exec '${pwsh.path}' -sshs -NoLogo${extra} "$@"\n`,
    );
    chmodSync(file, 0o755);
  };
  wrapper(join(dir, 'pwsh-sshs'), '');
  if (options.jeaConfigurationFile)
    wrapper(join(dir, 'pwsh-jea'), ` -ConfigurationFile '${options.jeaConfigurationFile}'`);
  const config = [
    `Port ${port}`,
    ...TEST_ADDRESSES.map((a) => `ListenAddress ${a}`),
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'MaxStartups 100',
    `Subsystem powershell ${join(dir, 'pwsh-sshs')}`,
    ...(options.jeaConfigurationFile ? [`Subsystem ${JEA_SSH_SUBSYSTEM} ${join(dir, 'pwsh-jea')}`] : []),
    ...hosts.flatMap((h) => [
      `Match LocalAddress ${h.address}`,
      `  SetEnv DDA_SIM_STATE=${h.stateFile} DDA_SIM_MODULE=${simulatorModulePath()}`,
    ]),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'sshd_config'), config);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  run(SSHD, ['-t', '-f', join(dir, 'sshd_config')]);

  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const listening = new Set<string>();
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        for (const a of TEST_ADDRESSES) if (log.includes(`Server listening on ${a} port ${port}`)) listening.add(a);
        if (listening.size === TEST_ADDRESSES.length) {
          proc.stderr?.off('data', onData);
          proc.stderr?.resume();
          resolve();
        }
      };
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`sshd exited (${code}): ${log.slice(-2000)}`)));
      proc.once('error', reject);
    });
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc?.pid || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    killTree(proc.pid);
    await exited;
  };
  await start();
  const scan = spawnSync('ssh-keyscan', ['-p', String(port), ...TEST_ADDRESSES], { encoding: 'utf8' });
  if (!scan.stdout.trim()) throw new Error(`ssh-keyscan found no host keys: ${scan.stderr}`);
  writeFileSync(knownHosts, scan.stdout);

  return {
    dir,
    port,
    hosts,
    jeaTarget: (i) => {
      if (!options.jeaConfigurationFile) throw new Error('started without a JEA configuration file');
      const h = hosts[i]!;
      return {
        ...h.target,
        id: `${h.id}-jea`,
        name: `${h.target.name} (JEA)`,
        endpoint: 'jea',
        subsystem: JEA_SSH_SUBSYSTEM,
      };
    },
    wrongKeyTarget: (i) => ({
      ...hosts[i]!.target,
      id: `${hosts[i]!.id}-wrong-key`,
      keyFilePath: join(dir, 'wrong_key'),
    }),
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
