import { describe, expect, it } from 'vitest';
import { DEFAULT_HIGH_MMIO_BASE, GiB, highMmioRoom, MiB, requiredHighMmio, requiredLowMmio } from './mmio';

describe('MMIO sizing', () => {
  it("Microsoft's example: one Tesla K520 (176 MB) needs 176 + 512 MB high MMIO", () =>
    expect(requiredHighMmio([176])).toBe(688 * MiB));
  it('sums every device the VM will hold', () => expect(requiredHighMmio([32, 32, 16384])).toBe((16448 + 512) * MiB));
  it('low MMIO: the devices below 4 GiB + 128 MB', () => expect(requiredLowMmio([256, 16])).toBe((272 + 128) * MiB));
  it('the public reports: on a 36-bit CPU a 32 GB gap at the default base ends at 0x17DFFFF000 + 1, above 2^36', () => {
    expect(DEFAULT_HIGH_MMIO_BASE + 32 * GiB - 4096).toBe(0x17dffff000);
    expect(highMmioRoom(36, null, 32 * GiB)).toBeLessThan(0);
    // the default 512 MB gap ends exactly at the limit; anything more needs a lower base
    expect(highMmioRoom(36, null, 512 * MiB)).toBe(0);
    expect(highMmioRoom(36, null, 513 * MiB)).toBeLessThan(0);
  });
  it('base + size, not size: a lowered base leaves room; a wider CPU has plenty', () => {
    expect(highMmioRoom(36, 40 * GiB, 16896 * MiB)).toBe(64 * GiB - 40 * GiB - 16896 * MiB);
    expect(highMmioRoom(36, 40 * GiB, 33280 * MiB)).toBeLessThan(0);
    expect(highMmioRoom(46, null, 33280 * MiB)).toBeGreaterThan(0);
  });
});
