/**
 * The elevated session imports modules only from folders administrators own (issue 14, item 2): a
 * Hyper-V module planted in the user's own module folder never runs inside an inventory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../project-root';
import { findPowerShell } from './find-pwsh';
import { PowerShellSession } from './session';

const pwsh = findPowerShell()!;
const data = mkdtempSync(join(tmpdir(), 'dda-userdata-'));
const marker = join(data, 'planted-module-ran');
const planted = join(data, 'powershell', 'Modules', 'Hyper-V');
mkdirSync(planted, { recursive: true });
writeFileSync(
  join(planted, 'Hyper-V.psm1'),
  `function Get-VMHost { Set-Content -LiteralPath '${marker.replace(/'/g, "''")}' -Value ran; [pscustomobject]@{ IovSupport = $true } }\nExport-ModuleMember -Function Get-VMHost\n`,
);
// The module of New-Object and ConvertTo-Json, planted under its own name: the session's very first line
// used New-Object, which loaded this one (PowerShell searches the user's folder first) before the
// dispatcher had filtered the module path.
const plantedUtilityRan = join(data, 'planted-utility-ran');
const plantedUtility = join(data, 'powershell', 'Modules', 'Microsoft.PowerShell.Utility');
mkdirSync(plantedUtility, { recursive: true });
writeFileSync(
  join(plantedUtility, 'Microsoft.PowerShell.Utility.psm1'),
  `[IO.File]::WriteAllText('${plantedUtilityRan.replace(/'/g, "''")}', 'ran')\n` +
    'function New-Object { param([string]$TypeName, [object[]]$ArgumentList) [Activator]::CreateInstance([type]$TypeName, $ArgumentList) }\n' +
    'function ConvertTo-Json { param($InputObject, $Depth, [switch]$Compress) [System.Text.Json.JsonSerializer]::Serialize($InputObject) }\n',
);
// pwsh on Linux reads the user's module folder from XDG_DATA_HOME (Documents\\PowerShell\\Modules on Windows)
const session = new PowerShellSession({
  executable: pwsh.path,
  scriptDirs: [
    join(projectRoot(), 'main', 'powershell', 'scripts'),
    join(projectRoot(), 'main', 'host', 'test-fixtures'),
  ],
  env: { XDG_DATA_HOME: data },
  startup: [{ script: 'host-functions', params: {} }],
});
afterAll(() => session.dispose());

describe.skipIf(process.platform === 'win32')('module path of the elevated session', () => {
  it("the user's module folder is not searched; a planted Hyper-V module does not run in the inventory", async () => {
    const path = await session.invoke<string>('run-script', { Command: '$env:PSModulePath' });
    if (!path.ok) throw new Error(path.error.message);
    expect(path.value).not.toContain(data);
    // ...while PowerShell's own module folder stays (a filter that dropped everything would pass the above).
    const own = await session.invoke<boolean>('run-script', {
      Command: `@($env:PSModulePath -split [IO.Path]::PathSeparator) -contains (Join-Path $PSHOME 'Modules')`,
    });
    expect(own).toMatchObject({ ok: true, value: true });
    const inv = await session.invoke<{ hyperV: { present: boolean }; notes: string[] }>('inventory', {});
    if (!inv.ok) throw new Error(inv.error.message);
    expect(inv.value.hyperV.present).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it("PowerShell's own modules come from its own folder: a planted Microsoft.PowerShell.Utility never loads, not even before the dispatcher", async () => {
    const r = await session.invoke<string>('run-script', {
      Command: '(Get-Module -Name Microsoft.PowerShell.Utility).ModuleBase',
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).not.toContain(data);
    expect(existsSync(plantedUtilityRan)).toBe(false);
  });

  it('a root holds itself and its subfolders only: not a sibling whose name starts the same, not a path that climbs out, not a relative one', async () => {
    const root = join(data, 'admins');
    const cases: Array<[string, boolean]> = [
      [root, true],
      [`${root}/`, true],
      [join(root, 'powershell', 'Modules'), true],
      [`${root}-evil/Modules`, false],
      [`${root}evil`, false],
      [`${root}/../user/Modules`, false],
      [`${root}/./Modules/../Modules`, true],
      ['relative/Modules', false],
      ['', false],
    ];
    const r = await session.invoke<boolean[]>('run-script', {
      Command: `,@(${cases.map(([p]) => `(Test-DdaTrustedModulePath -Entry '${p.replace(/'/g, "''")}' -Roots @('${root.replace(/'/g, "''")}'))`).join(', ')})`,
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toEqual(cases.map(([, kept]) => kept));
    // Linux is compared with case (a /USR made by root is another folder); Windows without.
    const upper = await session.invoke<boolean>('run-script', {
      Command: `Test-DdaTrustedModulePath -Entry '/USR/share/x' -Roots @('/usr')`,
    });
    expect(upper).toMatchObject({ ok: true, value: false });
  });

  it("on Windows the roots are the system's folders (GetSystemDirectory, the known Program Files), never the environment's", async () => {
    const r = await session.invoke<string[]>('run-script', {
      Command:
        ",@(Get-DdaTrustedModuleRoots -OnWindows $true -EngineHome 'D:\\PS7' -SystemDirectory 'D:\\WINDOWS\\system32' " +
        "-ProgramFiles @('D:\\Program Files', 'D:\\Program Files (x86)', ''))",
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toEqual([
      'D:\\PS7',
      'D:\\Program Files',
      'D:\\Program Files (x86)',
      'D:\\WINDOWS\\system32\\WindowsPowerShell\\v1.0',
    ]);
    // The dispatcher asks the system for them and reads none of the variables a user can set for their
    // own processes (HKCU\\Environment), which an elevated session inherits.
    const dispatcher = readFileSync(join(projectRoot(), 'main', 'powershell', 'dispatcher.ps1'), 'utf8');
    expect(dispatcher).toMatch(/-SystemDirectory \(\[Environment\]::SystemDirectory\)/);
    expect(dispatcher).not.toMatch(/\$env:(ProgramFiles|ProgramW6432|SystemRoot|windir)|\$\{env:ProgramFiles/i);
  });
});

describe('host-functions.ps1 asks the function drive, never the module search, whether its functions exist', () => {
  // On a real host none of its names is defined. Get-Command searched every module on PSModulePath for each
  // (and imported a module that exported the name), on every session start and every inventory.
  it('a module on PSModulePath that exports the same names is neither loaded nor used (nor taken for the simulator)', () => {
    const root = mkdtempSync(join(tmpdir(), 'dda-hostfn-'));
    const ran = join(root, 'module-ran');
    const folder = join(root, 'Modules', 'LookAlike');
    mkdirSync(folder, { recursive: true });
    const names = [
      'Test-DdaElevated',
      'Get-DdaIommuPolicy',
      'Get-DdaCpuAddressBits',
      'Get-DdaSessionArrival',
      'Get-DdaSimStats',
    ];
    writeFileSync(
      join(folder, 'LookAlike.psm1'),
      `Set-Content -LiteralPath '${ran.replace(/'/g, "''")}' -Value ran\n` +
        names.map((n) => `function ${n} { 'look-alike' }`).join('\n') +
        `\nExport-ModuleMember -Function ${names.join(', ')}\n`,
    );
    writeFileSync(
      join(folder, 'LookAlike.psd1'),
      `@{ RootModule = 'LookAlike.psm1'; ModuleVersion = '1.0'; FunctionsToExport = @(${names.map((n) => `'${n}'`).join(', ')}) }\n`,
    );
    const script = join(projectRoot(), 'main', 'powershell', 'scripts', 'host-functions.ps1');
    const r = spawnSync(
      pwsh.path,
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `$env:PSModulePath = '${join(root, 'Modules').replace(/'/g, "''")}' + [IO.Path]::PathSeparator + $env:PSModulePath; ` +
          `. '${script.replace(/'/g, "''")}'; ` +
          `@{ elevated = (Test-DdaElevated) -is [bool]; bits = Get-DdaCpuAddressBits; arrival = (Get-DdaSessionArrival).remote; ` +
          `simulated = (Get-DdaPlatformFacts).simulated; loaded = [bool](Get-Module -Name LookAlike) } | ConvertTo-Json -Compress`,
      ],
      { encoding: 'utf8', env: { ...process.env, SSH_CONNECTION: '' } },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    expect(JSON.parse(r.stdout)).toMatchObject({ elevated: true, arrival: false, simulated: false, loaded: false });
    expect(existsSync(ran)).toBe(false);
  });
});
