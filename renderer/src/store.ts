/** The app's store, on the real bridge (Electron's preload or the browser's HTTP client). Components select what they need. */
import { bridge } from './bridge';
import { createAppStore } from './create-app-store';

export type { Filter, HostDialog, Lost, StoreState } from './slices/types';

/** The store. */
export const useStore = createAppStore(bridge);

/** The translate function for the current language. */
export { translate } from '../../shared/i18n/messages';
