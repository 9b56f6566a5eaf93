/**
 * The DDAStudio.Host module as an admin receives it (buildJeaModule), checked in one local pwsh without
 * any remoting: its files, its manifest, what importing it makes visible (the two functions and
 * nothing else, no global helpers or variables), the operations against the simulator, the scripts
 * hash the client can compare, and the session configuration the registration script writes. The
 * restricted endpoint itself is tested over SSH in main/remote/jea.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshState } from '../../testing/test-support';
import { findPowerShell } from '../powershell/find-pwsh';
import { projectRoot } from '../project-root';
import { simulatorModulePath } from '../simulator/profiles';
import { buildJeaModule, JEA_CLIENT_ONLY_SCRIPTS, jeaScriptsHash } from './jea-module';

const root = projectRoot();
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const productScripts = readdirSync(join(root, 'main', 'powershell', 'scripts'))
  .filter((f) => f.endsWith('.ps1') && !JEA_CLIENT_ONLY_SCRIPTS.has(f))
  .sort();
/** What a caller may run: the read operation, and whole plans of each intent (never a step alone). */
const operations = [
  'capture',
  'doctor',
  'inventory',
  'plan:assign',
  'plan:enable-device',
  'plan:fit-vm',
  'plan:move',
  'plan:repair',
  'plan:repoint',
  'plan:return-orphans',
  'plan:revert',
  'plan:start-vm',
];

type Facts = {
  manifest: {
    ModuleVersion: string;
    FunctionsToExport: string[];
    CmdletsToExport: string[];
    VariablesToExport: string[];
    AliasesToExport: string[];
  };
  exported: string[];
  newFunctions: string[];
  newGlobals: string[];
  modules: string[];
  info: {
    computerName: string;
    version: string;
    simulated: boolean;
    moduleVersion: string;
    scriptsHash: string;
    operations: string[];
  };
  inventory: { ok: boolean; devices: number };
  unknown: string;
  step: { ok: boolean; error: { fullyQualifiedErrorId: string } };
  systemDisk: { ok: boolean; error: { fullyQualifiedErrorId: string; message: string } };
  unreadableRmrr: { ok: boolean; error: { fullyQualifiedErrorId: string; message: string } };
  turkish: { nicToBuildAgent: string | null; usbToBuildAgent: string | null };
  unknownPolicyKey: { ok: boolean; error: { fullyQualifiedErrorId: string; message: string } };
  commonParameter: { ok: boolean; error: { kind: string; message: string } };
  invalid: Record<string, string>;
  template: Record<string, unknown>;
  registered: Record<string, unknown>;
  enableUndo: { disabledNow: string | null; enabledNow: string | null };
  repoint: { card: string | null; systemDisk: string | null };
  /** Registered without -OperatorGroup: the Administrators group (named by its SID on Windows). */
  registeredDefault: { RoleDefinitions: Record<string, unknown> };
  role: { ModulesToImport: string; VisibleFunctions: string[] };
};

