/**
 * What a packaged (installed, elevated) build takes from places a standard user can write: nothing that
 * names code to run. The environment's DDA_* overrides (project root, engine, simulator, data folder)
 * are for source checkouts and tests; the engine must sit in a folder only administrators can change;
 * system tools are started by their full path, never looked up on PATH.
 */
import { realpathSync } from 'node:fs';
import { win32 } from 'node:path';
import { isLocalPath } from '../shared/local-path';

/** Removes every DDA_* variable from `env` (a packaged build); returns the names it removed. */
export function dropEnvOverrides(env: NodeJS.ProcessEnv): string[] {
  const names = Object.keys(env).filter((k) => k.toUpperCase().startsWith('DDA_'));
  for (const k of names) delete env[k];
  return names;
}

/** Windows' own folders, as a packaged build uses them. */
export interface WindowsFolders {
  systemRoot: string;
  programFiles: string;
  /** Where systemRoot came from: the kernel's \SystemRoot link, or (where that cannot be read) the environment. */
  systemRootFrom: 'kernel' | 'environment';
}

/**
 * The Windows folder as the kernel names it: the object manager's \SystemRoot link, opened as
 * \\?\GLOBALROOT\SystemRoot and resolved to its drive path (libuv: CreateFileW, then
 * GetFinalPathNameByHandleW). No environment variable takes part. Not run here (no Windows): that the
 * link opens this way is a labelled guess, and null (the caller's fallback) when it does not.
 */
export function systemRootFromKernel(realpath: (p: string) => string = realpathSync.native): string | null {
  try {
    const p = realpath('\\\\?\\GLOBALROOT\\SystemRoot').replace(/^\\\\\?\\/, '');
    return /^[A-Za-z]:\\[^\\]+$/.test(p) ? p : null;
  } catch {
    return null;
  }
}

/**
 * Windows' folders read where a user's environment does not reach. A user may define SystemRoot, windir
 * or ProgramFiles in HKCU\Environment (`windir` is known to win over the system's value, from the
 * published UAC bypasses that set it; for the others a labelled guess), and an elevated app inherits the
 * user's environment: trusted roots taken from it would let the admin's unelevated processes pick the
 * engine the elevated app runs and the modules it loads.
 * - The system root: the kernel's (systemRootFromKernel); where that cannot be read, the environment's,
 *   as before (nobody can make the read fail on a machine where it works).
 * - Program Files: the folder the installer put this app in (`<Program Files>\DDA Studio\DDA Studio.exe`:
 *   the per-machine installer takes it from the system, and only administrators can write there).
 */
export function windowsFolders(kernelRoot: string | null, execPath: string, env: NodeJS.ProcessEnv): WindowsFolders {
  const systemRoot = kernelRoot ?? windowsDir(env);
  const installedIn = win32.dirname(win32.dirname(win32.normalize(execPath)));
  return {
    systemRoot,
    // An install elsewhere (the installer's /D= switch) says nothing of Program Files: the system drive's.
    programFiles: /^[A-Za-z]:\\Program Files$/i.test(installedIn)
      ? installedIn
      : win32.join(systemRoot.slice(0, 3), 'Program Files'),
    systemRootFrom: kernelRoot ? 'kernel' : 'environment',
  };
}

/**
 * Sets the variables that name Windows' folders in `env` to `folders` (every spelling of each name:
 * Windows' names have no case), so this process and every engine it starts use the true folders.
 * Returns the names whose value was another folder (or missing).
 */
export function pinWindowsFolders(env: NodeJS.ProcessEnv, folders: WindowsFolders): string[] {
  // A system root that came from the environment itself is left as the environment has it: pinning it
  // would spread one variable's value over the other (windir may be the true one).
  const want: Record<string, string> = {
    ...(folders.systemRootFrom === 'kernel' ? { SystemRoot: folders.systemRoot, windir: folders.systemRoot } : {}),
    ProgramFiles: folders.programFiles,
    ProgramW6432: folders.programFiles,
  };
  const changed: string[] = [];
  for (const [name, value] of Object.entries(want)) {
    const spellings = Object.keys(env).filter((k) => k.toUpperCase() === name.toUpperCase());
    // The same folder in another case is the same folder (Windows sets SystemRoot as C:\WINDOWS).
    if (spellings.length === 1 && env[spellings[0]!]?.toLowerCase() === value.toLowerCase()) continue;
    changed.push(name);
    for (const k of spellings) delete env[k];
    env[name] = value;
  }
  return changed;
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

/** The Windows folder as the environment names it (a packaged build pinned it: pinWindowsFolders). */
function windowsDir(env: NodeJS.ProcessEnv): string {
  return env.SystemRoot ?? env.windir ?? 'C:\\Windows';
}

/** A file in System32, by its full path: system tools are never looked up on PATH. */
export function system32File(env: NodeJS.ProcessEnv, ...parts: string[]): string {
  return win32.join(windowsDir(env), 'System32', ...parts);
}

/** Windows PowerShell 5.1 by its full path (for the elevation relaunch), never powershell.exe from PATH. */
export function windowsPowerShellPath(env: NodeJS.ProcessEnv): string {
  return system32File(env, 'WindowsPowerShell', 'v1.0', 'powershell.exe');
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
  const path = platform === 'win32' ? system32File(env, 'OpenSSH', 'ssh.exe') : '/usr/bin/ssh';
  return fresh ? path : (sshPath = path);
}
