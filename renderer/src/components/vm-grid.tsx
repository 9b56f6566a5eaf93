/**
 * The VM cards (issue 16): virtual rows of as many cards as fit the pane's width, each row measured as
 * laid out; only the rows in view and a few either side are mounted, whatever the number of VMs. The row
 * holding focus and the card a chip is dragged from stay mounted, and during a keyboard drag so do the
 * rows its next arrow press can reach (`keyboardReachableRows`): dnd-kit knows only mounted cards, and
 * the arrows must reach every VM.
 * A list of the cards with its size and each card's place in it, for screen readers.
 */
import { useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useMemo, useRef } from 'react';
import type { Vm } from '../../../shared/inventory';
import { useDragVerdicts } from '../drag-verdicts';
import { useKeyboardDrag } from '../keyboard-drag';
import { gridColumns, keyboardReachableRows, rowsToMount } from '../virtual-range';
import { useElementWidth, useFocusedKey, useScrollMargin } from '../virtual-hooks';
import { VmCard } from './vm-card';

/** A card's least width and the gap between cards, across and down (also in styles.css: `.vm-row`). */
const MIN_CARD_WIDTH = 210;
const GAP = 10;
/** Rows mounted beyond each edge of the pane. */
const OVERSCAN = 1;
/** A first guess of a row's height before it is measured. */
const ESTIMATED_ROW = 160;

export function VmGrid({ vms, scroller }: { vms: Vm[]; scroller: HTMLElement | null }) {
  const grid = useRef<HTMLDivElement>(null);
  const columns = gridColumns(useElementWidth(grid), MIN_CARD_WIDTH, GAP);
  const rowCount = Math.ceil(vms.length / columns);
  const scrollMargin = useScrollMargin(grid, scroller);
  const { focusedKey, onFocus, onBlur } = useFocusedKey(grid);
  const keyboard = useKeyboardDrag();
  const fromVm = useDragVerdicts((s) => s.fromVm);
  const keep = useMemo(() => {
    const rowOf = (i: number) => (i < 0 ? null : Math.floor(i / columns));
    const named = (id: string | null) => rowOf(id === null ? -1 : vms.findIndex((v) => v.id === id));
    // A chip being dragged off its card: that card stays, wherever the grid scrolls meanwhile.
    const reachable = keyboard.on ? keyboardReachableRows(rowCount, named(keyboard.overVm)) : [];
    return [named(focusedKey), named(fromVm), ...reachable];
  }, [vms, columns, rowCount, focusedKey, fromVm, keyboard]);
  const rangeExtractor = useCallback((range: Range) => rowsToMount(range, keep), [keep]);
  // A row is known by its columns and its first VM: its measured height is not reused for other cards.
  const getItemKey = useCallback((i: number) => `${columns}:${vms[i * columns]?.id ?? i}`, [vms, columns]);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller,
    estimateSize: () => ESTIMATED_ROW,
    getItemKey,
    rangeExtractor,
    overscan: OVERSCAN,
    gap: GAP,
    scrollMargin,
  });
  const template = `repeat(${columns}, minmax(0, 1fr))`;
  return (
    <div
      ref={grid}
      className="vm-grid virtual"
      role="list"
      aria-labelledby="vms-title"
      style={{ height: virtualizer.getTotalSize() }}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      {virtualizer.getVirtualItems().map((row) => (
        <div
          key={row.key}
          ref={virtualizer.measureElement}
          data-index={row.index}
          role="none"
          className="vm-row"
          style={{ top: row.start - scrollMargin, gridTemplateColumns: template }}
        >
          {vms.slice(row.index * columns, (row.index + 1) * columns).map((vm, j) => (
            <div
              key={vm.id}
              role="listitem"
              className="vm-cell"
              data-key={vm.id}
              aria-setsize={vms.length}
              aria-posinset={row.index * columns + j + 1}
            >
              <VmCard vm={vm} />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
