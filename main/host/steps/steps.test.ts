/**
 * One source per step kind: what the plan shows, what the exported .ps1 holds and what the executor runs
 * agree, for every step kind and every undo. The table matches the scripts' own param blocks; each
 * plan below is run step by step twice on the simulator, through the runner as the executor runs it
 * (script + params as data) and as the exported .ps1 in a plain pwsh (the export's own text, with a
 * snapshot of the host after each call), then rolled back by its undos both ways; the host must be the
 * same after every step and every undo.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stepKinds, type Intent, type Plan, type PlanChoices, type PsAction } from '../../../shared/plan';
import { psString } from '../../../shared/ps-literal';
import { simulatorModulePath } from '../../simulator/profiles';
import { readInventory } from '../inventory-service';
import { Journal } from '../journal';
import { memoryMeasurementStore } from '../measurement-store';
import { Operations } from '../operations';
import { stepScripts } from '../recovery-checks';
import { comparableState, freshState, sharedHost, type SimJson } from '../../../testing/test-support';
import { opCall, opScriptParamNames, opScriptParams, type OpScript } from './op-scripts';

const shared = sharedHost();
afterAll(() => shared.host.close());
const runner = shared.host.runner;
const pwsh = shared.host.powershell.path;
const scriptsDir = join(import.meta.dirname, '..', '..', 'powershell', 'scripts');
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('the step-script table', () => {
  it('names every op-*.ps1 with the parameters of its own param() block, in order', () => {
    const files = readdirSync(scriptsDir)
      .filter((f) => /^op-.*\.ps1$/.test(f))
      .map((f) => f.slice(0, -4))
      .sort();
    expect(Object.keys(opScriptParams).sort()).toEqual(files);
    const paths = files.map((f) => psString(join(scriptsDir, `${f}.ps1`))).join(', ');
    const read = `foreach ($f in @(${paths})) { $ast = [System.Management.Automation.Language.Parser]::ParseFile($f, [ref]$null, [ref]$null); ($ast.ParamBlock.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath }) -join ',' }`;
    const out = execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', read], { encoding: 'utf8' });
    const blocks = out.trim().split(/\r?\n/);
    files.forEach((f, i) => expect(blocks[i], f).toBe(opScriptParamNames(f as OpScript).join(',')));
  });

  it("every step kind's script and undo scripts are step scripts; a call names only the script's parameters", () => {
    for (const k of stepKinds)
      for (const s of [stepScripts[k].action, ...stepScripts[k].undo])
        expect(Object.keys(opScriptParams), `${k}: ${s}`).toContain(s);
    expect(() => opCall('use-remote', {})).toThrow(/not a step script/);
    expect(() => opCall('op-start-vm', { VmId: 'x', Force: true })).toThrow(/no parameter Force/);
  });
});

type Case = { name: string; profile: string; edit?: (s: SimJson) => void; intent: Intent; choices: PlanChoices };
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const NVME = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';
const E810 = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const T4 = 'PCIROOT(0)#PCI(0900)#PCI(0000)';
const restart: PlanChoices = { consents: ['turn-off-vm'], startVmAfter: true };
const cases: Case[] = [
  {
    name: 'assign to a running VM (stop, disable, dismount, settings, add, start)',
    profile: 'ml30-connectx4',
    intent: { kind: 'assign', locationPath: CX4, vmName: 'File-Server' },
    choices: restart,
  },
  {
    name: 'return orphans (mount, enable)',
    profile: 'gpu-workstation',
    intent: { kind: 'return-orphans' },
    choices: { consents: [], startVmAfter: false },
    edit: (s) => {
      s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices = [];
      Object.assign(
        s.devices.find((d) => d.locationPath === NVME)!,
        { dismounted: true, enabled: false },
      );
    },
  },
  {
    name: 'move between VMs (memory settings)',
    profile: 'gpu-workstation',
    intent: { kind: 'move', locationPath: NVME, toVm: 'Prod-SQL01' },
    choices: restart,
  },
  {
    name: 'repair (every direct entry removed, added back; the undo adds them all)',
    profile: 'gpu-workstation',
    edit: (s) => s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices.push(NVME),
    intent: { kind: 'repair', vmName: 'Storage-VM' },
    choices: { consents: [], startVmAfter: false },
  },
  {
    name: 'a saved VM (its saved state removed)',
    profile: 'ws2025-pools',
    intent: { kind: 'assign', locationPath: E810, vmName: 'Render-Saved' },
    choices: { consents: ['discard-saved-state'], startVmAfter: false },
  },
  {
    name: 'a refused dismount retried by the WMI method with ACS still enforced',
    profile: 'r910-x520-zh-cn',
    intent: { kind: 'assign', locationPath: T4, vmName: '监控服务器' },
    choices: { consents: ['turn-off-vm', 'skip-device-mitigations'], startVmAfter: true },
  },
];

async function planOn(state: string, c: Case): Promise<Plan> {
  await shared.use(state);
  const memory = memoryMeasurementStore();
  const ops = new Operations({
    runner,
    journal: new Journal(tmp('dda-journal-')),
    readInventory: () => readInventory(runner, { memory }),
  });
  return ops.plan(c.intent, c.choices);
}

/** The forward calls and then the undos in reverse, as the executor and a rollback run them. */
const calls = (plan: Plan): PsAction[] => [
  ...plan.steps.map((s) => s.action),
  ...[...plan.steps].reverse().flatMap((s) => (s.undo ? [s.undo] : [])),
];

