/**
 * The doctor's judgement, without PowerShell: what the product's scripts use matches the reference,
 * and each kind of difference fails exactly its item with its fix.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorExitCode } from '../../shared/doctor';
import { doctorProblemText, doctorText } from '../../shared/i18n/doctor-messages';
import { judgeDoctor, type DoctorFacts } from './doctor-checks';
import { doctorReference } from './doctor';
import { findPowerShell } from '../powershell/find-pwsh';
import { projectRoot } from '../project-root';
import { usedCmdlets, usedSurface } from './used-surface';

const ref = doctorReference();
const scriptsDir = join(import.meta.dirname, '..', 'powershell', 'scripts');

/** The facts of a host whose surface is exactly the reference's. */
function healthyFacts(): DoctorFacts {
  const surface: DoctorFacts['surface'] = {};
  for (const name of usedCmdlets()) {
    const c = ref.cmdlets[name]!;
    surface[name] = {
      found: true,
      module: 'Hyper-V',
      moduleVersion: '2.0.0.0',
      parameterSets: [...c.parameterSets],
      supportsShouldProcess: c.supportsShouldProcess,
      parameters: Object.fromEntries(
        Object.entries(c.parameters).map(([p, m]) => [
          p,
          { type: m.type.replace(/^.*\./, ''), sets: Object.keys(m.sets) },
        ]),
      ),
    };
  }
  const ok = { failed: false, errorId: '' };
  return {
    computerName: 'HV01',
    psEdition: 'Desktop',
    psVersion: '5.1.20348.2849',
    uiCulture: 'de-DE',
    surface,
    pciDevices: 12,
    pciRead: ok,
    properties: Object.fromEntries(
      ref.properties.map((p) => [p.key, { types: [], dataTypes: [p.dotNetType], devices: 12, read: ok }]),
    ),
    vmHost: { found: true, iovSupport: true, iovSupportReasons: [], read: ok },
    cim: { Win32_PnPAllocatedResource: { failed: false, errorId: '', rows: 40 } },
    platform: { elevated: true, iommuPolicyEnabled: true, simulated: false, windowsPowerShellCompat: false },
    platformRead: ok,
  };
}
const notPassing = (f: DoctorFacts) => judgeDoctor(f, ref).filter((i) => i.status !== 'pass');

