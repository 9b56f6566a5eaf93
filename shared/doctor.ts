/** `dda doctor`'s report: one item per thing the product relies on, each pass / warn / fail / unknown. */
import { z } from 'zod';

export const doctorChecks = [
  'powershell',
  'hyperv-module',
  'engine-compat',
  'ui-culture',
  'elevation',
  'iommu',
  'iov-support',
  'survey',
  'surface',
  'pci-property',
] as const;
export type DoctorCheck = (typeof doctorChecks)[number];

/** pass: as expected; warn: works, with a caveat; fail: the product will not work right; unknown: could not check. */
export const doctorStatusSchema = z.enum(['pass', 'warn', 'fail', 'unknown']);
export type DoctorStatus = z.infer<typeof doctorStatusSchema>;

/** What exactly differs, named by data (the texts come from the message catalog in the UI's language). */
export const doctorProblemSchema = z.strictObject({
  kind: z.enum([
    'missing-command',
    'missing-set',
    'missing-parameter',
    'parameter-not-in-set',
    'wrong-type',
    'no-should-process',
    'read-failed',
    'not-found',
  ]),
  name: z.string().max(300),
  expected: z.string().max(300).optional(),
  actual: z.string().max(300).optional(),
});
export type DoctorProblem = z.infer<typeof doctorProblemSchema>;

export const doctorItemSchema = z.strictObject({
  /** Unique in a report: the check, and for surface / pci-property the cmdlet or key (`surface:Get-VM`). */
  id: z.string().max(300),
  check: z.enum(doctorChecks),
  status: doctorStatusSchema,
  /** The cmdlet or property key the item is about ('' for host-wide checks). */
  subject: z.string().max(300),
  /** Values for the message's {placeholders} (versions, culture, reasons). */
  facts: z.record(z.string().max(100), z.string().max(2000)),
  problems: z.array(doctorProblemSchema).max(200),
});
export type DoctorItem = z.infer<typeof doctorItemSchema>;

export const doctorReportSchema = z.strictObject({
  computerName: z.string().max(300),
  simulated: z.boolean(),
  items: z.array(doctorItemSchema).max(500),
  /** 0 all pass (warnings allowed), 1 something fails, 2 something could not be checked. */
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});
export type DoctorReport = z.infer<typeof doctorReportSchema>;

/** The report's exit code: any fail is 1, else any unknown is 2, else 0. */
export function doctorExitCode(items: readonly Pick<DoctorItem, 'status'>[]): 0 | 1 | 2 {
  if (items.some((i) => i.status === 'fail')) return 1;
  if (items.some((i) => i.status === 'unknown')) return 2;
  return 0;
}
