/** The security gate reads electronegativity's CSV report with a real CSV parser (issue 14: a row was misread). */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the build scripts
import { parseCsv } from './csv.mjs';

describe('parseCsv', () => {
  it('keeps commas, line breaks and doubled quotes inside quoted fields', () => {
    const text =
      'check,severity,description\r\nCSP_GLOBAL_CHECK,INFO,"it may not be valid, e.g.\n""CSP undefined"""\nX,HIGH,plain\n';
    expect(parseCsv(text)).toEqual([
      ['check', 'severity', 'description'],
      ['CSP_GLOBAL_CHECK', 'INFO', 'it may not be valid, e.g.\n"CSP undefined"'],
      ['X', 'HIGH', 'plain'],
    ]);
  });
  it('a last record without a line break, and empty fields', () => {
    expect(parseCsv('a,,c')).toEqual([['a', '', 'c']]);
  });
});
