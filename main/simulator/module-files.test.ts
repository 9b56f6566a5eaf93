// The simulator is two files: DdaSim.psm1 makes the enum types, then reads DdaSim.Host.ps1 (the host).
// The seal beside a state spares a new process the validation while the state and the simulator are
// unchanged, so a change to either file must unseal the state.
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPowerShell } from '../powershell/find-pwsh';
import { projectRoot } from '../project-root';
import { createSimState, simulatorModulePath } from './profiles';

const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform });

describe('the state seal covers both files of the simulator', () => {
  it('a changed DdaSim.Host.ps1 or DdaSim.psm1 gives a new seal; unchanged files keep it', () => {
    expect(pwsh).not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'dda-seal-'));
    for (const f of ['DdaSim.psm1', 'DdaSim.Host.ps1'])
      copyFileSync(join(dirname(simulatorModulePath()), f), join(dir, f));
    const state = createSimState('ml30-connectx4', join(dir, 'state.json'));
    const read = () => {
      execFileSync(
        pwsh!.path,
        ['-NoProfile', '-NonInteractive', '-Command', 'Import-Module $env:SIM; $null = Get-VM'],
        {
          env: { ...process.env, DDA_SIM_STATE: state, SIM: join(dir, 'DdaSim.psm1') },
          stdio: 'pipe',
        },
      );
      return readFileSync(`${state}.seal`, 'utf8');
    };
    const first = read();
    expect(first).toMatch(/^[0-9A-F]{64}$/);
    expect(read()).toBe(first);
    appendFileSync(join(dir, 'DdaSim.Host.ps1'), '\n# changed\n');
    const second = read();
    expect(second).toMatch(/^[0-9A-F]{64}$/);
    expect(second).not.toBe(first);
    appendFileSync(join(dir, 'DdaSim.psm1'), '\n# changed\n');
    expect(read()).not.toBe(second);
  });

  it('makes each enum type a loaded module lacks, and only those; DdaSim.Host.ps1 alone is refused', () => {
    // A module already loaded with one of the types (as Hyper-V's own VMState would be on a host).
    const script = `
      $m = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly([System.Reflection.AssemblyName]'Other', [System.Reflection.Emit.AssemblyBuilderAccess]::Run).DefineDynamicModule('Other')
      $b = $m.DefineEnum('Microsoft.HyperV.PowerShell.VMState', [System.Reflection.TypeAttributes]::Public, [int]); $null = $b.DefineLiteral('Running', 2); $null = $b.CreateTypeInfo()
      Import-Module $env:SIM
      Import-Module $env:SIM -Force
      $owners = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.IsDynamic -and $null -ne $_.GetType('Microsoft.HyperV.PowerShell.VMState', $false, $false) })
      $refused = $false
      try { . ([IO.Path]::Combine((Split-Path -Parent $env:SIM), 'DdaSim.Host.ps1')) } catch { $refused = $_.Exception.Message -like '*DdaSim.psm1*' }
      [string][ConfigManagerErrorCode]22 + ' ' + $owners.Count + ' ' + $owners[0].GetName().Name + ' ' + $refused`;
    const out = execFileSync(pwsh!.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
      env: { ...process.env, SIM: simulatorModulePath() },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('CM_PROB_DISABLED 1 Other True');
  });
});
