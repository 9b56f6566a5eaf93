/**
 * Inventory benchmark: wall time (median of warm runs) and CIM query count on generated hosts of
 * 16..1,024 device functions; cold vs warm session; the app's inventory against the bare cost of the
 * same cmdlet calls in the same pwsh (bench/scripts/bench-bare-calls.ps1: every call inventory.ps1 makes,
 * nothing joined), as a ratio next to the issue's goal.
 *
 * "Warm" is a session past PowerShell's compile threshold. PowerShell runs a function or script block
 * through its interpreter for its first 32 calls and compiles it on the 33rd, in the background
 * (LightLambda's compilation threshold: read with reflection on pwsh 7.6.9, `_compilationThreshold`
 * counts 31, 30 ... 0, -1, and the compiled delegate is there from the 34th call); a script of more than
 * 300 statements is never compiled (PowerShell's Compiler.cs, `_stmtCount > 300`; inventory.ps1's own
 * body is one: its threshold starts at int.MaxValue), only the functions it defines and calls are. A
 * function inventory.ps1 calls once per run (Read-DdaProps, the host functions) is therefore
 * interpreted for the session's first 33 inventories, and the simulator's functions, which both sides
 * call, for the first 16-17 rounds. Best-of-15 after 4 warm-up rounds timed each side partly before and
 * partly after its step down (at 256 functions about 270 ms to 120 ms for both sides), and read 1.15x,
 * 1.25x and 1.53x on identical code in one hour. So both sides get WARMUPS rounds first, then RUNS
 * interleaved runs; the warming column is the inventory's median over the warm-up rounds after the first
 * (what a session's first inventories take), the cold column the first.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHost } from '../main/host/host-connection';
import { readInventory } from '../main/host/inventory-service';
import { generateProfile } from '../main/simulator/generate-profile';
import { median } from './stats';

const sizes = [
  { devices: 16, vms: 4 },
  { devices: 64, vms: 8 },
  { devices: 256, vms: 32 },
  { devices: 1024, vms: 64 },
];

/** Rounds of both sides before the timed runs: past the 33rd call of every function the inventory makes (see above). */
const WARMUPS = 34;
const RUNS = 15;

/** One row per host size. */
export async function benchInventory(runs = RUNS): Promise<Array<Record<string, string | number>>> {
  const rows: Array<Record<string, string | number>> = [];
  const dir = mkdtempSync(join(tmpdir(), 'dda-bench-inv-'));
  for (const size of sizes) {
    const state = join(dir, `host-${size.devices}.json`);
    writeFileSync(state, JSON.stringify(generateProfile({ ...size, seed: 7 })));
    const host = openHost({ simState: state, extraScriptDirs: [join(import.meta.dirname, 'scripts')] });
    try {
      const t0 = performance.now();
      await readInventory(host.runner, { memory: host.measurements });
      const cold = performance.now() - t0;
      const warming: number[] = [];
      for (let i = 0; i < WARMUPS; i++) {
        // warm both sides alike
        await host.runner.invoke('bench-bare-calls', {});
        const t = performance.now();
        await readInventory(host.runner, { memory: host.measurements });
        warming.push(performance.now() - t);
      }
      await host.runner.invoke('bench-reset-stats', {});
      await readInventory(host.runner, { memory: host.measurements });
      const stats = await host.runner.invoke<{ cim: Record<string, number> }>('bench-stats', {});
      const cimPerRun = stats.ok ? Object.values(stats.value.cim).reduce((a, b) => a + b, 0) : NaN;
      // Interleaved (inventory, bare, inventory, bare...): a neighbour's load disturbs both sides alike.
      const warm: number[] = [];
      const bare: number[] = [];
      // Interleaved, each timed call after a collection in PowerShell: one call's garbage is not the next one's pause.
      for (let i = 0; i < runs; i++) {
        await host.runner.invoke('bench-gc', {});
        let t = performance.now();
        await readInventory(host.runner, { memory: host.measurements });
        warm.push(performance.now() - t);
        await host.runner.invoke('bench-gc', {});
        t = performance.now();
        await host.runner.invoke('bench-bare-calls', {});
        bare.push(performance.now() - t);
      }
      const best = Math.min(...warm) / Math.min(...bare);
      rows.push({
        'device functions': size.devices,
        VMs: size.vms,
        'cold session (ms)': Math.round(cold),
        [`warming: inventories 2-${WARMUPS + 1}, median (ms)`]: Math.round(median(warming)),
        'warm inventory median / best (ms)': `${Math.round(median(warm))} / ${Math.round(Math.min(...warm))}`,
        'bare cmdlet calls median / best (ms)': `${Math.round(median(bare))} / ${Math.round(Math.min(...bare))}`,
        'inventory / bare: medians': `${(median(warm) / median(bare)).toFixed(2)}x`,
        'inventory / bare: best runs': `${best.toFixed(2)}x`,
        // The goal is set at 256 and 1,024 functions; smaller hosts are shown, not judged. It is
        // judged on each side's best run: on 2 busy cores a quarter of the runs of either side take 1.5x
        // as long (another process, a collection, a tier-up), and the ratio of two medians of 7 swings
        // with where they fall; a side's best run is its own cost.
        goal: size.devices >= 256 ? '<= 1.3x (best runs)' : '',
        met: size.devices >= 256 ? (best <= 1.3 ? 'yes' : 'NO') : '',
        'CIM queries / inventory': cimPerRun,
      });
    } finally {
      await host.close();
    }
  }
  return rows;
}
