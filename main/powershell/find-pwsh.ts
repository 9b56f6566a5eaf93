/**
 * The one rule for finding PowerShell, first match wins:
 *   1. the app setting (or --pwsh): a path, or a bare command name looked up on PATH
 *   2. env DDA_PWSH (same forms)
 *   3. the project's own copy: <root>/.tools/pwsh/pwsh (pwsh.exe on Windows)
 *   4. pwsh on PATH (pwsh.exe on Windows)
 *   5. Windows only: Windows PowerShell 5.1, %SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe
 * A setting or DDA_PWSH that names something missing gives null rather than quietly using another
 * PowerShell: the user chose that one.
 * An installed (elevated) Windows build runs only installed engines (trustOnlyInstalledEngines): a
 * setting must be one of them (packaged-trust.ts trustedEngine), and rules 3 and 4 become PowerShell 7
 * where its installer puts it: a PATH a standard user can extend (HKCU) or a folder they can write must
 * not choose the code an administrator's app runs.
 */
import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { isLocalPath } from '../../shared/local-path';
import { installedEngines, trustedEngine, windowsPowerShellPath } from '../packaged-trust';
import { projectRoot as defaultProjectRoot } from '../project-root';

/** Which step of the rule chose the executable. */
export type PowerShellSource = 'setting' | 'env' | 'project' | 'path' | 'installed' | 'windows-powershell';

/** Inputs of the rule; everything but the setting has a default from this process. */
export interface FindPowerShellInput {
  setting?: string | null | undefined;
  env?: NodeJS.ProcessEnv;
  projectRoot?: string;
  platform?: NodeJS.Platform;
  /** Injectable for tests. */
  exists?: (path: string) => boolean;
  /** Only installed engines (tests; the app sets it once with trustOnlyInstalledEngines). */
  installedOnly?: boolean;
}

let installedOnly = false;
/** From now on, in this process, only installed engines are found (an installed, elevated Windows build). */
export function trustOnlyInstalledEngines(): void {
  installedOnly = true;
}

/** The executable to use and which rule chose it, or null when none exists. */
export function findPowerShell(input: FindPowerShellInput = {}): { path: string; source: PowerShellSource } | null {
  const { setting, env = process.env, platform = process.platform, exists = existsSync } = input;
  if (input.installedOnly ?? installedOnly) {
    if (setting) return trustedEngine(setting, env) && exists(setting) ? { path: setting, source: 'setting' } : null;
    const found = installedEngines(env).find((p) => exists(p));
    if (!found) return null;
    return {
      path: found,
      source: found === windowsPowerShellPath(env) ? 'windows-powershell' : 'installed',
    };
  }
  const root = input.projectRoot ?? defaultProjectRoot();
  const win = platform === 'win32';
  const path = win ? win32 : posix;
  const pathDirs = (env.PATH ?? env.Path ?? '').split(win ? ';' : ':').filter(Boolean);
  const onPath = (command: string) => pathDirs.map((dir) => path.join(dir, command)).find((p) => exists(p)) ?? null;
  /** A path as is; a bare name (no separator) on PATH. */
  // A UNC or device path is never used (opening one sends the admin's NTLM response to that server).
  const resolveChoice = (choice: string) =>
    !isLocalPath(choice) ? null : /[\\/]/.test(choice) ? (exists(choice) ? choice : null) : onPath(choice);

  if (setting) {
    const p = resolveChoice(setting);
    return p ? { path: p, source: 'setting' } : null;
  }
  if (env.DDA_PWSH) {
    const p = resolveChoice(env.DDA_PWSH);
    return p ? { path: p, source: 'env' } : null;
  }
  const exe = win ? 'pwsh.exe' : 'pwsh';
  const project = path.join(root, '.tools', 'pwsh', exe);
  if (exists(project)) return { path: project, source: 'project' };
  const fromPath = onPath(exe);
  if (fromPath) return { path: fromPath, source: 'path' };
  if (win) {
    const ps51 = windowsPowerShellPath(env);
    if (exists(ps51)) return { path: ps51, source: 'windows-powershell' };
  }
  return null;
}
