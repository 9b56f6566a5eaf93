/**
 * The DOM side of the virtual lists (issue 16): where a list starts inside the pane that scrolls it, how
 * wide an element is, and which keyed item holds focus (so that it stays mounted while it does).
 */
import { useCallback, useLayoutEffect, useRef, useState, type FocusEvent, type RefObject } from 'react';

/**
 * How far below the top of its scroller's content the list starts (the pane's heading, filters or
 * panels above it), for the virtualizer's `scrollMargin`. Measured when the list mounts and, after
 * layout (never forcing it), whenever the scroller or one of its children changes size or a child comes
 * or goes.
 */
export function useScrollMargin(list: RefObject<HTMLElement | null>, scroller: HTMLElement | null): number {
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const l = list.current;
    const s = scroller;
    if (!l || !s) return;
    const measure = () => {
      const offset = l.getBoundingClientRect().top - s.getBoundingClientRect().top - s.clientTop + s.scrollTop;
      setMargin(Math.max(0, Math.round(offset)));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const sizes = new ResizeObserver(measure);
    const observe = () => {
      sizes.disconnect();
      sizes.observe(s);
      for (const child of s.children) if (child !== l) sizes.observe(child);
    };
    observe();
    const children = new MutationObserver(observe);
    children.observe(s, { childList: true });
    return () => {
      sizes.disconnect();
      children.disconnect();
    };
  }, [list, scroller]);
  return margin;
}

/** An element's content width, read before the first paint and again whenever it changes. */
export function useElementWidth(element: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const e = element.current;
    if (!e) return;
    setWidth(e.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(e.clientWidth));
    observer.observe(e);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

/** What can hold focus inside an item (in document order). */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * The `data-key` of the item that holds focus inside a list (null when focus is elsewhere), and the
 * focus handlers to put on the list's element.
 * An item can be mounted anew while it holds focus (a VM card moves into another row when the window's
 * width changes the number of columns): the browser then drops focus to the page, and no blur reaches
 * the list. After each render of the list, focus that fell to the page this way goes back to the same
 * control of the same item (by its place among the item's controls), else to its first control.
 * Focus the admin moves elsewhere blurs the list first and is never taken back.
 */
export function useFocusedKey(list: RefObject<HTMLElement | null>): {
  focusedKey: string | null;
  onFocus: (e: FocusEvent<HTMLElement>) => void;
  onBlur: (e: FocusEvent<HTMLElement>) => void;
} {
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const control = useRef(0);
  const onFocus = useCallback((e: FocusEvent<HTMLElement>) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>('[data-key]');
    const inList = item !== null && e.currentTarget.contains(item);
    // -1: the item itself.
    control.current = inList ? [...item.querySelectorAll(FOCUSABLE)].indexOf(e.target as Element) : -1;
    setFocusedKey(inList ? (item.dataset.key ?? null) : null);
  }, []);
  const onBlur = useCallback((e: FocusEvent<HTMLElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusedKey(null);
  }, []);
  useLayoutEffect(() => {
    const l = list.current;
    const active = document.activeElement;
    if (focusedKey === null || !l || (active !== null && active !== document.body)) return;
    const item = [...l.querySelectorAll<HTMLElement>('[data-key]')].find((i) => i.dataset.key === focusedKey);
    if (!item) return;
    const controls = item.querySelectorAll<HTMLElement>(FOCUSABLE);
    (control.current < 0 ? item : (controls[control.current] ?? controls[0] ?? item)).focus({ preventScroll: true });
  });
  return { focusedKey, onFocus, onBlur };
}
