/**
 * `dda doctor` and `dda host capture`: read-only checks of a host, and the host written as a simulator
 * profile. Doctor exit codes: 0 every item passes (warnings allowed), 1 an item fails, 2 something
 * could not be checked (or the host could not be asked at all), 3 bad arguments.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { languageSchema, type Language } from '../../shared/contract';
import type { DoctorReport, DoctorStatus } from '../../shared/doctor';
import { doctorProblemText, doctorText } from '../../shared/i18n/doctor-messages';
import { languageFor } from '../../shared/i18n/messages';
import { isLocalPath, LOCAL_PATH_MESSAGE } from '../../shared/local-path';
import { captureHost } from '../diagnose/capture';
import { runDoctor } from '../diagnose/doctor';
import { hostOptions, jsonText, parseCommand, RefusedError, UsageError, type Io } from './args';
import { withHost } from './cli-host';

const LABEL: Record<DoctorStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unknown: '????' };

export const diagnoseUsage = `dda doctor [--json] [--lang en|zh-CN] [host options]
  checks, changing nothing, that the host behaves as DDA Studio expects: every cmdlet and parameter set
  its scripts use, the PCI property types, PowerShell, the Hyper-V module, the display language,
  elevation, the IOMMU policy, IovSupport and what the survey reads; each item with its fix.
  Exit codes: 0 all pass (warnings allowed), 1 something fails, 2 could not check, 3 bad arguments.
dda host capture --out <file> [--anonymize] [host options]
  writes the host, read-only, as a simulator profile: "dda inventory --simulate <file>" replays it.
  --anonymize replaces the computer, VM, switch, adapter, disk and device names and instance ids.`;

/** The report as text, in a language. */
export function formatDoctor(report: DoctorReport, lang: Language): string {
  const lines = [`dda doctor: ${report.computerName}${report.simulated ? ' (simulated)' : ''}`];
  for (const item of report.items) {
    const t = doctorText(item, lang);
    lines.push(`  ${LABEL[item.status]}  ${t.title}: ${t.meaning}`);
    for (const p of item.problems) lines.push(`        - ${doctorProblemText(p, lang)}`);
    if (t.fix && item.check !== 'ui-culture') lines.push(`        Fix: ${t.fix}`);
  }
  const count = (s: DoctorStatus) => report.items.filter((i) => i.status === s).length;
  lines.push(
    `${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail, ${count('unknown')} could not be checked.`,
  );
  return lines.join('\n');
}

function languageOption(value: string | undefined): Language {
  if (value === undefined)
    return languageFor(process.env.LC_ALL || process.env.LANG || Intl.DateTimeFormat().resolvedOptions().locale);
  const parsed = languageSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--lang takes en or zh-CN, not ${JSON.stringify(value)}`);
  return parsed.data;
}

export async function doctorCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommand(argv, { ...hostOptions, lang: { type: 'string' } });
  if (values.help) return (io.out(diagnoseUsage), 0);
  const lang = languageOption(values.lang);
  try {
    return await withHost(values, io, async (host) => {
      const report = await runDoctor(host.runner, host.simulated);
      io.out(values.json ? jsonText(report) : formatDoctor(report, lang));
      return report.exitCode;
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.err(`dda doctor: the host could not be checked: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

export async function hostCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'capture')
    throw new UsageError(`Usage: ${diagnoseUsage.split('\n').find((l) => l.startsWith('dda host'))}`);
  const { values } = parseCommand(rest, {
    ...hostOptions,
    out: { type: 'string' },
    anonymize: { type: 'boolean', default: false },
  });
  if (values.help) return (io.out(diagnoseUsage), 0);
  const out = values.out;
  if (!out) throw new UsageError('dda host capture needs --out <file>');
  if (!isLocalPath(out)) throw new UsageError(`--out ${JSON.stringify(out)}: ${LOCAL_PATH_MESSAGE}`);
  if (existsSync(out)) throw new RefusedError(`${out} exists: a capture is written to a new file only.`);
  return withHost(values, io, async (host) => {
    const profile = await captureHost(host.runner, { anonymize: values.anonymize });
    // A new file only: a capture never replaces (or writes through) an existing file or link.
    writeFileSync(out, JSON.stringify(profile, null, 2) + '\n', { flag: 'wx' });
    const capture = profile.capture as { notes?: string[]; anonymized?: { kept: string[] } } | undefined;
    io.out(
      `Wrote ${out}: ${profile.devices.length} PCI functions, ${profile.vms.length} VMs. Replay it with: dda inventory --simulate ${out}`,
    );
    for (const n of capture?.notes ?? []) io.err(`note: ${n}`);
    if (capture?.anonymized) io.out(`Anonymized. Kept: ${capture.anonymized.kept.join('; ')}.`);
    return 0;
  });
}
