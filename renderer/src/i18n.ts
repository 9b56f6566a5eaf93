/** The translate hook: components get `t(key)` in the current language, switchable live. */
import { format, translate, type MessageKey } from '../../shared/i18n/messages';
import type { LocalizedText } from '../../shared/plan';
import { useStore } from './store';

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

/** A time of day as the app's language writes it (never the browser's locale): "08:31" / "08:31". */
export function clockTime(iso: string, lang: string, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(d);
}

/** `clockTime` in the current language. */
export function useClock(): (iso: string, seconds?: boolean) => string {
  const lang = useStore((s) => s.language);
  return (iso, seconds = false) => clockTime(iso, lang, seconds);
}

/** Human number formatting: 16,432 MB; exact bytes go in tooltips. */
export function mb(bytesOrMb: number, isBytes = true): string {
  const v = isBytes ? Math.round(bytesOrMb / 1048576) : bytesOrMb;
  return `${v.toLocaleString('en-US')} MB`;
}
