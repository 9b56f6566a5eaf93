/**
 * A step that fails after it changed the host, run on the DDAStudio.Host endpoint: the endpoint reads the
 * host again and undoes that step too, as the local executor does (operations-error-after-effect.test.ts).
 * Real pwsh, the module as built for hosts, the simulator: a repair's removal stops halfway, because the
 * simulated host refuses one of the VM's entries. The client plans, sends the plan through
 * executePlanOnEndpoint to a runner that imports the module and calls Invoke-DdaHostPlan, and judges the
 * rollback by reading the host again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../shared/inventory';
import type { Plan, PlanChoices } from '../../shared/plan';
import { comparableState, freshState, readState, sharedHost } from '../../testing/test-support';
import { readInventory } from '../host/inventory-service';
import { Journal } from '../host/journal';
import { memoryMeasurementStore } from '../host/measurement-store';
import { planOperation } from '../host/planner';
import { findPowerShell } from '../powershell/find-pwsh';
import type { PsResult, ScriptRunner } from '../powershell/session-types';
import { projectRoot } from '../project-root';
import { simulatorModulePath } from '../simulator/profiles';
import { buildJeaModule } from './jea-module';
import { executePlanOnEndpoint, HOST_PLAN_REQUEST } from './jea-module-run';

const shared = sharedHost();
const dir = mkdtempSync(join(tmpdir(), 'dda-jea-rollback-'));
afterAll(async () => {
  await shared.host.close();
  rmSync(dir, { recursive: true, force: true });
});

const PM9A3 = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';
const STALE = 'PCIROOT(0)#PCI(1C00)#PCI(0000)';
const SN850 = 'PCIROOT(0)#PCI(1B04)#PCI(0000)';
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';

/** Runs `script` in a pwsh that imported the module (on a simulated host); its last output line, parsed. */
function inModule(script: string, state: string): unknown {
  const module = buildJeaModule(dir);
  const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
  const r = spawnSync(
    pwsh.path,
    [
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      `Import-Module (Join-Path $env:MOD 'DDAStudio.Host.psd1'); ${script}`,
    ],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, MOD: module, DDA_SIM_STATE: state, DDA_SIM_MODULE: simulatorModulePath() },
    },
  );
  if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** The endpoint as a JEA session reaches it: the module imported in a pwsh of its own, one request. */
function endpointOn(state: string): ScriptRunner {
  return {
    async invoke<T>(script: string, params?: Record<string, unknown>): Promise<PsResult<T>> {
      expect(script).toBe(HOST_PLAN_REQUEST);
      const request = join(dir, 'request.json');
      writeFileSync(request, JSON.stringify(params));
      const t0 = performance.now();
      const envelope = inModule(
        `Invoke-DdaHostPlan -RequestJson (Get-Content -Raw -LiteralPath '${request.replace(/'/g, "''")}')`,
        state,
      ) as { ok: boolean; value?: T; error?: never };
      const durationMs = Math.round(performance.now() - t0);
      return envelope.ok
        ? { ok: true, value: envelope.value as T, errors: [], durationMs }
        : { ok: false, error: envelope.error!, errors: [], durationMs };
    },
    dispose: async () => undefined,
  } as ScriptRunner;
}

/** Runs `plan` on the endpoint with one simulator fault set; the host's state before, the outcome, the journal. */
async function runWithFault(state: string, plan: Plan, read: () => Promise<Inventory>, fault: Record<string, unknown>) {
  const before = comparableState(state);
  const withFault = readState(state) as ReturnType<typeof readState> & { faults?: unknown[] };
  withFault.faults = [fault];
  writeFileSync(state, JSON.stringify(withFault));
  const journal = new Journal(mkdtempSync(join(dir, 'journal-')));
  const out = await executePlanOnEndpoint(plan, endpointOn(state), { readInventory: read, journal });
  return { before, out, journal };
}

