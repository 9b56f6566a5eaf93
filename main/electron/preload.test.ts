/** The built preload exposes exactly the contract's methods plus onEvent, and strips the IPC event. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { channelOf, EVENT_CHANNEL, methodNames } from '../../shared/contract';
import { projectRoot } from '../project-root';

async function loadPreload() {
  const out = await build({
    entryPoints: [join(projectRoot(), 'main/electron/preload.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    external: ['electron'],
    metafile: true,
  });
  const code = out.outputFiles[0]!.text;
  const sources = Object.keys(out.metafile.inputs).sort();
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, (...a: unknown[]) => void>();
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, value: unknown) => (exposed[name] = value) },
    ipcRenderer: {
      invoke: (...a: unknown[]) => (invoked.push(a), Promise.resolve({ ok: true, value: null })),
      on: (ch: string, fn: (...a: unknown[]) => void) => listeners.set(ch, fn),
      removeListener: (ch: string) => listeners.delete(ch),
    },
  };
  const requireStub = (id: string) => {
    if (id === 'electron') return electron;
    throw new Error(`preload must not require ${id}`);
  };
  const module = { exports: {} };
  runInNewContext(code, { require: requireStub, module, exports: module.exports, console, TypeError, Object });
  return { exposed, invoked, listeners, code, sources };
}

describe('preload', () => {
  it('exposes one global with exactly the contract methods and onEvent', async () => {
    const { exposed } = await loadPreload();
    expect(Object.keys(exposed)).toEqual(['dda']);
    const dda = exposed.dda as Record<string, unknown>;
    expect(Object.keys(dda).sort()).toEqual([...methodNames, 'onEvent'].sort());
    expect(Object.isFrozen(dda)).toBe(true);
  });
  it('each method invokes its own channel; events arrive without the IPC event and can be unsubscribed', async () => {
    const { exposed, invoked, listeners } = await loadPreload();
    const dda = exposed.dda as Record<string, (...a: unknown[]) => unknown>;
    await dda.getInventory!({ refresh: true });
    expect(invoked).toEqual([[channelOf('getInventory'), { refresh: true }]]);
    const got: unknown[] = [];
    const off = dda.onEvent!((e: unknown) => got.push(e)) as () => void;
    listeners.get(EVENT_CHANNEL)!({ sender: 'secret-ipc-event' }, { type: 'inventory-changed', readAt: 'now' });
    // the app menu's export request reaches the page like any event (the page exports the host it shows)
    listeners.get(EVENT_CHANNEL)!({ sender: 'secret-ipc-event' }, { type: 'export-activity-requested' });
    expect(got).toEqual([{ type: 'inventory-changed', readAt: 'now' }, { type: 'export-activity-requested' }]);
    off();
    expect(listeners.has(EVENT_CHANNEL)).toBe(false);
  });
  it('the host methods are there, each on its own channel, passing the host id through untouched', async () => {
    const { exposed, invoked } = await loadPreload();
    const dda = exposed.dda as Record<string, (...a: unknown[]) => unknown>;
    for (const m of ['listHosts', 'saveHost', 'testHost', 'removeHost', 'getPrepareCommands'] as const)
      expect(typeof dda[m]).toBe('function');
    await dda.removeHost!({ host: 'hv-01' });
    await dda.getInventory!({ host: 'hv-01', refresh: false });
    expect(invoked).toEqual([
      [channelOf('removeHost'), { host: 'hv-01' }],
      [channelOf('getInventory'), { host: 'hv-01', refresh: false }],
    ]);
  });
  it('carries only the names of the methods, no schema or validation code (the main side validates)', async () => {
    const { sources, code } = await loadPreload();
    expect(sources).toEqual(['main/electron/preload.ts', 'shared/channels.ts']);
    expect(code.length).toBeLessThan(4000);
  });
  it('requires nothing but electron (sandboxed preloads cannot)', async () => {
    const { code } = await loadPreload();
    expect([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(readFileSync(join(projectRoot(), 'main/electron/preload.ts'), 'utf8')).not.toMatch(
      /ipcRenderer\.send\b|exposeInMainWorld\([^)]*ipcRenderer/,
    );
  });
});
