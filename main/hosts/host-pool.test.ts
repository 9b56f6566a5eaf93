/** The host pool with fake connections: lazy opening, isolation, edit/remove closing, states, passwords. */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RemoteTarget } from '../../shared/hosts';
import type { HostConnection } from '../host/host-connection';
import { memoryMeasurementStore } from '../host/measurement-store';
import type { PsResult, ScriptRunner } from '../powershell/session-types';
import { createHostPool, HostBusyError, slugOf, UnknownHostError } from './host-pool';
import { HostRegistryError, type SecretStore } from './host-registry';

type Reply = (script: string) => Promise<PsResult<unknown>>;
const okReply: Reply = async () => ({ ok: true, value: null, errors: [], durationMs: 1 });

interface Fake {
  conn: HostConnection;
  closed: () => boolean;
  calls: string[];
}

function fakeConnection(id: string, remote: RemoteTarget | null, dataDir: string, reply: Reply = okReply): Fake {
  let closed = false;
  const calls: string[] = [];
  const runner: ScriptRunner = {
    invoke: async <T>(script: string) => {
      calls.push(script);
      return (await reply(script)) as PsResult<T>;
    },
    dispose: async () => undefined,
  };
  const session = Object.assign(new EventEmitter(), runner);
  const conn = {
    hostId: id,
    remote,
    session,
    runner,
    simulated: false,
    simState: null,
    dataDir,
    measurements: memoryMeasurementStore(),
    powershell: { path: 'pwsh', source: 'path' },
    close: async () => {
      closed = true;
    },
  } as unknown as HostConnection;
  return { conn, closed: () => closed, calls };
}

function setup(options: { secrets?: SecretStore; reply?: (target: RemoteTarget) => Reply } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dda-pool-'));
  const local = fakeConnection('local', null, dir);
  const opened: Array<{ target: RemoteTarget; password: string | null; dataDir: string; fake: Fake }> = [];
  const pool = createHostPool(local.conn, {
    ...(options.secrets ? { secrets: options.secrets } : {}),
    open: (target, password, dataDir) => {
      const fake = fakeConnection(target.id, target, dataDir, options.reply?.(target));
      opened.push({ target, password, dataDir, fake });
      return fake.conn;
    },
  });
  const changes: Array<string | undefined> = [];
  pool.on('changed', (h) => changes.push(h));
  return { dir, local, pool, opened, changes };
}

const ssh = (name: string, extra: { port?: number; hostName?: string } = {}) => ({
  transport: 'ssh' as const,
  name,
  hostName: '10.0.0.5',
  ...extra,
});
const winrm = (name: string, extra: Record<string, unknown> = {}) => ({
  transport: 'winrm' as const,
  name,
  computerName: 'hv02',
  ...extra,
});