describe('the DDAStudio.Host endpoint rolls back a step that failed after its change', () => {
  it('but never turns a VM off without turn-off-vm: a failed start is undone only in a plan that asked for it', () => {
    // The step runner and the host view replaced in the module's scope: the start "fails" with the VM
    // running (another admin's start, or its own that reported late), and the view shows it running.
    // As the planner has it, turn-off-vm is asked for only by a plan that turns the VM off (a stop-vm step).
    const out = inModule(
      `& (Get-Module DDAStudio.Host) {
        $script:calls = New-Object System.Collections.Generic.List[string]
        function script:Invoke-DdaHostStep($Action) { $script:calls.Add($Action.script); @{ ok = ($Action.script -ne 'op-start-vm'); ms = 0; error = @{ message = 'x' }; value = $null } }
        function script:Get-DdaHostView { @{ devices = @(); vms = @(@{ id = 'b0000000-0000-4000-8000-000000000001'; name = 'A'; state = 'Running'; entries = @() }) } }
        $vm = 'B0000000-0000-4000-8000-000000000001'
        $stop = @{ id = 's0'; kind = 'stop-vm'; action = @{ script = 'op-stop-vm'; params = @{ VmId = $vm; TimeoutSec = 120 } }; undo = @{ script = 'op-start-vm'; params = @{ VmId = $vm } } }
        $start = @{ id = 's1'; kind = 'start-vm'; action = @{ script = 'op-start-vm'; params = @{ VmId = $vm } }; undo = @{ script = 'op-stop-vm'; params = @{ VmId = $vm; TimeoutSec = 120 } } }
        $runs = [ordered]@{}
        foreach ($case in @(@('none', @($start), @()), @('startOnly', @($start), @('turn-off-vm')), @('stopFirstNone', @($stop, $start), @()), @('stopFirst', @($stop, $start), @('turn-off-vm')))) {
          $script:calls.Clear()
          $r = Invoke-DdaHostPlanSteps $case[1] ([string[]]$case[2])
          $runs[$case[0]] = @($r.status) + $script:calls.ToArray()
        }
        $runs | ConvertTo-Json -Compress
      }`,
      freshState('ml30-connectx4'),
    );
    expect(out).toEqual({
      none: ['rolled-back', 'op-start-vm'],
      startOnly: ['rolled-back', 'op-start-vm'],
      // (the stub fails every start, the undo of the stop too)
      stopFirstNone: ['rollback-failed', 'op-stop-vm', 'op-start-vm', 'op-start-vm'],
      stopFirst: ['rollback-failed', 'op-stop-vm', 'op-start-vm', 'op-stop-vm', 'op-start-vm'],
    });
  });

  it('rolls a plan back when it is stopped mid-step (the client gave up, or its connection closed), from where it got', () => {
    // The plan runs in a runspace of its own, as a session's pipeline; its dismount hangs, and the plan is
    // stopped while it does. Only finally blocks run then: the dismount is undone (the host shows its
    // effect), then the disable before it.
    const out = inModule(
      `$calls = [System.Collections.ArrayList]::Synchronized((New-Object System.Collections.ArrayList))
      $rs = [runspacefactory]::CreateRunspace(); $rs.Open()
      $rs.SessionStateProxy.SetVariable('calls', $calls)
      $ps = [PowerShell]::Create(); $ps.Runspace = $rs
      $null = $ps.AddScript({
        Import-Module (Join-Path $env:MOD 'DDAStudio.Host.psd1')
        & (Get-Module DDAStudio.Host) {
          function script:Invoke-DdaHostStep($Action) {
            $null = $global:calls.Add($Action.script)
            if ($Action.script -eq 'op-dismount-device') { Start-Sleep -Seconds 60 }
            @{ ok = $true; ms = 0; error = $null; value = $null }
          }
          function script:Get-DdaHostView { @{ devices = @(); vms = @() } }
          function script:Get-DdaEffectLeft($Step, $View) { $true }
          $id = 'PCI\\VEN_15B3&DEV_1015\\1'
          $path = 'PCIROOT(0)#PCI(0100)#PCI(0000)'
          $steps = @(
            @{ id = 's1'; kind = 'disable-device'; action = @{ script = 'op-disable-device'; params = @{ InstanceId = $id } }; undo = @{ script = 'op-enable-device'; params = @{ InstanceId = $id } } },
            @{ id = 's2'; kind = 'dismount-device'; action = @{ script = 'op-dismount-device'; params = @{ LocationPath = $path } }; undo = @{ script = 'op-mount-device'; params = @{ LocationPath = $path } } },
            @{ id = 's3'; kind = 'add-device'; action = @{ script = 'op-add-device'; params = @{ LocationPath = $path } }; undo = @{ script = 'op-remove-device'; params = @{ LocationPath = $path } } })
          Invoke-DdaHostPlanSteps $steps ([string[]]@())
        }
      })
      $null = $ps.BeginInvoke()
      $clock = [Diagnostics.Stopwatch]::StartNew()
      while (-not ($calls -contains 'op-dismount-device') -and $clock.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 50 }
      $ps.Stop()
      @{ state = [string]$ps.InvocationStateInfo.State; calls = @($calls) } | ConvertTo-Json -Compress`,
      freshState('ml30-connectx4'),
    );
    expect(out).toEqual({
      state: 'Stopped',
      calls: ['op-disable-device', 'op-dismount-device', 'op-mount-device', 'op-enable-device'],
    });
  });

  it('refuses every plan while PowerShell 7 runs Hyper-V through Windows PowerShell compatibility', async () => {
    // A host where VMs hold devices (the view's loops over their entries must not hide the fact).
    const state = freshState('gpu-workstation');
    await shared.use(state);
    const plan = planOperation(
      { kind: 'start-vm', vmName: 'GPU-Render' },
      await readInventory(shared.host.runner, { memory: memoryMeasurementStore() }),
      { consents: [], startVmAfter: false },
      { planId: 'compat-1', now: new Date().toISOString() },
    );
    const request = join(dir, 'compat-request.json');
    writeFileSync(request, JSON.stringify({ Plan: plan }));
    const before = comparableState(state);
    expect(plan.blocked).toBeNull();
    const out = inModule(
      `function global:Get-PSSession { param([string[]]$Name) if ($Name -contains 'WinPSCompatSession') { [pscustomobject]@{ Name = 'WinPSCompatSession' } } }
      Invoke-DdaHostPlan -RequestJson (Get-Content -Raw -LiteralPath '${request.replace(/'/g, "''")}')`,
      state,
    ) as { ok: boolean; error: { fullyQualifiedErrorId: string; message: string } };
    expect(out.ok).toBe(false);
    expect(out.error.fullyQualifiedErrorId).toBe('PlanRefused,DDAStudio.Host');
    expect(out.error.message).toMatch(/Windows PowerShell compatibility/);
    expect(comparableState(state)).toEqual(before);
  }, 60_000);

  it('judges a set-vm step by value and type, as the client does (no "5" for 5, no "x" for $true)', () => {
    const out = inModule(
      `& (Get-Module DDAStudio.Host) {
        $vm = @{ id = 'b0000000-0000-4000-8000-000000000001'; name = 'A'; state = 'Off'; entries = @(); AutomaticStopAction = 'TurnOff'; GuestControlledCacheTypes = $true; LowMemoryMappedIoSpace = [long]167772160; HighMemoryMappedIoSpace = [long]0; DynamicMemoryEnabled = $false }
        $view = @{ devices = @(); vms = @($vm) }
        $set = { param($p) $p.VmId = 'B0000000-0000-4000-8000-000000000001'; Get-DdaEffectLeft @{ kind = 'set-vm-mmio'; action = @{ script = 'op-set-vm'; params = $p } } $view }
        @(
          (& $set @{ LowMemoryMappedIoSpace = 167772160 }),
          (& $set @{ LowMemoryMappedIoSpace = '167772160' }),
          (& $set @{ GuestControlledCacheTypes = 'x' }),
          (& $set @{ AutomaticStopAction = 'turnoff' }),
          (& $set @{ AutomaticStopAction = 'TurnOff'; DynamicMemoryEnabled = $false }),
          (& $set @{})
        ) | ConvertTo-Json -Compress
      }`,
      freshState('ml30-connectx4'),
    );
    expect(out).toEqual([true, false, false, false, true, null]);
  });

  it('a repair whose removal stopped halfway gets every entry back, and the outcome says rolled-back', async () => {
    const state = freshState('gpu-workstation');
    const s = readState(state);
    // Storage-VM holds the PM9A3, a stale entry and the SN850; the host refuses to remove the stale one,
    // after the PM9A3 went: the removal stops halfway.
    s.vms.find((v) => v.name === 'Storage-VM')!.assignedDevices.push(SN850);
    writeFileSync(state, JSON.stringify(s));
    await shared.use(state);
    const memory = memoryMeasurementStore();
    const read = () => readInventory(shared.host.runner, { memory });
    const choices: PlanChoices = { consents: [], startVmAfter: false };
    const plan: Plan = planOperation({ kind: 'repair', vmName: 'Storage-VM' }, await read(), choices, {
      planId: 'repair-1',
      now: new Date().toISOString(),
    });
    expect(plan.blocked).toBeNull();
    const removal = plan.steps.find((x) => x.kind === 'remove-all-devices')!;
    expect(removal.undo!.params.LocationPaths).toEqual(expect.arrayContaining([PM9A3, SN850]));
    const { before, out, journal } = await runWithFault(state, plan, read, {
      cmdlet: 'Remove-VMAssignableDevice',
      match: STALE,
      message: 'The operation failed.',
      times: 1,
    });

    expect(out.failedStepId).toBe(removal.id);
    expect(out.status).toBe('rolled-back');
    expect(comparableState(state)).toEqual(before);
    // The failed step stays failed in the outcome; the journal says it was taken back.
    expect(out.steps.find((x) => x.stepId === removal.id)!.state).toBe('failed');
    expect(journal.operations().at(-1)!.undone).toContain(removal.id);
  }, 120_000);

  it('a step that failed before any change is not undone; the completed ones are', async () => {
    const state = freshState('ml30-connectx4');
    await shared.use(state);
    const memory = memoryMeasurementStore();
    const read = () => readInventory(shared.host.runner, { memory });
    const plan: Plan = planOperation(
      { kind: 'assign', locationPath: CX4, vmName: 'Router-01' },
      await read(),
      { consents: [], startVmAfter: false },
      { planId: 'assign-1', now: new Date().toISOString() },
    );
    expect(plan.blocked).toBeNull();
    const add = plan.steps.find((x) => x.kind === 'add-device')!;
    const { before, out, journal } = await runWithFault(state, plan, read, {
      cmdlet: 'Add-VMAssignableDevice',
      message: 'The operation failed.',
      times: 1,
    });

    expect(out.failedStepId).toBe(add.id);
    expect(out.status).toBe('rolled-back');
    expect(comparableState(state)).toEqual(before);
    const undone = journal.operations().at(-1)!.undone;
    expect(undone).not.toContain(add.id);
    expect(undone).toEqual(
      plan.steps
        .slice(0, plan.steps.indexOf(add))
        .filter((x) => x.undo)
        .map((x) => x.id)
        .reverse(),
    );
  }, 120_000);
});
