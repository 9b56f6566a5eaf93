/**
 * Survey verdicts: Microsoft's SurveyDDA.ps1 rules, in its order, with the seed's correction that a
 * device whose only problem is missing ACS is assignable with -Force (insecure), never a dead end.
 * Pure: facts in, verdict and MMIO need out.
 */
import type { SurveyFactName, SurveyFacts, Verdict } from './inventory';

/** SurveyDDA's PCI device types (property pid 1). */
export const DeviceType = {
  PciConventional: 0,
  PciX: 1,
  PcieEndpoint: 2,
  PcieLegacyEndpoint: 3,
  RootComplexIntegratedEndpoint: 4,
  PcieTreatedAsPci: 5,
} as const;

const ACS_NOT_SUPPORTED = 0;
const DISPLAY_BASE_CLASS = 3;
const MB = 1024n * 1024n;

/** Message-signalled interrupts appear as huge IRQ numbers whose decimal starts with 42949. */
export function isMessageSignalled(irq: number): boolean {
  return String(irq).startsWith('42949');
}

/** The MMIO need exactly as SurveyDDA computes it: ceil(sum(end - start) / 1 MB); null when unknown. */
export function mmioNeedMB(ranges: SurveyFacts['memoryRanges']): number | null {
  if (ranges === null) return null;
  let total = 0n;
  for (const r of ranges) total += BigInt(r.end) - BigInt(r.start);
  return Number((total + MB - 1n) / MB);
}

/** The part of the MMIO need below 4 GiB (the low gap holds it), in whole MB; null when unknown. */
export function mmioLowNeedMB(ranges: SurveyFacts['memoryRanges']): number | null {
  if (ranges === null) return null;
  return mmioNeedMB(ranges.filter((r) => BigInt(r.end) < FOUR_GIB));
}
const FOUR_GIB = 1n << 32n;

/**
 * How many 64-bit prefetchable memory BARs DEVPKEY_PciDevice_BarTypes counts (pciprop.h: a UINT32, one
 * byte per BAR kind, this one in bits 24-31); null when unknown.
 */
export function prefetchable64BarCount(barTypes: number | null | undefined): number | null {
  if (barTypes === null || barTypes === undefined) return null;
  return (barTypes >>> 24) & 0xff;
}

/**
 * The part of the MMIO need the VM's high gap must hold, in whole MB; null when unknown. The ranges above
 * 4 GiB; and when the device has more 64-bit prefetchable BARs than ranges above 4 GiB (a host without
 * "Above 4G decoding" put some below it), or its BAR types are unknown, those below 4 GiB too: the guest
 * places a BAR by its type, not where the host had it (Linux's pci-hyperv counts every 64-bit BAR toward
 * the high gap), which Microsoft's rule (every device's MMIO in the high gap) covers. 32-bit BARs need
 * only the low gap (counting them high too blocked such a device on a 36-bit CPU).
 * Limits: BarTypes does not give a non-prefetchable BAR's width (an NVMe's 64-bit register BAR, a few
 * KB, counts low only: the 512 MB buffer holds such BARs), and a range is taken for a BAR (an SR-IOV
 * device's VF ranges above 4 GiB can hide one of its own 64-bit BARs below it).
 */
export function mmioHighNeedMB(
  ranges: SurveyFacts['memoryRanges'],
  barTypes: number | null | undefined,
): number | null {
  if (ranges === null) return null;
  const above = ranges.filter((r) => BigInt(r.end) >= FOUR_GIB);
  const count = prefetchable64BarCount(barTypes);
  return mmioNeedMB(count !== null && count <= above.length ? above : ranges);
}

/**
 * The verdict of one device. Interrupts and MMIO are null while a device is dismounted or assigned
 * and nothing was remembered: then the verdict is `unknown` unless a property rule already decides.
 */