describe('host pool', () => {
  it("opens each host lazily, once, in its own data folder; the local host is the shell's own", async () => {
    const { pool, opened, local, dir } = setup();
    const a = await pool.save(ssh('HV 01 (lab)'));
    expect(a.id).toBe('hv-01-lab');
    expect(opened).toHaveLength(0);
    const h1 = pool.get('hv-01-lab');
    const h2 = pool.get('hv-01-lab');
    expect(h1).toBe(h2);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.dataDir).toBe(join(dir, 'hosts', 'hv-01-lab'));
    expect(pool.get('local').connection).toBe(local.conn);
    expect(() => pool.get('nope')).toThrow(UnknownHostError);
    expect(JSON.parse(readFileSync(join(dir, 'hosts.json'), 'utf8')).hosts[0].name).toBe('HV 01 (lab)');
  });

  it('a hung host blocks no other', async () => {
    const { pool } = setup({ reply: (t) => (t.name === 'Hung' ? () => new Promise(() => undefined) : okReply) });
    await pool.save(ssh('Hung'));
    await pool.save(ssh('Fine'));
    const hung = pool.get('hung').connection.runner.invoke('inventory');
    let hungDone = false;
    void hung.then(() => (hungDone = true));
    const r = await pool.get('fine').connection.runner.invoke('inventory');
    expect(r.ok).toBe(true);
    expect(pool.get('local').connection).not.toBe(pool.get('hung').connection);
    expect(hungDone).toBe(false);
  });

  it('connection state follows the calls: connecting, connected, failed with the error, connected again', async () => {
    let mode: 'ok' | 'down' | 'ps-error' = 'ok';
    const { pool, changes } = setup({
      reply: () => async () =>
        mode === 'ok'
          ? { ok: true, value: 1, errors: [], durationMs: 1 }
          : {
              ok: false,
              error:
                mode === 'down'
                  ? { kind: 'connection', message: 'Cannot connect to A (10.0.0.5): refused' }
                  : { kind: 'powershell', message: 'VM not found' },
              errors: [],
              durationMs: 1,
            },
    });
    await pool.save(ssh('A'));
    expect(pool.statusOf('a')).toEqual({ state: 'idle', lastError: null, readiness: null });
    const invoke = pool.get('a').runner.invoke;
    changes.length = 0;
    await invoke('x');
    expect(pool.statusOf('a').state).toBe('connected');
    expect(changes).toEqual(['a', 'a']); // connecting, connected
    mode = 'down';
    await invoke('x');
    expect(pool.statusOf('a')).toMatchObject({ state: 'failed', lastError: 'Cannot connect to A (10.0.0.5): refused' });
    mode = 'ps-error';
    await invoke('x');
    expect(pool.statusOf('a')).toMatchObject({ state: 'connected', lastError: null });
  });

  it('editing a host closes its connection and the next use opens the new definition', async () => {
    const { pool, opened } = setup();
    await pool.save(ssh('A'));
    pool.get('a');
    await pool.save({ ...ssh('A'), id: 'a', hostName: '10.0.0.6' });
    expect(opened[0]!.fake.closed()).toBe(true);
    expect(pool.peek('a')).toBeUndefined();
    expect((pool.get('a').target as { hostName: string }).hostName).toBe('10.0.0.6');
    expect(opened).toHaveLength(2);
  });

  it('a call that ends on a connection closed by an edit says nothing about the host now', async () => {
    let finish!: () => void;
    const { pool } = setup({
      reply: (t) =>
        t.port === 1
          ? () =>
              new Promise(
                (r) =>
                  (finish = () =>
                    r({ ok: false, error: { kind: 'connection', message: 'old' }, errors: [], durationMs: 1 })),
              )
          : okReply,
    });
    await pool.save(ssh('A', { port: 1 }));
    const old = pool.get('a').runner.invoke('inventory');
    expect(pool.statusOf('a').state).toBe('connecting');
    await pool.save({ ...ssh('A'), id: 'a' });
    await pool.get('a').runner.invoke('inventory');
    expect(pool.statusOf('a').state).toBe('connected');
    finish();
    await old;
    expect(pool.statusOf('a')).toMatchObject({ state: 'connected', lastError: null });
  });

  it('a definition changed behind its back (the CLI edited hosts.json) is reopened on next use', async () => {
    const { pool, opened } = setup();
    await pool.save(ssh('A'));
    pool.get('a');
    pool.registry.put({ ...ssh('A'), id: 'a', port: 2222 });
    expect((pool.get('a').target as { port?: number }).port).toBe(2222);
    expect(opened[0]!.fake.closed()).toBe(true);
  });

  it('removing closes the connection and forgets the password; the local host cannot be removed', async () => {
    const { pool, opened } = setup();
    await pool.save(winrm('W', { userName: 'admin' }), 'pw-1');
    expect(pool.hasPassword('w')).toBe(true);
    pool.get('w');
    expect(opened[0]!.password).toBe('pw-1');
    expect(await pool.remove('w')).toBe(true);
    expect(opened[0]!.fake.closed()).toBe(true);
    expect(pool.hasPassword('w')).toBe(false);
    expect(pool.targets()).toEqual([]);
    await expect(pool.remove('local')).rejects.toThrow(HostRegistryError);
    expect(await pool.remove('w')).toBe(false);
  });

  it('refuses to edit or remove a host while one of its operations runs', async () => {
    const { pool } = setup();
    await pool.save(ssh('A'));
    let release!: () => void;
    const running = pool.track('a', () => new Promise<void>((r) => (release = r)));
    await expect(pool.save({ ...ssh('A'), id: 'a' })).rejects.toThrow(HostBusyError);
    await expect(pool.remove('a')).rejects.toThrow(HostBusyError);
    release();
    await running;
    expect(await pool.remove('a')).toBe(true);
  });

  it('passwords: memory only without a credential store, the OS store when there is one; never in hosts.json', async () => {
    const mem = setup();
    expect(mem.pool.passwordStore).toBe('memory');
    await mem.pool.save(winrm('W', { userName: 'admin' }), 'pw-secret');
    expect(readFileSync(join(mem.dir, 'hosts.json'), 'utf8')).not.toContain('pw-secret');
    expect(mem.pool.hasPassword('w')).toBe(true);

    const kept = new Map<string, string>();
    const os: SecretStore = {
      available: true,
      get: (id) => kept.get(id) ?? null,
      set: (id, s) => void kept.set(id, s),
      delete: (id) => void kept.delete(id),
    };
    const withOs = setup({ secrets: os });
    expect(withOs.pool.passwordStore).toBe('os');
    await withOs.pool.save(winrm('W', { userName: 'admin' }), 'pw-2');
    expect(kept.get('w')).toBe('pw-2');
    // No password given: the stored one stays; forgetPassword drops it; dropping the user drops it too.
    await withOs.pool.save({ ...winrm('W', { userName: 'admin' }), id: 'w' });
    expect(kept.get('w')).toBe('pw-2');
    await withOs.pool.save({ ...winrm('W', { userName: 'admin' }), id: 'w' }, undefined, true);
    expect(kept.has('w')).toBe(false);
    // The password belongs to this user on this computer: another computer or user drops it...
    await withOs.pool.save({ ...winrm('W', { userName: 'admin' }), id: 'w' }, 'pw-3');
    await withOs.pool.save({ ...winrm('W', { userName: 'ADMIN' }), id: 'w', name: 'renamed' });
    expect(kept.get('w')).toBe('pw-3');
    await withOs.pool.save({ ...winrm('W', { userName: 'admin', computerName: 'elsewhere.lab' }), id: 'w' });
    expect(kept.has('w')).toBe(false);
    await withOs.pool.save({ ...winrm('W', { userName: 'admin' }), id: 'w' }, 'pw-4');
    await withOs.pool.save({ ...winrm('W', { userName: 'other' }), id: 'w' });
    expect(kept.has('w')).toBe(false);
    // ...unless a new one comes with the change.
    await withOs.pool.save({ ...winrm('W', { userName: 'admin' }), id: 'w' }, 'pw-5');
    expect(kept.get('w')).toBe('pw-5');
    await withOs.pool.save({ ...winrm('W'), id: 'w' });
    expect(kept.has('w')).toBe(false);
    await expect(withOs.pool.save(ssh('S'), 'pw')).rejects.toThrow(/only for WinRM/);
    expect(withOs.pool.targets().map((t) => t.id)).toEqual(['w']);
  });

  it('ids: a slug of the name, unique, never "local"; invalid definitions are refused', async () => {
    expect(slugOf('HV 01 (lab)')).toBe('hv-01-lab');
    expect(slugOf('"<script>alert(1)</script>$()')).toBe('script-alert-1-script');
    expect(slugOf('主机')).toBe('host');
    const { pool } = setup();
    expect((await pool.save(ssh('Local'))).id).toBe('local-2');
    expect((await pool.save(ssh('主机'))).id).toBe('host');
    expect((await pool.save(ssh('主机'))).id).toBe('host-2');
    await expect(pool.save(ssh('x', { hostName: '-oProxyCommand=evil' }))).rejects.toThrow(HostRegistryError);
    await expect(pool.save({ ...ssh('x'), id: 'local' })).rejects.toThrow(HostRegistryError);
  });

  it('a temporary test connection has its own throw-away folder and uses the saved password', async () => {
    const { pool, opened } = setup();
    await pool.save(winrm('W', { userName: 'admin' }), 'pw-saved');
    const temp = pool.openTemporary({ ...winrm('W', { userName: 'admin' }), id: 'w' });
    expect(opened[0]!.password).toBe('pw-saved');
    expect(opened[0]!.dataDir).not.toContain(join('hosts', 'w'));
    expect(existsSync(opened[0]!.dataDir)).toBe(true);
    await temp.close();
    expect(opened[0]!.fake.closed()).toBe(true);
    expect(existsSync(opened[0]!.dataDir)).toBe(false);
    expect(pool.peek('w')).toBeUndefined();
    // An edited definition that points at another computer or user is tested without the saved password.
    const elsewhere = pool.openTemporary({ ...winrm('W', { userName: 'admin', computerName: 'other.lab' }), id: 'w' });
    expect(opened[1]!.password).toBeNull();
    await elsewhere.close();
  });

  it('dispose closes every connection, the local one too', async () => {
    const { pool, opened, local } = setup();
    await pool.save(ssh('A'));
    await pool.save(ssh('B'));
    pool.get('a');
    pool.get('b');
    let localClosed = false;
    (local.conn as { close: () => Promise<void> }).close = async () => void (localClosed = true);
    await pool.dispose();
    expect(opened.map((o) => o.fake.closed())).toEqual([true, true]);
    expect(localClosed).toBe(true);
    expect(() => pool.get('a')).toThrow(/closed/);
  });
});
