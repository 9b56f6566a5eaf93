/**
 * The Electron main process: single instance, a hardened window, IPC bound to the contract, one
 * PowerShell session per host (the local one, and each remote host opened on first use), all disposed
 * cleanly on quit. Electron stays here; everything else is plain Node.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, shell } from 'electron';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { EVENT_CHANNEL } from '../../shared/contract';
import { createApi, type ShellHooks } from '../api/create-api';
import { openLocalHostDataDir } from '../data-dir';
import { openHost } from '../host/host-connection';
import { createHostPool, type HostPool } from '../hosts/host-pool';
import {
  dropEnvOverrides,
  engineEnv,
  pinWindowsFolders,
  systemRootFromKernel,
  trustedEngine,
  windowsFolders,
  windowsPowerShellPath,
} from '../packaged-trust';
import { SettingsStore } from '../settings/settings-store';
import { screenEngineChange } from '../api/engine-setting';
import { createLog } from '../settings/log-file';
import { appMenuTemplate } from './app-menu';
import { confirmEngineChange } from './engine-dialog';
import { bindIpc } from './ipc';
import { safeStorageSecretStore } from './secret-store';
import { createMainWindow, hardenAllContents, registerAppScheme, serveRenderer } from './window';
import { trustOnlyInstalledEngines } from '../powershell/find-pwsh';

// A packaged (installed, elevated) build takes no DDA_* override from the environment: they could name
// code for it to run. Source checkouts and tests keep them.
const droppedOverrides = app.isPackaged ? dropEnvOverrides(process.env) : [];
// An installed Windows build also takes Windows' folders from the system, not from the environment the
// user's own processes can set, and runs only installed engines (never a pwsh from PATH or a folder a
// standard user can write).
const installedOnWindows = app.isPackaged && process.platform === 'win32';
const folders = installedOnWindows ? windowsFolders(systemRootFromKernel(), process.execPath, process.env) : null;
const pinnedFolders = folders ? pinWindowsFolders(process.env, folders) : [];
if (installedOnWindows) trustOnlyInstalledEngines();
// The bundle lives in dist/main; the scripts and simulator it runs live beside it in the app folder.
process.env.DDA_PROJECT_ROOT ??= app.isPackaged
  ? join(process.resourcesPath, 'app-files')
  : join(__dirname, '..', '..');

if (!app.requestSingleInstanceLock()) app.quit();
registerAppScheme();

let win: BrowserWindow | null = null;
let pool: HostPool | null = null;

/**
 * Relaunches elevated through UAC; the executable path travels as data in an environment variable. .NET's
 * own Process.Start with the runas verb, not Start-Process: a cmdlet is looked up on the module path, whose
 * first folder is the user's own, so a module planted there would decide what is elevated. A declined
 * prompt throws, and PowerShell exits with 1. (`::new()` is PowerShell 5.0's; this is always 5.1.)
 */
