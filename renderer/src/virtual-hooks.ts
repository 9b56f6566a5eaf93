/**
 * The DOM side of the virtual lists (issue 16): where a list starts inside the pane that scrolls it, how
 * wide an element is, and which keyed item holds focus (so that it stays mounted while it does).
 */
import { useCallback, useLayoutEffect, useState, type FocusEvent, type RefObject } from 'react';

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

/**
 * The `data-key` of the item that holds focus inside a list (null when focus is elsewhere), and the
 * focus handlers to put on the list's element.
 */
export function useFocusedKey(): {
  focusedKey: string | null;
  onFocus: (e: FocusEvent<HTMLElement>) => void;
  onBlur: (e: FocusEvent<HTMLElement>) => void;
} {
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const onFocus = useCallback((e: FocusEvent<HTMLElement>) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>('[data-key]');
    setFocusedKey(item && e.currentTarget.contains(item) ? (item.dataset.key ?? null) : null);
  }, []);
  const onBlur = useCallback((e: FocusEvent<HTMLElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusedKey(null);
  }, []);
  return { focusedKey, onFocus, onBlur };
}