describe('the DDAStudio.Host module as built for hosts', () => {
  let dir: string;
  let module: string;
  let facts: Facts;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dda-jea-module-'));
    buildJeaModule(dir); // twice: a rebuild replaces the older one
    module = buildJeaModule(dir);
    const pwsh = findPowerShell({ env: process.env, projectRoot: root, platform: process.platform })!;
    const script = `
      $ErrorActionPreference = 'Stop'
      $f0 = @(Get-Command -CommandType Function | ForEach-Object { $_.Name })
      $g0 = @(Get-Variable -Scope Global | ForEach-Object { $_.Name })
      Import-Module (Join-Path $env:MOD 'DDAStudio.Host.psd1')
      $newGlobals = @(Get-Variable -Scope Global | ForEach-Object { $_.Name } | Where-Object { $g0 -notcontains $_ -and $_ -ne 'g0' })
      $out = [ordered]@{}
      $out.manifest = Import-PowerShellDataFile (Join-Path $env:MOD 'DDAStudio.Host.psd1')
      $out.exported = @((Get-Module DDAStudio.Host).ExportedCommands.Keys | Sort-Object)
      $out.newFunctions = @(Get-Command -CommandType Function | ForEach-Object { $_.Name } | Where-Object { $f0 -notcontains $_ } | Sort-Object)
      $out.newGlobals = $newGlobals
      $out.modules = @(Get-Module | ForEach-Object { $_.Name } | Sort-Object)
      $out.info = Get-DdaHostInfo
      $inv = ConvertFrom-Json (Invoke-DdaHostOperation -Name inventory -ParametersJson '')
      $out.inventory = @{ ok = $inv.ok; devices = @($inv.value.devices).Count }
      $out.unknown = (ConvertFrom-Json (Invoke-DdaHostOperation -Name host-functions -ParametersJson '{}')).error.fullyQualifiedErrorId
      $vm = @($inv.value.vms)[0].id
      $out.step = ConvertFrom-Json (Invoke-DdaHostOperation -Name op-start-vm -ParametersJson (@{ VmId = $vm } | ConvertTo-Json))
      $out.commonParameter = ConvertFrom-Json (Invoke-DdaHostOperation -Name inventory -ParametersJson (@{ WhatIf = $true } | ConvertTo-Json))
      # An operator's plan: disable and force-dismount the system disk's controller (all consents, "not blocked").
      $sata = 'PCIROOT(0)#PCI(1702)'
      $dev = @($inv.value.devices | Where-Object { $_.locationPath -eq $sata })[0]
      $steps = @(
        @{ id = 's1'; kind = 'disable-device'; action = @{ script = 'op-disable-device'; params = @{ InstanceId = $dev.instanceId } }; undo = @{ script = 'op-enable-device'; params = @{ InstanceId = $dev.instanceId } } },
        @{ id = 's2'; kind = 'dismount-device'; action = @{ script = 'op-dismount-device'; params = @{ LocationPath = $sata; InstanceId = $dev.instanceId; RequireAcsSupport = $false; RequireDeviceMitigations = $false; RetryWithoutMitigations = $false } }; undo = @{ script = 'op-mount-device'; params = @{ LocationPath = $sata } } }
      )
      $all = @('turn-off-vm', 'discard-saved-state', 'force-insecure', 'skip-device-mitigations', 'take-last-display', 'take-host-lifeline', 'unknown-address-width')
      $plan = @{ intent = @{ kind = 'assign'; locationPath = $sata; vmName = 'Router-01' }; choices = @{ consents = $all; startVmAfter = $false }; blocked = $null; consents = @(); steps = $steps }
      $out.systemDisk = ConvertFrom-Json (Invoke-DdaHostPlan -RequestJson (@{ Plan = $plan } | ConvertTo-Json -Depth 10))
      # The same for a NIC while the host's RMRR flags cannot be read (the walk passes, the call for all keys
      # fails, deviceType, baseClass and acs pass on their own, the rmrr call fails): refused, and why.
      $st = Get-Content -Raw $env:DDA_SIM_STATE | ConvertFrom-Json
      $st | Add-Member -Force -NotePropertyName faults -NotePropertyValue @(
        @{ cmdlet = 'Get-PnpDeviceProperty'; message = 'The RPC server is unavailable'; skip = 1; times = 1 },
        @{ cmdlet = 'Get-PnpDeviceProperty'; message = 'Access is denied'; skip = 3; times = 1 })
      $st | ConvertTo-Json -Depth 30 | Set-Content -Path $env:DDA_SIM_STATE
      $nicPath = 'PCIROOT(0)#PCI(0100)#PCI(0000)'
      $nic = @($inv.value.devices | Where-Object { $_.locationPath -eq $nicPath })[0]
      $nicSteps = @(@{ id = 's1'; kind = 'disable-device'; action = @{ script = 'op-disable-device'; params = @{ InstanceId = $nic.instanceId } }; undo = @{ script = 'op-enable-device'; params = @{ InstanceId = $nic.instanceId } } })
      $nicPlan = @{ intent = @{ kind = 'assign'; locationPath = $nicPath; vmName = 'Router-01' }; choices = @{ consents = $all; startVmAfter = $false }; blocked = $null; consents = @(); steps = $nicSteps }
      $out.unreadableRmrr = ConvertFrom-Json (Invoke-DdaHostPlan -RequestJson (@{ Plan = $nicPlan } | ConvertTo-Json -Depth 10))
      # The role's allow list on a Turkish host (keys and patterns in another case, with an I in them), then
      # a key the module does not know.
      $policyFile = Join-Path $env:MOD 'DDAStudio.Host.Policy.psd1'
      Set-Content -Path $policyFile -Value "@{ ALLOWEDDEVICECLASSES = @('NET'); ALLOWEDVMS = @('BUILD-*') }"
      $usb = @($inv.value.devices | Where-Object { $_.class -eq 'USB' })[0]
      $buildAgent = @($inv.value.vms | Where-Object { $_.name -eq 'Build-Agent' })[0]
      $out.turkish = & (Get-Module DDAStudio.Host) {
        param($NicPath, $Nic, $Usb, $Vm)
        $culture = [Globalization.CultureInfo]::CurrentCulture
        [Globalization.CultureInfo]::CurrentCulture = 'tr-TR'
        try {
          $view = Get-DdaHostView
          $policy = Get-DdaHostPolicy
          $step = { param($d) @(
            @{ id = 's1'; kind = 'disable-device'; action = @{ script = 'op-disable-device'; params = @{ InstanceId = $d.instanceId } }; undo = @{ script = 'op-enable-device'; params = @{ InstanceId = $d.instanceId } } },
            @{ id = 's2'; kind = 'add-device'; action = @{ script = 'op-add-device'; params = @{ VmId = $Vm.id; LocationPath = $d.locationPath } }; undo = @{ script = 'op-remove-device'; params = @{ VmId = $Vm.id; LocationPath = $d.locationPath } } }) }
          $plan = { param($path, $d) @{ intent = @{ kind = 'assign'; locationPath = $path; vmName = $Vm.name; vmId = $Vm.id }; choices = @{ consents = @('take-host-lifeline'); startVmAfter = $false }; blocked = $null; consents = @(); steps = @(& $step $d) } }
          @{
            nicToBuildAgent = Get-DdaPlanRefusal (& $plan $NicPath $Nic) $view $policy
            usbToBuildAgent = Get-DdaPlanRefusal (& $plan $Usb.locationPath $Usb) $view $policy
          }
        } finally { [Globalization.CultureInfo]::CurrentCulture = $culture }
      } $nicPath $nic $usb $buildAgent
      # A NIC the host needs, enabled again (its undo disables it): without take-host-lifeline while it is
      # disabled now (the undo puts it back as it is), not while it is enabled (the undo would take it).
      $out.enableUndo = & (Get-Module DDAStudio.Host) {
        param($NicPath, $Nic)
        $view = Get-DdaHostView
        $policy = Get-DdaHostPolicy
        $d = Find-DdaHostDevice $view $NicPath $null
        $d.needsLifelineConsent = $true   # as on a host whose network cannot be read (an LBFO team)
        $plan = @{ intent = @{ kind = 'enable-device'; locationPath = $NicPath }; choices = @{ consents = @(); startVmAfter = $false }; blocked = $null; consents = @()
          steps = @(@{ id = 'e'; kind = 'enable-device'; action = @{ script = 'op-enable-device'; params = @{ InstanceId = $Nic.instanceId } }; undo = @{ script = 'op-disable-device'; params = @{ InstanceId = $Nic.instanceId } } }) }
        $d.enabled = $false
        $disabledNow = Get-DdaPlanRefusal $plan $view $policy
        $d.enabled = $true
        @{ disabledNow = $disabledNow; enabledNow = Get-DdaPlanRefusal $plan $view $policy }
      } $nicPath $nic
      Set-Content -Path $policyFile -Value "@{ AllowedVM = @('Router-*') }"
      $out.unknownPolicyKey = ConvertFrom-Json (Invoke-DdaHostPlan -RequestJson (@{ Plan = $nicPlan } | ConvertTo-Json -Depth 10))
      Remove-Item -LiteralPath $policyFile
      # Re-point Router-01's stale entry (a slot with no device now) to the ConnectX-4 Lx, as the client
      # plans it; the same to the system disk's controller is refused by the take checks.
      $out.repoint = & (Get-Module DDAStudio.Host) {
        param($Vm, $Card, $Sata)
        $view = Get-DdaHostView
        $policy = Get-DdaHostPolicy
        $old = 'PCIROOT(0)#PCI(0200)#PCI(0000)'
        $step = { param($id, $kind, $script, $params, $undoScript, $undoParams) @{ id = $id; kind = $kind; action = @{ script = $script; params = $params }; undo = @{ script = $undoScript; params = $undoParams } } }
        $to = { param($d) @{ intent = @{ kind = 'repoint'; vmName = $Vm.name; moves = @(@{ fromPath = $old; toPath = $d.locationPath }) }; choices = @{ consents = @(); startVmAfter = $false }; blocked = $null; consents = @(); steps = @(
          (& $step 'r1' 'remove-all-devices' 'op-remove-device' @{ VmId = $Vm.id } 'op-add-devices' @{ VmId = $Vm.id; LocationPaths = @($old) }),
          (& $step 'r2' 'disable-device' 'op-disable-device' @{ InstanceId = $d.instanceId } 'op-enable-device' @{ InstanceId = $d.instanceId }),
          (& $step 'r3' 'dismount-device' 'op-dismount-device' @{ LocationPath = $d.locationPath; InstanceId = $d.instanceId; RequireAcsSupport = $true; RequireDeviceMitigations = $true; RetryWithoutMitigations = $false } 'op-mount-device' @{ LocationPath = $d.locationPath }),
          (& $step 'r4' 'add-device' 'op-add-device' @{ VmId = $Vm.id; LocationPath = $d.locationPath } 'op-remove-device' @{ VmId = $Vm.id; LocationPath = $d.locationPath })) } }
        @{ card = Get-DdaPlanRefusal (& $to $Card) $view $policy; systemDisk = Get-DdaPlanRefusal (& $to $Sata) $view $policy }
      } @($inv.value.vms | Where-Object { $_.name -eq 'Router-01' })[0] $nic $dev
      $out.invalid = [ordered]@{}
      foreach ($n in @('../x', 'Inventory.ps1', 'a b', ('x' * 65), '')) {
        try { $null = Invoke-DdaHostOperation -Name $n -ParametersJson '{}'; $out.invalid[$n] = 'ran' } catch { $out.invalid[$n] = [string]$_.FullyQualifiedErrorId }
      }
      $out.template = Import-PowerShellDataFile (Join-Path $env:MOD 'DDAStudio.pssc')
      $reg = Join-Path $env:OUT 'registered.pssc'
      $null = & (Join-Path $env:MOD 'Register-DDAStudioEndpoint.ps1') -OperatorGroup 'CONTOSO\\DDA Operators' -SaveConfigurationTo $reg
      $out.registered = Import-PowerShellDataFile $reg
      $null = & (Join-Path $env:MOD 'Register-DDAStudioEndpoint.ps1') -SaveConfigurationTo $reg
      $out.registeredDefault = Import-PowerShellDataFile $reg
      $out.role = Import-PowerShellDataFile (Join-Path $env:MOD 'RoleCapabilities/DDAStudioOperator.psrc')
      $out | ConvertTo-Json -Depth 6 -Compress`;
    const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
      encoding: 'utf8',
      timeout: 240_000,
      env: {
        ...process.env,
        MOD: module,
        OUT: dir,
        DDA_SIM_STATE: freshState('ml30-connectx4'),
        DDA_SIM_MODULE: simulatorModulePath(),
        ProgramData: 'C:\\ProgramData',
      },
    });
    if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}${r.stdout}`);
    facts = JSON.parse(r.stdout.trim().split('\n').pop()!) as Facts;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the module, the JEA files, the dispatcher and the product scripts, never the client-only ones', () => {
    expect(readdirSync(module).sort()).toEqual(
      [
        'DDAStudio.Host.psd1',
        'DDAStudio.Host.psm1',
        'DDAStudio.Host.Plan.ps1',
        'DDAStudio.Host.ssh.pssc',
        'DDAStudio.pssc',
        'Register-DDAStudioEndpoint.ps1',
        'RoleCapabilities',
        'dispatcher.ps1',
        'scripts',
      ].sort(),
    );
    expect(readdirSync(join(module, 'scripts')).sort()).toEqual(productScripts);
    expect(productScripts).toContain('host-functions.ps1');
    for (const f of JEA_CLIENT_ONLY_SCRIPTS) expect(productScripts).not.toContain(f);
  });

  it("has this app's version and exports only Invoke-DdaHostOperation, Invoke-DdaHostPlan and Get-DdaHostInfo", () => {
    expect(facts.manifest).toMatchObject({
      ModuleVersion: version,
      FunctionsToExport: ['Invoke-DdaHostOperation', 'Invoke-DdaHostPlan', 'Get-DdaHostInfo'],
      CmdletsToExport: [],
      VariablesToExport: [],
      AliasesToExport: [],
    });
    expect(facts.exported).toEqual(['Get-DdaHostInfo', 'Invoke-DdaHostOperation', 'Invoke-DdaHostPlan']);
    // The dispatcher, the host functions, the plan checks and the simulator live in the module's scope only.
    expect(facts.newFunctions).toEqual(['Get-DdaHostInfo', 'Invoke-DdaHostOperation', 'Invoke-DdaHostPlan']);
    expect(facts.newGlobals).toEqual([]);
    expect(facts.modules).not.toContain('DdaSim');
  });

  it('reads the host against the simulator, and reports what the client checks', () => {
    expect(facts.info).toMatchObject({ simulated: true, moduleVersion: version, operations });
    expect(facts.info.scriptsHash).toBe(jeaScriptsHash());
    expect(facts.inventory.ok).toBe(true);
    expect(facts.inventory.devices).toBeGreaterThan(0);
  });

  it('refuses names that are not a read operation: a step alone, the host functions, paths, anything off the pattern', () => {
    expect(facts.unknown).toBe('UnknownOperation,DDAStudio.Host');
    expect(facts.step).toMatchObject({ ok: false, error: { fullyQualifiedErrorId: 'StepNotExposed,DDAStudio.Host' } });
    for (const [name, id] of Object.entries(facts.invalid)) {
      // ValidatePattern is case-insensitive: 'Inventory.ps1' fails on the dot.
      expect(id, name).toMatch(
        name === ''
          ? /^ParameterArgumentValidationError(NullNotAllowed|EmptyStringNotAllowed)?,Invoke-DdaHostOperation$/
          : /^ParameterArgumentValidationError,Invoke-DdaHostOperation$/,
      );
    }
  });

  it("passes only the operation's own parameters: a common parameter such as -WhatIf is refused", () => {
    expect(facts.commonParameter).toMatchObject({
      ok: false,
      error: { kind: 'protocol', message: "inventory.ps1 has no parameter 'WhatIf'." },
    });
  });

  it("refuses, on the host, a plan that takes the system disk's controller, whatever consents and flags it carries", () => {
    expect(facts.systemDisk).toMatchObject({
      ok: false,
      error: {
        fullyQualifiedErrorId: 'PlanRefused,DDAStudio.Host',
        message: expect.stringMatching(/controller of the host's system disk/),
      },
    });
  });

  it('refuses a plan while an RMRR flag cannot be read, and says so (not "BIOS-owned memory")', () => {
    expect(facts.unreadableRmrr).toMatchObject({
      ok: false,
      error: {
        fullyQualifiedErrorId: 'PlanRefused,DDAStudio.Host',
        message: expect.stringMatching(/survey property rmrr could not be read/),
      },
    });
  });

  it('enables a NIC the host needs without take-host-lifeline while it is disabled: the undo only puts it back', () => {
    expect(facts.enableUndo.disabledNow).toBeNull();
    // enabled now, the same undo would take it from the host: refused as any take
    expect(facts.enableUndo.enabledNow).toMatch(/undo of step e is refused: .*take-host-lifeline/);
  });

  it("runs a re-point of a VM's stale entry to its moved card, with the take checks of an assign", () => {
    expect(facts.repoint.card).toBeNull();
    expect(facts.repoint.systemDisk).toMatch(/^step r2 is refused: .*system disk/);
  });

  it("applies the role's allow list the same in every culture, and refuses a policy key it does not know", () => {
    // tr-TR: BUILD-* matches Build-Agent, NET matches Net, and ALLOWEDDEVICECLASSES still limits the classes
    expect(facts.turkish.nicToBuildAgent).toBeNull();
    expect(facts.turkish.usbToBuildAgent).toMatch(/class 'USB'.* not in this role's allow list/);
    expect(facts.unknownPolicyKey).toMatchObject({
      ok: false,
      error: {
        fullyQualifiedErrorId: 'PolicyUnreadable,DDAStudio.Host',
        message: expect.stringMatching(/names 'AllowedVM': only AllowedVms and AllowedDeviceClasses are known/),
      },
    });
  });

  it('the role shows only the three functions; the registration writes the template with the operators group', () => {
    expect(facts.role).toMatchObject({
      ModulesToImport: 'DDAStudio.Host',
      VisibleFunctions: ['Invoke-DdaHostOperation', 'Invoke-DdaHostPlan', 'Get-DdaHostInfo'],
    });
    const jea = {
      SessionType: 'RestrictedRemoteServer',
      RunAsVirtualAccount: true,
      TranscriptDirectory: 'C:\\ProgramData\\DDAStudio\\Transcripts',
    };
    expect(facts.template).toMatchObject({
      ...jea,
      RoleDefinitions: { 'BUILTIN\\Administrators': { RoleCapabilities: 'DDAStudioOperator' } },
    });
    expect(facts.registered).toMatchObject({
      ...jea,
      RoleDefinitions: { 'CONTOSO\\DDA Operators': { RoleCapabilities: 'DDAStudioOperator' } },
    });
    // Without -OperatorGroup, Windows names the group in the host's language (from its SID, S-1-5-32-544,
    // which cannot be translated off Windows: here the English name). Not testable here: a localized host.
    expect(facts.registeredDefault).toMatchObject({
      ...jea,
      RoleDefinitions: { 'BUILTIN\\Administrators': { RoleCapabilities: 'DDAStudioOperator' } },
    });
  });
});
