/** The translate hook: components get `t(key)` in the current language, switchable live. */
import { format, translate, type MessageKey } from '../../shared/i18n/messages';
import type { LocalizedText } from '../../shared/plan';
import { clockTime } from './formats';
import { useStore } from './store';

export { clockTime, mb } from './formats';

/**
 * `t(key)` for UI strings, `tf(key, values)` for strings with {placeholders} (values inserted as
 * text), and `tx(text)` for texts that arrive in both languages (plans, prepare-host notes).
 */
export function useT(): {
  t: (key: MessageKey) => string;
  tf: (key: MessageKey, values: Record<string, string | number>) => string;
  tx: (text: LocalizedText) => string;
} {
  const lang = useStore((s) => s.language);
  return {
    t: (key) => translate(key, lang),
    tf: (key, values) => format(translate(key, lang), values),
    tx: (text) => text[lang],
  };
}

/** `clockTime` in the current language. */
export function useClock(): (iso: string, seconds?: boolean) => string {
  const lang = useStore((s) => s.language);
  return (iso, seconds = false) => clockTime(iso, lang, seconds);
}
