/**
 * The JEA-shaped endpoint, for real: the DDAStudio.Host module as built for hosts, behind
 * `pwsh -sshs -ConfigurationFile` with a RestrictedRemoteServer configuration (NoLanguage, only our two
 * functions visible), reached by the app's own client. Role definitions and virtual accounts are
 * WinRM-only and cannot run here. Skipped with a reason where sshd cannot run; never skipped in CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptsDir, type HostConnection } from '../host/host-connection';
import { openRemoteHost, remoteStartupParams } from '../hosts/remote-connection';
import { hostServices, type HostServices } from '../host/host-services';
import { comparableState, readState } from '../../testing/test-support';
import { buildJeaModule, jeaScriptsHash } from '../hosts/jea-module';
import { findPowerShell } from '../powershell/find-pwsh';
import { PowerShellSession } from '../powershell/session';
import { projectRoot } from '../project-root';
import { startSshTestHosts, sshTestHostsUnavailable, type SshTestHosts } from '../../testing/ssh-test-hosts';

const unavailable = sshTestHostsUnavailable();
if (unavailable && process.env.CI) throw new Error(`The JEA tests must run in CI, but: ${unavailable}`);
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';

describe.skipIf(!!unavailable)(`the DDAStudio.Host JEA endpoint over SSH${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let sshd: SshTestHosts;
  let jea: HostConnection;
  let full: HostConnection;
  let services: HostServices;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dda-jea-'));
    const module = buildJeaModule(dir);
    const pssc = join(dir, 'restricted.pssc');
    writeFileSync(
      pssc,
      `@{ SchemaVersion = '2.0.0.0'; SessionType = 'RestrictedRemoteServer'; ModulesToImport = '${join(module, 'DDAStudio.Host.psd1')}'; VisibleFunctions = 'Invoke-DdaHostOperation', 'Get-DdaHostInfo' }\n`,
    );
    sshd = await startSshTestHosts({ profiles: ['ml30-connectx4', 'ml30-connectx4'], jeaConfigurationFile: pssc });
    jea = openRemoteHost(sshd.jeaTarget(0), { dataDir: join(dir, 'data-jea') });
    full = openRemoteHost(sshd.hosts[0]!.target, { dataDir: join(dir, 'data-full') });
    services = hostServices(jea);
  });
  afterAll(async () => {
    await Promise.all([jea?.close(), full?.close()]);
    await sshd?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the same inventory as the full endpoint of the same host', async () => {
    const [viaJea, viaFull] = await Promise.all([services.readInventory(), hostServices(full).readInventory()]);
    const shape = (inv: typeof viaJea) => ({
      host: inv.host.computerName,
      devices: inv.devices.map((d) => [d.locationPath, d.verdict.code, d.mmioMB, d.owner.kind]),
      vms: inv.vms.map((v) => [v.name, v.state, v.highMemoryMappedIoSpace]),
    });
    expect(shape(viaJea)).toEqual(shape(viaFull));
    const status = await jea.runner.invoke<{ info: { moduleVersion: string; simulated: boolean } }>('remote-status');
    expect(status.ok && status.value.info).toMatchObject({ simulated: true, moduleVersion: JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')).version });
  });

  it('assigns the ConnectX-4 Lx and returns it, each operation whole on the host', async () => {
    const state = sshd.hosts[0]!.stateFile;
    const before = comparableState(state);
    const none = { consents: [], startVmAfter: false };
    const plan = await services.operations.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
    const run = await services.operations.run(plan.id);
    expect(run.ok && run.value.status).toBe('succeeded');
    expect(readState(state).vms.find((v) => v.name === 'Router-01')?.assignedDevices).toEqual([CX4]);
    const back = await services.operations.plan({ kind: 'revert', locationPath: CX4 }, none);
    const undo = await services.operations.run(back.id);
    expect(undo.ok && undo.value.status).toBe('succeeded');
    expect(comparableState(state)).toEqual(before);
  });

  it('refuses everything else: other commands, our helpers, the simulator, language, unknown or crafted operation names', () => {
    const t = sshd.jeaTarget(0);
    const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
    const script = `
      $o = @{ BatchMode = 'yes'; StrictHostKeyChecking = 'yes'; UserKnownHostsFile = $env:KH }
      $s = New-PSSession -HostName $env:H -Port ([int]$env:P) -UserName root -KeyFilePath $env:K -Subsystem $env:SUB -Options $o -ConnectingTimeout 15000
      $out = [ordered]@{}
      $out.commands = @(Invoke-Command -Session $s { Get-Command } | ForEach-Object { $_.Name } | Sort-Object)
      $try = {
        param($label, [scriptblock]$sb, $argList)
        try { $null = Invoke-Command -Session $s -ScriptBlock $sb -ArgumentList $argList -ErrorAction Stop; $out[$label] = 'ran' }
        catch { $out[$label] = [string]$_.FullyQualifiedErrorId }
      }
      & $try 'Get-ChildItem' { Get-ChildItem / } @()
      & $try 'Invoke-DdaScript' { Invoke-DdaScript -Text 'whoami' -Path x -ParamsJson '{}' -ScriptHash '' } @()
      & $try 'Get-VM' { Get-VM } @()
      & $try 'Get-DdaPlatformFacts' { Get-DdaPlatformFacts } @()
      & $try 'ConvertFrom-DdaJson' { ConvertFrom-DdaJson '{}' } @()
      & $try 'ConvertTo-DdaModuleScopedBlock' { ConvertTo-DdaModuleScopedBlock 'whoami' } @()
      & $try 'Import-Module' { Import-Module DdaSim } @()
      & $try 'language' { param($x) $x + 1 } @(1)
      & $try 'traversal' { param($n) Invoke-DdaHostOperation -Name $n -ParametersJson '{}' } @('../../etc/passwd')
      & $try 'relative' { param($n) Invoke-DdaHostOperation -Name $n -ParametersJson '{}' } @('../x')
      $out.unknown = @('use-remote', 'host-functions', 'x') | ForEach-Object {
        $json = Invoke-Command -Session $s { param($n) Invoke-DdaHostOperation -Name $n -ParametersJson '{}' } -ArgumentList $_
        (ConvertFrom-Json $json).error.fullyQualifiedErrorId
      }
      $out.info = Invoke-Command -Session $s { Get-DdaHostInfo } | Select-Object simulated, moduleVersion, scriptsHash
      Remove-PSSession $s
      $out | ConvertTo-Json -Compress`;
    const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, H: t.hostName, P: String(t.port), K: t.keyFilePath!, KH: t.knownHostsFile!, SUB: t.subsystem! },
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(out.commands).toEqual(expect.arrayContaining(['Get-DdaHostInfo', 'Invoke-DdaHostOperation']));
    const refused = ['Get-ChildItem', 'Invoke-DdaScript', 'Get-VM', 'Get-DdaPlatformFacts', 'ConvertFrom-DdaJson', 'ConvertTo-DdaModuleScopedBlock', 'Import-Module'];
    for (const hidden of [...refused, 'Invoke-Expression', 'Invoke-Command', 'Get-PnpDevice']) expect(out.commands).not.toContain(hidden);
    for (const k of refused) expect(out[k], k).toMatch(/^CommandNotFoundException/);
    expect(out.language).toMatch(/ScriptsNotAllowed/);
    expect(out.traversal).toMatch(/^ParameterArgumentValidationError,Invoke-DdaHostOperation/);
    expect(out.relative).toMatch(/^ParameterArgumentValidationError,Invoke-DdaHostOperation/);
    expect(out.unknown).toEqual(['UnknownOperation,DDAStudio.Host', 'UnknownOperation,DDAStudio.Host', 'UnknownOperation,DDAStudio.Host']);
    expect(out.info).toMatchObject({ simulated: true, scriptsHash: jeaScriptsHash() });
  });

  it('a host with another DDAStudio.Host version, or the same version with other scripts, is refused with the fix', async () => {
    const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
    const cases = [
      [{ ExpectedModuleVersion: '0.0.1-older' }, /DDAStudio\.Host on this host is version .*; this DDA Studio needs 0\.0\.1-older\. Install the module again/],
      [{ ExpectedScriptsHash: '0'.repeat(64) }, /DDAStudio\.Host [\d.]+ on this host holds other scripts than this DDA Studio ships\. Install the module again/],
    ] as const;
    for (const [override, message] of cases) {
      const session = new PowerShellSession({
        executable: pwsh.path,
        scriptDirs: [scriptsDir()],
        startup: [{ script: 'use-remote', params: { ...remoteStartupParams(sshd.jeaTarget(1)), ...override } }],
      });
      try {
        const r = await session.invoke('inventory');
        expect(!r.ok && r.error.kind).toBe('connection');
        expect(!r.ok && r.error.message).toMatch(message);
      } finally {
        await session.dispose();
      }
    }
  });
});
