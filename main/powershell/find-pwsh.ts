/**
 * The one rule for finding PowerShell: the app setting (or --pwsh) > DDA_PWSH > the project's own
 * .tools/pwsh > pwsh on PATH > Windows PowerShell 5.1 on Windows.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type PowerShellSource = 'setting' | 'env' | 'project' | 'path' | 'windows-powershell';

export interface FindPowerShellInput {
  setting?: string | null | undefined;
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  platform: NodeJS.Platform;
  /** Injectable for tests. */
  exists?: (path: string) => boolean;
}

/** The executable to use and which rule chose it, or null when none exists. */
export function findPowerShell(input: FindPowerShellInput): { path: string; source: PowerShellSource } | null {
  const exists = input.exists ?? existsSync;
  const win = input.platform === 'win32';
  if (input.setting) return exists(input.setting) ? { path: input.setting, source: 'setting' } : null;
  const fromEnv = input.env.DDA_PWSH;
  if (fromEnv) return exists(fromEnv) ? { path: fromEnv, source: 'env' } : null;
  const project = join(input.projectRoot, '.tools', 'pwsh', win ? 'pwsh.exe' : 'pwsh');
  if (exists(project)) return { path: project, source: 'project' };
  const dirs = (input.env.PATH ?? input.env.Path ?? '').split(win ? ';' : delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, win ? 'pwsh.exe' : 'pwsh');
    if (exists(candidate)) return { path: candidate, source: 'path' };
  }
  if (win) {
    const root = input.env.SystemRoot ?? 'C:\\Windows';
    const ps51 = join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
    if (exists(ps51)) return { path: ps51, source: 'windows-powershell' };
  }
  return null;
}
