/**
 * The PowerShell engine setting (issue 14, item 2). The engine is the program the elevated app runs for
 * everything, so changing it is the main process's decision, never the page's: the page may only ask
 * (setSettings with powershellPath). In Electron the main process asks the admin itself, with a native
 * dialog naming the executable (main/electron/engine-dialog.ts), and an installed Windows build refuses
 * an engine outside Program Files or System32 without asking. In browser mode the page never changes it:
 * the server keeps the engine it was started with (--pwsh).
 */
import type { Settings } from '../../shared/contract';
import { memoryShellHooks, type ShellHooks } from './create-api';

export interface EngineDecision {
  /** The engine set now (null: found by the documented rule). */
  current: string | null;
  /** Whether this build may run this engine at all. */
  allowed(path: string): boolean;
  /** The admin's answer to the main process's own question (the page has no part in it). */
  confirm(path: string | null): boolean;
}

/** The settings patch that may take effect: an engine change only when allowed and confirmed here. */
export function screenEngineChange<T extends Partial<Settings>>(patch: T, decision: EngineDecision): T {
  const next = patch.powershellPath;
  if (next === undefined || next === decision.current) return patch;
  const { powershellPath: _refused, ...rest } = patch;
  if (next !== null && !decision.allowed(next)) return rest as T;
  return decision.confirm(next) ? patch : (rest as T);
}

/** Settings for browser mode: kept in memory, and the page cannot change the engine at all. */
export function browserShellHooks(): ShellHooks {
  const hooks = memoryShellHooks('browser');
  return {
    ...hooks,
    setSettings: (patch) =>
      hooks.setSettings(
        screenEngineChange(patch, {
          current: hooks.getSettings().powershellPath,
          allowed: () => false,
          confirm: () => false,
        }),
      ),
  };
}
