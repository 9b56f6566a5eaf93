/**
 * What a packaged (installed, elevated) build takes from places a standard user can write: nothing that
 * names code to run. The environment's DDA_* overrides (project root, engine, simulator, data folder)
 * are for source checkouts and tests; the engine must sit in a folder only administrators can change;
 * system tools are started by their full path, never looked up on PATH.
 */
import { win32 } from 'node:path';
import { isLocalPath } from '../shared/local-path';

/** Removes every DDA_* variable from `env` (a packaged build); returns the names it removed. */
export function dropEnvOverrides(env: NodeJS.ProcessEnv): string[] {
  const names = Object.keys(env).filter((k) => k.toUpperCase().startsWith('DDA_'));
  for (const k of names) delete env[k];
  return names;
}

/**
 * Whether a packaged Windows build may run this PowerShell: Windows PowerShell 5.1 in System32, or a
 * PowerShell 7 installed where its installer puts it (Program Files\PowerShell\<version>\pwsh.exe), by
 * exact path. Not anything else under System32 or Program Files: a standard user may write to some
 * folders there (System32\spool\drivers\color, System32\Tasks...).
 */
export function trustedEngine(path: string, env: NodeJS.ProcessEnv): boolean {
  if (!isLocalPath(path) || !win32.isAbsolute(path) || !/^[A-Za-z]:\\/.test(path)) return false;
  const full = win32.normalize(path).toLowerCase();
  if (full === windowsPowerShellPath(env).toLowerCase()) return true;
  // Program Files\PowerShell\<one folder: the version>\pwsh.exe
  return [env.ProgramFiles, env.ProgramW6432].some((root) => {
    const dir = root ? win32.normalize(root).toLowerCase().replace(/\\+$/, '') + '\\powershell\\' : null;
    return dir !== null && full.startsWith(dir) && /^[^\\]+\\pwsh\.exe$/.test(full.slice(dir.length));
  });
}

/** The engines a packaged build looks for itself, in order: PowerShell 7, then 5.1. */
export function installedEngines(env: NodeJS.ProcessEnv): string[] {
  return [
    ...[env.ProgramFiles, env.ProgramW6432]
      .filter((r): r is string => !!r)
      .map((r) => win32.join(r, 'PowerShell', '7', 'pwsh.exe')),
    windowsPowerShellPath(env),
  ].map((p) => win32.normalize(p));
}

/**
 * The environment an engine starts with: this process's, without the variables that make a .NET runtime
 * or PowerShell load or restrict code on their own (a profiler DLL, startup hooks, a forced language
 * mode or execution policy). A standard user can set them for their own processes (HKCU\Environment),
 * and an elevated app would pass them on.
 */
export function engineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    const u = k.toUpperCase();
    if (/^(COR_|CORECLR_|COMPLUS_)/.test(u)) continue;
    if (
      ['DOTNET_STARTUP_HOOKS', 'DOTNET_ADDITIONAL_DEPS', '__PSLOCKDOWNPOLICY', 'PSEXECUTIONPOLICYPREFERENCE'].includes(
        u,
      )
    )
      continue;
    out[k] = v;
  }
  return out;
}

/** Windows PowerShell 5.1 by its full path (for the elevation relaunch), never powershell.exe from PATH. */
export function windowsPowerShellPath(env: NodeJS.ProcessEnv): string {
  return win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

let sshPath: string | undefined;

/**
 * The ssh client SSH remoting runs, by its full path in a folder only administrators can change:
 * Windows' own OpenSSH client (System32\OpenSSH\ssh.exe), /usr/bin/ssh elsewhere; never an `ssh` found
 * on PATH. PowerShell starts the `ssh` its command discovery finds, so use-remote.ps1 gives that
 * process this folder alone as PATH and checks what it finds. Resolved once per process (the
 * arguments are for tests); when the file is missing, SSH connections say so instead of looking elsewhere.
 */
export function sshClientPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  fresh = false,
): string {
  if (sshPath !== undefined && !fresh) return sshPath;
  const path =
    platform === 'win32'
      ? win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'OpenSSH', 'ssh.exe')
      : '/usr/bin/ssh';
  return fresh ? path : (sshPath = path);
}
