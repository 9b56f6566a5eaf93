/** A VM card: a drop target that says before the drop whether it is allowed, with device chips. */
import { useDraggable, useDroppable } from '@dnd-kit/core';
import { memo } from 'react';
import type { AssignedDevice, Vm } from '../../../shared/inventory';
import { useDragVerdicts } from '../drag-verdicts';
import { cardDropData } from '../drop-collision';
import { useStore } from '../store';
import { mb, useT } from '../i18n';
import { messages, type MessageKey } from '../../../shared/i18n/messages';

function Chip({ vm, entry, index }: { vm: Vm; entry: AssignedDevice; index: number }) {
  const { t } = useT();
  const openPlan = useStore((s) => s.openPlan);
  // An assignment through a resource pool (Windows Server 2025) names a pool, not a device: shown with
  // its pool's name, never moved or returned from here.
  const pool = entry.resourcePoolName ?? null;
  const { attributes, listeners, setNodeRef } = useDraggable({
    // By the VM's Id and the entry's place: a path held twice (a duplicate entry) is two chips.
    id: `chip:${vm.id}:${index}:${entry.locationPath}`,
    data: { path: entry.locationPath, fromVm: vm.id },
    disabled: entry.stale || pool !== null,
    attributes: { roleDescription: t('draggable') },
  });
  return (
    <li
      className={`chip ${entry.stale || entry.duplicate ? 'flagged' : ''}`}
      data-testid="chip"
      data-path={entry.locationPath}
      data-pool={pool ?? undefined}
    >
      <span ref={setNodeRef} {...listeners} {...attributes} className="chip-label" title={entry.locationPath}>
        {entry.name}
      </span>
      {pool !== null && (
        <span className="badge small" data-testid="pool-badge">
          {t('resourcePool')}: {pool}
        </span>
      )}
      {entry.stale && <span className="badge amber small">{t('stale')}</span>}
      {entry.duplicate && <span className="badge amber small">{t('duplicate')}</span>}
      {!entry.stale && pool === null && (
        <button
          className="ghost small"
          onClick={() => void openPlan({ kind: 'revert', locationPath: entry.locationPath })}
          aria-label={`${t('returnToHost')}: ${entry.name}`}
        >
          {t('returnToHost')}
        </button>
      )}
    </li>
  );
}

const NO_RESIZE_MEASURING = { disabled: true } as const;

/**
 * A VM card. The drop target re-renders when the card under the pointer changes and when a drag starts
 * or ends (its verdict, precomputed per drag), not when the virtual grid renders again as it scrolls;
 * the card's content is memoized on the VM object.
 */
export const VmCard = memo(function VmCard({ vm }: { vm: Vm }) {
  const { t, tf } = useT();
  // The drop target is found from where the cards are laid out now (drop-collision.ts), so dnd-kit need
  // not measure a card again each time its size changes during a drag (its drop note appears).
  const { setNodeRef, isOver } = useDroppable({
    // By the VM's Id: two VMs may share a name, and each card is a drop target of its own.
    id: `vm:${vm.id}`,
    data: cardDropData(vm),
    resizeObserverConfig: NO_RESIZE_MEASURING,
  });
  // Worked out once per drag (drag-verdicts.ts): no lookup and no re-render per pointer move.
  const verdict = useDragVerdicts((s) => s.byVm?.get(vm.id) ?? null);
  return (
    <article
      ref={setNodeRef}
      className={`vm-card ${verdict ? (verdict.allowed ? 'drop-ok' : 'drop-blocked') : ''} ${isOver ? 'over' : ''}`}
      aria-label={tf('vmCardLabel', { name: vm.name })}
      data-testid="vm-card"
      data-vm={vm.name}
    >
      <VmCardBody vm={vm} />
      {verdict && (
        <div className={`drop-note ${verdict.allowed ? 'ok' : 'blocked'}`} role="status" data-testid="drop-note">
          {verdict.allowed ? (verdict.note ? t(verdict.note) : t('dropAllowed')) : t(verdict.reason)}
        </div>
      )}
    </article>
  );
});

