/** The one host test: a remote host is connected first, then read; a refusal names the host and keeps its own words. */
import { describe, expect, it } from 'vitest';
import { hostTestResultSchema } from '../../shared/contract';
import type { RemoteTarget } from '../../shared/hosts';
import type { Inventory } from '../../shared/inventory';
import { InventoryError } from '../host/inventory-service';
import type { PsResult, ScriptRunner } from '../powershell/session-types';
import { HostUnreachableError, testHostConnection } from './host-test';

const target = { id: 'hv1', name: 'HV 1', transport: 'ssh', hostName: '10.0.0.5', endpoint: 'full' } as RemoteTarget;
const inventory = {
  readAt: '2026-11-30T10:00:00.000Z',
  host: {
    computerName: 'HV01',
    psEdition: 'Core',
    psVersion: '7.6.0',
    iommuPolicyEnabled: true,
    iovSupport: true,
    elevated: true,
    simulated: false,
  },
  devices: [{}, {}],
  vms: [{}],
} as unknown as Inventory;

function runner(reply: PsResult<unknown>) {
  const calls: Array<[string, unknown]> = [];
  const r: ScriptRunner = {
    invoke: async <T>(script: string, params?: Record<string, unknown>) => (
      calls.push([script, params]),
      reply as PsResult<T>
    ),
    dispose: async () => undefined,
  };
  return { r, calls };
}

describe('testHostConnection', () => {
  it("connects a remote host, then reads it: the contract's HostTestResult and the inventory", async () => {
    const { r, calls } = runner({ ok: true, value: { state: 'Opened', error: null }, errors: [], durationMs: 1 });
    const { result, inventory: inv } = await testHostConnection(
      { id: 'hv1', target, runner: r },
      async () => inventory,
    );
    expect(calls).toEqual([['remote-status', { Connect: true }]]);
    expect(inv).toBe(inventory);
    expect(hostTestResultSchema.parse(result)).toMatchObject({
      host: 'hv1',
      name: 'HV 1',
      computerName: 'HV01',
      connectMs: expect.any(Number),
      devices: 2,
      vms: 1,
      readiness: { iommu: true, readAt: inventory.readAt },
    });
  });

  it('the local host is only read (no connect time) and named by its computer', async () => {
    const { r, calls } = runner({ ok: true, value: null, errors: [], durationMs: 1 });
    const { result } = await testHostConnection({ id: 'local', target: null, runner: r }, async () => inventory);
    expect(calls).toEqual([]);
    expect(result).toMatchObject({ host: 'local', name: 'HV01', connectMs: null });
  });

  it("a refused connection throws HostUnreachableError naming the host, with the host's own reason; nothing is read", async () => {
    const { r } = runner({ ok: true, value: { error: 'Permission denied (publickey).' }, errors: [], durationMs: 1 });
    let read = 0;
    const e = await testHostConnection({ id: 'hv1', target, runner: r }, async () => (read++, inventory)).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(HostUnreachableError);
    expect(e).toBeInstanceOf(InventoryError);
    expect(e).toMatchObject({
      message: 'Cannot connect to HV 1 (ssh 10.0.0.5): Permission denied (publickey).',
      reason: 'Permission denied (publickey).',
      raw: { kind: 'connection' },
    });
    expect(read).toBe(0);
    const down = runner({ ok: false, error: { kind: 'crashed', message: 'pwsh exited' }, errors: [], durationMs: 1 });
    await expect(
      testHostConnection({ id: 'hv1', target, runner: down.r }, async () => inventory),
    ).rejects.toMatchObject({ reason: 'pwsh exited', raw: { kind: 'crashed' } });
  });
});
