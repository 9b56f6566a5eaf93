/** Each test gets a fresh simulated host served in browser mode, and a page object for the main window. */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createApi, memoryShellHooks } from '../main/api/create-api';
import { simulatedDataDir } from '../main/data-dir';
import { localStartup, openSessionHost, type HostConnection } from '../main/host/host-connection';
import { fileMeasurementStore } from '../main/host/measurement-store';
import { createHostPool, type HostPool } from '../main/hosts/host-pool';
import type { InvokeOptions, PsResult, ScriptRunner } from '../main/powershell/session-types';
import { LOCAL_HOST_ID } from '../shared/hosts';
import { comparableSim } from '../testing/test-support';
import { profilePath } from '../main/simulator/profiles';
import { ensureRendererBuilt } from '../main/server/demo';
import { startServer, type RunningServer } from '../main/server/serve';

/** A simulated host: its state file and helpers to read and change it. */
export class SimHost {
  constructor(readonly stateFile: string) {}
  /** The state as the simulator has it now. */
  state(): SimState {
    return JSON.parse(readFileSync(this.stateFile, 'utf8')) as SimState;
  }
  /** Changes the state file before the app acts (faults, hostile names). */
  edit(fn: (s: SimState) => void): void {
    const s = this.state();
    fn(s);
    writeFileSync(this.stateFile, JSON.stringify(s, null, 2));
  }
  vm(name: string): SimState['vms'][number] {
    const v = this.state().vms.find((x) => x.name === name);
    if (!v) throw new Error(`no VM ${name}`);
    return v;
  }
}
export interface SimState {
  host: Record<string, unknown>;
  devices: Array<{ locationPath: string; enabled: boolean; dismounted?: boolean; friendlyName: string }>;
  vms: Array<{
    name: string;
    state: string;
    assignedDevices: string[];
    automaticStopAction: string;
    highMemoryMappedIoSpace: number;
  }>;
  faults: Array<Record<string, unknown>>;
}

/** The state without the simulator's runtime bookkeeping, for "exactly as before" comparisons. */
export const comparable = (s: SimState): unknown => comparableSim(s);

/** The main window, as the admin sees it. */
export class MainWindow {
  constructor(readonly page: Page) {}
  device(name: string | RegExp): Locator {
    return this.page.getByTestId('device').filter({ hasText: name }).first();
  }
  deviceAt(path: string): Locator {
    return this.page.locator(`[data-testid="device"][data-path="${path}"]`);
  }
  vmCard(name: string): Locator {
    return this.page.locator(`[data-testid="vm-card"][data-vm="${name.replace(/"/g, '\\"')}"]`);
  }
  get dialog(): Locator {
    return this.page.getByTestId('plan-dialog');
  }
  get runButton(): Locator {
    return this.dialog.getByTestId('run');
  }
  get outcome(): Locator {
    return this.dialog.getByTestId('outcome');
  }
  /** Drags with several pointer moves, as dnd-kit needs. */
  async drag(from: Locator, to: Locator): Promise<void> {
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (!a || !b) throw new Error('drag source or target not visible');
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 5 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
    await expect(to.getByTestId('drop-note')).toBeVisible();
    await this.page.mouse.up();
  }
  async dragDevice(deviceName: string | RegExp, vmName: string): Promise<void> {
    await this.drag(this.device(deviceName).getByTestId('device-handle'), this.vmCard(vmName));
  }
  async runAndWait(): Promise<string | null> {
    await this.runButton.click();
    await expect(this.outcome).toBeVisible();
    return this.outcome.getAttribute('data-status');
  }
  /** The host switcher's tab of a host, by id. */
  hostTab(id: string): Locator {
    return this.page.locator(`[data-testid="host-tab"][data-host="${id}"]`);
  }
  get hostDialog(): Locator {
    return this.page.getByTestId('host-dialog');
  }
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join('test-results', 'screenshots', `${name}.png`) });
  }
}

interface Fixtures {
  profile: string;
  /** A change to the fresh host before the app starts (an object: Playwright treats bare functions as fixtures). */
  prepare: { apply: (host: SimHost) => void };
  sim: SimHost;
  app: MainWindow;
}

/**
 * The worker's one PowerShell, as each unit-test file shares one (testing/test-support.ts sharedHost):
 * a cold pwsh and its first inventory cost a test about 5 s while Chromium loads the page beside it.
 * Each test points it at its own fresh state (set-sim-state) and gets its own connection to it
 * (`hostFor`): its data folder and measurements are the test's, its calls end with the test (one left
 * over would run on the next test's host), and the status listeners its pool added are taken off.
 */
