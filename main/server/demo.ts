/**
 * `npm run demo`: the app in browser mode on a simulated host. Builds the renderer when it is missing
 * or older than its sources, then prints one line: DDA Studio listening on http://127.0.0.1:<port>/?token=<token>
 * Options: --simulate <profile|file> (default ml30-connectx4), --sim-state <file>, --port <n>;
 * `npm run serve` (--real) serves this machine's real Hyper-V host instead (Server Core). Remote hosts
 * come from hosts.json in the local host's data folder; their passwords are kept in memory only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApi } from '../api/create-api';
import { defaultDataDir } from '../data-dir';
import { openHost } from '../host/host-connection';
import { createHostPool } from '../hosts/host-pool';
import { projectRoot } from '../project-root';
import { browserShellHooks } from '../api/engine-setting';
import { DEFAULT_PROFILE } from '../simulator/profiles';
import { startServer } from './serve';

/** The newest modification time under a folder. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/renderer unless it is newer than renderer/ and shared/. */
export function ensureRendererBuilt(root = projectRoot()): string {
  const out = join(root, 'dist', 'renderer');
  const index = join(out, 'index.html');
  const stale =
    !existsSync(index) ||
    statSync(index).mtimeMs < Math.max(newest(join(root, 'renderer')), newest(join(root, 'shared')));
  if (stale) {
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        join(root, 'renderer', 'vite.config.ts'),
        '--logLevel',
        'warn',
      ],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0) throw new Error('Building the renderer failed.');
  }
  return out;
}

export async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      simulate: { type: 'string' },
      'sim-state': { type: 'string' },
      port: { type: 'string' },
      real: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.real && (values.simulate || values['sim-state']))
    throw new Error('--real serves this host; it cannot be combined with --simulate or --sim-state');
  const port = values.port ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');
  const staticDir = ensureRendererBuilt();
  const host = values.real
    ? openHost({})
    : openHost({
        simulate: values.simulate ?? (values['sim-state'] ? null : DEFAULT_PROFILE),
        simState: values['sim-state'] ?? null,
      });
  for (const notice of host.notices ?? []) process.stderr.write(`demo: ${notice}\n`);
  // No OS credential store in browser mode: passwords of remote hosts live in this process only.
  // Remote hosts in the data folder the app and the CLI share (the local host's own data is apart from it).
  const pool = createHostPool(host, values.real ? { dataDir: defaultDataDir() } : {});
  const { api, events } = createApi(pool, browserShellHooks());
  const server = await startServer({ api, events, staticDir, port });
  process.stdout.write(`DDA Studio listening on ${server.url}\n`);
  const stop = async () => {
    await server.close();
    await pool.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  main().catch((e: unknown) => {
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
