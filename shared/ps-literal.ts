/**
 * The one way a value becomes PowerShell text: for the copy-paste commands shown to the admin and the
 * exported .ps1. (What actually runs receives values as data, never through this.) PowerShell treats
 * the typographic single quotes U+2018..U+201B as quote characters too, so each is doubled like '.
 */
export function psString(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

/**
 * A .ps1 file's text: UTF-8 with a byte-order mark. Windows PowerShell 5.1 reads a script without one in
 * the ANSI code page (about_Character_Encoding), where a name in a comment can swallow the line break
 * after it (a Shift-JIS lead byte, code page 932) and the next line never runs.
 */
export function ps1FileText(script: string): string {
  return '\uFEFF' + script;
}

/** A PowerShell literal for a string, number, boolean, null or array of those. */
export function psLiteral(value: unknown): string {
  if (value === null || value === undefined) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('Not a finite number');
    return String(value);
  }
  if (typeof value === 'string') return psString(value);
  if (Array.isArray(value)) return `@(${value.map(psLiteral).join(', ')})`;
  throw new Error(`No PowerShell literal for ${typeof value}`);
}

/**
 * Our own PowerShell text (a variable or expression we wrote), never a value from outside. A private
 * class, not a shape: a value parsed from a file ({ "ours": "..." }) is an object like any other and
 * can never pass for our text.
 */
class PsOursText {
  constructor(readonly ours: string) {}
}
export type PsOurs = PsOursText;
export const psOurs = (text: string): PsOurs => new PsOursText(text);
/** A parameter given without a value: `-Force`. A symbol, so no value (not even 'switch') can become one. */
export const PS_SWITCH: unique symbol = Symbol('switch');

const isOurs = (v: unknown): v is PsOurs => v instanceof PsOursText;

/** A value as PowerShell text: our own text as it is, anything else through psLiteral. */
export function psArg(value: unknown): string {
  return isOurs(value) ? value.ours : psLiteral(value);
}

/** `Cmdlet -Name 'value' -Flag` from a cmdlet and ordered parameters; PS_SWITCH makes a switch, undefined leaves it out. */
export function psCommand(cmdlet: string, params: ReadonlyArray<readonly [string, unknown]>): string {
  const parts = [cmdlet];
  for (const [name, value] of params) {
    if (value === undefined) continue;
    parts.push(value === PS_SWITCH ? `-${name}` : `-${name} ${psArg(value)}`);
  }
  return parts.join(' ');
}