/** A word of the host's (VM state, stop action) in the app's language; an unknown one as the host said it. */
export function useHostWord(): (prefix: 'vmState_' | 'stopAction_', value: string) => string {
  const { t } = useT();
  return (prefix, value) => (`${prefix}${value}` in messages ? t(`${prefix}${value}` as MessageKey) : value);
}

const VmCardBody = memo(function VmCardBody({ vm }: { vm: Vm }) {
  const { t, tf } = useT();
  const word = useHostWord();
  const openPlan = useStore((s) => s.openPlan);
  const flagged = vm.assignedDevices.some((a) => a.stale || a.duplicate);
  return (
    <>
      <header>
        <h3 className="vm-name">{vm.name}</h3>
        <span className={`state ${vm.state === 'Running' ? 'running' : ''}`} data-state={vm.state}>
          {word('vmState_', vm.state)}
        </span>
        {vm.isClustered === true && (
          <span className="badge small" data-testid="clustered">
            {t('clustered')}
          </span>
        )}
      </header>
      <div className="vm-meta muted">
        {tf('generationN', { n: vm.generation })} · {t('stopAction')} {word('stopAction_', vm.automaticStopAction)}
        {vm.automaticStopAction === 'Save' && ' ⚠'}
      </div>
      <div className="vm-meta muted" title={`${vm.lowMemoryMappedIoSpace} / ${vm.highMemoryMappedIoSpace} bytes`}>
        {t('mmio')} {mb(vm.lowMemoryMappedIoSpace)} / {mb(vm.highMemoryMappedIoSpace)}
        {vm.dynamicMemoryEnabled && <> · {t('dynamicMemory')} ⚠</>}
      </div>
      {vm.guestOs && (
        <div className="vm-meta muted" data-verbatim="">
          {vm.guestOs}
        </div>
      )}
      {vm.assignedDevices.length > 0 ? (
        <ul className="chips">
          {vm.assignedDevices.map((a, i) => (
            <Chip key={`${a.locationPath}-${i}`} vm={vm} entry={a} index={i} />
          ))}
        </ul>
      ) : (
        <p className="muted small">{t('noDevices')}</p>
      )}
      {vm.lastStartFailure && vm.state !== 'Running' && <StartFailure vm={vm} />}
      {flagged && (
        <button onClick={() => void openPlan({ kind: 'repair', vmName: vm.name })} data-testid="repair">
          {t('repair')}
        </button>
      )}
    </>
  );
});

const lastFailure = { en: 'Last start failed', 'zh-CN': '上次启动失败' };
const fixIt = { en: 'Fix', 'zh-CN': '修复' };
const eventText = { en: "The host's event", 'zh-CN': '主机事件原文' };

/** The VM's last start failure (Hyper-V-Worker-Admin log), decoded by code: cause, fix, and the raw event. */
function StartFailure({ vm }: { vm: Vm }) {
  const { tx } = useT();
  const openPlan = useStore((s) => s.openPlan);
  const f = vm.lastStartFailure!;
  return (
    <div
      className="start-failure"
      role="note"
      data-testid="start-failure"
      data-cause={f.cause}
      data-hresult={f.hresult ?? undefined}
    >
      <strong>{tx(lastFailure)}</strong>
      {f.at ? ` · ${new Date(f.at).toLocaleString()}` : ''}
      <p className="small">{tx(f.explanation)}</p>
      <p className="small">{tx(f.fix)}</p>
      <details className="small">
        <summary>
          {tx(eventText)}
          {f.eventId !== null ? ` ${f.eventId}` : ''}
          {f.hresult ? ` · ${f.hresult}` : ''}
        </summary>
        <code className="raw">{f.message}</code>
      </details>
      {f.fixIntent && (
        <button className="small" onClick={() => void openPlan(f.fixIntent!)} data-testid="start-failure-fix">
          {tx(fixIt)}
        </button>
      )}
    </div>
  );
}
