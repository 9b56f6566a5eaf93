import { describe, expect, it } from 'vitest';
import type { SurveyFacts } from './inventory';
import { isMessageSignalled, mmioHighNeedMB, mmioNeedMB, surveyVerdict } from './survey';

const base: SurveyFacts = {
  deviceType: 2,
  baseClass: 2,
  acsUpHierarchy: 3,
  requiresReservedMemoryRegion: 0,
  disabled: false,
  irqs: [4294967294],
  memoryRanges: [{ start: String(0xf6000000), end: String(0xf7ffffff) }],
  source: 'live',
  notes: [],
};
const v = (over: Partial<SurveyFacts>) => surveyVerdict({ ...base, ...over });

describe('surveyVerdict follows SurveyDDA, with missing ACS as a force verdict', () => {
  it('a PCIe endpoint with ACS, MSI and no RMRR is assignable', () => expect(v({})).toEqual({ code: 'assignable' }));
  it('RMRR, or a missing RMRR property, is not assignable', () => {
    expect(v({ requiresReservedMemoryRegion: 1 })).toEqual({ code: 'not-assignable', reason: 'rmrr' });
    expect(v({ requiresReservedMemoryRegion: null })).toEqual({ code: 'not-assignable', reason: 'rmrr' });
  });
  it('a property no call could read decides nothing: unknown, unless facts that were read refuse', () => {
    const unreadableRmrr = {
      requiresReservedMemoryRegion: null,
      unreadable: ['requiresReservedMemoryRegion' as const],
    };
    expect(v(unreadableRmrr)).toEqual({ code: 'unknown' });
    // a type that was read and refuses still refuses; a refusal that needs the unreadable fact does not
    expect(v({ ...unreadableRmrr, deviceType: 0 })).toEqual({ code: 'not-assignable', reason: 'legacy-pci' });
    expect(v({ deviceType: null, unreadable: ['deviceType'] })).toEqual({ code: 'unknown' });
    expect(v({ deviceType: 3, baseClass: null, unreadable: ['baseClass'] })).toEqual({ code: 'unknown' });
    expect(v({ deviceType: 3, baseClass: 2, acsUpHierarchy: null, unreadable: ['acsUpHierarchy'] })).toEqual({
      code: 'not-assignable',
      reason: 'legacy-non-vga',
    });
    // an RMRR flag that was read and is set refuses whatever else is unreadable
    expect(v({ requiresReservedMemoryRegion: 1, deviceType: null, unreadable: ['deviceType'] })).toEqual({
      code: 'not-assignable',
      reason: 'rmrr',
    });
    // an unreadable ACS hides whether -Force would be needed: unknown, never plain assignable
    expect(v({ acsUpHierarchy: null, unreadable: ['acsUpHierarchy'] })).toEqual({ code: 'unknown' });
    // a property the device lacks (null, not unreadable) still refuses as in SurveyDDA, and so do its interrupts
    const acsUnreadable = { acsUpHierarchy: null, unreadable: ['acsUpHierarchy' as const] };
    expect(v({ ...acsUnreadable, requiresReservedMemoryRegion: null })).toEqual({
      code: 'not-assignable',
      reason: 'rmrr',
    });
    expect(v({ ...acsUnreadable, deviceType: null })).toEqual({ code: 'not-assignable', reason: 'legacy-pci' });
    expect(v({ ...acsUnreadable, irqs: [16] })).toEqual({ code: 'not-assignable', reason: 'line-interrupts' });
  });
  it('missing ACS alone means force-insecure, never a dead end', () =>
    expect(v({ acsUpHierarchy: 0 })).toEqual({ code: 'force-insecure', reason: 'acs-missing' }));
  it('missing ACS on a legacy device stays not assignable, with the harder reason', () =>
    expect(v({ acsUpHierarchy: 0, deviceType: 0 })).toEqual({ code: 'not-assignable', reason: 'legacy-pci' }));
  it('an integrated endpoint is assignable, less secure', () =>
    expect(v({ deviceType: 4 })).toEqual({ code: 'assignable-less-secure' }));
  it('a legacy endpoint is assignable only as VGA', () => {
    expect(v({ deviceType: 3, baseClass: 3 })).toEqual({ code: 'assignable-legacy-graphics' });
    expect(v({ deviceType: 3, baseClass: 2 })).toEqual({ code: 'not-assignable', reason: 'legacy-non-vga' });
  });
  it('PCIe treated as PCI means the BIOS kept control', () =>
    expect(v({ deviceType: 5 })).toEqual({ code: 'not-assignable', reason: 'bios-pcie-control' }));
  it('conventional PCI, bridges and a missing type are legacy', () => {
    for (const t of [0, 1, 6, 9, 14, null])
      expect(v({ deviceType: t })).toEqual({ code: 'not-assignable', reason: 'legacy-pci' });
  });
  it('a disabled device cannot be checked', () => {
    expect(v({ disabled: true })).toEqual({ code: 'disabled-unknown' });
    expect(v({ disabled: true, acsUpHierarchy: 0 })).toEqual({ code: 'disabled-unknown', reason: 'acs-missing' });
  });
  it('only line-based interrupts: not assignable; none or some MSI: fine', () => {
    expect(v({ irqs: [16, 17] })).toEqual({ code: 'not-assignable', reason: 'line-interrupts' });
    expect(v({ irqs: [] })).toEqual({ code: 'assignable' });
    expect(v({ irqs: [16, 4294967293] })).toEqual({ code: 'assignable' });
  });
  it('unmeasurable resources give unknown, honestly', () => {
    expect(v({ irqs: null, memoryRanges: null, source: 'none' })).toEqual({ code: 'unknown' });
    expect(v({ irqs: null, memoryRanges: null, acsUpHierarchy: 0 })).toEqual({
      code: 'unknown',
      reason: 'acs-missing',
    });
  });
  it('message-signalled IRQs are recognised by their decimal prefix', () => {
    expect(isMessageSignalled(4294967294)).toBe(true);
    expect(isMessageSignalled(4294901760)).toBe(true);
    expect(isMessageSignalled(255)).toBe(false);
  });
});

