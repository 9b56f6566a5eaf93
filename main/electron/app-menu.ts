/**
 * The application menu, as a template Electron's Menu.buildFromTemplate takes. "Export activity log"
 * asks the window (the contract's `export-activity-requested` event): the window exports the host it
 * shows through the same path as its own Export button, so the menu never picks a host itself.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { EventSink } from '../api/api-types';

export interface AppMenuActions {
  /** Reloads the window. */
  reload(): void;
  /** Opens the folder of the app's log file. */
  openLogFolder(): void;
  /** Shows the About box. */
  about(): void;
}

export function appMenuTemplate(
  events: Pick<EventSink, 'emit'>,
  actions: AppMenuActions,
): MenuItemConstructorOptions[] {
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Refresh', accelerator: 'F5', click: () => actions.reload() },
        { label: 'Export activity log…', click: () => events.emit({ type: 'export-activity-requested' }) },
        { label: 'Open log folder', click: () => actions.openLogFolder() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { label: 'Help', submenu: [{ label: 'About DDA Studio', click: () => actions.about() }] },
  ];
}
