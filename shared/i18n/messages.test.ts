/** Every message in both languages, with the same {placeholders}; format() inserts values as text. */
import { describe, expect, it } from 'vitest';
import { format, messages } from './messages';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('each key has non-empty en and zh-CN texts with the same placeholders', () => {
    for (const [key, m] of Object.entries(messages)) {
      expect(m.en.trim(), key).not.toBe('');
      expect(m['zh-CN'].trim(), key).not.toBe('');
      expect(placeholders(m['zh-CN']), key).toEqual(placeholders(m.en));
    }
  });
  it('format fills placeholders once, as given, and leaves unknown ones', () => {
    expect(format('Remove {name}?', { name: '<b>{name}</b> $(x)' })).toBe('Remove <b>{name}</b> $(x)?');
    expect(format('{a} {b}', { a: 1 })).toBe('1 {b}');
    expect(format('{constructor}', {})).toBe('{constructor}');
  });
});
