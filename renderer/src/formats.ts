/** Numbers and times as the UI writes them: pure, from formatters made once (a page shows hundreds). */
/** One formatter per language and precision: making one costs far more than using it. */
const clocks = new Map<string, Intl.DateTimeFormat>();

/** A time of day as the app's language writes it (never the browser's locale): "08:31" / "08:31". */
export function clockTime(iso: string, lang: string, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const key = `${lang}:${seconds}`;
  let clock = clocks.get(key);
  if (!clock) {
    clock = new Intl.DateTimeFormat(lang, {
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    clocks.set(key, clock);
  }
  return clock.format(d);
}

const numbers = new Intl.NumberFormat('en-US');

/** Human number formatting: 16,432 MB; exact bytes go in tooltips. */
export function mb(bytesOrMb: number, isBytes = true): string {
  const v = isBytes ? Math.round(bytesOrMb / 1048576) : bytesOrMb;
  return `${numbers.format(v)} MB`;
}