describe('the surface the doctor checks is the one the scripts use', () => {
  it("every set and parameter listed is in Microsoft's reference, in that set", () => {
    for (const u of usedSurface) {
      const c = ref.cmdlets[u.cmdlet];
      expect(c, u.cmdlet).toBeDefined();
      expect(c!.parameterSets, `${u.cmdlet} ${u.set}`).toContain(u.set);
      for (const p of u.parameters)
        expect(Object.keys(c!.parameters[p]?.sets ?? {}), `${u.cmdlet} -${p} in ${u.set}`).toContain(u.set);
    }
  });

  it('every reference cmdlet a product script calls is checked', () => {
    const text = readdirSync(scriptsDir)
      .filter((f) => f.endsWith('.ps1'))
      .map((f) => readFileSync(join(scriptsDir, f), 'utf8').replace(/#.*$/gm, ''))
      .join('\n');
    const called = Object.keys(ref.cmdlets).filter((c) => new RegExp(`(^|[\\s(|;])${c}(\\s|$|\\))`, 'm').test(text));
    expect(called.length).toBeGreaterThan(20);
    expect(called.filter((c) => !usedCmdlets().includes(c))).toEqual([]);
  });

  it('every parameter a product script names for a reference cmdlet is in a set the doctor checks', () => {
    // PowerShell's own parser: each command of each script, and the parameters it names.
    const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
    const list = spawnSync(
      pwsh.path,
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `foreach ($f in Get-ChildItem -LiteralPath $env:DDA_SCRIPTS -Filter *.ps1) {
          $ast = [System.Management.Automation.Language.Parser]::ParseFile($f.FullName, [ref]$null, [ref]$null)
          foreach ($c in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            foreach ($e in $c.CommandElements) {
              if ($e -is [System.Management.Automation.Language.CommandParameterAst]) { '{0}|{1}|{2}' -f ($c.GetCommandName() -replace '^.*\\\\', ''), $e.ParameterName, $f.Name }
            }
          }
        }`,
      ],
      { encoding: 'utf8', env: { ...process.env, DDA_SCRIPTS: scriptsDir } },
    );
    expect(list.status, list.stderr).toBe(0);
    const common = new Set(['ErrorAction', 'ErrorVariable', 'WarningAction', 'WarningVariable', 'Confirm', 'WhatIf']);
    const unchecked = list.stdout
      .split(/\r?\n/)
      .filter(Boolean)
      .map((l) => l.split('|') as [string, string, string])
      .filter(([cmdlet, param]) => ref.cmdlets[cmdlet] && !common.has(param))
      .filter(
        ([cmdlet, param]) =>
          !usedSurface.some(
            (u) => u.cmdlet === cmdlet && u.parameters.some((p) => p.toLowerCase() === param.toLowerCase()),
          ),
      )
      .map((x) => x.join(' '));
    expect(unchecked).toEqual([]);
  });

  it('the PCI property keys are the ones inventory.ps1 reads', () => {
    expect(ref.properties.map((p) => p.name)).toEqual([
      'DEVPKEY_PciDevice_DeviceType',
      'DEVPKEY_PciDevice_BaseClass',
      'DEVPKEY_PciDevice_BarTypes',
      'DEVPKEY_PciDevice_AcsCompatibleUpHierarchy',
      'DEVPKEY_PciDevice_RequiresReservedMemoryRegion',
      'DEVPKEY_Device_LocationPaths',
    ]);
  });
});

describe('doctor.ps1 and capture.ps1 only read', () => {
  it('call no command but Get-* readers, our Get-Dda* facts and pipeline helpers (no secret source, no change)', () => {
    const allowed = new Set([
      'Where-Object',
      'ForEach-Object',
      'Sort-Object',
      'Select-Object',
      'New-Object',
      'Add-Note',
      // this script's own language rules (a property a host's object lacks reads as $null)
      'Set-StrictMode',
      // host-functions.ps1: the DEVPKEY_Device_Parent walk, Get-DdaPnpDeviceProperty calls only
      'Resolve-DdaPciFunction',
    ]);
    for (const f of ['doctor.ps1', 'capture.ps1']) {
      const text = readFileSync(join(scriptsDir, f), 'utf8')
        .replace(/#.*$/gm, '')
        .replace(/'[^']*'/g, "''");
      const commands = [...new Set(text.match(/\b[A-Z][a-z]+-[A-Za-z]+\b/g) ?? [])];
      expect(commands.length, f).toBeGreaterThan(5);
      const bad = commands.filter(
        (c) => !allowed.has(c) && !/^Get-(?!Variable|Item|Content|ChildItem|Credential|Secret)/.test(c),
      );
      expect(bad, f).toEqual([]);
    }
  });
});

describe('judging a host', () => {
  it('a host as expected passes everything (exit 0)', () => {
    const items = judgeDoctor(healthyFacts(), ref);
    expect(items.filter((i) => i.status !== 'pass')).toEqual([]);
    expect(items.map((i) => i.id)).toEqual(
      expect.arrayContaining([
        'powershell',
        'hyperv-module',
        'ui-culture',
        'elevation',
        'iommu',
        'iov-support',
        'survey',
        'surface:Stop-VM',
        'pci-property:DEVPKEY_PciDevice_RequiresReservedMemoryRegion',
      ]),
    );
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(doctorExitCode(items)).toBe(0);
  });

  it('PowerShell 7 running Hyper-V through Windows PowerShell compatibility fails, with its fix; a host that does not say is unknown', () => {
    const f = healthyFacts();
    f.platform!.windowsPowerShellCompat = true;
    expect(notPassing(f).map((i) => [i.id, i.status])).toEqual([['engine-compat', 'fail']]);
    expect(doctorExitCode(judgeDoctor(f, ref))).toBe(1);
    delete f.platform!.windowsPowerShellCompat;
    expect(notPassing(f).map((i) => [i.id, i.status])).toEqual([['engine-compat', 'unknown']]);
  });

  it('a missing parameter set fails only that cmdlet, naming the set, with the fix (exit 1)', () => {
    const f = healthyFacts();
    const s = f.surface['Get-VMNetworkAdapter'];
    if (!s?.found) throw new Error('fixture');
    s.parameterSets = s.parameterSets.filter((x) => x !== 'All');
    const bad = notPassing(f);
    expect(bad.map((i) => [i.id, i.status])).toEqual([['surface:Get-VMNetworkAdapter', 'fail']]);
    expect(bad[0]!.problems).toEqual([{ kind: 'missing-set', name: 'All' }]);
    expect(doctorProblemText(bad[0]!.problems[0]!, 'en')).toBe('parameter set All is missing');
    expect(doctorText(bad[0]!, 'zh-CN').fix).toMatch(/dda host capture --anonymize/);
    expect(doctorExitCode(bad)).toBe(1);
  });

  it('a parameter of another type, a missing parameter, a missing command', () => {
    const f = healthyFacts();
    const stop = f.surface['Stop-VM'];
    const set = f.surface['Set-VM'];
    if (!stop?.found || !set?.found) throw new Error('fixture');
    stop.parameters.VM!.type = 'String[]';
    delete set.parameters.StaticMemory;
    f.surface['Remove-VMSavedState'] = { found: false };
    const bad = notPassing(f);
    expect(bad.map((i) => i.id).sort()).toEqual(['surface:Remove-VMSavedState', 'surface:Set-VM', 'surface:Stop-VM']);
    expect(bad.find((i) => i.id === 'surface:Stop-VM')!.problems).toEqual([
      { kind: 'wrong-type', name: '-VM', expected: 'VirtualMachine[]', actual: 'String[]' },
    ]);
    expect(bad.find((i) => i.id === 'surface:Set-VM')!.problems).toEqual([
      { kind: 'missing-parameter', name: 'StaticMemory' },
    ]);
    expect(bad.find((i) => i.id === 'surface:Remove-VMSavedState')!.problems).toEqual([
      { kind: 'missing-command', name: 'Remove-VMSavedState' },
    ]);
  });

  it('a PCI property of the wrong type fails that property; one no device has warns', () => {
    const f = healthyFacts();
    const rmrr = ref.properties.find((p) => p.name === 'DEVPKEY_PciDevice_RequiresReservedMemoryRegion')!;
    const acs = ref.properties.find((p) => p.name === 'DEVPKEY_PciDevice_AcsCompatibleUpHierarchy')!;
    f.properties[rmrr.key]!.dataTypes = ['System.UInt32'];
    f.properties[acs.key]!.devices = 0;
    const bad = notPassing(f);
    expect(bad.map((i) => [i.id, i.status])).toEqual([
      ['pci-property:DEVPKEY_PciDevice_AcsCompatibleUpHierarchy', 'warn'],
      ['pci-property:DEVPKEY_PciDevice_RequiresReservedMemoryRegion', 'fail'],
    ]);
    const t = doctorText(
      bad.find((i) => i.status === 'fail')!,
      'en',
    );
    expect(t.meaning).toBe(
      'Comes as System.UInt32, DDA Studio expects System.Boolean: verdicts that rest on it may be wrong.',
    );
    expect(doctorExitCode(bad)).toBe(1);
  });

  it('host facts: old PowerShell, Hyper-V 1.1, not elevated, IOMMU off, IovSupport False, unreadable classes', () => {
    const f = healthyFacts();
    f.psVersion = '4.0';
    const vmHost = f.surface['Get-VMHost'];
    if (!vmHost?.found) throw new Error('fixture');
    vmHost.moduleVersion = '1.1';
    f.platform = { elevated: false, iommuPolicyEnabled: false, simulated: false, windowsPowerShellCompat: false };
    f.vmHost = { ...f.vmHost, iovSupport: false, iovSupportReasons: ['原因一', 'reason two'] };
    f.cim.Win32_PnPAllocatedResource = { failed: true, errorId: 'HRESULT 0x80041003', rows: 0 };
    const bad = notPassing(f);
    expect(bad.map((i) => `${i.id} ${i.status}`)).toEqual([
      'powershell fail',
      'hyperv-module fail',
      'elevation fail',
      'iommu fail',
      'iov-support fail',
      'survey fail',
    ]);
    expect(
      doctorText(
        bad.find((i) => i.id === 'iov-support')!,
        'en',
      ).meaning,
    ).toContain('原因一; reason two');
    expect(bad.find((i) => i.id === 'survey')!.problems).toEqual([
      { kind: 'read-failed', name: 'Win32_PnPAllocatedResource', actual: 'HRESULT 0x80041003' },
    ]);
  });

  it('what could not be read is unknown (exit 2), never a pass', () => {
    const f = healthyFacts();
    f.platform = null;
    const items = judgeDoctor(f, ref);
    expect(items.filter((i) => i.status === 'unknown').map((i) => i.id)).toEqual([
      'engine-compat',
      'elevation',
      'iommu',
    ]);
    expect(doctorExitCode(items)).toBe(2);
  });
});
