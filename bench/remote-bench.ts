/**
 * Remote hosts over SSH (loopback sshd, simulated hosts): the per-call overhead of a remote call
 * against a local one, connection set-up, inventory and a whole assign + revert.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHost, type HostConnection } from '../main/host/host-connection';
import { openRemoteHost } from '../main/hosts/remote-connection';
import { hostServices } from '../main/host/host-services';
import { startSshTestHosts, sshTestHostsUnavailable } from '../testing/ssh-test-hosts';
import { projectRoot } from '../main/project-root';
import { profilePath } from '../main/simulator/profiles';
import { median } from './stats';

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const fixtures = join(projectRoot(), 'main', 'powershell', 'test-fixtures');

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(host: HostConnection, n: number) {
  const services = hostServices(host);
  const cold = await timed(() => host.runner.invoke('echo', { Value: 1 }));
  const warm: number[] = [];
  for (let i = 0; i < n; i++)
    warm.push(await timed(() => host.runner.invoke('echo', { Value: 'x'.repeat(100), Other: i })));
  const inv: number[] = [];
  for (let i = 0; i < 10; i++) inv.push(await timed(() => services.readInventory()));
  const none = { consents: [], startVmAfter: false };
  const cycle = await timed(async () => {
    const a = await services.operations.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    await services.operations.run(a.id);
    const r = await services.operations.plan({ kind: 'revert', locationPath: CX4 }, none);
    await services.operations.run(r.id);
  });
  return { cold, warm: median(warm), inv: median(inv), cycle };
}

export async function benchRemote(): Promise<Array<Record<string, string | number>>> {
  const why = sshTestHostsUnavailable();
  if (why) return [{ metric: `skipped: ${why}`, local: '', 'remote (ssh)': '', overhead: '' }];
  const sshd = await startSshTestHosts({ profiles: ['ml30-connectx4', 'ml30-connectx4'] });
  const localState = join(mkdtempSync(join(tmpdir(), 'dda-bench-')), 'state.json');
  copyFileSync(profilePath('ml30-connectx4'), localState);
  const local = openHost({ simState: localState, extraScriptDirs: [fixtures] });
  const remote = openRemoteHost(sshd.hosts[0]!.target, {
    dataDir: join(sshd.dir, 'bench-data'),
    extraScriptDirs: [fixtures],
  });
  try {
    const l = await measure(local, 200);
    const r = await measure(remote, 200);
    const row = (metric: string, a: number, b: number, digits = 0) => ({
      metric,
      local: Number(a.toFixed(digits)),
      'remote (ssh)': Number(b.toFixed(digits)),
      overhead: `+${(b - a).toFixed(digits)}`,
    });
    return [
      row('first call: start pwsh (+ connect, load our code remotely)', l.cold, r.cold),
      row('warm call, echo script (median of 200)', l.warm, r.warm, 2),
      row('inventory, ml30-connectx4 (median of 10)', l.inv, r.inv),
      row('assign + revert ConnectX-4 Lx (12 steps)', l.cycle, r.cycle),
    ];
  } finally {
    await Promise.all([local.close(), remote.close()]);
    await sshd.close();
  }
}
