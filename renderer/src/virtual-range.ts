/**
 * Which rows a virtual list mounts (issue 16): the rows in view and the overscan, as
 * @tanstack/react-virtual picks them, plus rows that must stay mounted wherever the list is scrolled: the
 * one holding focus, the one being dragged, and during a keyboard drag the rows an arrow can reach next.
 * Pure: no DOM.
 */
import { defaultRangeExtractor, type Range } from '@tanstack/react-virtual';

/** The range's rows (with overscan) and every valid row of `keep`, in order, each once. */
export function rowsToMount(range: Range, keep: Iterable<number | null | undefined>): number[] {
  const rows = defaultRangeExtractor(range);
  const extra: number[] = [];
  const first = rows[0] ?? Infinity;
  const last = rows[rows.length - 1] ?? -Infinity;
  for (const i of keep) {
    if (i === null || i === undefined || !Number.isInteger(i) || i < 0 || i >= range.count) continue;
    if ((i < first || i > last) && !extra.includes(i)) extra.push(i);
  }
  return extra.length === 0 ? rows : [...rows, ...extra].sort((a, b) => a - b);
}

/**
 * The rows a keyboard drag may reach with its next arrow press: from no card, the first and the last row
 * (Right/Down goes to the first card, Left/Up to the last); from a card, its own row and the rows next to it.
 */
export function keyboardReachableRows(rowCount: number, overRow: number | null): number[] {
  if (rowCount === 0) return [];
  const rows = overRow === null ? [0, rowCount - 1] : [overRow - 1, overRow, overRow + 1];
  return rows.filter((r, i) => r >= 0 && r < rowCount && rows.indexOf(r) === i);
}

/** Cards a VM grid row holds: as many as fit at their least width with the gaps between them (at least one). */
export function gridColumns(width: number, minCardWidth: number, gap: number): number {
  if (!(width > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (minCardWidth + gap)));
}