export function surveyVerdict(facts: SurveyFacts): Verdict {
  const unreadable = facts.unreadable ?? [];
  if (unreadable.length > 0) return verdictWithUnreadable(facts, unreadable);
  // 1. RMRR: BIOS-owned memory. A missing property lands here too, as in SurveyDDA.
  if (facts.requiresReservedMemoryRegion !== 0) return { code: 'not-assignable', reason: 'rmrr' };
  const acsMissing = facts.acsUpHierarchy === ACS_NOT_SUPPORTED;
  // 3. Device type. SurveyDDA stops at missing ACS first; we check the type before turning missing
  // ACS into a force verdict and report the harder reason, since -Force cannot fix a legacy device.
  const byType = typeVerdict(facts);
  if (byType.code === 'not-assignable') return byType;
  const code = byType.code;
  // 4. Disabled: resources cannot be checked.
  if (facts.disabled)
    return acsMissing ? { code: 'disabled-unknown', reason: 'acs-missing' } : { code: 'disabled-unknown' };
  // 5. Interrupts: none, or at least one message-signalled, can work; only line-based cannot.
  if (facts.irqs === null || facts.memoryRanges === null) {
    return acsMissing ? { code: 'unknown', reason: 'acs-missing' } : { code: 'unknown' };
  }
  if (lineInterruptsOnly(facts)) return { code: 'not-assignable', reason: 'line-interrupts' };
  // 2. ACS missing, everything else fine: assignable only with -Force, insecurely (the seed's point).
  if (acsMissing) return { code: 'force-insecure', reason: 'acs-missing' };
  return { code };
}

/** What the device type alone says (SurveyDDA's type rules): a refusal, or the code of an assignable type. */
function typeVerdict(facts: SurveyFacts): Verdict {
  switch (facts.deviceType) {
    case DeviceType.PcieEndpoint:
      return { code: 'assignable' };
    case DeviceType.RootComplexIntegratedEndpoint:
      return { code: 'assignable-less-secure' };
    case DeviceType.PcieLegacyEndpoint:
      if (facts.baseClass !== DISPLAY_BASE_CLASS) return { code: 'not-assignable', reason: 'legacy-non-vga' };
      return { code: 'assignable-legacy-graphics' };
    case DeviceType.PcieTreatedAsPci:
      return { code: 'not-assignable', reason: 'bios-pcie-control' };
    default:
      return { code: 'not-assignable', reason: 'legacy-pci' };
  }
}

/** Interrupts measured, and every one line-based (none, or one message-signalled, can work). */
function lineInterruptsOnly(facts: SurveyFacts): boolean {
  return !facts.disabled && facts.irqs !== null && facts.irqs.length > 0 && !facts.irqs.some(isMessageSignalled);
}

/**
 * A survey property no call could read decides nothing (one the device lacks still does, as in SurveyDDA:
 * an absent RMRR flag is "not assignable"). A refusal that follows from what was read stands (the RMRR
 * flag set or absent, a legacy or bridge type, only line-based interrupts); anything else is unknown.
 */
function verdictWithUnreadable(facts: SurveyFacts, unreadable: readonly SurveyFactName[]): Verdict {
  const read = (f: SurveyFactName) => !unreadable.includes(f);
  if (read('requiresReservedMemoryRegion') && facts.requiresReservedMemoryRegion !== 0)
    return { code: 'not-assignable', reason: 'rmrr' };
  if (read('deviceType')) {
    const byType = typeVerdict(facts);
    if (byType.code === 'not-assignable' && (byType.reason !== 'legacy-non-vga' || read('baseClass'))) return byType;
  }
  if (lineInterruptsOnly(facts)) return { code: 'not-assignable', reason: 'line-interrupts' };
  return { code: 'unknown' };
}

/** Verdicts a device can be assigned with (some need -Force consent). */
export function isAssignableVerdict(code: Verdict['code']): boolean {
  return (
    code === 'assignable' ||
    code === 'assignable-less-secure' ||
    code === 'assignable-legacy-graphics' ||
    code === 'force-insecure'
  );
}
