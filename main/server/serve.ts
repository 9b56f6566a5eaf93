/**
 * SECURITY BOUNDARY: browser mode. Serves the built renderer and the contract over HTTP on 127.0.0.1
 * only, for Server Core hosts and for end-to-end tests. Every request needs the random token: the page
 * load carries it in the URL (and gets a SameSite=Strict HttpOnly cookie for its assets that is not the
 * token and opens nothing else: cookies reach every port of 127.0.0.1), API
 * calls in the x-dda-token header, the event stream in its URL. Host and Origin are checked (no DNS
 * rebinding, no foreign pages), no CORS headers are ever sent, and API calls go through dispatch().
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { dispatch } from '../api/dispatch';
import type { DdaApi, EventSink } from '../api/api-types';

export interface ServeOptions {
  api: DdaApi;
  events: EventSink;
  staticDir: string;
  port?: number;
  /** Fixed token (tests); random otherwise. */
  token?: string;
}

export interface RunningServer {
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function tokenEquals(a: string | undefined | null, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The page's assets are fetched with a cookie. Browsers send 127.0.0.1's cookies to every port, so to
 * another local user's server too: the cookie never holds the token, only a value derived from it that
 * opens the static files (public code) and nothing else, under a name of this port.
 */
function assetCookie(token: string): string {
  return createHmac('sha256', token).update('dda-static-assets').digest('base64url');
}
function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...securityHeaders(), ...extra });
  res.end(body);
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** Starts the browser-mode server. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const streams = new Set<ServerResponse>();
  let origin = '';
  let allowedHosts: string[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: only our own host names.
    if (!allowedHosts.includes((req.headers.host ?? '').toLowerCase())) return send(res, 421, 'Misdirected request');
    const reqOrigin = req.headers.origin;
    if (reqOrigin !== undefined && reqOrigin !== origin) return send(res, 403, 'Foreign origin');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return send(res, 403, 'Cross-site request');
    const url = new URL(req.url ?? '/', origin);

    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET' || !tokenEquals(url.searchParams.get('token'), token))
          return send(res, 401, 'Token required');
        res.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
          ...securityHeaders(),
        });
        res.write(': connected\n\n');
        streams.add(res);
        const unsubscribe = options.events.subscribe((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
        req.on('close', () => {
          unsubscribe();
          streams.delete(res);
        });
        return;
      }
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed', undefined, { Allow: 'POST' });
      const headerToken = req.headers['x-dda-token'];
      if (!tokenEquals(Array.isArray(headerToken) ? headerToken[0] : headerToken, token))
        return send(res, 401, 'Token required');
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, 'JSON only');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY) return send(res, 413, 'Request too large');
        chunks.push(chunk as Buffer);
      }
      let input: unknown;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(
          res,
          400,
          JSON.stringify({ ok: false, error: { code: 'bad-request', message: 'Body is not JSON.' } }),
          'application/json',
        );
      }
      const result = await dispatch(options.api, url.pathname.slice('/api/'.length), input);
      return send(res, 200, JSON.stringify(result), 'application/json');
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const queryToken = url.searchParams.get('token');
    const cookieName = `dda_assets_${(server.address() as AddressInfo).port}`;
    const authorized = tokenEquals(queryToken, token) || tokenEquals(cookieValue(req, cookieName), assetCookie(token));
    if (!authorized)
      return send(res, 401, 'DDA Studio: open the URL printed by the server (it carries the access token).');
    // Static files: resolved inside staticDir only.
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(options.staticDir, rel));
    if (!file.startsWith(normalize(options.staticDir + sep)) || !existsSync(file) || !statSync(file).isFile())
      return send(res, 404, 'Not found');
    const headers: Record<string, string> = {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      ...securityHeaders(),
    };
    if (tokenEquals(queryToken, token))
      headers['Set-Cookie'] = `${cookieName}=${assetCookie(token)}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
