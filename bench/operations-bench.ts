/**
 * Operations on the simulator: per assign, move and revert (and a rollback), the PowerShell round
 * trips (session invokes) of plan and run, the Hyper-V/PnP cmdlet calls the steps made (simulator
 * counters, inventory reads excluded), and the wall time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHost } from '../main/host/host-connection';
import { hostServices } from '../main/host/host-services';
import { createSimState } from '../main/simulator/profiles';
import type { Intent, PlanChoices } from '../shared/plan';

const GPU = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
/** Cmdlets only the inventory calls; the rest are the steps' own. */
const inventoryCmdlets = new Set([
  'Get-PnpDevice',
  'Get-PnpDeviceProperty',
  'Get-CimInstance',
  'Get-WmiObject',
  'Get-VMHost',
  'Get-DdaPlatformFacts',
  'Get-VMHostAssignableDevice',
  'Get-VMAssignableDevice',
]);

/** One row per operation. */
export async function benchOperations(): Promise<Array<Record<string, string | number>>> {
  const host = openHost({
    simState: createSimState('gpu-workstation'),
    extraScriptDirs: [join(import.meta.dirname, 'scripts')],
  });
  const { operations, readInventory } = hostServices(host);
  const rows: Array<Record<string, string | number>> = [];
  const stats = async (): Promise<Record<string, number>> => {
    const r = await host.runner.invoke<{ calls: Record<string, number> }>('bench-stats', {});
    return r.ok ? r.value.calls : {};
  };
  try {
    await readInventory(); // measure the devices while they are on the host
    const measure = async (
      name: string,
      intent: Intent,
      choices: PlanChoices = { consents: [], startVmAfter: false },
    ) => {
      await host.runner.invoke('bench-reset-stats', {});
      const invokes0 = host.session.counters.calls;
      const t0 = performance.now();
      const plan = await operations.plan(intent, choices);
      const tPlan = performance.now() - t0;
      const invokesPlan = host.session.counters.calls - invokes0;
      const r = await operations.run(plan.id);
      const wall = performance.now() - t0;
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      const invokes = host.session.counters.calls - invokes0;
      const calls = await stats();
      const stepCalls = Object.entries(calls)
        .filter(([k]) => !inventoryCmdlets.has(k))
        .reduce((n, [, v]) => n + v, 0);
      rows.push({
        operation: name,
        outcome: r.value.status,
        steps: plan.steps.length,
        'round trips: plan': invokesPlan,
        'round trips: plan + run': invokes,
        'step cmdlet calls': stepCalls,
        'plan (ms)': Math.round(tPlan),
        'wall time (ms)': Math.round(wall),
      });
    };
    await measure('assign GPU + audio to GPU-Render', {
      kind: 'assign',
      locationPath: GPU,
      vmName: 'GPU-Render',
      includeSiblings: true,
    });
    await measure(
      'move GPU to running Prod-SQL01',
      { kind: 'move', locationPath: GPU, toVm: 'Prod-SQL01' },
      { consents: ['turn-off-vm'], startVmAfter: true },
    );
    await measure(
      'revert GPU to the host',
      { kind: 'revert', locationPath: GPU },
      { consents: ['turn-off-vm'], startVmAfter: true },
    );
    // A failure at the last step: the whole rollback, then a verifying inventory read.
    const state = JSON.parse(readFileSync(host.simState!, 'utf8')) as { faults?: unknown[] };
    state.faults = [{ cmdlet: 'Add-VMAssignableDevice', message: 'injected by the benchmark', times: 1 }];
    writeFileSync(host.simState!, JSON.stringify(state));
    await measure('assign GPU, fault at the add, rolled back', {
      kind: 'assign',
      locationPath: GPU,
      vmName: 'GPU-Render',
    });
  } finally {
    await host.close();
  }
  return rows;
}
