/**
 * Opens a host: finds PowerShell, starts the one session with the right start-up scripts (the
 * simulator first when simulating, then our host functions), and says where this host's data lives.
 * Used by the CLI, the browser-mode server, the Electron shell, tests and benchmarks alike.
 */
import { join } from 'node:path';
import { findPowerShell } from '../powershell/find-pwsh';
import { PowerShellSession } from '../powershell/session';
import type { ScriptRunner } from '../powershell/session-types';
import { projectRoot } from '../project-root';
import { createSimState, simulatorModulePath } from '../simulator/profiles';
import { defaultDataDir, simulatedDataDir } from './data-dir';
import { fileMeasurementStore, type MeasurementStore } from './measurement-store';

export interface HostConnectionOptions {
  /** A simulator profile name or file; omitted = the real host. */
  simulate?: string | null;
  /** The simulator state file to use (created from the profile on first use). */
  simState?: string | null;
  /** An explicit PowerShell executable (the app setting or --pwsh). */
  pwsh?: string | null;
  /** Overrides the data folder. */
  dataDir?: string | null;
  defaultTimeoutMs?: number;
  /** More script folders (tests and benchmarks bring their own probes). */
  extraScriptDirs?: string[];
}

/** An open host: its session, data folder and remembered measurements. */
export interface HostConnection {
  session: PowerShellSession;
  runner: ScriptRunner;
  simulated: boolean;
  /** The simulator state file, when simulated. */
  simState: string | null;
  dataDir: string;
  measurements: MeasurementStore;
  powershell: { path: string; source: string };
  close(): Promise<void>;
}

/** Raised when no PowerShell can be found by the documented rule. */
export class PowerShellMissingError extends Error {}

/** The folder of our product scripts. */
export function scriptsDir(): string {
  return join(projectRoot(), 'main', 'powershell', 'scripts');
}

/** Opens a host connection; the session starts lazily on the first call. */
export function openHost(options: HostConnectionOptions = {}): HostConnection {
  const found = findPowerShell({ setting: options.pwsh ?? undefined, env: process.env, projectRoot: projectRoot(), platform: process.platform });
  if (!found) {
    throw new PowerShellMissingError(
      'PowerShell was not found: install PowerShell 7 (pwsh), set DDA_PWSH, or choose the executable in Settings.',
    );
  }
  const simulated = !!options.simulate || !!options.simState;
  const simState = simulated ? createSimState(options.simulate ?? null, options.simState ?? undefined) : null;
  const env: Record<string, string> = simState ? { DDA_SIM_STATE: simState } : {};
  const startup = [
    ...(simState ? [{ script: 'use-simulator', params: { ModulePath: simulatorModulePath() } }] : []),
    { script: 'host-functions', params: {} },
  ];
  const session = new PowerShellSession({
    executable: found.path,
    scriptDirs: [scriptsDir(), ...(options.extraScriptDirs ?? [])],
    env,
    startup,
    ...(options.defaultTimeoutMs ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
  });
  const dataDir = options.dataDir ?? (simState ? simulatedDataDir(simState) : defaultDataDir());
  return {
    session,
    runner: session,
    simulated,
    simState,
    dataDir,
    measurements: fileMeasurementStore(join(dataDir, 'measurements.json')),
    powershell: { path: found.path, source: found.source },
    close: () => session.dispose(),
  };
}
