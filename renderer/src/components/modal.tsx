/**
 * A modal dialog: backdrop, role dialog (or alertdialog) with aria-modal and a label, focus moved in
 * on open (the first field, or the dialog), Tab kept inside, Escape closes, focus returned to what
 * had it before.
 */
import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function Modal(props: {
  labelledBy: string;
  describedBy?: string;
  onClose: () => void;
  role?: 'dialog' | 'alertdialog';
  className?: string;
  testId?: string;
  initialFocus?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = ref.current;
    const first =
      (props.initialFocus ? el?.querySelector<HTMLElement>(props.initialFocus) : null) ??
      el?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled])') ??
      el;
    first?.focus();
    return () => {
      if (before && document.contains(before)) before.focus();
    };
    // Focus moves once, when the dialog opens.
  }, []);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose.current();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => x.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="backdrop">
      <div
        ref={ref}
        className={`dialog ${props.className ?? ''}`}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={props.labelledBy}
        {...(props.describedBy ? { 'aria-describedby': props.describedBy } : {})}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={props.testId}
      >
        {props.children}
      </div>
    </div>
  );
}
