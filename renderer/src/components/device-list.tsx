/**
 * The devices pane's list (issue 16): one virtual row per card (its functions together), measured as
 * laid out; only the rows in view and a few either side are mounted, whatever the number of devices. The
 * row holding focus, the row of the device being dragged and the row whose details are open stay
 * mounted wherever the pane is scrolled.
 * A list with its size and each row's place in it (aria-setsize, aria-posinset), for screen readers.
 */
import { useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useDeferredValue, useMemo, useRef } from 'react';
import { groupIndexOf, type DeviceGroup } from '../device-groups';
import { useDragVerdicts } from '../drag-verdicts';
import { useT } from '../i18n';
import { useStore } from '../store';
import { rowsToMount } from '../virtual-range';
import { useFocusedKey, useScrollMargin } from '../virtual-hooks';
import { DeviceRow } from './device-row';

/** Rows mounted beyond each edge of the pane. */
const OVERSCAN = 5;
/** Space between two cards (also in styles.css: `.cards.virtual`). */
const GAP = 4;
/** A first guess of a row's height before it is measured: one line per function, a title line for several. */
const estimate = (g: DeviceGroup | undefined) => (g ? 2 + 29 * g.devices.length + (g.devices.length > 1 ? 19 : 0) : 31);

export function DeviceList({ groups, scroller }: { groups: DeviceGroup[]; scroller: HTMLElement | null }) {
  const { t } = useT();
  const list = useRef<HTMLUListElement>(null);
  const scrollMargin = useScrollMargin(list, scroller);
  const { focusedKey, onFocus, onBlur } = useFocusedKey(list);
  const draggedPath = useDragVerdicts((s) => s.path);
  // The device whose details are open: its Details button takes focus back when the drawer closes. Kept
  // one render longer (deferred), so the row is still there when the closing drawer gives focus back to
  // it; from then on the focus keeps it.
  const selected = useDeferredValue(useStore((s) => s.selected));
  const keep = useMemo(
    () => [
      groups.findIndex((g) => g.key === focusedKey),
      groupIndexOf(groups, draggedPath),
      groupIndexOf(groups, selected),
    ],
    [groups, focusedKey, draggedPath, selected],
  );
  const rangeExtractor = useCallback((range: Range) => rowsToMount(range, keep), [keep]);
  const getItemKey = useCallback((i: number) => groups[i]?.key ?? i, [groups]);
  const virtualizer = useVirtualizer({
    count: groups.length,
    getScrollElement: () => scroller,
    estimateSize: (i) => estimate(groups[i]),
    getItemKey,
    rangeExtractor,
    overscan: OVERSCAN,
    gap: GAP,
    scrollMargin,
  });
  return (
    <ul
      ref={list}
      className="cards virtual"
      aria-label={t('devices')}
      style={{ height: virtualizer.getTotalSize() }}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      {virtualizer.getVirtualItems().map((item) => {
        const g = groups[item.index]!;
        return (
          <li
            key={g.key}
            ref={virtualizer.measureElement}
            data-index={item.index}
            data-key={g.key}
            className="card-group"
            aria-setsize={groups.length}
            aria-posinset={item.index + 1}
            style={{ top: item.start - scrollMargin }}
          >
            {g.devices.length > 1 && (
              <div className="card-title muted">
                {g.key} · {g.devices.length} {t('functions')}
              </div>
            )}
            <ul>
              {g.devices.map((d) => (
                <DeviceRow key={d.instanceId} device={d} />
              ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}
