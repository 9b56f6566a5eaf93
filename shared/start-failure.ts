/**
 * Why a VM did not start, by code (issue 18). Hosts answer in their own language, so nothing here reads
 * message text: the HRESULT/NTSTATUS comes from the event's data or the "(0x........)" code the message
 * carries in every language, and the rest is decided from the host's facts.
 */
import { z } from 'zod';
import { intentSchema, localizedTextSchema } from './plan';

export const startFailureCauses = [
  'mmio-too-small',
  'high-mmio-above-limit',
  'stale-entry',
  'client-sku',
  'iommu-off',
  'hypervisor-feature',
  'device-in-use',
  'host-resources',
  'unknown',
] as const;
export const startFailureCauseSchema = z.enum(startFailureCauses);
export type StartFailureCause = z.infer<typeof startFailureCauseSchema>;

/** A start failure as the host recorded it (the Hyper-V-Worker-Admin event, or our own Start-VM step). */
export const startFailureEventSchema = z.object({
  vmId: z.string().max(64),
  vmName: z.string().max(512),
  /** ISO time of the event. */
  at: z.string().max(64).nullable(),
  source: z.enum(['event-log', 'operation']),
  /** The event's id (Microsoft-Windows-Hyper-V-Worker), when from the log. */
  eventId: z.number().int().nullable(),
  /** The code as 0x + 8 upper-case hex digits, or null when none was found. */
  hresult: z
    .string()
    .regex(/^0x[0-9A-F]{8}$/)
    .nullable(),
  /** The event's own text, shown raw (never parsed for meaning). */
  message: z.string().max(4000),
});
export type StartFailureEvent = z.infer<typeof startFailureEventSchema>;

/** A start failure with its cause and fix. */
export const decodedStartFailureSchema = startFailureEventSchema.extend({
  cause: startFailureCauseSchema,
  explanation: localizedTextSchema,
  fix: localizedTextSchema,
  /** The one-click fix, when DDA Studio can plan one. */
  fixIntent: intentSchema.nullable(),
});
export type DecodedStartFailure = z.infer<typeof decodedStartFailureSchema>;

/** One row of the decoder's table: a code, its symbolic name, where it is defined, and what it means for DDA. */
export interface StartFailureCode {
  hresult: string;
  symbol: string;
  source: string;
  cause: StartFailureCause;
  /** Whether the mapping from code to cause is a labelled guess (no source says Hyper-V uses it so). */
  guess: boolean;
}

/**
 * The codes, each with its source. Values: winerror.h (HRESULT_FROM_WIN32(x) = 0x80070000 | x) and
 * ntstatus.h; meanings for DDA: docs hyperv-dda.md §2, §6b (Microsoft Learn "Plan for deploying devices by
 * using Discrete Device Assignment", the seed article, public DDA tools' issue trackers).
 */
export const startFailureCodes: readonly StartFailureCode[] = [
  {
    hresult: '0x800705AA',
    symbol: 'ERROR_NO_SYSTEM_RESOURCES (1450)',
    // A start refused for want of host memory says the same (a VM with a device runs on static memory and
    // needs all of it free): the decoder names MMIO only when the VM's gaps are below its devices' need.
    source:
      'winerror.h; Learn "Plan for deploying devices by using DDA" (MMIO space); reports of Resizable-BAR GPUs; also a host short of memory (TechNet reports)',
    cause: 'mmio-too-small',
    guess: true,
  },
  {
    hresult: '0x80070490',
    symbol: 'ERROR_NOT_FOUND (1168), "Element not found"',
    source: 'winerror.h; the seed article (Virtual PCI Express Port failed to power on: a stale or duplicate entry)',
    cause: 'stale-entry',
    guess: false,
  },
  {
    hresult: '0xC035001E',
    symbol: 'STATUS_HV_FEATURE_UNAVAILABLE',
    source: 'ntstatus.h; hyperv-dda.md §2 (client SKU, or the hypervisor IOMMU policy off)',
    cause: 'hypervisor-feature',
    guess: false,
  },
  {
    hresult: '0x800700AA',
    symbol: 'ERROR_BUSY (170), "The requested resource is in use"',
    source: 'winerror.h; that Hyper-V reports a device still used by the host with it is a guess',
    cause: 'device-in-use',
    guess: true,
  },
  {
    hresult: '0x80070964',
    symbol: 'ERROR_DEVICE_IN_USE (2404)',
    source: 'winerror.h; that Hyper-V reports a device still used by the host with it is a guess',
    cause: 'device-in-use',
    guess: true,
  },
];

/** The code in an error's text: the last "0x" + 8 hex digits (the same in every language), upper-cased. */
export function hresultIn(text: string): string | null {
  const all = [...text.matchAll(/0x([0-9A-Fa-f]{8})\b/g)];
  const last = all[all.length - 1]?.[1];
  return last ? `0x${last.toUpperCase()}` : null;
}

/** A 32-bit code (signed or unsigned, as event data carries it) as 0x + 8 upper-case hex digits. */
export function hresultOf(code: number): string | null {
  if (!Number.isInteger(code) || code < -0x80000000 || code > 0xffffffff) return null;
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
