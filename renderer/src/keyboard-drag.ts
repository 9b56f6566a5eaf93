/**
 * The keyboard drag (issue 17 #4): an arrow key moves the dragged device from one VM card to the next
 * (reading order: Right/Down the next card, Left/Up the previous one), never a few pixels at a time, and
 * announcements made of names and the drop's verdict in the UI's language. The VM grid is virtual
 * (issue 16): during a keyboard drag it keeps mounted the cards the next arrow can reach (`useKeyboardDrag`),
 * so every VM is reached, one press at a time.
 */
import type { Announcements, KeyboardCoordinateGetter, UniqueIdentifier } from '@dnd-kit/core';
import { create } from 'zustand';
import { format, messages, translate, type MessageKey } from '../../shared/i18n/messages';
import type { Language } from '../../shared/contract';
import type { Inventory } from '../../shared/inventory';
import { liveRects, setKeyboardTarget, vmUnder } from './drop-collision';
import { dropVerdict } from './drop-rules';

interface KeyboardDrag {
  /** Whether a drag started from the keyboard is on. */
  on: boolean;
  /** The Id of the VM whose card it is over; null over none. */
  overVm: string | null;
}

/** Changes when a keyboard drag starts, moves to another card and ends; never during a pointer drag. */
export const useKeyboardDrag = create<KeyboardDrag>(() => ({ on: false, overVm: null }));

/** Called when a drag starts, when its target changes (with the VM under it) and when it ends (on: false). */
export function trackKeyboardDrag(activatorEvent: Event | null, on: boolean, overVm: string | null = null): void {
  const keyboard = on && typeof KeyboardEvent !== 'undefined' && activatorEvent instanceof KeyboardEvent;
  const now = useKeyboardDrag.getState();
  // A drag that starts or ends has no chosen card yet (or any more).
  if (!on || !now.on) setKeyboardTarget(null);
  if (keyboard ? now.on && now.overVm === overVm : !now.on) return;
  useKeyboardDrag.setState(keyboard ? { on: true, overVm } : { on: false, overVm: null });
}

const NEXT = ['ArrowRight', 'ArrowDown'];
const PREVIOUS = ['ArrowLeft', 'ArrowUp'];

type Rect = { left: number; top: number; width: number; height: number };

/**
 * The card an arrow goes to, from the cards' rectangles in reading order (rows by top, then left), and
 * the card the drag is over now (none: the first card for Right/Down, the last for Left/Up). Pure.
 */
export function nextCard(
  cards: Array<{ id: UniqueIdentifier; rect: Rect }>,
  current: UniqueIdentifier | null,
  key: string,
): UniqueIdentifier | null {
  const forward = NEXT.includes(key);
  if (!forward && !PREVIOUS.includes(key)) return null;
  const ordered = [...cards].sort((a, b) =>
    Math.abs(a.rect.top - b.rect.top) > Math.min(a.rect.height, b.rect.height) / 2
      ? a.rect.top - b.rect.top
      : a.rect.left - b.rect.left,
  );
  if (ordered.length === 0) return null;
  const at = current === null ? -1 : ordered.findIndex((c) => c.id === current);
  if (at === -1) return (forward ? ordered[0] : ordered[ordered.length - 1])!.id;
  const to = at + (forward ? 1 : -1);
  return ordered[Math.max(0, Math.min(ordered.length - 1, to))]!.id;
}

/**
 * The dnd-kit coordinate getter: the dragged item's new top-left, so that its centre (the point
 * `dropTargetCollision` uses for the keyboard) lands on the centre of the next card. A card out of view
 * (further down a long grid) is scrolled into view first, at once, and the item lands where it is then.
 */
export const cardKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  if (!NEXT.includes(event.code) && !PREVIOUS.includes(event.code)) return undefined;
  event.preventDefault();
  const { collisionRect, droppableContainers, over } = context;
  if (!collisionRect) return undefined;
  const rects = liveRects(droppableContainers.getEnabled());
  const cards = [...rects].map(([id, rect]) => ({ id, rect }));
  const id = nextCard(cards, over?.id ?? null, event.code);
  if (id === null) return undefined;
  setKeyboardTarget(id);
  const node = droppableContainers.get(id)?.node.current;
  node?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const rect = node?.getBoundingClientRect() ?? rects.get(id);
  if (!rect) return undefined;
  return {
    x: rect.left + rect.width / 2 - collisionRect.width / 2,
    y: rect.top + rect.height / 2 - collisionRect.height / 2,
  };
};

/** What a screen reader hears during a drag: the device's and the VM's names, the VM's state and the verdict. */
export function dragAnnouncements(inventory: () => Inventory | null, lang: () => Language): Announcements {
  const t = (key: MessageKey) => translate(key, lang());
  const tf = (key: MessageKey, values: Record<string, string>) => format(translate(key, lang()), values);
  const describe = (activeData: unknown, overData: unknown) => {
    const inv = inventory();
    const path = (activeData as { path?: string } | undefined)?.path;
    const device = path ? inv?.devices.find((d) => d.locationPath === path) : undefined;
    const vm = vmUnder(inv, overData);
    const name = device?.friendlyName ?? t('devices');
    if (!inv || !device || !vm) return { name, vm: null };
    const verdict = dropVerdict(inv, device, vm);
    const stateKey = `vmState_${vm.state}`;
    const state = Object.prototype.hasOwnProperty.call(messages, stateKey) ? t(stateKey as MessageKey) : vm.state;
    const text = verdict.allowed ? t(verdict.note ?? 'dropAllowed') : t(verdict.reason);
    return { name, vm: { name: vm.name, state, allowed: verdict.allowed, text } };
  };
  return {
    onDragStart: ({ active }) => tf('announceStart', { device: describe(active.data.current, undefined).name }),
    onDragOver: ({ active, over }) => {
      const d = describe(active.data.current, over?.data.current);
      return d.vm
        ? tf('announceOver', { device: d.name, vm: d.vm.name, state: d.vm.state, verdict: d.vm.text })
        : tf('announceNoTarget', { device: d.name });
    },
    onDragEnd: ({ active, over }) => {
      const d = describe(active.data.current, over?.data.current);
      if (!d.vm) return tf('announceDropNone', { device: d.name });
      return d.vm.allowed
        ? tf('announceDropPlan', { device: d.name, vm: d.vm.name })
        : tf('announceDropRefused', { device: d.name, vm: d.vm.name, verdict: d.vm.text });
    },
    onDragCancel: ({ active }) => tf('announceCancel', { device: describe(active.data.current, undefined).name }),
  };
}
