/**
 * `dda doctor`: runs doctor.ps1 (read-only facts) on a host and judges them against the reference of
 * the real platform. A host that could not be asked at all is an error the caller reports (exit 2).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { doctorExitCode, type DoctorReport } from '../../shared/doctor';
import type { ScriptRunner } from '../powershell/session-types';
import { projectRoot } from '../project-root';
import { doctorFactsSchema, judgeDoctor, type DoctorFacts, type DoctorReference } from './doctor-checks';
import { usedCmdlets } from './used-surface';

/** The doctor could not ask the host (no session, the script failed, its answer was not facts). */
export class DoctorError extends Error {}

let cached: DoctorReference | null = null;

/** The reference of the real surface, narrowed to what doctor checks (cached). */
export function doctorReference(): DoctorReference {
  if (cached) return cached;
  const dir = join(projectRoot(), 'main', 'simulator', 'reference');
  const cmdlets = JSON.parse(readFileSync(join(dir, 'cmdlets.json'), 'utf8')) as {
    cmdlets: DoctorReference['cmdlets'];
  };
  const pci = JSON.parse(readFileSync(join(dir, 'pci-properties.json'), 'utf8')) as {
    properties: Array<{ name: string; key: string; dotNetType: string | null; usedBy?: string[] }>;
  };
  // The keys inventory.ps1 reads on every PCI function (DEVPKEY_Device_Parent is read on disks).
  const properties = pci.properties
    .filter((p) => p.dotNetType && (p.usedBy ?? []).some((u) => u.startsWith('main/powershell/scripts/inventory.ps1')))
    .map((p) => ({ name: p.name, key: p.key, dotNetType: p.dotNetType! }));
  return (cached = { cmdlets: cmdlets.cmdlets, properties });
}

/** Reads the doctor's facts from a host. */
export async function readDoctorFacts(runner: ScriptRunner): Promise<DoctorFacts> {
  const ref = doctorReference();
  const r = await runner.invoke('doctor', { Commands: usedCmdlets(), PropertyKeys: ref.properties.map((p) => p.key) });
  if (!r.ok) throw new DoctorError(`The host could not be checked: ${r.error.message}`);
  const parsed = doctorFactsSchema.safeParse(r.value);
  if (!parsed.success)
    throw new DoctorError(
      `The host's doctor facts are not in the expected shape: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

/** The doctor's report of a host. */
export async function runDoctor(runner: ScriptRunner, simulated: boolean): Promise<DoctorReport> {
  const facts = await readDoctorFacts(runner);
  const items = judgeDoctor(facts, doctorReference());
  return { computerName: facts.computerName, simulated, items, exitCode: doctorExitCode(items) };
}
