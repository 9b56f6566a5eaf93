/**
 * Judges the facts doctor.ps1 gathered: each item pass / warn / fail / unknown, with what differs as
 * data. Pure: the expected surface is the reference of the real platform (main/simulator/reference/
 * cmdlets.json and pci-properties.json) narrowed to what the product's scripts use (used-surface.ts).
 */
import { z } from 'zod';
import type { DoctorItem, DoctorProblem, DoctorStatus } from '../../shared/doctor';
import { usedSurface } from './used-surface';

const readSchema = z.object({ failed: z.boolean(), errorId: z.string() });
const surfaceSchema = z.union([
  z.object({ found: z.literal(false) }),
  z.object({
    found: z.literal(true),
    module: z.string(),
    moduleVersion: z.string(),
    parameterSets: z.array(z.string()),
    supportsShouldProcess: z.boolean(),
    parameters: z.record(z.string(), z.object({ type: z.string(), sets: z.array(z.string()) })),
  }),
]);
/** doctor.ps1's output. */
export const doctorFactsSchema = z.object({
  computerName: z.string(),
  psEdition: z.string(),
  psVersion: z.string(),
  uiCulture: z.string(),
  surface: z.record(z.string(), surfaceSchema),
  pciDevices: z.number(),
  pciRead: readSchema,
  properties: z.record(
    z.string(),
    z.object({ types: z.array(z.string()), dataTypes: z.array(z.string()), devices: z.number(), read: readSchema }),
  ),
  vmHost: z.object({
    found: z.boolean(),
    iovSupport: z.boolean().nullable(),
    iovSupportReasons: z.array(z.string()),
    read: readSchema,
  }),
  cim: z.record(z.string(), z.object({ failed: z.boolean(), errorId: z.string(), rows: z.number() })),
  platform: z
    .object({
      elevated: z.boolean().nullable(),
      iommuPolicyEnabled: z.boolean().nullable(),
      simulated: z.boolean(),
      windowsPowerShellCompat: z.boolean().nullable().optional(),
    })
    .nullable(),
  platformRead: readSchema,
});
export type DoctorFacts = z.infer<typeof doctorFactsSchema>;

/** The reference's view of one cmdlet (reference/cmdlets.json). */
export interface ReferenceCmdlet {
  parameterSets: string[];
  supportsShouldProcess: boolean;
  parameters: Record<string, { type: string; sets: Record<string, unknown> }>;
}
/** A PCI property key the product reads, with the .NET type the reference gives it. */
export interface ReferenceProperty {
  name: string;
  key: string;
  dotNetType: string;
}
export interface DoctorReference {
  cmdlets: Record<string, ReferenceCmdlet>;
  properties: ReferenceProperty[];
}

const shortType = (t: string) => t.replace(/^.*\./, '');
const item = (
  check: DoctorItem['check'],
  status: DoctorStatus,
  facts: Record<string, string> = {},
  problems: DoctorProblem[] = [],
  subject = '',
): DoctorItem => ({
  id: subject ? `${check}:${subject}` : check,
  check,
  status,
  subject,
  facts,
  problems,
});

function surfaceItems(facts: DoctorFacts, ref: DoctorReference): DoctorItem[] {
  const byCmdlet = new Map<string, (typeof usedSurface)[number][]>();
  for (const u of usedSurface) byCmdlet.set(u.cmdlet, [...(byCmdlet.get(u.cmdlet) ?? []), u]);
  return [...byCmdlet].map(([cmdlet, uses]) => {
    const usedIn = [...new Set(uses.flatMap((u) => u.usedIn.split(', ')))].join(', ');
    const got = facts.surface[cmdlet];
    const want = ref.cmdlets[cmdlet];
    if (!got) return item('surface', 'unknown', { name: cmdlet, usedIn }, [], cmdlet);
    if (!got.found)
      return item('surface', 'fail', { name: cmdlet, usedIn }, [{ kind: 'missing-command', name: cmdlet }], cmdlet);
    const problems: DoctorProblem[] = [];
    for (const u of uses) {
      if (!got.parameterSets.includes(u.set)) {
        problems.push({ kind: 'missing-set', name: u.set });
        continue;
      }
      for (const p of u.parameters) {
        const g = got.parameters[p];
        const w = want?.parameters[p];
        if (!g) problems.push({ kind: 'missing-parameter', name: p });
        else if (!g.sets.includes(u.set)) problems.push({ kind: 'parameter-not-in-set', name: p, expected: u.set });
        else if (w && shortType(w.type) !== g.type)
          problems.push({ kind: 'wrong-type', name: `-${p}`, expected: shortType(w.type), actual: g.type });
      }
    }
    if (want?.supportsShouldProcess && !got.supportsShouldProcess)
      problems.push({ kind: 'no-should-process', name: cmdlet });
    const unique = problems.filter((p, i) => problems.findIndex((q) => JSON.stringify(q) === JSON.stringify(p)) === i);
    return item('surface', unique.length ? 'fail' : 'pass', { name: cmdlet, usedIn }, unique, cmdlet);
  });
}

