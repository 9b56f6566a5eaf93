import { describe, expect, it } from 'vitest';
import { highMmioLimit, MiB, requiredHighMmio } from './mmio';

describe('MMIO sizing', () => {
  it("Microsoft's example: one Tesla K520 (176 MB) needs 176 + 512 MB high MMIO", () => expect(requiredHighMmio([176])).toBe(688 * MiB));
  it('sums every device the VM will hold', () => expect(requiredHighMmio([32, 32, 16384])).toBe((16448 + 512) * MiB));
  it('on a 36-bit CPU 32 GB + 512 MB does not fit, 16 GB does', () => {
    expect(33280 * MiB > highMmioLimit(36)).toBe(true);
    expect(16896 * MiB <= highMmioLimit(36)).toBe(true);
  });
});
