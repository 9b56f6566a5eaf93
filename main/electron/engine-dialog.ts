/**
 * The main process's own question before the PowerShell engine changes (main/settings/engine-setting.ts):
 * a native dialog, modal to the window, that names the executable; Cancel is the default. The page can
 * ask for a change but only this answer makes it.
 */
import { dialog, type BrowserWindow } from 'electron';

export function confirmEngineChange(win: BrowserWindow | null, path: string | null): boolean {
  const options = {
    type: 'warning' as const,
    buttons: ['Cancel', 'Use this PowerShell'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    title: 'DDA Studio',
    message: path ? 'Run DDA Studio with another PowerShell?' : 'Go back to the PowerShell DDA Studio finds itself?',
    detail: path
      ? `From the next start DDA Studio runs every host command, with its administrator rights, through:\n\n${path}\n\nChoose it only if you installed this program yourself.`
      : 'From the next start DDA Studio uses PowerShell 7 (pwsh) as it finds it, or Windows PowerShell.',
  };
  return (win ? dialog.showMessageBoxSync(win, options) : dialog.showMessageBoxSync(options)) === 1;
}
