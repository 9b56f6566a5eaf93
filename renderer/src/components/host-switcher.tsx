/**
 * The host switcher: every host as a tab with its connection state and readiness at a glance
 * ("connected · PowerShell 5.1 · IOMMU ok"); selecting one switches every view to it. Arrow keys,
 * Home and End move between hosts (roving tab stop). Add, edit, prepare and remove live beside it.
 */
import { useRef, type KeyboardEvent } from 'react';
import type { HostSummary } from '../../../shared/contract';
import type { MessageKey } from '../../../shared/i18n/messages';
import { useStore } from '../store';
import { useT } from '../i18n';
import { ReadinessStrip } from './readiness-strip';

/** The name shown for a host: the admin's name, or the local computer's (or "this computer"). */
export function useHostLabel(): (h: HostSummary | undefined) => string {
  const { t } = useT();
  return (h) => (!h ? '' : h.transport === 'local' ? (h.name ?? t('thisComputer')) : (h.name ?? h.id));
}

/**
 * A host's state as the admin should read it: "disconnected" for the selected host when it is lost,
 * and for every host when the app's server is (what the list says then is only what it said last).
 */
export function useShownState(): (h: HostSummary) => HostSummary['state'] | 'lost' {
  const lost = useStore((s) => s.lost);
  const current = useStore((s) => s.host);
  return (h) => (lost && (lost.cause === 'server' || h.id === current) ? 'lost' : h.state);
}

/** "connected · PowerShell 5.1 · IOMMU ok" */
export function useHostSummary(): (h: HostSummary) => string {
  const { t } = useT();
  const shown = useShownState();
  return (h) => {
    const state = shown(h);
    const parts = [t(`conn_${state}` as MessageKey)];
    if (state === 'lost') return parts.join(' · ');
    if (h.readiness && h.state !== 'failed') {
      parts.push(`PowerShell ${h.readiness.psVersion.split('.').slice(0, 2).join('.')}`);
      parts.push(
        `${t('readinessIommu')} ${h.readiness.iommu === null ? t('unknown') : h.readiness.iommu ? t('ok') : t('no')}`,
      );
    } else if (h.transport !== 'local' && h.state !== 'failed') parts.push(h.description);
    return parts.join(' · ');
  };
}

export function HostSwitcher() {
  const { t } = useT();
  const hosts = useStore((s) => s.hosts);
  const current = useStore((s) => s.host);
  const running = useStore((s) => s.running);
  const selectHost = useStore((s) => s.selectHost);
  const openDialog = useStore((s) => s.openHostDialog);
  const label = useHostLabel();
  const summary = useHostSummary();
  const shown = useShownState();
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const selected = hosts.find((h) => h.id === current);
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const last = hosts.length - 1;
    const to =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (to === null) return;
    e.preventDefault();
    tabs.current[to]?.focus();
    void selectHost(hosts[to]!.id);
  };
  return (
    <nav className="hostbar" aria-label={t('hosts')} data-testid="host-switcher">
      <div className="host-tabs" role="tablist" aria-label={t('hosts')}>
        {hosts.map((h, i) => {
          const isCurrent = h.id === current;
          return (
            <button
              key={h.id}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              id={`host-tab-${h.id}`}
              role="tab"
              aria-selected={isCurrent}
              aria-controls="host-view"
              tabIndex={isCurrent ? 0 : -1}
              disabled={running && !isCurrent}
              className={`host-tab ${isCurrent ? 'current' : ''}`}
              onClick={() => void selectHost(h.id)}
              onKeyDown={(e) => onKeyDown(e, i)}
              title={[h.description, h.lastError ?? ''].filter(Boolean).join('\n')}
              data-testid="host-tab"
              data-host={h.id}
              data-state={shown(h)}
            >
              <span className={`conn-dot ${shown(h)}`} aria-hidden="true" />
              <span className="host-tab-text">
                <span className="host-tab-name" data-testid="host-name">
                  {label(h)}
                  {h.transport === 'local' && h.name !== null && <span className="muted"> · {t('thisComputer')}</span>}
                </span>
                <span className="host-tab-summary" data-testid="host-summary">
                  {summary(h)}
                </span>
              </span>
              {h.unfinished > 0 && <span className="badge amber small">{t('hostUnfinished')}</span>}
            </button>
          );
        })}
      </div>
      <ReadinessStrip />
      <button className="ghost" onClick={() => openDialog({ kind: 'add' })} data-testid="add-host">
        <span aria-hidden="true">+ </span>
        {t('addHost')}
      </button>
      {selected && selected.transport !== 'local' && (
        <div className="host-actions" role="group" aria-label={`${t('hostActions')}: ${label(selected)}`}>
          <button
            onClick={() => openDialog({ kind: 'edit', id: selected.id })}
            disabled={running}
            data-testid="edit-host"
          >
            {t('editHost')}
          </button>
          <button onClick={() => openDialog({ kind: 'prepare', id: selected.id })} data-testid="prepare-host">
            {t('prepareHost')}
          </button>
          <button
            onClick={() => openDialog({ kind: 'remove', id: selected.id })}
            disabled={running}
            data-testid="remove-host"
          >
            {t('removeHost')}
          </button>
        </div>
      )}
    </nav>
  );
}
