/**
 * The host-wide locks of an operation, for real: two PowerShell sessions on one simulated host (as the
 * app and the `dda` CLI, or two admins, would be), each its own process.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlanChoices } from '../../shared/plan';
import { comparableState, freshState, readState } from '../../testing/test-support';
import { openHost } from './host-connection';
import { hostServices } from './host-services';
import { acquireHostLocks, hostLockName } from './host-lock';
import { BusyError, lockKeysOf } from './locks';

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const none: PlanChoices = { consents: [], startVmAfter: false };
const state = freshState('ml30-connectx4');
const a = openHost({ simState: state });
const b = openHost({ simState: state });
afterAll(() => Promise.all([a.close(), b.close()]));

describe('host-wide operation locks', () => {
  it('are all or none across processes, say who holds them, and end with their release', async () => {
    const releaseA = await acquireHostLocks(a.runner, 'op-a', ['device:X', 'vm:1'], 'Assign X to V [op-a]');
    expect(existsSync(`${state}.programdata`)).toBe(true);
    // one of two held by A: B gets neither, and is told who holds it
    const busy = await acquireHostLocks(b.runner, 'op-b', ['vm:2', 'VM:1'], 'Other [op-b]').catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(BusyError);
    expect((busy as Error).message).toMatch(
      /busy with an operation of Assign X to V \[op-a\] \(.+, process \d+, since /,
    );
    // vm:2 was not kept by B's refused attempt, and an unrelated key is free
    const releaseB = await acquireHostLocks(b.runner, 'op-b', ['vm:2'], 'Other [op-b]');
    await releaseB();
    await releaseA();
    const again = await acquireHostLocks(b.runner, 'op-b2', ['device:x', 'vm:1'], 'B [op-b2]');
    await again();
  });

  it('die with the process that held them', async () => {
    const c = openHost({ simState: state });
    await acquireHostLocks(c.runner, 'op-c', ['device:Y'], 'C [op-c]');
    await expect(acquireHostLocks(a.runner, 'op-a', ['device:Y'], 'A')).rejects.toBeInstanceOf(BusyError);
    const pid = c.session.pid!;
    process.kill(pid, 'SIGKILL');
    await c.close().catch(() => undefined);
    // the kernel closes its files once the process is gone
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(alive, { timeout: 10_000 }).toBe(false);
    const release = await acquireHostLocks(a.runner, 'op-a', ['device:Y'], 'A');
    await release();
  });

  it("refuse another process's operation on the same device, which then runs once they are released", async () => {
    const opsB = hostServices(b).operations;
    const plan = await opsB.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    const before = comparableState(state);
    // A (the app, say) is running an operation on the same device and VM
    const releaseA = await acquireHostLocks(a.runner, 'op-gui', lockKeysOf(plan), 'Assign Mellanox [op-gui]');
    const refused = await opsB.run(plan.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('op-gui') } });
    expect(comparableState(state)).toEqual(before);
    await releaseA();
    const run = await opsB.run(plan.id);
    expect(run.ok && run.value.status).toBe('succeeded');
    expect(readState(state).vms.find((v) => v.name === 'Router-01')!.assignedDevices).toEqual([CX4]);
    // the run released what it held: A can take them
    const again = await acquireHostLocks(a.runner, 'op-next', lockKeysOf(plan), 'next');
    await again();
  });

  it('name each key by its hash only, the same in any case', () => {
    expect(hostLockName('device:PCIROOT(0)#PCI(0100)')).toMatch(/^[0-9a-f]{32}$/);
    expect(hostLockName('device:pciroot(0)#pci(0100)')).toBe(hostLockName('DEVICE:PCIROOT(0)#PCI(0100)'));
  });
});