/** The exported script with a snapshot after each step's call, then each undo (from its comment) with a snapshot. */
function exportRun(plan: Plan, snaps: string[]): string {
  const lines = plan.script.split('\n');
  const snap = (i: number) => `Copy-Item -LiteralPath $env:DDA_SIM_STATE -Destination ${psString(snaps[i]!)}`;
  const out: string[] = [];
  let at = 0;
  plan.steps.forEach((s, i) => {
    const header = lines.indexOf(`# ${i + 1}. ${s.description.en}`, at);
    expect(header, s.id).toBeGreaterThan(at - 1);
    const call = header + (s.undo ? 2 : 1);
    if (s.undo) expect(lines[header + 1]).toBe(`#    undo: ${s.undo.command}`);
    expect(lines[call]).toBe(s.action.command);
    out.push(...lines.slice(at, call + 1), snap(i));
    at = call + 1;
  });
  out.push(...lines.slice(at));
  const undos = [...plan.steps].reverse().flatMap((s) => (s.undo ? [s.undo.command] : []));
  undos.forEach((u, j) => out.push(u, snap(plan.steps.length + j)));
  return out.join('\n');
}

describe('what the plan shows, the export and the executor agree on the host, for every step kind and undo', () => {
  const kindsSeen = new Set<string>();
  const scriptsSeen = new Set<string>();
  for (const c of cases) {
    it(
      c.name,
      async () => {
        const viaRunner = freshState(c.profile, c.edit);
        const plan = await planOn(viaRunner, c);
        expect(plan.blocked).toBeNull();
        const viaExport = join(tmp('dda-export-'), 'state.json');
        copyFileSync(viaRunner, viaExport);
        const actions = calls(plan);
        for (const a of actions) expect(a.command).toBe(opCall(a.script, a.params)); // shown = made from what runs
        const dir = tmp('dda-snaps-');
        const runnerSnaps = actions.map((_, i) => join(dir, `runner-${i}.json`));
        const exportSnaps = actions.map((_, i) => join(dir, `export-${i}.json`));
        for (const [i, a] of actions.entries()) {
          const r = await runner.invoke(a.script, a.params);
          expect(r.ok, `${a.command}: ${r.ok ? '' : r.error.message}`).toBe(true);
          copyFileSync(viaRunner, runnerSnaps[i]!);
        }
        const file = join(dir, 'plan-and-rollback.ps1');
        writeFileSync(file, exportRun(plan, exportSnaps));
        execFileSync(
          pwsh,
          [
            '-NoProfile',
            '-NonInteractive',
            '-Command',
            `Import-Module ${psString(simulatorModulePath())}; . ${psString(file)}`,
          ],
          { env: { ...process.env, DDA_SIM_STATE: viaExport }, stdio: 'pipe' },
        );
        actions.forEach((a, i) =>
          expect(comparableState(exportSnaps[i]!), `after ${i}: ${a.command}`).toEqual(
            comparableState(runnerSnaps[i]!),
          ),
        );
        for (const s of plan.steps) kindsSeen.add(s.kind);
        for (const a of actions) scriptsSeen.add(a.script);
      },
      600_000,
    ); // a loaded machine runs a dozen simulator calls slowly; nothing here measures time
  }
  it('the cases above cover every step kind and every step script', () => {
    expect([...kindsSeen].sort()).toEqual([...stepKinds].sort());
    expect([...scriptsSeen].sort()).toEqual(Object.keys(opScriptParams).sort());
  });
});
