/** The UI slice: language, theme, filter and search, selection, pushed events, and start-up. */
import type { StateCreator } from 'zustand';
import type { DdaBridge } from '../../../shared/bridge';
import { languageFor } from '../../../shared/i18n/messages';
import { mergeActivity, pushActivity } from './transitions';
import type { DataOf, SaveFile, StoreState, UiSlice } from './types';

export const initialUiState = (): DataOf<UiSlice> => ({
  appInfo: null,
  language: languageFor(typeof navigator === 'undefined' ? 'en' : navigator.language),
  theme: 'system',
  filter: 'all',
  search: '',
  showBridges: false,
  selected: null,
  dropRefusal: null,
});

export const uiSlice =
  (bridge: DdaBridge, save: SaveFile): StateCreator<StoreState, [], [], UiSlice> =>
  (set, get) => {
    // Coalesces bursts of hosts-changed (connecting, connected, readiness) into one re-read; a change
    // that arrives while it runs may not be in its answer, so it asks for one more.
    let hostsReload: Promise<void> | null = null;
    let hostsChangedAgain = false;
    const reloadHosts = () => {
      hostsChangedAgain = !!hostsReload;
      hostsReload ??= Promise.resolve().then(async () => {
        try {
          do {
            hostsChangedAgain = false;
            await get().loadHosts();
          } while (hostsChangedAgain);
        } finally {
          hostsReload = null;
        }
      });
    };
    return {
      ...initialUiState(),
      setDropRefusal: (dropRefusal) => set({ dropRefusal }),
      setLanguage(language) {
        set({ language });
        void bridge.setSettings({ language });
      },
      setTheme(theme) {
        set({ theme });
        void bridge.setSettings({ theme });
      },
      setFilter: (filter) => set({ filter }),
      setSearch: (search) => set({ search }),
      setShowBridges: (showBridges) => set({ showBridges }),
      select: (selected) => set({ selected }),
      handleEvent(e) {
        const host = get().host;
        if (e.type === 'operation-progress' && e.host === get().planHost && get().plan?.id === e.planId)
          set({ progress: { ...get().progress, [e.step.stepId]: e.step } });
        if (e.type === 'activity' && e.entry.host === host) set({ activity: pushActivity(get().activity, e.entry) });
        if (e.type === 'inventory-changed' && e.host === host && get().inventory?.readAt !== e.readAt && !get().loading)
          void get().loadInventory(false);
        if (e.type === 'hosts-changed') reloadHosts();
        // An operation was journaled on a host (by another process, or one of this app's that ended): its
        // interrupted-operation badge, and for the host on screen the running or interrupted operations
        // (its inventory-changed event follows from the main side's read).
        if (e.type === 'operations-changed') {
          reloadHosts();
          if (e.host === host) void get().refreshUnfinished();
        }
        // The selected host's PowerShell (local, or over SSH or WinRM) ended and could not start again.
        if (e.type === 'session-status' && e.host === host && e.status === 'failed')
          get().markLost('host', { code: 'session', message: e.detail ?? '' });
        // The app menu's "Export activity log" (Electron): the host on screen, exported as the button does.
        if (e.type === 'export-activity-requested') void get().exportActivity();
      },
      async exportActivity() {
        const r = await bridge.exportActivity({ host: get().host });
        if (r.ok) save(r.value.fileName, r.value.text);
      },
      async init() {
        const host = get().host;
        // The inventory (the page's biggest answer) is asked for at once, beside the rest, and shown after
        // them: in the language the settings say.
        const inventory = bridge.getInventory({ host, refresh: false });
        const [info, settings, activity, unfinished] = await Promise.all([
          bridge.getAppInfo({}),
          bridge.getSettings({}),
          bridge.getActivity({ host }),
          bridge.getUnfinished({ host }),
          get().loadHosts(),
        ]);
        if (info.ok)
          set({
            appInfo: info.value,
            language:
              settings.ok && settings.value.language ? settings.value.language : languageFor(info.value.osLocale),
          });
        if (settings.ok) set({ theme: settings.value.theme });
        if (activity.ok) set({ activity: mergeActivity(get().activity, activity.value) });
        if (unfinished.ok) set({ unfinished: unfinished.value });
        // The hosts' list may have sent the page back to the local host meanwhile: then that host's own.
        await get().loadInventory(false, get().host === host ? inventory : undefined);
      },
    };
  };
