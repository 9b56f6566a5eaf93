/**
 * The JEA-shaped endpoint, for real: the DDAStudio.Host module as built for hosts, behind
 * `pwsh -sshs -ConfigurationFile` with a RestrictedRemoteServer configuration (NoLanguage, only our three
 * functions visible), reached by the app's own client, and called directly with hostile plans as an
 * operator could: every safety refusal happens on the endpoint itself. Role definitions and virtual
 * accounts are WinRM-only and cannot run here. Skipped with a reason where sshd cannot run; never
 * skipped in CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshTarget } from '../../shared/hosts';
import type { Device } from '../../shared/inventory';
import { consentIds, type Plan } from '../../shared/plan';
import { scriptsDir, type HostConnection } from '../host/host-connection';
import { openRemoteHost, remoteStartupParams } from '../hosts/remote-connection';
import { hostServices, type HostServices } from '../host/host-services';
import { captureHost } from '../diagnose/capture';
import { runDoctor } from '../diagnose/doctor';
import { comparableState, readState } from '../../testing/test-support';
import { buildJeaModule, jeaScriptsHash } from '../hosts/jea-module';
import { findPowerShell } from '../powershell/find-pwsh';
import { PowerShellSession } from '../powershell/session';
import { projectRoot } from '../project-root';
import { startSshTestHosts, sshTestHostsUnavailable, type SshTestHosts } from '../../testing/ssh-test-hosts';

const unavailable = sshTestHostsUnavailable();
if (unavailable && process.env.CI) throw new Error(`The JEA tests must run in CI, but: ${unavailable}`);
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
/** ml30-connectx4: the system disk's SATA controller, the iLO (BIOS keeps PCIe control), a USB controller. */
const ML30_SATA = 'PCIROOT(0)#PCI(1702)';
const ML30_ILO = 'PCIROOT(0)#PCI(1C04)#PCI(0002)';
const ML30_USB = 'PCIROOT(0)#PCI(1400)';
/** lifelines-host: the spare I210, the X710 port with the management address, the NVMe with D: and E:, the system disk's AHCI. */
const SPARE = 'PCIROOT(0)#PCI(1C04)#PCI(0000)';
const MGMT = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const NVME = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';
const LL_AHCI = 'PCIROOT(0)#PCI(1700)';
/** ml30-connectx4: the I350 the host keeps disabled. */
const I350 = 'PCIROOT(0)#PCI(1C00)#PCI(0000)';

/**
 * How the endpoint refuses the system disk's controller: by name. (Failing closed while the disks are
 * unknown would refuse it too, and did on every restricted endpoint while a proxied Select-Object hid the
 * system disk: the precise reason is required.)
 */
const SYSTEM_DISK = /controller of the host's system disk/;

/** A copy of a plan whose device steps (and intent) name another device: what an operator could send. */
function retarget(plan: Plan, device: Device): Plan {
  const p = structuredClone(plan);
  if ('locationPath' in p.intent) p.intent.locationPath = device.locationPath!;
  for (const a of p.steps.flatMap((x) => [x.action, x.undo])) {
    if (!a) continue;
    if (typeof a.params.LocationPath === 'string') a.params.LocationPath = device.locationPath!;
    if (typeof a.params.InstanceId === 'string') a.params.InstanceId = device.instanceId;
  }
  return p;
}
const allConsents = (plan: Plan): Plan => ({ ...plan, choices: { ...plan.choices, consents: [...consentIds] } });
const withConsents = (plan: Plan, consents: Plan['choices']['consents']): Plan => ({
  ...plan,
  choices: { ...plan.choices, consents },
});
function editStep(plan: Plan, kind: string, edit: (s: Plan['steps'][number]) => void): Plan {
  const p = structuredClone(plan);
  const step = p.steps.find((s) => s.kind === kind);
  if (!step) throw new Error(`the plan has no ${kind} step`);
  edit(step);
  return p;
}

/** Per test: every connection starts pwsh, the simulator and the module on a machine that may be busy. */
const SLOW = 300_000;
/** A connect limit for a loaded machine (pwsh, the simulator and the module all start per connection). */
const patient = (t: SshTarget): SshTarget => ({ ...t, connectTimeoutMs: 60_000 });

