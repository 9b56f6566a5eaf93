/** The translate hook: components get `t(key)` in the current language, switchable live. */
import { translate, type MessageKey } from '../../shared/i18n/messages';
import type { LocalizedText } from '../../shared/plan';
import { useStore } from './store';

/** `t(key)` for UI strings and `tx(text)` for texts that arrive in both languages (plans). */
export function useT(): { t: (key: MessageKey) => string; tx: (text: LocalizedText) => string } {
  const lang = useStore((s) => s.language);
  return { t: (key) => translate(key, lang), tx: (text) => text[lang] };
}

/** Human number formatting: 16,432 MB; exact bytes go in tooltips. */
export function mb(bytesOrMb: number, isBytes = true): string {
  const v = isBytes ? Math.round(bytesOrMb / 1048576) : bytesOrMb;
  return `${v.toLocaleString('en-US')} MB`;
}
