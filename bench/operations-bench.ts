/** Operations on the simulator: PowerShell round trips and wall time per assign, revert and move. */
import { openHost } from '../main/host/host-connection';
import { hostServices } from '../main/host/host-services';
import { createSimState } from '../main/simulator/profiles';
import type { Intent } from '../shared/plan';

export async function benchOperations(): Promise<Array<Record<string, string | number>>> {
  const host = openHost({ simState: createSimState('gpu-workstation') });
  const { operations, readInventory } = hostServices(host);
  await readInventory();
  const rows: Array<Record<string, string | number>> = [];
  const measure = async (name: string, intent: Intent) => {
    const calls0 = host.session.counters.calls;
    const t = performance.now();
    const plan = await operations.plan(intent, { consents: [], startVmAfter: false });
    const r = await operations.run(plan.id);
    if (!r.ok || r.value.status !== 'succeeded') throw new Error(`${name} failed`);
    rows.push({ operation: name, steps: plan.steps.length, 'PowerShell round trips (plan + run)': host.session.counters.calls - calls0, 'wall time (ms)': Math.round(performance.now() - t) });
  };
  await measure('assign GPU to GPU-Render', { kind: 'assign', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)', vmName: 'GPU-Render' });
  await measure('move GPU to Dev-Linux', { kind: 'move', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)', toVm: 'Dev-Linux' });
  await measure('revert GPU to the host', { kind: 'revert', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)' });
  await host.close();
  return rows;
}