type EndpointAnswer = { ok: boolean; id: string | null; message: string | null };
/** Calls Invoke-DdaHostPlan on a host's restricted endpoint directly, once per request, in one session. */
function callEndpoint(t: SshTarget, requests: unknown[]): EndpointAnswer[] {
  const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
  const file = join(mkdtempSync(join(tmpdir(), 'dda-jea-req-')), 'requests.json');
  writeFileSync(file, JSON.stringify(requests.map((r) => JSON.stringify(r))));
  const script = `
    $o = @{ BatchMode = 'yes'; StrictHostKeyChecking = 'yes'; UserKnownHostsFile = '"' + $env:KH + '"' }
    $s = New-PSSession -HostName $env:H -Port ([int]$env:P) -UserName root -KeyFilePath $env:K -Subsystem $env:SUB -Options $o -ConnectingTimeout 120000
    $answers = foreach ($r in @(Get-Content -Raw -LiteralPath $env:REQ | ConvertFrom-Json)) {
      $e = ConvertFrom-Json (Invoke-Command -Session $s { param($j) Invoke-DdaHostPlan -RequestJson $j } -ArgumentList $r)
      @{ ok = [bool]$e.ok; id = $e.error.fullyQualifiedErrorId; message = $e.error.message }
    }
    Remove-PSSession $s
    ConvertTo-Json -InputObject @($answers) -Compress`;
  const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
    encoding: 'utf8',
    timeout: 600_000,
    env: {
      ...process.env,
      H: t.hostName,
      P: String(t.port),
      K: t.keyFilePath!,
      KH: t.knownHostsFile!,
      SUB: t.subsystem!,
      REQ: file,
    },
  });
  rmSync(dirname(file), { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as EndpointAnswer[];
}

describe.skipIf(!!unavailable)(
  `the DDAStudio.Host JEA endpoint over SSH${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let sshd: SshTestHosts;
    let jea: HostConnection;
    let full: HostConnection;
    let services: HostServices;
    let dir: string;
    let moduleDir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'dda-jea-'));
      const module = buildJeaModule(dir);
      const pssc = join(dir, 'restricted.pssc');
      writeFileSync(
        pssc,
        `@{ SchemaVersion = '2.0.0.0'; SessionType = 'RestrictedRemoteServer'; ModulesToImport = '${join(module, 'DDAStudio.Host.psd1')}'; VisibleFunctions = 'Invoke-DdaHostOperation', 'Invoke-DdaHostPlan', 'Get-DdaHostInfo' }\n`,
      );
      sshd = await startSshTestHosts({ profiles: ['ml30-connectx4', 'lifelines-host'], jeaConfigurationFile: pssc });
      moduleDir = module;
      jea = openRemoteHost(patient(sshd.jeaTarget(0)), { dataDir: join(dir, 'data-jea') });
      full = openRemoteHost(patient(sshd.hosts[0]!.target), { dataDir: join(dir, 'data-full') });
      services = hostServices(jea);
    });
    afterAll(async () => {
      await Promise.all([jea?.close(), full?.close()]);
      await sshd?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(
      'reads the same inventory as the full endpoint of the same host, and its doctor and capture too',
      async () => {
        const [viaJea, viaFull] = await Promise.all([services.readInventory(), hostServices(full).readInventory()]);
        const shape = (inv: typeof viaJea) => ({
          host: inv.host.computerName,
          devices: inv.devices.map((d) => [d.locationPath, d.verdict.code, d.mmioMB, d.owner.kind]),
          vms: inv.vms.map((v) => [v.name, v.state, v.highMemoryMappedIoSpace]),
        });
        expect(shape(viaJea)).toEqual(shape(viaFull));
        const status = await jea.runner.invoke<{ info: { moduleVersion: string; simulated: boolean } }>(
          'remote-status',
        );
        expect(status.ok && status.value.info).toMatchObject({
          simulated: true,
          moduleVersion: JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')).version,
        });
        // Help > Check this host and Save host report: read-only, so the role runs them too.
        const [doctorJea, doctorFull] = await Promise.all([runDoctor(jea.runner, true), runDoctor(full.runner, true)]);
        expect(doctorJea.items.map((i) => [i.id, i.status])).toEqual(doctorFull.items.map((i) => [i.id, i.status]));
        const [captureJea, captureFull] = await Promise.all([captureHost(jea.runner), captureHost(full.runner)]);
        expect(captureJea.devices.map((d) => d.locationPath)).toEqual(captureFull.devices.map((d) => d.locationPath));
      },
      SLOW,
    );

    it(
      'assigns the ConnectX-4 Lx and returns it, each operation whole on the host',
      async () => {
        const state = sshd.hosts[0]!.stateFile;
        const before = comparableState(state);
        const none = { consents: [], startVmAfter: false };
        const plan = await services.operations.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
        const run = await services.operations.run(plan.id);
        expect(run.ok ? run.value.status : run.error).toBe('succeeded');
        expect(readState(state).vms.find((v) => v.name === 'Router-01')?.assignedDevices).toEqual([CX4]);
        const back = await services.operations.plan({ kind: 'revert', locationPath: CX4 }, none);
        const undo = await services.operations.run(back.id);
        expect(undo.ok ? undo.value.status : undo.error).toBe('succeeded');
        expect(comparableState(state)).toEqual(before);
      },
      SLOW,
    );

    it(
      'refuses everything else: other commands, our helpers, the simulator, language, unknown or crafted operation names',
      () => {
        const t = sshd.jeaTarget(0);
        const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
        const script = `
      $o = @{ BatchMode = 'yes'; StrictHostKeyChecking = 'yes'; UserKnownHostsFile = '"' + $env:KH + '"' }
      $s = New-PSSession -HostName $env:H -Port ([int]$env:P) -UserName root -KeyFilePath $env:K -Subsystem $env:SUB -Options $o -ConnectingTimeout 120000
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
      $out.step = (ConvertFrom-Json (Invoke-Command -Session $s { param($j) Invoke-DdaHostOperation -Name op-disable-device -ParametersJson $j } -ArgumentList $env:STEP)).error.fullyQualifiedErrorId
      $out.info = Invoke-Command -Session $s { Get-DdaHostInfo } | Select-Object simulated, moduleVersion, scriptsHash
      Remove-PSSession $s
      $out | ConvertTo-Json -Compress`;
        const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
          encoding: 'utf8',
          timeout: 300_000,
          env: {
            ...process.env,
            H: t.hostName,
            P: String(t.port),
            K: t.keyFilePath!,
            KH: t.knownHostsFile!,
            SUB: t.subsystem!,
            STEP: JSON.stringify({ InstanceId: 'PCI\\VEN_8086&DEV_A352&SUBSYS_00E4103C&REV_10\\3&11583659&0&B8' }),
          },
        });
        expect(r.status, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
        expect(out.commands).toEqual(
          expect.arrayContaining(['Get-DdaHostInfo', 'Invoke-DdaHostOperation', 'Invoke-DdaHostPlan']),
        );
        const refused = [
          'Get-ChildItem',
          'Invoke-DdaScript',
          'Get-VM',
          'Get-DdaPlatformFacts',
          'ConvertFrom-DdaJson',
          'ConvertTo-DdaModuleScopedBlock',
          'Import-Module',
        ];
        for (const hidden of [...refused, 'Invoke-Expression', 'Invoke-Command', 'Get-PnpDevice'])
          expect(out.commands).not.toContain(hidden);
        for (const k of refused) expect(out[k], k).toMatch(/^CommandNotFoundException/);
        expect(out.language).toMatch(/ScriptsNotAllowed/);
        expect(out.traversal).toMatch(/^ParameterArgumentValidationError,Invoke-DdaHostOperation/);
        expect(out.relative).toMatch(/^ParameterArgumentValidationError,Invoke-DdaHostOperation/);
        expect(out.unknown).toEqual([
          'UnknownOperation,DDAStudio.Host',
          'UnknownOperation,DDAStudio.Host',
          'UnknownOperation,DDAStudio.Host',
        ]);
        // A step is never run alone (before issue 14, this disabled the system disk's controller).
        expect(out.step).toBe('StepNotExposed,DDAStudio.Host');
        expect(out.info).toMatchObject({ simulated: true, scriptsHash: jeaScriptsHash() });
      },
      SLOW,
    );

    it(
      'refuses on the endpoint itself every plan its own checks refuse, whatever the plan says of itself, and changes nothing',
      async () => {
        const lifelines = openRemoteHost(patient(sshd.jeaTarget(1)), { dataDir: join(dir, 'data-jea-1') });
        try {
          const states = sshd.hosts.map((h) => h.stateFile);
          const before = states.map((f) => comparableState(f));
          const none = { consents: [], startVmAfter: false };
          const [inv0, inv1] = await Promise.all([services.readInventory(), hostServices(lifelines).readInventory()]);
          const dev = (inv: typeof inv0, path: string) => inv.devices.find((d) => d.locationPath === path)!;
          // Honest plans the client makes, then changed as an operator could (blocked: null, no consents listed).
          const base = await services.operations.plan({ kind: 'assign', locationPath: CX4, vmName: 'Router-01' }, none);
          const turnOff = await services.operations.plan(
            { kind: 'assign', locationPath: CX4, vmName: 'File-Server' },
            { consents: ['turn-off-vm'], startVmAfter: false },
          );
          const spare = await hostServices(lifelines).operations.plan(
            { kind: 'assign', locationPath: SPARE, vmName: 'Lab-VM' },
            none,
          );
          for (const p of [base, turnOff, spare]) expect(p.blocked).toBeNull();
          const fileServer = inv0.vms.find((v) => v.name === 'File-Server')!.id;
          const lie = (p: Plan): Plan => ({ ...p, blocked: null, consents: [] });
          // A revert-shaped plan for the ConnectX-4 Lx while the host holds it: the mount's undo would take it with -Force.
          const cx4 = dev(inv0, CX4);
          const forced = {
            LocationPath: CX4,
            InstanceId: cx4.instanceId,
            RequireAcsSupport: false,
            RequireDeviceMitigations: false,
            RetryWithoutMitigations: false,
          };
          const mountOnHost: Plan = {
            ...base,
            intent: { kind: 'revert', locationPath: CX4 },
            steps: [
              {
                id: 'm',
                kind: 'mount-device',
                description: base.title,
                action: { script: 'op-mount-device', params: { LocationPath: CX4 }, command: '' },
                undo: { script: 'op-dismount-device', params: forced, command: '' },
              },
            ],
          };
          const ml30: [string, Plan, RegExp][] = [
            ['system disk', allConsents(retarget(base, dev(inv0, ML30_SATA))), SYSTEM_DISK],
            [
              '-Force without its consents',
              editStep(base, 'dismount-device', (s) =>
                Object.assign(s.action.params, { RequireAcsSupport: false, RequireDeviceMitigations: false }),
              ),
              /without the consent force-insecure/,
            ],
            [
              '-Force with one consent',
              withConsents(
                editStep(base, 'dismount-device', (s) =>
                  Object.assign(s.action.params, { RequireAcsSupport: false, RequireDeviceMitigations: false }),
                ),
                ['force-insecure'],
              ),
              /without the consent skip-device-mitigations/,
            ],
            ['survey refusal', allConsents(retarget(base, dev(inv0, ML30_ILO))), /survey says it is not assignable/],
            ['turn-off without consent', withConsents(turnOff, []), /turns a VM off without the consent turn-off-vm/],
            [
              'another script for a step',
              editStep(base, 'add-device', (s) => (s.action.script = 'op-dismount-device')),
              /does not run op-add-device/,
            ],
            [
              'a parameter the script does not take',
              editStep(base, 'dismount-device', (s) => (s.action.params.WhatIf = true)),
              /takes no parameter 'WhatIf'/,
            ],
            [
              'a VM the intent does not name',
              editStep(base, 'add-device', (s) => (s.action.params.VmId = fileServer)),
              /VM\(s\) its intent does not/,
            ],
            [
              'a mount whose undo would dismount a device on the host with -Force',
              mountOnHost,
              /undo of step m dismounts without the ACS check and without the consent force-insecure/,
            ],
            [
              "a device off the intent's card",
              editStep(base, 'add-device', (s) => (s.action.params.LocationPath = ML30_USB)),
              /not on the card of/,
            ],
          ];
          const ll: [string, Plan, RegExp][] = [
            // Refused outright when the endpoint sees a remote session it cannot place; else it needs its consent.
            [
              'the management NIC',
              withConsents(
                retarget(spare, dev(inv1, MGMT)),
                consentIds.filter((c) => c !== 'take-host-lifeline'),
              ),
              /session's NIC cannot be told|without the consent take-host-lifeline/,
            ],
            [
              'a data disk without take-host-lifeline',
              retarget(spare, dev(inv1, NVME)),
              /without the consent take-host-lifeline|storage controller, and which of the host's disks/,
            ],
            ['the boot disk controller', allConsents(retarget(spare, dev(inv1, LL_AHCI))), SYSTEM_DISK],
          ];
          // The system disk's controller is refused as such, or (when the endpoint could not place the system
          // disk: fail closed) as a storage controller whose disks are unknown.
          const answers0 = callEndpoint(sshd.jeaTarget(0), [...ml30.map(([, p]) => ({ Plan: lie(p) })), { Plan: 'x' }]);
          const answers1 = callEndpoint(
            sshd.jeaTarget(1),
            ll.map(([, p]) => ({ Plan: lie(p) })),
          );
          [...ml30, ...ll].forEach(([label, , why], i) => {
            const a = i < ml30.length ? answers0[i]! : answers1[i - ml30.length]!;
            expect(a, label).toMatchObject({ ok: false, id: 'PlanRefused,DDAStudio.Host' });
            expect(a.message, label).toMatch(why);
          });
          expect(answers0[ml30.length]).toMatchObject({ ok: false, id: 'PlanMalformed,DDAStudio.Host' });
          expect(states.map((f) => comparableState(f))).toEqual(before);

          // Two VMs of one name (Hyper-V allows it): the intent's VM is unknown, so the honest plan for it is refused.
          const file = states[0]!;
          const text = readFileSync(file, 'utf8');
          const twins = JSON.parse(text) as { vms: Array<{ name: string }> };
          twins.vms.find((v) => v.name === 'File-Server')!.name = 'Router-01';
          writeFileSync(file, JSON.stringify(twins));
          try {
            const [twin] = callEndpoint(sshd.jeaTarget(0), [{ Plan: base }]);
            expect(twin).toMatchObject({ ok: false, id: 'PlanRefused,DDAStudio.Host' });
            expect(twin!.message).toMatch(/2 VMs are named 'Router-01'/);
          } finally {
            writeFileSync(file, text);
          }
          expect(states.map((f) => comparableState(f))).toEqual(before);
        } finally {
          await lifelines.close();
        }
      },
      2 * SLOW,
    );

    it(
      "an honest client's plan outside the role's allow list is refused by the endpoint, with nothing run",
      async () => {
        const policy = join(moduleDir, 'DDAStudio.Host.Policy.psd1');
        writeFileSync(policy, "@{ AllowedVms = @('Router-*'); AllowedDeviceClasses = @('Net') }\n");
        try {
          const state = sshd.hosts[0]!.stateFile;
          const before = comparableState(state);
          const none = { consents: [], startVmAfter: false };
          const vm = await services.operations.plan({ kind: 'assign', locationPath: CX4, vmName: 'Build-Agent' }, none);
          const cls = await services.operations.plan(
            { kind: 'assign', locationPath: ML30_USB, vmName: 'Router-01' },
            none,
          );
          const [byVm, byClass] = [await services.operations.run(vm.id), await services.operations.run(cls.id)];
          expect(!byVm.ok && byVm.error).toMatchObject({
            code: 'refused',
            message: expect.stringMatching(/the VM 'Build-Agent' .* is not in this role's allow list/),
          });
          expect(!byClass.ok && byClass.error).toMatchObject({
            code: 'refused',
            message: expect.stringMatching(/class 'USB'.* not in this role's allow list/),
          });
          expect(comparableState(state)).toEqual(before);
          expect(services.journal.findUnfinished()).toEqual([]);
        } finally {
          rmSync(policy, { force: true });
        }
      },
      SLOW,
    );

    it(
      'a host with another DDAStudio.Host version, or the same version with other scripts, is refused with the fix',
      async () => {
        const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
        const cases = [
          [
            { ExpectedModuleVersion: '0.0.1-older' },
            /DDAStudio\.Host on this host is version .*; this DDA Studio needs 0\.0\.1-older\. Install the module again/,
          ],
          [
            { ExpectedScriptsHash: '0'.repeat(64) },
            /DDAStudio\.Host [\d.]+ on this host holds other scripts than this DDA Studio ships\. Install the module again/,
          ],
        ] as const;
        for (const [override, message] of cases) {
          const session = new PowerShellSession({
            executable: pwsh.path,
            scriptDirs: [scriptsDir()],
            startup: [
              { script: 'use-remote', params: { ...remoteStartupParams(patient(sshd.jeaTarget(1))), ...override } },
            ],
          });
          try {
            const r = await session.invoke('inventory');
            expect(!r.ok && r.error.kind).toBe('connection');
            expect(!r.ok && r.error.message).toMatch(message);
          } finally {
            await session.dispose();
          }
        }
      },
      SLOW,
    );

    it(
      "fits a VM's settings to its device, starts it and enables a device left disabled, each a whole plan on the host; a start's undo asks no turn-off consent (it never runs there)",
      async () => {
        const state = sshd.hosts[0]!.stateFile;
        const none = { consents: [], startVmAfter: false };
        // Router-01 holds the ConnectX-4 Lx with its stop action still Save: fit-vm sets TurnOff, as an assignment would.
        const host = JSON.parse(readFileSync(state, 'utf8')) as {
          vms: Array<{ name: string; assignedDevices: string[] }>;
        };
        host.vms.find((v) => v.name === 'Router-01')!.assignedDevices = [CX4];
        writeFileSync(state, JSON.stringify(host));
        const fit = await services.operations.plan({ kind: 'fit-vm', vmName: 'Router-01' }, none);
        expect(fit.blocked).toBeNull();
        expect(fit.steps.map((s) => s.kind)).toContain('set-vm-stop-action');
        const fitted = await services.operations.run(fit.id);
        expect(fitted.ok ? fitted.value.status : fitted.error).toBe('succeeded');
        const router = (await services.readInventory()).vms.find((v) => v.name === 'Router-01')!;
        expect(router.automaticStopAction).toBe('TurnOff');
        const start = await services.operations.plan({ kind: 'start-vm', vmName: 'Router-01' }, none);
        expect(start.blocked).toBeNull();
        expect(start.steps.map((s) => [s.kind, s.undo?.script])).toEqual([['start-vm', 'op-stop-vm']]);
        const started = await services.operations.run(start.id);
        expect(started.ok ? started.value.status : started.error).toBe('succeeded');
        expect(readState(state).vms.find((v) => v.name === 'Router-01')?.state).toBe('Running');
        // The I350 this host keeps disabled.
        const enable = await services.operations.plan({ kind: 'enable-device', locationPath: I350 }, none);
        expect(enable.blocked).toBeNull();
        const enabled = await services.operations.run(enable.id);
        expect(enabled.ok ? enabled.value.status : enabled.error).toBe('succeeded');
        expect(readState(state).devices.find((d) => d.locationPath === I350)?.enabled).toBe(true);
        // Only the last step's undo goes without turn-off-vm: with two starts, the first one's undo (turn off)
        // runs when the second fails, so it needs the consent.
        const [twoStarts] = callEndpoint(sshd.jeaTarget(0), [
          {
            Plan: {
              ...start,
              steps: [
                { ...start.steps[0]!, id: 's1' },
                { ...start.steps[0]!, id: 's2' },
              ],
            },
          },
        ]);
        expect(twoStarts).toMatchObject({ ok: false });
        expect(twoStarts!.message).toMatch(/turns a VM off without the consent turn-off-vm/);
      },
      SLOW,
    );
  },
);
