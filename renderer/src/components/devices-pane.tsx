/** The devices pane: filters, search, and the devices grouped by card in a virtual list (device-list.tsx). */
import { memo, useMemo, useState } from 'react';
import { groupByCard } from '../device-groups';
import { deviceView } from '../device-search';
import { useStore, type Filter } from '../store';
import { useT } from '../i18n';
import { DeviceList } from './device-list';

/** Memoized: the window renders again for its own state (loading, hosts), the pane only for its own. */
export const DevicesPane = memo(function DevicesPane() {
  const { t, tf } = useT();
  const inventory = useStore((s) => s.inventory);
  const filter = useStore((s) => s.filter);
  const search = useStore((s) => s.search);
  const setFilter = useStore((s) => s.setFilter);
  const setSearch = useStore((s) => s.setSearch);
  const showBridges = useStore((s) => s.showBridges);
  const setShowBridges = useStore((s) => s.setShowBridges);
  const view = useMemo(
    () => deviceView(inventory?.devices ?? [], filter, search, showBridges),
    [inventory, filter, search, showBridges],
  );
  const groups = useMemo(() => groupByCard(view.shown), [view]);
  // The pane scrolls the list; held as state so that the list renders again once it is there.
  const [pane, setPane] = useState<HTMLElement | null>(null);
  const filters: Array<[Filter, string]> = [
    ['all', t('filterAll')],
    ['assignable', t('filterAssignable')],
    ['force', t('filterForce')],
    ['not', t('filterNot')],
    ['assigned', t('filterAssigned')],
  ];
  return (
    <section className="pane devices-pane" aria-labelledby="devices-title" ref={setPane}>
      <div className="pane-head">
        <h2 id="devices-title" title={t('dragHint')}>
          {t('devices')}
        </h2>
        <input
          type="search"
          placeholder={t('searchHint')}
          aria-label={t('search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="device-search"
        />
      </div>
      <div className="filters" role="radiogroup" aria-label={t('filter')}>
        {filters.map(([f, label]) => (
          <button
            key={f}
            role="radio"
            aria-checked={filter === f}
            className={filter === f ? 'chip-filter on' : 'chip-filter'}
            onClick={() => setFilter(f)}
            data-testid="filter-chip"
            data-filter={f}
            data-count={view.counts[f]}
          >
            {label} <span className="chip-count">{view.counts[f]}</span>
          </button>
        ))}
        <label className="bridges-toggle">
          <input
            type="checkbox"
            checked={showBridges}
            onChange={(e) => setShowBridges(e.target.checked)}
            data-testid="show-bridges"
          />{' '}
          {t('showBridges')}
          {view.hiddenBridges > 0 && <span className="muted"> ({view.hiddenBridges})</span>}
        </label>
      </div>
      {groups.length === 0 && (
        <div className="empty-state muted" role="status" data-testid="no-devices">
          {search.trim() ? tf('noDeviceMatches', { search: search.trim() }) : t('noDevicesInFilter')}{' '}
          {(search.trim() || filter !== 'all') && (
            <button className="ghost" onClick={() => (setSearch(''), setFilter('all'))} data-testid="clear-search">
              {t('clearSearch')}
            </button>
          )}
        </div>
      )}
      <DeviceList groups={groups} scroller={pane} />
    </section>
  );
});
