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

/** Whether a packaged Windows build may run this PowerShell: an absolute local path under Program Files or System32. */
export function trustedEngine(path: string, env: NodeJS.ProcessEnv): boolean {
  if (!isLocalPath(path) || !win32.isAbsolute(path) || !/^[A-Za-z]:\\/.test(path)) return false;
  const full = win32.normalize(path).toLowerCase();
  const roots = [
    env.ProgramFiles,
    env.ProgramW6432,
    env.SystemRoot ? win32.join(env.SystemRoot, 'System32') : undefined,
  ]
    .filter((r): r is string => !!r)
    .map((r) => win32.normalize(r).toLowerCase().replace(/\\+$/, '') + '\\');
  return roots.some((r) => full.startsWith(r));
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
