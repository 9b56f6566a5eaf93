/**
 * One remote round trip: a simulated Hyper-V host behind the test sshd is captured over PowerShell
 * remoting (the same scripts, forwarded), and the capture replayed here gives the inventory the remote
 * host gave (bar timestamps).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../shared/inventory';
import { openHost, type HostConnection } from '../host/host-connection';
import { openRemoteHost } from '../hosts/remote-connection';
import { readInventory } from '../host/inventory-service';
import { memoryMeasurementStore } from '../host/measurement-store';
import { startSshTestHosts, sshTestHostsUnavailable, type SshTestHosts } from '../../testing/ssh-test-hosts';
import { captureHost } from './capture';

const unavailable = sshTestHostsUnavailable();
if (unavailable && process.env.CI) throw new Error(`The remote tests must run in CI, but: ${unavailable}`);
const comparable = (inv: Inventory): unknown =>
  JSON.parse(JSON.stringify(inv, (k, v: unknown) => (k === 'readAt' || k === 'measuredAt' ? undefined : v)));

describe.skipIf(!!unavailable)(`host capture over SSH${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: SshTestHosts;
  let remote: HostConnection;
  beforeAll(async () => {
    sshd = await startSshTestHosts({ profiles: ['lifelines-host', 'ml30-connectx4'] });
    // A generous connect limit: a loaded machine starts the remote pwsh slowly (a limit, not an assertion).
    remote = openRemoteHost(
      { ...sshd.hosts[0]!.target, connectTimeoutMs: 90_000 },
      { dataDir: join(sshd.dir, 'data-0') },
    );
  });
  afterAll(async () => {
    await remote?.close();
    await sshd?.close();
  });

  it('captures the remote host and the capture replays here to the same inventory', async () => {
    const live = await readInventory(remote.runner, { memory: memoryMeasurementStore() });
    const profile = await captureHost(remote.runner);
    const file = join(mkdtempSync(join(tmpdir(), 'dda-capture-remote-')), 'capture.json');
    writeFileSync(file, JSON.stringify(profile));
    const local = openHost({ simulate: file });
    try {
      const replayed = await readInventory(local.runner, { memory: memoryMeasurementStore() });
      expect(live.host.computerName).toBe('LIFELINE-HV');
      expect(comparable(replayed)).toEqual(comparable(live));
    } finally {
      await local.close();
    }
  }, 300_000);
});
