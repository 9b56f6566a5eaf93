/** Numbers and times as the UI writes them, from formatters made once (issue 16: a page shows hundreds). */
import { describe, expect, it } from 'vitest';
import { clockTime, mb } from './formats';

describe('mb', () => {
  it('megabytes with thousands separators, from bytes or from megabytes', () => {
    expect(mb(16432, false)).toBe('16,432 MB');
    expect(mb(512 * 1048576)).toBe('512 MB');
    expect(mb(1.6 * 1048576)).toBe('2 MB');
  });
});

describe('clockTime', () => {
  const at = new Date(2026, 10, 30, 8, 31, 5).toISOString();
  it('the time of day in 24 hours, with or without seconds, the same on every call', () => {
    for (let i = 0; i < 2; i++) {
      expect(clockTime(at, 'en')).toBe('08:31');
      expect(clockTime(at, 'en', true)).toBe('08:31:05');
      expect(clockTime(at, 'zh-CN')).toBe('08:31');
    }
  });
  it('what is not a time is shown as it came', () => {
    expect(clockTime('not a time', 'en')).toBe('not a time');
  });
});