function propertyItems(facts: DoctorFacts, ref: DoctorReference): DoctorItem[] {
  return ref.properties.map((p) => {
    const got = facts.properties[p.key];
    const base = { name: p.name, expected: p.dotNetType };
    if (!got) return item('pci-property', 'unknown', base, [], p.name);
    if (got.read.failed)
      return item(
        'pci-property',
        'unknown',
        base,
        [{ kind: 'read-failed', name: p.name, actual: got.read.errorId }],
        p.name,
      );
    if (got.devices === 0) return item('pci-property', 'warn', base, [{ kind: 'not-found', name: p.name }], p.name);
    const wrong = got.dataTypes.filter((t) => t !== p.dotNetType);
    const facts2 = { ...base, devices: String(got.devices), actual: got.dataTypes.join(', ') };
    if (wrong.length)
      return item(
        'pci-property',
        'fail',
        facts2,
        wrong.map((t) => ({ kind: 'wrong-type' as const, name: p.name, expected: p.dotNetType, actual: t })),
        p.name,
      );
    return item('pci-property', 'pass', facts2, [], p.name);
  });
}

function powershellItem(f: DoctorFacts): DoctorItem {
  const [major = 0, minor = 0] = f.psVersion.split('.').map(Number);
  const facts = { edition: f.psEdition, version: f.psVersion };
  if (f.psEdition === 'Desktop')
    return item('powershell', major > 5 || (major === 5 && minor >= 1) ? 'pass' : 'fail', facts);
  if (major < 7) return item('powershell', 'fail', facts);
  return item('powershell', major === 7 && minor < 2 ? 'warn' : 'pass', facts);
}

function hyperVItem(f: DoctorFacts): DoctorItem {
  const s = f.surface['Get-VMHost'];
  if (!s || !s.found)
    return item(
      'hyperv-module',
      f.vmHost.found ? 'unknown' : 'fail',
      { module: 'Hyper-V', version: '' },
      s ? [{ kind: 'missing-command', name: 'Get-VMHost' }] : [],
    );
  const facts = { module: s.module, version: s.moduleVersion };
  const major = Number(s.moduleVersion.split('.')[0]);
  // Hyper-V 1.1 is Windows Server 2012 R2's module, which has no DDA cmdlets; 2.0 is 2016 and later.
  if (s.module === 'Hyper-V') return item('hyperv-module', major >= 2 ? 'pass' : 'fail', facts);
  return item('hyperv-module', 'warn', facts);
}

function hostItems(f: DoctorFacts): DoctorItem[] {
  const p = f.platform;
  const items: DoctorItem[] = [
    powershellItem(f),
    hyperVItem(f),
    p === null || p.windowsPowerShellCompat == null
      ? item('engine-compat', 'unknown')
      : item('engine-compat', p.windowsPowerShellCompat ? 'fail' : 'pass'),
    item('ui-culture', 'pass', { culture: f.uiCulture || 'invariant' }),
  ];
  items.push(
    p === null || p.elevated === null ? item('elevation', 'unknown') : item('elevation', p.elevated ? 'pass' : 'fail'),
  );
  items.push(
    p === null || p.iommuPolicyEnabled === null
      ? item('iommu', 'unknown')
      : item('iommu', p.iommuPolicyEnabled ? 'pass' : 'fail'),
  );
  const v = f.vmHost;
  const reasons = v.iovSupportReasons.join('; ') || '-';
  if (!v.found)
    items.push(item('iov-support', 'unknown', { reasons }, [{ kind: 'missing-command', name: 'Get-VMHost' }]));
  else if (v.read.failed || v.iovSupport === null)
    items.push(
      item('iov-support', 'unknown', { reasons }, [
        { kind: 'read-failed', name: 'Get-VMHost', actual: v.read.errorId },
      ]),
    );
  else items.push(item('iov-support', v.iovSupport ? 'pass' : 'fail', { reasons }));
  const survey: DoctorProblem[] = [];
  if (f.pciRead.failed)
    survey.push({ kind: 'read-failed', name: 'Get-PnpDevice -PresentOnly', actual: f.pciRead.errorId });
  else if (f.pciDevices === 0) survey.push({ kind: 'not-found', name: 'Get-PnpDevice -PresentOnly (PCI\\)' });
  for (const [cls, r] of Object.entries(f.cim))
    if (r.failed) survey.push({ kind: 'read-failed', name: cls, actual: r.errorId });
  items.push(item('survey', survey.length ? 'fail' : 'pass', { devices: String(f.pciDevices) }, survey));
  return items;
}

/** Every doctor item, host-wide checks first, then the surface and the property types. */
export function judgeDoctor(facts: DoctorFacts, ref: DoctorReference): DoctorItem[] {
  return [...hostItems(facts), ...surfaceItems(facts, ref), ...propertyItems(facts, ref)];
}
