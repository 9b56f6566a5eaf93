/**
 * What follows the cursor while a device is dragged: its name and the verdict of the card under the
 * pointer. One small component re-renders per move (the drag overlay's); the device list does not.
 */
import { DragOverlay, useDndContext } from '@dnd-kit/core';
import { useMemo } from 'react';
import { isPointerDrag, overlayBesidePointer, overVmId, vmById } from '../drop-collision';
import { dropVerdict } from '../drop-rules';
import { useStore } from '../store';
import { useT } from '../i18n';

const OVERLAY_MODIFIERS = [overlayBesidePointer];

/**
 * The drag overlay. For a pointer drag it is as small as its content and sits beside the pointer; for a
 * keyboard drag it keeps the dragged row's size and place, the preview centred on the point that decides
 * the target (the moved row's centre).
 */
export function DragLayer() {
  const { activatorEvent } = useDndContext();
  const pointer = isPointerDrag(activatorEvent);
  return (
    <DragOverlay
      className={`drag-overlay ${pointer ? 'pointer' : 'keyboard'}`}
      dropAnimation={null}
      modifiers={OVERLAY_MODIFIERS}
    >
      <DragPreview pointer={pointer} />
    </DragOverlay>
  );
}

function DragPreview({ pointer }: { pointer: boolean }) {
  const { t } = useT();
  const inventory = useStore((s) => s.inventory);
  const { active, over } = useDndContext();
  const path = (active?.data.current as { path?: string } | undefined)?.path;
  const device = useMemo(
    () => (path ? inventory?.devices.find((d) => d.locationPath === path) : undefined),
    [inventory, path],
  );
  const vmId = overVmId(over?.data.current);
  const vm = useMemo(() => vmById(inventory, vmId), [inventory, vmId]);
  if (!path || !inventory) return null;
  const verdict = device && vm ? dropVerdict(inventory, device, vm) : null;
  const tone = !verdict ? 'none' : verdict.allowed ? 'ok' : 'blocked';
  return (
    <div className={`drag-preview ${pointer ? '' : 'keyboard'}`} data-testid="drag-overlay" data-over={vm?.name ?? ''}>
      <div className="drag-preview-name">{device?.friendlyName ?? path}</div>
      <div className={`drag-preview-target ${tone}`}>
        {vm ? (
          <>
            → <strong>{vm.name}</strong>
            {verdict && (
              <>: {verdict.allowed ? (verdict.note ? t(verdict.note) : t('dropAllowed')) : t(verdict.reason)}</>
            )}
          </>
        ) : (
          t('dropNoTarget')
        )}
      </div>
    </div>
  );
}

/** The announced answer to a drop on a card that cannot take the device: why, and that nothing was planned. */
export function DropRefusal() {
  const { t, tf } = useT();
  const refusal = useStore((s) => s.dropRefusal);
  const dismiss = useStore((s) => s.setDropRefusal);
  if (!refusal) return null;
  return (
    <div className="banner bad drop-refusal" role="alert">
      <span data-testid="drop-refused">
        {tf('dropRefused', { vm: refusal.vm, device: refusal.device, reason: t(refusal.reason) })}
      </span>
      <button className="ghost small" onClick={() => dismiss(null)}>
        {t('close')}
      </button>
    </div>
  );
}
