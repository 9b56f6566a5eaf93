/** The main window: readiness strip, devices, VM cards, orphans, activity, and the plan dialog. */
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { useEffect, useMemo } from 'react';
import type { Language } from '../../../shared/contract';
import { dropTargetCollision, overVmId, vmUnder } from '../drop-collision';
import { assignIntent, dropVerdict } from '../drop-rules';
import { setDraggedDevice } from '../drag-verdicts';
import { cardKeyboardCoordinates, dragAnnouncements, trackKeyboardDrag } from '../keyboard-drag';
import { useStore } from '../store';
import { useT } from '../i18n';
import { ActivityPanel } from './activity-panel';
import { Banners } from './banners';
import { DetailsDrawer } from './details-drawer';
import { DevicesPane } from './devices-pane';
import { DragLayer } from './drag-preview';
import { HostDialog } from './host-dialog';
import { HelpMenu } from './help-menu';
import { HostSwitcher, useHostLabel } from './host-switcher';
import { PlanDialog } from './plan-dialog';
import { PrepareDialog, RemoveHostDialog } from './prepare-dialog';
import { VmsPane } from './vms-pane';

function useTheme() {
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    const apply = () => {
      const dark =
        theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    apply();
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', apply);
    return () => mq.removeEventListener('change', apply);
  }, [theme]);
}

/**
 * Scrolling a pane near its edge during a drag, without dnd-kit's layout-shift compensation: the dragged
 * row does not move when a drag starts (a drag overlay follows the pointer), so measuring it again after
 * the first render is layout work with nothing to correct.
 */
const AUTO_SCROLL = { layoutShiftCompensation: false } as const;

export function App() {
  const { t, tf } = useT();
  const host = useStore((s) => s.host);
  const current = useStore((s) => s.hosts.find((h) => h.id === s.host));
  const hostLabel = useHostLabel();
  const inventory = useStore((s) => s.inventory);
  const loading = useStore((s) => s.loading);
  const language = useStore((s) => s.language);
  const theme = useStore((s) => s.theme);
  const setLanguage = useStore((s) => s.setLanguage);
  const setTheme = useStore((s) => s.setTheme);
  const load = useStore((s) => s.loadInventory);
  const openPlan = useStore((s) => s.openPlan);
  const setDropRefusal = useStore((s) => s.setDropRefusal);
  const reconnectNow = useStore((s) => s.reconnectNow);
  // Lost: what is on screen is only what was read before; nothing on it can be dragged or acted on.
  const stale = useStore((s) => s.lost !== null);
  useTheme();
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  // The keyboard moves a dragged device from one VM card to the next; announcements name the device, the VM and the verdict.
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: cardKeyboardCoordinates, scrollBehavior: 'instant' }),
  );
  const accessibility = useMemo(
    () => ({
      announcements: dragAnnouncements(
        () => useStore.getState().inventory,
        () => useStore.getState().language,
      ),
      screenReaderInstructions: { draggable: t('dragInstructions') },
    }),
    [language],
  );
  const noSensors = useSensors();
  const onDragStart = (e: DragStartEvent) => {
    if (useStore.getState().dropRefusal) setDropRefusal(null);
    const data = e.active.data.current as { path?: string; fromVm?: string } | undefined;
    setDraggedDevice(inventory, data?.path ?? null, data?.fromVm ?? null);
    trackKeyboardDrag(e.activatorEvent, true);
  };
  // Only a keyboard drag's target is kept (the VM grid mounts the cards its next arrow reaches); a pointer
  // drag changes no state here.
  const onDragOver = (e: DragOverEvent) => trackKeyboardDrag(e.activatorEvent, true, overVmId(e.over?.data.current));
  const endDrag = () => {
    setDraggedDevice(null, null);
    trackKeyboardDrag(null, false);
  };
  // `over` is the card under the pointer (or, for the keyboard, under the moved item's centre), or none.
  const onDragEnd = (e: DragEndEvent) => {
    endDrag();
    const path = (e.active.data.current as { path?: string } | undefined)?.path;
    if (!path || !inventory || useStore.getState().lost) return;
    const device = inventory.devices.find((d) => d.locationPath === path);
    // The card under the pointer, by its VM's Id (two VMs may share a name).
    const vm = vmUnder(inventory, e.over?.data.current);
    if (!device || !vm) return;
    const verdict = dropVerdict(inventory, device, vm);
    if (!verdict.allowed) return setDropRefusal({ vm: vm.name, device: device.friendlyName, reason: verdict.reason });
    void openPlan(assignIntent(inventory, device, vm.name));
  };
  return (
    <DndContext
      sensors={stale ? noSensors : sensors}
      collisionDetection={dropTargetCollision}
      autoScroll={AUTO_SCROLL}
      accessibility={accessibility}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={endDrag}
    >
      <div className="app">
        <header className="top">
          <h1>{t('appName')}</h1>
          <HostSwitcher />
          <div className="controls">
            <button
              onClick={() => void (stale ? reconnectNow() : load(true))}
              disabled={loading}
              aria-busy={loading}
              data-testid="refresh"
            >
              {t('refresh')}
            </button>
            <label>
              <span className="sr-only">{t('language')}</span>
              <select
                aria-label={t('language')}
                value={language}
                onChange={(e) => setLanguage(e.target.value as Language)}
                data-testid="language"
              >
                <option value="en">English</option>
                <option value="zh-CN">简体中文</option>
              </select>
            </label>
            <label>
              <span className="sr-only">{t('theme')}</span>
              <select
                aria-label={t('theme')}
                value={theme}
                onChange={(e) => setTheme(e.target.value as 'system' | 'light' | 'dark')}
                data-testid="theme"
              >
                <option value="system">{t('themeSystem')}</option>
                <option value="light">{t('themeLight')}</option>
                <option value="dark">{t('themeDark')}</option>
              </select>
            </label>
            <HelpMenu />
          </div>
        </header>
        <div
          className="host-view"
          id="host-view"
          role="tabpanel"
          aria-labelledby={`host-tab-${host}`}
          data-testid="host-view"
          data-host={host}
        >
          <Banners />
          {!inventory && loading && (
            <div className="loading" role="status" aria-live="polite">
              <span className="spinner" aria-hidden="true" />{' '}
              {current && current.transport !== 'local'
                ? tf('connectingTo', { name: hostLabel(current) })
                : t('loading')}
            </div>
          )}
          {inventory && (
            <main className={`main ${stale ? 'stale' : ''}`} data-testid="main" data-stale={stale || undefined}>
              {/* A disabled fieldset disables every control of the stale data at once; the text stays readable. */}
              <fieldset className="main-fields" disabled={stale}>
                <DevicesPane />
                <VmsPane inventory={inventory} />
              </fieldset>
              <DetailsDrawer />
            </main>
          )}
          <ActivityPanel />
        </div>
        <DragLayer />
        <PlanDialog />
        <HostDialog />
        <PrepareDialog />
        <RemoveHostDialog />
      </div>
    </DndContext>
  );
}
