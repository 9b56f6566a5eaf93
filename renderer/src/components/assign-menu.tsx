/**
 * "Assign to…": a menu button (WAI-ARIA menu pattern). Opening it focuses the first VM; arrows, Home and
 * End move; Escape, Tab and a click outside close it, focus back on the button. Each VM says its state
 * and what the assignment would need ("Running: will be shut down"), or why it cannot take the device.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Device, Inventory, Vm } from '../../../shared/inventory';
import type { MessageKey } from '../../../shared/i18n/messages';
import { assignIntent, dropVerdict } from '../drop-rules';
import { useStore } from '../store';
import { useT } from '../i18n';
import { useVmState } from './plan-dialog-parts';

/** What assigning the device to this VM would take, in one key; `ok` false when the VM cannot take it. */
export function menuNeed(inv: Inventory, device: Device, vm: Vm): { ok: boolean; key: MessageKey | null } {
  const v = dropVerdict(inv, device, vm);
  if (!v.allowed) return { ok: false, key: v.reason };
  if (v.note === 'needsVmOff')
    return {
      ok: true,
      key:
        vm.state === 'Running'
          ? 'vmStateRunningWillStop'
          : vm.state === 'Saved'
            ? 'vmStateSavedWillDiscard'
            : vm.state === 'Paused'
              ? 'vmStatePausedWillStop'
              : 'needsVmOff',
    };
  if (v.note === 'needsForceShort') return { ok: true, key: 'menuNeedsForce' };
  if (v.note === 'needsLifelineShort') return { ok: true, key: 'menuNeedsLifeline' };
  return { ok: true, key: v.note ?? null };
}

export function AssignMenu({ device }: { device: Device }) {
  const { t } = useT();
  const vmState = useVmState();
  const inventory = useStore((s) => s.inventory);
  const openPlan = useStore((s) => s.openPlan);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const id = useId();
  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const outside = (e: PointerEvent) => {
      const el = e.target as Node;
      if (!menu.current?.contains(el) && !button.current?.contains(el)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  if (!inventory) return null;
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(list.length - 1);
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') return setOpen(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    setOpen(true);
  };
  const pick = (vm: Vm) => {
    // Focus goes back to the button first: the plan dialog returns it there when it closes.
    close();
    void openPlan(assignIntent(inventory, device, vm.name));
  };
  return (
    <span className="menu-wrap">
      <button
        ref={button}
        className="ghost"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={onButtonKey}
        data-testid="assign-menu"
      >
        {t('assignTo')}
      </button>
      {open && (
        <ul
          role="menu"
          id={id}
          className="menu"
          aria-label={`${t('assignTo')} ${device.friendlyName}`}
          ref={menu}
          onKeyDown={onMenuKey}
          data-testid="assign-menu-list"
        >
          {inventory.vms.map((v) => {
            const need = menuNeed(inventory, device, v);
            const state = vmState(v.state);
            return (
              <li key={v.id} role="none">
                <button
                  role="menuitem"
                  tabIndex={-1}
                  aria-disabled={!need.ok || undefined}
                  className={need.ok ? '' : 'blocked'}
                  onClick={() => need.ok && pick(v)}
                  data-testid="assign-menu-item"
                  data-vm={v.name}
                >
                  <span className="menu-vm">{v.name}</span>{' '}
                  <span className={`menu-need ${need.ok ? '' : 'blocked'}`}>
                    {need.key && need.key.startsWith('vmState')
                      ? t(need.key)
                      : `${state} · ${t(need.key ?? 'menuReady')}`}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </span>
  );
}
