/** Browser mode's security boundary: loopback only, the token everywhere, Host/Origin checks, no CORS. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../shared/contract';
import type { DdaApi } from '../api/api-types';
import { createEventSink } from '../api/event-sink';
import { startServer, type RunningServer } from './serve';

const calls: string[] = [];
const api = Object.fromEntries(
  methodNames.map((m) => [
    m,
    async () => {
      calls.push(m);
      return { ok: true, value: m === 'getActivity' ? [] : {} };
    },
  ]),
) as unknown as DdaApi;
const events = createEventSink();
let server: RunningServer;
let port: number;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; untilFirstChunk?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
          if (opts.untilFirstChunk && body.includes('\n\n')) {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
            req.destroy();
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
const apiCall = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  call(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-dda-token': server.token, ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dda-serve-'));
  const staticDir = join(dir, 'dist');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>DDA Studio</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static folder');
  server = await startServer({ api, events, staticDir });
  port = Number(new URL(server.origin).port);
});
afterAll(() => server.close());

describe('browser mode server', () => {
  it('listens on 127.0.0.1 only, and prints one URL with a long random token', async () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{43}$`));
    await expect(
      new Promise((resolve, reject) => {
        const s = connect({ host: '127.0.0.2', port }, () => (s.destroy(), resolve('connected')));
        s.on('error', reject);
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('needs the token for the page, the API and the event stream', async () => {
    expect((await call('/')).status).toBe(401);
    expect((await call('/?token=wrong')).status).toBe(401);
    const page = await call(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    // Cookies reach every port of 127.0.0.1 (another user's server too): never the token, only an asset key.
    const cookie = page.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^dda_assets_${port}=[A-Za-z0-9_-]+; HttpOnly; SameSite=Strict; Path=/$`));
    expect(cookie).not.toContain(server.token);
    const assetKey = cookie.split(';')[0]!;
    expect((await call('/', { headers: { cookie: assetKey } })).status).toBe(200);
    expect((await apiCall('getAppInfo', {}, { cookie: assetKey, 'x-dda-token': assetKey.split('=')[1]! })).status).toBe(
      401,
    );
    expect((await call(`/api/events?token=${assetKey.split('=')[1]!}`)).status).toBe(401);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    calls.length = 0;
    expect((await apiCall('getAppInfo', {}, { 'x-dda-token': 'wrong' })).status).toBe(401);
    expect(
      (await call('/api/getAppInfo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
        .status,
    ).toBe(401);
    expect(calls).toEqual([]);
    const ok = await apiCall('getAppInfo', {});
    expect([ok.status, JSON.parse(ok.body).ok]).toEqual([200, true]);
    expect(calls).toEqual(['getAppInfo']);
    expect((await call('/api/events')).status).toBe(401);
    const stream = call(`/api/events?token=${server.token}`, { untilFirstChunk: true });
    const first = await stream;
    expect([first.status, first.headers['content-type']]).toEqual([200, 'text/event-stream']);
  });

  it('refuses foreign Host (DNS rebinding), foreign Origin and cross-site requests, and never sends CORS headers', async () => {
    expect((await call(`/?token=${server.token}`, { headers: { host: `evil.example:${port}` } })).status).toBe(421);
    const foreign = await apiCall('getAppInfo', {}, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await apiCall('getAppInfo', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const preflight = await call('/api/getAppInfo', {
      method: 'OPTIONS',
      headers: { origin: server.origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(405);
    for (const r of [foreign, preflight, await apiCall('getAppInfo', {}, { origin: server.origin })]) {
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('serves only files inside the built renderer', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      expect((await call(`${p}?token=${server.token}`)).status).toBe(404);
    }
  });

  it('API calls: JSON only, bounded size, unknown methods and bad shapes refused before the API', async () => {
    calls.length = 0;
    expect(
      (
        await call('/api/getAppInfo', {
          method: 'POST',
          headers: { 'x-dda-token': server.token, 'content-type': 'text/plain' },
          body: '{}',
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await call('/api/getAppInfo', {
          method: 'POST',
          headers: { 'x-dda-token': server.token, 'content-type': 'application/json' },
          body: 'x'.repeat(300 * 1024),
        })
      ).status,
    ).toBe(413);
    const unknown = await apiCall('runPowerShell', { script: 'whoami' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const badShape = await apiCall('getInventory', { refresh: 'yes', extra: '$(whoami)' });
    expect(JSON.parse(badShape.body)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(calls).toEqual([]);
  });
});
