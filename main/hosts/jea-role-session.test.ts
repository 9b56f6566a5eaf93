/**
 * The DDAStudio.Host module inside the session its JEA role gives: a RestrictedRemoteServer session
 * built from the module's own session configuration and role capability by PowerShell's own code
 * (InitialSessionState.CreateFromSessionConfigurationFile, what a WinRM endpoint builds; no WinRM here).
 * Such a session autoloads no module and holds restricted proxies of Select-Object, Get-Command and a few
 * more, which the module's code meets too. Two hosts:
 *  - stand-ins of the Windows modules (Hyper-V, PnpDevice, NetAdapter, NetTCPIP, Storage) in a trusted
 *    module folder and no simulator: the module must import them itself, as on a real host;
 *  - the simulator: the system disk is found (a proxied Select-Object made it unknown on every JEA host).
 * The stand-ins live under /opt, one of the dispatcher's trusted module roots on Linux.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshState } from '../../testing/test-support';
import { findPowerShell } from '../powershell/find-pwsh';
import { projectRoot } from '../project-root';
import { simulatorModulePath } from '../simulator/profiles';
import { buildJeaModule } from './jea-module';

const STANDIN_DEVICE = 'PCI\\VEN_8086&DEV_1533&SUBSYS_00008086&REV_03\\4&DDA0STANDIN&0&00E4';
/** Windows' modules, as far as inventory.ps1 calls them (their real ones are not on Linux). */
const STANDINS: Record<string, string> = {
  'Hyper-V': `
    function Get-VMHost { [CmdletBinding()] param() [pscustomobject]@{ IovSupport = $true; IovSupportReasons = @(); ComputerName = 'STANDIN-HV' } }
    function Get-VM { [CmdletBinding()] param() }
    function Get-VMHostAssignableDevice { [CmdletBinding()] param() }
    function Get-VMAssignableDevice { [CmdletBinding()] param($VM) }
    function Get-VMSwitch { [CmdletBinding()] param() }
    function Get-VMNetworkAdapter { [CmdletBinding()] param([switch]$All) }`,
  PnpDevice: `
    function Get-PnpDevice { [CmdletBinding()] param([switch]$PresentOnly)
      [pscustomobject]@{ InstanceId = '${STANDIN_DEVICE}'; FriendlyName = 'Stand-in I210'; Class = 'Net'; Status = 'OK'; ConfigManagerErrorCode = 0; Present = $true } }
    function Get-PnpDeviceProperty { [CmdletBinding()] param([string[]]$InstanceId, [string[]]$KeyName) }`,
  CimCmdlets: `function Get-CimInstance { [CmdletBinding()] param([string]$ClassName, [string]$Namespace, [string]$Filter) }`,
  NetAdapter: `function Get-NetAdapter { [CmdletBinding()] param() }`,
  NetTCPIP: `
    function Get-NetIPAddress { [CmdletBinding()] param() }
    function Get-NetTCPConnection { [CmdletBinding()] param() }`,
  Storage: `
    function Get-Disk { [CmdletBinding()] param() }
    function Get-Partition { [CmdletBinding()] param() }`,
};

type Inv = {
  ok: boolean;
  error?: { message: string };
  value?: {
    hyperV: { present: boolean; computerName: string | null };
    devices: Array<{ instanceId: string }>;
    platform: { systemDiskKnown: boolean; systemDiskInstanceIds: string[] | null } | null;
    notes: string[];
  };
};
type Answer = { inventory: Inv; visible: string[]; getVm: string };

let root = '';
const cannot = (() => {
  try {
    accessSync('/opt', constants.W_OK);
    return null;
  } catch {
    return '/opt (a trusted module root) is not writable here';
  }
})();
if (cannot && process.env.CI) throw new Error(`The JEA role session tests must run in CI, but: ${cannot}`);

