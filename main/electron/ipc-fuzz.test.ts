/**
 * IPC fuzz: thousands of malformed payloads through the real handler layer (sender check + dispatch +
 * the real API over a spy PowerShell runner). None may reach PowerShell, none may throw.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { methodNames } from '../../shared/contract';
import { createApi, memoryShellHooks } from '../api/create-api';
import type { HostConnection } from '../host/host-connection';
import { memoryMeasurementStore } from '../host/measurement-store';
import type { ScriptRunner } from '../powershell/session-types';
import { isTrustedSender, makeIpcHandler, type SenderInfo } from './ipc';

function spyHost(): { host: HostConnection; invokes: unknown[] } {
  const invokes: unknown[] = [];
  const runner: ScriptRunner = {
    invoke: async (script, params) => {
      invokes.push({ script, params });
      return { ok: false, error: { kind: 'powershell', message: 'spy' }, errors: [], durationMs: 0 };
    },
    dispose: async () => undefined,
  };
  const session = Object.assign(new EventEmitter(), runner);
  const host = {
    session,
    runner,
    simulated: true,
    simState: null,
    dataDir: mkdtempSync(join(tmpdir(), 'dda-fuzz-')),
    measurements: memoryMeasurementStore(),
    powershell: { path: 'pwsh', source: 'path' },
    close: async () => undefined,
  } as unknown as HostConnection;
  return { host, invokes };
}

/** A seeded PRNG so failures reproduce. */
function rng(seed: number) {
  let a = seed;
  return () => ((a = (a * 1664525 + 1013904223) >>> 0) / 4294967296);
}

const hostile = ["'; Remove-Item C:\\ -Recurse #", '$(Stop-Computer)', '`n`r', '"\u0000', '<script>alert(1)</script>', '中文😀', 'x'.repeat(100_000), '__proto__', 'constructor', '../../etc/passwd'];

function junk(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 10);
  if (depth > 6) return hostile[Math.floor(rand() * hostile.length)];
  switch (pick) {
    case 0: return null;
    case 1: return rand() * 1e12 - 5e11;
    case 2: return rand() < 0.5;
    case 3: return hostile[Math.floor(rand() * hostile.length)];
    case 4: return Array.from({ length: Math.floor(rand() * 5) }, () => junk(rand, depth + 1));
    case 5: return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    case 6: return { [hostile[Math.floor(rand() * hostile.length)]!]: junk(rand, depth + 1), zz: 1 };
    case 7: return { intent: junk(rand, depth + 1), choices: junk(rand, depth + 1), extra: true };
    case 8: return { kind: 'assign', locationPath: junk(rand, depth + 1), vmName: 123 };
    default: return undefined;
  }
}

describe('IPC fuzz', () => {
  it('5,000 malformed requests: none reaches PowerShell, none throws, each gets an error envelope', async () => {
    const { host, invokes } = spyHost();
    const { api } = createApi(host, memoryShellHooks('electron'));
    const handler = makeIpcHandler(api, () => true);
    const rand = rng(42);
    const trusted: SenderInfo = { senderFrame: { url: 'app://dda/index.html', parent: null }, sender: { id: 1 } };
    for (let i = 0; i < 5000; i++) {
      const method = rand() < 0.3 ? hostile[Math.floor(rand() * hostile.length)]! : methodNames[Math.floor(rand() * methodNames.length)]!;
      let input = junk(rand);
      // Keep only inputs that cannot be valid: wrap valid-looking ones in an extra key (inputs are strict).
      if (input !== null && typeof input === 'object' && !Array.isArray(input)) input = { ...(input as object), fuzz: i };
      else if (input === undefined) input = 'not-an-object';
      const r = await handler(trusted, method, input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['bad-request']).toContain(r.error.code);
    }
    expect(invokes).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a foreign sender is refused even with a valid request', async () => {
    const { host, invokes } = spyHost();
    const { api } = createApi(host, memoryShellHooks('electron'));
    const handler = makeIpcHandler(api, (e) => isTrustedSender(e, 1));
    const valid = { refresh: true };
    const cases: SenderInfo[] = [
      { senderFrame: { url: 'https://evil.example/', parent: null }, sender: { id: 1 } },
      { senderFrame: { url: 'app://dda/index.html', parent: {} }, sender: { id: 1 } },
      { senderFrame: { url: 'app://dda/index.html', parent: null }, sender: { id: 2 } },
      { senderFrame: { url: 'file:///C:/x.html', parent: null }, sender: { id: 1 } },
      { senderFrame: null, sender: { id: 1 } },
      { senderFrame: { url: 'app://dda.evil/index.html', parent: null }, sender: { id: 1 } },
    ];
    for (const c of cases) {
      const r = await handler(c, 'getInventory', valid);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(invokes).toEqual([]);
    const ok = await handler({ senderFrame: { url: 'app://dda/index.html', parent: null }, sender: { id: 1 } }, 'getInventory', valid);
    expect(ok.ok).toBe(false); // the spy PowerShell fails, but the request was let through:
    expect(invokes).toHaveLength(1);
  });
});