async function restartElevated(log: ReturnType<typeof createLog>): Promise<boolean> {
  if (process.platform !== 'win32') return false;
  const child = spawn(
    windowsPowerShellPath(process.env),
    [
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      "$i = [System.Diagnostics.ProcessStartInfo]::new($env:DDA_RELAUNCH_EXE); $i.Verb = 'runas'; $i.UseShellExecute = $true; [void][System.Diagnostics.Process]::Start($i)",
    ],
    {
      // engineEnv: no profiler or startup hook a user variable names loads into the PowerShell that elevates
      env: { ...engineEnv(process.env), DDA_RELAUNCH_EXE: process.execPath },
      windowsHide: true,
      stdio: 'ignore',
    },
  );
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  log('info', `restart as administrator: exit ${code}`);
  if (code === 0) setImmediate(() => app.quit());
  return code === 0;
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const log = createLog(join(userData, 'logs', 'dda-studio.log'));
  const settings = new SettingsStore(join(userData, 'settings.json'));
  const simulate = process.env.DDA_SIMULATE ?? settings.get().simulatorProfile;
  // settings.json is in the user's profile: a packaged build runs only an installed engine (trustedEngine).
  const chosen = settings.get().powershellPath;
  const pwsh = chosen && installedOnWindows && !trustedEngine(chosen, process.env) ? null : chosen;
  if (pwsh !== chosen) log('warn', `PowerShell setting ignored (not an installed PowerShell): ${chosen}`);
  if (droppedOverrides.length > 0)
    log('warn', `environment overrides ignored in the installed app: ${droppedOverrides.join(', ')}`);
  if (folders?.systemRootFrom === 'environment')
    log(
      'warn',
      "the Windows folder could not be read from the system (\\SystemRoot); the environment's SystemRoot is used",
    );
  if (pinnedFolders.length > 0)
    log('warn', `environment variables replaced by Windows' own folders: ${pinnedFolders.join(', ')}`);
  // The local host's own data is machine data (%LOCALAPPDATA%), apart from userData, which may roam.
  const localData =
    simulate || process.env.DDA_SIM_STATE ? null : openLocalHostDataDir(process.env, process.platform, userData);
  if (localData?.copied.length)
    log('info', `local host data copied from the roaming folder to ${localData.dir}: ${localData.copied.join(', ')}`);
  if (localData?.error) log('warn', localData.error);
  const host = openHost({
    simulate: simulate ?? null,
    simState: process.env.DDA_SIM_STATE ?? null,
    pwsh,
    dataDir: localData?.dir ?? null,
  });
  // Remote hosts: hosts.json and their data folders in the data folder the CLI shares (userData, or
  // DDA_DATA_DIR); passwords encrypted by the OS (safeStorage) in userData/secrets, or in memory only
  // where it cannot encrypt (the store says so).
  const secrets = safeStorageSecretStore(userData, safeStorage);
  pool = createHostPool(host, { dataDir: process.env.DDA_DATA_DIR ?? userData, secrets, pwsh });
  log(
    'info',
    `started; PowerShell ${host.powershell.path} (${host.powershell.source}); simulated=${host.simulated}; passwords: ${pool.passwordStore === 'os' ? 'OS credential store' : 'memory only'}`,
  );
  const hooks: ShellHooks = {
    mode: 'electron',
    getSettings: () => settings.settings(),
    // The page may ask for another engine; only the main process's own dialog changes it.
    setSettings: (patch) =>
      settings.update(
        screenEngineChange(patch, {
          current: settings.get().powershellPath,
          allowed: (p) => !installedOnWindows || trustedEngine(p, process.env),
          confirm: (p) => confirmEngineChange(win, p),
        }),
      ) && settings.settings(),
    canRestartElevated: process.platform === 'win32' && !host.simulated,
    restartElevated: () => restartElevated(log),
  };
  const { api, events } = createApi(pool, hooks);
  bindIpc(ipcMain, api, () => win?.webContents ?? null);
  events.subscribe((e) => win?.webContents.send(EVENT_CHANNEL, e));
  hardenAllContents();
  serveRenderer(join(__dirname, '..', 'renderer'));
  win = createMainWindow(join(__dirname, 'preload.cjs'), settings.get().windowBounds);
  win.on('close', () => {
    if (win) settings.update({ windowBounds: win.getBounds() });
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(events, {
        reload: () => win?.webContents.reload(),
        openLogFolder: () => void shell.openPath(join(userData, 'logs')),
        about: () =>
          void dialog.showMessageBox({
            message: `DDA Studio ${app.getVersion()}`,
            detail: 'Hyper-V Discrete Device Assignment, planned and reversible.',
          }),
      }),
    ),
  );
}

app.on('second-instance', () => {
  if (win?.isMinimized()) win.restore();
  win?.focus();
});
app.on('window-all-closed', () => app.quit());
let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !pool) return;
  // Dispose every host's PowerShell session before the process goes: no orphaned pwsh.
  event.preventDefault();
  quitting = true;
  void pool.dispose().finally(() => app.quit());
});
void app.whenReady().then(start);