class SharedSimHost {
  /** The state the worker's session is opened with, until the first test points it at its own. */
  private readonly first = join(mkdtempSync(join(tmpdir(), 'dda-e2e-worker-')), 'state.json');
  private current = this.first;
  private readonly base: HostConnection;
  constructor() {
    copyFileSync(profilePath('ml30-connectx4'), this.first);
    const startup = localStartup(this.current);
    // A session that starts again (after a call that timed out) loads the test's state, not the first one.
    Object.defineProperty(startup[0]!.params!, 'StatePath', { enumerable: true, get: () => this.current });
    this.base = openSessionHost({
      hostId: LOCAL_HOST_ID,
      remote: null,
      startup,
      simState: this.first,
      dataDir: simulatedDataDir(this.first),
      extraScriptDirs: [join(import.meta.dirname, '..', 'main', 'host', 'test-fixtures')],
    });
  }

  /** A connection to the shared session, on `stateFile`, for one test; `close()` ends it. */
  async hostFor(stateFile: string): Promise<HostConnection> {
    this.current = stateFile;
    const pointed = await this.base.runner.invoke('set-sim-state', { Path: stateFile });
    if (!pointed.ok) throw new Error(pointed.error.message);
    const session = this.base.session;
    const listening = new Set(session.listeners('status'));
    let open = true;
    // The calls sent and not yet answered: the next test points the session elsewhere only after them.
    const pending = new Set<Promise<unknown>>();
    const closed: PsResult<never> = {
      ok: false,
      error: { kind: 'not-started', message: "This test's host is closed." },
      errors: [],
      durationMs: 0,
    };
    const close = async () => {
      open = false;
      await Promise.allSettled([...pending]);
      for (const l of session.listeners('status')) if (!listening.has(l)) session.off('status', l as () => void);
    };
    const runner: ScriptRunner = {
      invoke: <T>(script: string, params?: Record<string, unknown>, options?: InvokeOptions) => {
        if (!open) return Promise.resolve(closed as PsResult<T>);
        const call = this.base.runner.invoke<T>(script, params, options);
        pending.add(call);
        const done = () => pending.delete(call);
        call.then(done, done);
        return call;
      },
      dispose: close,
      get pid() {
        return session.pid;
      },
      on: (event, listener) => session.on(event, listener),
      off: (event, listener) => session.off(event, listener),
    };
    const dataDir = simulatedDataDir(stateFile);
    return {
      ...this.base,
      runner,
      simState: stateFile,
      dataDir,
      measurements: fileMeasurementStore(join(dataDir, 'measurements.json')),
      close,
    };
  }

  async close(): Promise<void> {
    await this.base.close();
    rmSync(dirname(this.first), { recursive: true, force: true });
  }
}

export const test = base.extend<
  Fixtures & { served: { server: RunningServer; host: HostConnection; pool: HostPool; dataDir: string } },
  { sharedHost: SharedSimHost }
>({
  sharedHost: [
    async ({}, use) => {
      const shared = new SharedSimHost();
      await use(shared);
      await shared.close();
    },
    { scope: 'worker' },
  ],
  profile: ['ml30-connectx4', { option: true }],
  prepare: [{ apply: () => undefined }, { option: true }],
  sim: async ({ profile, prepare }, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'dda-e2e-'));
    const file = join(dir, 'state.json');
    copyFileSync(profilePath(profile), file);
    const sim = new SimHost(file);
    prepare.apply(sim);
    await use(sim);
  },
  served: async ({ sim, sharedHost }, use) => {
    const staticDir = ensureRendererBuilt();
    const host = await sharedHost.hostFor(sim.stateFile);
    // Each test its own hosts.json and remote data folders; browser mode keeps passwords in memory only.
    const dataDir = mkdtempSync(join(tmpdir(), 'dda-e2e-hosts-'));
    const pool = createHostPool(host, { dataDir });
    const { api, events } = createApi(pool, memoryShellHooks('browser'));
    const server = await startServer({ api, events, staticDir });
    await use({ server, host, pool, dataDir });
    await server.close();
    // Closes the pool's hosts, this test's connection to the shared session among them.
    await pool.dispose();
  },
  app: async ({ page, served }, use, testInfo) => {
    // A worker's first inventory runs in a PowerShell just started (every script JIT-compiled): seconds on
    // a loaded 2-core machine. No test measures it, so it is waited for longer than a step of a test, and
    // that wait is added to the test's own time instead of taken from it.
    testInfo.setTimeout(testInfo.timeout + 60_000);
    await page.goto(served.server.url);
    const app = new MainWindow(page);
    await expect(page.getByTestId('vm-card').first()).toBeVisible({ timeout: 60_000 });
    await use(app);
  },
});
export { expect };

/**
 * The first arrow of a keyboard drag, to the first VM card. dnd-kit's KeyboardSensor listens for arrows
 * from a later task than the one that picks the device up (`attach()` in a setTimeout), and the pick-up
 * announcement can be on screen before that: an arrow pressed then is not heard. The arrow is pressed
 * again only while the drag is over no card, so a heard press is never doubled.
 */
export async function firstArrowToCard(page: Page, vm: string): Promise<void> {
  const overlay = page.getByTestId('drag-overlay');
  await expect(async () => {
    if (((await overlay.getAttribute('data-over')) ?? '') === '') await page.keyboard.press('ArrowRight');
    await expect(overlay).toHaveAttribute('data-over', vm, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}
