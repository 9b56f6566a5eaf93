import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RemoteTargetInput } from '../../shared/hosts';
import { HostRegistry, HostRegistryError, hostsFile, noSecretStore, remoteHostDataDir } from './host-registry';

const dir = () => mkdtempSync(join(tmpdir(), 'dda-hosts-'));
const sshHost = (over: Record<string, unknown> = {}) =>
  ({ id: 'hv1', name: 'HV 1', transport: 'ssh', hostName: 'hv01.lab', ...over }) as RemoteTargetInput;
const winrmHost = (over: Record<string, unknown> = {}) =>
  ({ id: 'hv2', name: 'HV 2', transport: 'winrm', computerName: 'hv02', ...over }) as RemoteTargetInput;

function refusal(fn: () => unknown): HostRegistryError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostRegistryError) return e;
    throw e;
  }
  throw new Error('expected a HostRegistryError');
}

describe('HostRegistry', () => {
  it('starts empty, adds, replaces by id, keeps the order, removes', () => {
    const reg = new HostRegistry(hostsFile(dir()));
    expect(reg.list()).toEqual([]);
    const a = reg.put(sshHost());
    expect(a).toMatchObject({ id: 'hv1', endpoint: 'full', connectTimeoutMs: 20_000 });
    reg.put(winrmHost());
    reg.put(sshHost({ name: 'HV one', port: 2222 }));
    expect(reg.list().map((h) => [h.id, h.name])).toEqual([
      ['hv1', 'HV one'],
      ['hv2', 'HV 2'],
    ]);
    expect(reg.get('hv2')).toMatchObject({ transport: 'winrm', useSsl: false, authentication: 'Default' });
    expect(reg.get('nope')).toBeNull();
    expect(reg.remove('hv1')).toBe(true);
    expect(reg.remove('hv1')).toBe(false);
    expect(reg.list().map((h) => h.id)).toEqual(['hv2']);
  });

  it('refuses hostile host names: a leading -, spaces, quotes, $(), newlines, separators', () => {
    const reg = new HostRegistry(hostsFile(dir()));
    for (const name of [
      '-oProxyCommand=calc',
      '-x',
      'hv 01',
      "hv'01",
      'hv"01',
      'hv`01',
      '$(calc)',
      'hv01$(calc)',
      'hv01\n',
      'hv01\nx',
      'hv01;calc',
      'hv01|x',
      'hv01&x',
      '',
    ]) {
      const e = refusal(() => reg.put(sshHost({ hostName: name })));
      expect(e.kind).toBe('invalid');
      expect(e.message).toMatch(/^Invalid host: hostName: /);
      expect(refusal(() => reg.put(winrmHost({ computerName: name }))).message).toMatch(
        /^Invalid host: computerName: /,
      );
    }
    expect(reg.list()).toEqual([]);
  });

  it('refuses hostile user names, ids, subsystems, configuration names and paths on several lines', () => {
    const reg = new HostRegistry(hostsFile(dir()));
    for (const userName of ['-l', 'a b', "o'brien", '$(whoami)', 'a\nb', 'a;b', 'a"b']) {
      expect(refusal(() => reg.put(sshHost({ userName }))).message).toMatch(/userName/);
    }
    for (const id of ['-hv', 'HV1', 'hv 1', '../x', 'hv/1', '', 'a'.repeat(64)]) {
      expect(refusal(() => reg.put(sshHost({ id }))).message).toMatch(/^Invalid host: id: /);
    }
    expect(refusal(() => reg.put(sshHost({ subsystem: 'powershell -c calc' }))).message).toMatch(/subsystem/);
    expect(refusal(() => reg.put(winrmHost({ configurationName: "x'; calc" }))).message).toMatch(/configurationName/);
    expect(refusal(() => reg.put(sshHost({ keyFilePath: '/k\n-oProxyCommand=calc' }))).message).toMatch(/keyFilePath/);
    expect(refusal(() => reg.put(winrmHost({ authentication: 'CredSSP' }))).message).toMatch(/authentication/);
    expect(refusal(() => reg.put(sshHost({ port: 70000 }))).message).toMatch(/port/);
    expect(refusal(() => reg.put({ ...sshHost(), password: 'x' } as unknown as RemoteTargetInput)).message).toMatch(
      /password|Unrecognized/i,
    );
    expect(reg.list()).toEqual([]);
  });

  it('refuses to redefine the local host', () => {
    const reg = new HostRegistry(hostsFile(dir()));
    expect(refusal(() => reg.put(sshHost({ id: 'local' }))).message).toMatch(/local host/);
    expect(reg.remove('local')).toBe(false);
  });

  it('keeps a corrupt file as it is and says so', () => {
    const d = dir();
    const file = hostsFile(d);
    for (const bad of [
      '{ not json',
      JSON.stringify({ version: 1, hosts: [{ id: 'x', transport: 'ssh', hostName: '-bad', name: 'x' }] }),
      JSON.stringify({ version: 2, hosts: [] }),
    ]) {
      writeFileSync(file, bad);
      const reg = new HostRegistry(file);
      expect(refusal(() => reg.list()).kind).toBe('unreadable');
      expect(refusal(() => reg.put(sshHost())).kind).toBe('unreadable');
      expect(refusal(() => reg.remove('x')).message).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe(bad);
    }
  });

  it('writes atomically: a complete file after every change, no temporary files left', () => {
    const d = dir();
    const reg = new HostRegistry(hostsFile(d));
    for (let i = 0; i < 20; i++) reg.put(sshHost({ id: `hv${i}`, name: `HV ${i}` }));
    expect(JSON.parse(readFileSync(hostsFile(d), 'utf8')).hosts).toHaveLength(20);
    expect(readdirSync(d)).toEqual(['hosts.json']);
    // a second registry on the same file sees every write
    expect(new HostRegistry(hostsFile(d)).list()).toHaveLength(20);
  });

  it('a reader never sees a half-written file while another process writes', async () => {
    const d = dir();
    const script = join(d, 'writer.ts');
    writeFileSync(
      script,
      `import { HostRegistry } from ${JSON.stringify(join(import.meta.dirname, 'host-registry.ts'))};\n` +
        `const reg = new HostRegistry(${JSON.stringify(hostsFile(d))});\n` +
        `for (let i = 0; i < 60; i++) reg.put({ id: 'hv' + i, name: 'H'.repeat(100), transport: 'ssh', hostName: 'host-' + i + '.example.com', keyFilePath: '/k/'.repeat(200) });\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let running = true;
    void exited.then(() => (running = false));
    let reads = 0;
    while (running) {
      if (existsSync(hostsFile(d))) {
        const text = readFileSync(hostsFile(d), 'utf8');
        expect(() => JSON.parse(text)).not.toThrow();
        reads++;
      }
      await new Promise((r) => setImmediate(r));
    }
    expect(await exited).toBe(0);
    expect(reads).toBeGreaterThan(0);
    expect(new HostRegistry(hostsFile(d)).list()).toHaveLength(60);
    expect(readdirSync(d).sort()).toEqual(['hosts.json', 'writer.ts']);
  });

  it('never stores a password and has no secret store of its own in the CLI', () => {
    const d = dir();
    new HostRegistry(hostsFile(d)).put(winrmHost({ userName: 'ddaadmin' }));
    expect(readFileSync(hostsFile(d), 'utf8')).not.toMatch(/password/i);
    expect(noSecretStore.available).toBe(false);
    expect(noSecretStore.get('hv2')).toBeNull();
    expect(() => noSecretStore.set('hv2', 'x')).toThrow(HostRegistryError);
  });

  it('gives each remote host its own data folder, and only for a valid remote id', () => {
    expect(remoteHostDataDir('/data', 'hv1')).toBe(join('/data', 'hosts', 'hv1'));
    for (const id of ['local', '../x', 'a/b', '', '-x'])
      expect(() => remoteHostDataDir('/data', id)).toThrow(HostRegistryError);
  });
});
