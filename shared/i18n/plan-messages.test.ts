/** The planner's catalog: every text in both languages with the same {placeholders}; values go in once, as text. */
import { describe, expect, it } from 'vitest';
import { allPlanMessages, planList, planText } from './plan-messages';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('plan messages', () => {
  it('each text has non-empty en and zh-CN with the same placeholders', () => {
    expect(Object.keys(allPlanMessages).length).toBeGreaterThan(90);
    for (const [key, m] of Object.entries(allPlanMessages)) {
      expect(m.en.trim(), key).not.toBe('');
      expect(m['zh-CN'].trim(), key).not.toBe('');
      expect(placeholders(m['zh-CN']), key).toEqual(placeholders(m.en));
    }
  });

  it('fills each language with its own value, never expanding a placeholder inside a value', () => {
    const t = planText('stepRestoreMemory', { vm: "'{vm} $(x)'", value: planText('on') });
    expect(t).toEqual({
      en: "Turn dynamic memory of '{vm} $(x)' back on",
      'zh-CN': "将 '{vm} $(x)' 的动态内存恢复为启用",
    });
    expect(planList(['a', { en: 'b', 'zh-CN': '乙' }])).toEqual({ en: 'a, b', 'zh-CN': 'a、乙' });
  });
});