describe('mmioNeedMB computes as SurveyDDA: ceil(sum(end - start) / 1 MB)', () => {
  it('a 32 MB BAR (end inclusive) is 32 MB', () =>
    expect(mmioNeedMB([{ start: '4127195136', end: '4160749567' }])).toBe(32));
  it('sums ranges and rounds up', () =>
    expect(
      mmioNeedMB([
        { start: '0', end: '1048577' },
        { start: '2097152', end: '2101247' },
      ]),
    ).toBe(2));
  it('16 GB BARs above 2^53 keep their precision', () =>
    expect(
      mmioNeedMB(
        [{ start: '0x3C0000000000', end: '0x3C03FFFFFFFF' }].map((r) => ({
          start: BigInt(r.start).toString(),
          end: BigInt(r.end).toString(),
        })),
      ),
    ).toBe(16384));
  it('no ranges is 0; unknown is null', () => {
    expect(mmioNeedMB([])).toBe(0);
    expect(mmioNeedMB(null)).toBeNull();
  });
});

describe('mmioHighNeedMB: what the high gap holds, by the BAR types (DEVPKEY_PciDevice_BarTypes)', () => {
  const MB = 1024 * 1024;
  const r = (start: number, mb: number) => ({ start: String(start), end: String(start + mb * MB - 1) });
  // a GPU: a 16 MB register BAR below 4 GiB, a 16 GiB and a 32 MB 64-bit prefetchable BAR above it
  const gpu = [r(0xf6000000, 16), r(0xc00000000, 16384), r(0xe00000000, 32)];
  const types = (nonPrefetchable: number, prefetchable64: number) => nonPrefetchable * 256 + prefetchable64 * 2 ** 24;
  it('the ranges above 4 GiB when every 64-bit BAR is there', () => {
    expect(mmioHighNeedMB(gpu, types(1, 2))).toBe(16416);
    expect(mmioHighNeedMB([r(0xf7000000, 1)], types(1, 0))).toBe(0);
  });
  it('every range when a 64-bit BAR sits below 4 GiB (no Above 4G decoding), or the types are unknown', () => {
    const low = [r(0xc0000000, 256), r(0xd0000000, 256), r(0xf6000000, 16)];
    expect(mmioHighNeedMB(low, types(1, 2))).toBe(528);
    expect(mmioHighNeedMB(gpu, null)).toBe(16432);
    expect(mmioHighNeedMB(gpu, undefined)).toBe(16432);
  });
  it('rounds the high part on its own (not the total less the low part)', () => {
    // 1.5 MB below and 1.5 MB above 4 GiB: 2 MB each way, not 3 - 2 = 1
    const half = [r(0xf0000000, 1.5), r(0x100000000, 1.5)];
    expect(mmioHighNeedMB(half, types(1, 1))).toBe(2);
  });
  it('unknown ranges: unknown', () => expect(mmioHighNeedMB(null, types(1, 1))).toBeNull());
});