/** One restricted session from the module's configuration; the inventory, what it shows, and Get-VM from outside. */
function inRoleSession(env: Record<string, string>): Answer {
  const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
  const script = `
    $ErrorActionPreference = 'Stop'
    $env:PSModulePath = $env:ROOT + [IO.Path]::PathSeparator + $env:PSModulePath
    $mod = Join-Path $env:ROOT 'DDAStudio.Host'
    # The module's own configuration, less what needs Windows (a virtual account, transcripts on C:).
    $cfg = Import-PowerShellDataFile (Join-Path $mod 'DDAStudio.pssc')
    $pssc = Join-Path $env:ROOT 'role.pssc'
    New-PSSessionConfigurationFile -Path $pssc -SessionType $cfg.SessionType -RoleDefinitions $cfg.RoleDefinitions
    $iss = [initialsessionstate]::CreateFromSessionConfigurationFile($pssc, [Func[string, bool]] { param($group) $true })
    $rs = [runspacefactory]::CreateRunspace($iss)
    $rs.Open()
    function Run([string]$Command, [hashtable]$Parameters) {
      $ps = [powershell]::Create(); $ps.Runspace = $rs
      $null = $ps.AddCommand($Command)
      foreach ($k in $Parameters.Keys) { $null = $ps.AddParameter($k, $Parameters[$k]) }
      try { $ps.Invoke() } catch { 'threw: ' + $_.Exception.InnerException.ErrorRecord.FullyQualifiedErrorId } finally { $ps.Dispose() }
    }
    $out = [ordered]@{}
    $out.inventory = ConvertFrom-Json ([string](Run 'Invoke-DdaHostOperation' @{ Name = 'inventory'; ParametersJson = '{}' }))
    $out.visible = @(Run 'Get-Command' @{} | ForEach-Object { $_.Name } | Sort-Object)
    $out.getVm = [string](Run 'Get-VM' @{})
    $out | ConvertTo-Json -Depth 8 -Compress`;
  const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, ROOT: root, DDA_SIM_STATE: '', DDA_SIM_MODULE: '', ...env },
  });
  if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Answer;
}

describe.skipIf(cannot !== null)(
  `the module in its JEA role's restricted session${cannot ? ` (skipped: ${cannot})` : ''}`,
  () => {
    beforeAll(() => {
      root = mkdtempSync('/opt/dda-jea-role-');
      buildJeaModule(root);
      for (const [name, text] of Object.entries(STANDINS)) {
        mkdirSync(join(root, name));
        writeFileSync(join(root, name, `${name}.psm1`), text);
      }
    });
    afterAll(() => root && rmSync(root, { recursive: true, force: true }));

    it('on a host: the module imports Hyper-V, PnpDevice... itself (nothing autoloads there) and shows only its three functions', () => {
      const a = inRoleSession({});
      expect(a.inventory.ok).toBe(true);
      expect(a.inventory.value!.hyperV).toMatchObject({ present: true, computerName: 'STANDIN-HV' });
      expect(a.inventory.value!.devices.map((d) => d.instanceId)).toEqual([STANDIN_DEVICE]);
      expect(a.inventory.value!.notes.join(' ')).not.toMatch(/not installed|not recognized/);
      expect(a.visible).toEqual(
        expect.arrayContaining(['Get-DdaHostInfo', 'Invoke-DdaHostOperation', 'Invoke-DdaHostPlan']),
      );
      expect(a.visible).not.toContain('Get-VM');
      expect(a.getVm).toMatch(/^threw: CommandNotFoundException/);
    }, 300_000);

    it('on the simulator: the system disk is found (the restricted Select-Object proxy is never what the scripts call)', () => {
      const a = inRoleSession({ DDA_SIM_STATE: freshState('ml30-connectx4'), DDA_SIM_MODULE: simulatorModulePath() });
      expect(a.inventory.ok).toBe(true);
      expect(a.inventory.value!.platform).toMatchObject({ systemDiskKnown: true });
      expect(a.inventory.value!.platform!.systemDiskInstanceIds!.length).toBeGreaterThan(0);
    }, 300_000);
  },
);

describe('the scripts a JEA host runs', () => {
  it("never call a command its restricted session replaces by a proxy without naming the command's module", () => {
    // RestrictedRemoteServer's proxies (Microsoft Learn, "JEA session configurations"): they take only a few
    // parameters, and module code that calls them by bare name gets the proxy too.
    const proxied = [
      // and their aliases
      'cls',
      'exsn',
      'gcm',
      'help',
      'measure',
      'select',
      'Clear-Host',
      'Exit-PSSession',
      'Get-Command',
      'Get-FormatData',
      'Get-Help',
      'Measure-Object',
      'Out-Default',
      'Select-Object',
    ];
    const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
    const dir = mkdtempSync(join(tmpdir(), 'dda-jea-proxied-'));
    const module = buildJeaModule(dir);
    const script = `
      $files = @(Get-ChildItem -LiteralPath $env:MOD -Recurse -Include *.ps1, *.psm1 | Where-Object { $_.Name -ne 'Register-DDAStudioEndpoint.ps1' }) + @(Get-ChildItem -LiteralPath (Split-Path -Parent $env:SIM) -File -Include *.ps1, *.psm1 -Recurse:$false)
      $found = foreach ($f in $files) {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($f.FullName, [ref]$null, [ref]$null)
        foreach ($c in $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)) {
          $name = $c.GetCommandName()
          if ($name -and ($env:PROXIED -split ',') -contains $name) { $f.Name + ':' + $c.Extent.StartLineNumber + ' ' + $name }
        }
      }
      ConvertTo-Json -InputObject @($found) -Compress`;
    const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
      encoding: 'utf8',
      // ...and the simulator, which these tests load into the same restricted session.
      env: { ...process.env, MOD: module, SIM: simulatorModulePath(), PROXIED: proxied.join(',') },
    });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
