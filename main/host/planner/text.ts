/** How names enter the planner's texts: flattened to one line, quoted where prose names them. */
import type { Device } from '../../../shared/inventory';
import { planList, type PlanValue } from '../../../shared/i18n/plan-messages';
import type { LocalizedText } from '../../../shared/plan';

/** One line of text: comments in the exported script must not be ended by a line break in a name. */
export function flat(s: string): string {
  return s.replace(/[\r\n\u0085\u2028\u2029\u0000-\u0008\u000B\u000C\u000E-\u001F]+/g, ' ');
}
/** Names inside prose (never inside code): quoted, with line breaks flattened. */
export const q = (s: string) => `'${flat(s)}'`;
/** A device's name in prose. */
export const name = (d: Device) => flat(d.friendlyName);
/** Names listed as each language lists them, each flattened. */
export const list = (xs: ReadonlyArray<string>): LocalizedText => planList(xs.map(flat));
/** Localized items listed with the given separators. */
export const listOf = (xs: ReadonlyArray<PlanValue>, en = ', ', zh = '、'): LocalizedText => planList(xs, en, zh);
