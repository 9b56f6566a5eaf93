/** Which rows the virtual lists mount (issue 16), and the keyboard drag reaching every VM of a virtual grid. */
import { describe, expect, it } from 'vitest';
import { nextCard } from './keyboard-drag';
import { gridColumns, keyboardReachableRows, rowsToMount } from './virtual-range';

const range = (startIndex: number, endIndex: number, count: number, overscan = 2) => ({
  startIndex,
  endIndex,
  count,
  overscan,
});

describe('rowsToMount', () => {
  it('the rows in view and the overscan, as tanstack picks them', () => {
    expect(rowsToMount(range(10, 12, 100), [])).toEqual([8, 9, 10, 11, 12, 13, 14]);
    expect(rowsToMount(range(0, 1, 3), [])).toEqual([0, 1, 2]);
  });
  it('keeps a focused or dragged row far from the view mounted, in order, each once', () => {
    expect(rowsToMount(range(10, 12, 100), [90, 2, 90, 11])).toEqual([2, 8, 9, 10, 11, 12, 13, 14, 90]);
  });
  it('ignores rows that are not there (none focused, a key no longer listed, past the end)', () => {
    expect(rowsToMount(range(0, 1, 5, 0), [null, undefined, -1, 5, 1.5])).toEqual([0, 1]);
  });
});

describe('keyboardReachableRows', () => {
  it('from no card: the first and the last row', () => {
    expect(keyboardReachableRows(22, null)).toEqual([0, 21]);
    expect(keyboardReachableRows(1, null)).toEqual([0]);
  });
  it('from a card: its row and the rows either side', () => {
    expect(keyboardReachableRows(22, 5)).toEqual([4, 5, 6]);
    expect(keyboardReachableRows(22, 0)).toEqual([0, 1]);
    expect(keyboardReachableRows(22, 21)).toEqual([20, 21]);
    expect(keyboardReachableRows(0, null)).toEqual([]);
  });
});

describe('gridColumns', () => {
  it('as many cards as fit at their least width with the gaps (CSS auto-fill)', () => {
    expect(gridColumns(700, 210, 10)).toBe(3);
    expect(gridColumns(649, 210, 10)).toBe(2);
    expect(gridColumns(650, 210, 10)).toBe(3);
    expect(gridColumns(100, 210, 10)).toBe(1);
    expect(gridColumns(0, 210, 10)).toBe(1);
  });
});

describe('a keyboard drag over a virtual grid of 64 VMs, 3 to a row, 4 rows in view', () => {
  const VMS = 64;
  const COLS = 3;
  const ROWS = Math.ceil(VMS / COLS);
  /** The cards dnd-kit knows: those of the mounted rows, at their places (rows 150 px apart). */
  const mountedCards = (overRow: number | null) =>
    rowsToMount(range(0, 3, ROWS, 1), keyboardReachableRows(ROWS, overRow)).flatMap((row) =>
      Array.from({ length: COLS }, (_, c) => row * COLS + c)
        .filter((i) => i < VMS)
        .map((i) => ({ id: `vm:${i}`, rect: { left: c(i) * 220, top: row * 150, width: 210, height: 140 } })),
    );
  const c = (i: number) => i % COLS;
  const rowOf = (id: string | null) => (id === null ? null : Math.floor(Number(id.slice(3)) / COLS));

  it('Right from no card to the last VM, one press one card, every VM in order', () => {
    const walk: string[] = [];
    let at: string | null = null;
    for (let i = 0; i < VMS + 2; i++) {
      at = nextCard(mountedCards(rowOf(at)), at, 'ArrowRight') as string;
      walk.push(at);
    }
    expect(walk).toEqual([...Array.from({ length: VMS }, (_, i) => `vm:${i}`), `vm:${VMS - 1}`, `vm:${VMS - 1}`]);
  });
  it('Left from no card to the first VM, every VM in reverse order', () => {
    const walk: string[] = [];
    let at: string | null = null;
    for (let i = 0; i < VMS; i++) {
      at = nextCard(mountedCards(rowOf(at)), at, 'ArrowLeft') as string;
      walk.push(at);
    }
    expect(walk).toEqual(Array.from({ length: VMS }, (_, i) => `vm:${VMS - 1 - i}`));
  });
  it('without the rows it keeps, the walk would stop at the edge of what is mounted', () => {
    const plain = rowsToMount(range(0, 3, ROWS, 1), []).flatMap((row) =>
      Array.from({ length: COLS }, (_, k) => ({
        id: `vm:${row * COLS + k}`,
        rect: { left: k * 220, top: row * 150, width: 210, height: 140 },
      })),
    );
    expect(nextCard(plain, 'vm:14', 'ArrowRight')).toBe('vm:14');
  });
});
