/**
 * Opens a host: finds PowerShell, starts the one session with the right start-up scripts (the
 * simulator first when simulating, then our host functions), and says where this host's data lives.
 * Used by the CLI, the browser-mode server, the Electron shell, tests and benchmarks alike. This machine
 * (or its simulated twin) opens here; a remote host opens through `main/hosts/remote-connection.ts`,
 * beside the pool, on the same openSessionHost.
 */
import { join } from 'node:path';
import { findPowerShell } from '../powershell/find-pwsh';
import { PowerShellSession, type PowerShellSessionOptions } from '../powershell/session';
import type { ScriptRunner } from '../powershell/session-types';
import { LOCAL_HOST_ID, type RemoteTarget } from '../../shared/hosts';
import { projectRoot } from '../project-root';
import { createSimState, simulatorModulePath } from '../simulator/profiles';
import { localDataNotices, openLocalHostDataDir, simulatedDataDir } from '../data-dir';
import type { executePlan } from './executor';
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
  /** 'local', or the remote host's id. */
  hostId: string;
  /** The remote target, or null for this machine. */
  remote: RemoteTarget | null;
  session: PowerShellSession;
  runner: ScriptRunner;
  simulated: boolean;
  /** The simulator state file, when simulated. */
  simState: string | null;
  dataDir: string;
  measurements: MeasurementStore;
  powershell: { path: string; source: string };
  /** How a plan runs on this host when not step by step here: whole, on a JEA endpoint (hosts/jea-module-run.ts). */
  executePlan?: typeof executePlan;
  /**
   * What opening it did that the admin should hear of, for the opener to show (the CLI on stderr, the
   * server in its log): the local host's data copied to its own folder, or why it could not be.
   */
  notices?: string[];
  close(): Promise<void>;
}

/** Raised when no PowerShell can be found by the documented rule. */
export class PowerShellMissingError extends Error {}

/** The folder of our product scripts. */
export function scriptsDir(): string {
  return join(projectRoot(), 'main', 'powershell', 'scripts');
}

/** Opens this machine, or its simulated twin; the session starts lazily on the first call. */
export function openHost(options: HostConnectionOptions = {}): HostConnection {
  const simulated = !!options.simulate || !!options.simState;
  const simState = simulated ? createSimState(options.simulate ?? null, options.simState ?? undefined) : null;
  let dataDir = options.dataDir ?? (simState ? simulatedDataDir(simState) : null);
  let notices: string[] | undefined;
  if (dataDir === null) {
    // This machine's own data, in its own folder (the first time, copied from the data folder: data-dir.ts).
    const local = openLocalHostDataDir();
    dataDir = local.dir;
    notices = localDataNotices(local);
  }
  const host = openSessionHost({
    hostId: LOCAL_HOST_ID,
    remote: null,
    startup: localStartup(simState),
    simState,
    dataDir,
    ...sessionOptionsOf(options),
  });
  return notices ? { ...host, notices } : host;
}

/** This machine's start-up scripts: the simulator first when simulating (state `simState`), then our host functions. */
export function localStartup(simState: string | null): NonNullable<PowerShellSessionOptions['startup']> {
  return [
    ...(simState
      ? [{ script: 'use-simulator', params: { ModulePath: simulatorModulePath(), StatePath: simState } }]
      : []),
    { script: 'host-functions', params: {} },
  ];
}

/** What a host's session is started with: who it is, its start-up scripts, where its data lives. */
export interface SessionHostSpec {
  hostId: string;
  remote: RemoteTarget | null;
  startup: NonNullable<PowerShellSessionOptions['startup']>;
  simState?: string | null;
  dataDir: string;
  /** The name errors carry and the extra time a (re)connecting call gets (remote hosts). */
  connection?: { computerName: string; connectAllowanceMs: number };
  pwsh?: string | null;
  defaultTimeoutMs?: number;
  extraScriptDirs?: string[];
}

/** Finds PowerShell by the documented rule and opens a host's one session from a spec. */
export function openSessionHost(spec: SessionHostSpec): HostConnection {
  const found = findPowerShell({
    setting: spec.pwsh ?? undefined,
    env: process.env,
    projectRoot: projectRoot(),
    platform: process.platform,
  });
  if (!found) {
    throw new PowerShellMissingError(
      'PowerShell was not found: install PowerShell 7 (pwsh), set DDA_PWSH, or choose the executable in Settings.',
    );
  }
  const session = new PowerShellSession({
    executable: found.path,
    scriptDirs: [scriptsDir(), ...(spec.extraScriptDirs ?? [])],
    startup: spec.startup,
    ...(spec.connection ?? {}),
    ...(spec.defaultTimeoutMs ? { defaultTimeoutMs: spec.defaultTimeoutMs } : {}),
  });
  return {
    hostId: spec.hostId,
    remote: spec.remote,
    session,
    runner: session,
    simulated: !!spec.simState,
    simState: spec.simState ?? null,
    dataDir: spec.dataDir,
    measurements: fileMeasurementStore(join(spec.dataDir, 'measurements.json')),
    powershell: { path: found.path, source: found.source },
    close: () => session.dispose(),
  };
}

/** The session options every kind of host passes through unchanged. */
export function sessionOptionsOf(o: {
  pwsh?: string | null;
  defaultTimeoutMs?: number;
  extraScriptDirs?: string[];
}): Pick<SessionHostSpec, 'pwsh' | 'defaultTimeoutMs' | 'extraScriptDirs'> {
  return {
    pwsh: o.pwsh ?? null,
    ...(o.defaultTimeoutMs ? { defaultTimeoutMs: o.defaultTimeoutMs } : {}),
    ...(o.extraScriptDirs ? { extraScriptDirs: o.extraScriptDirs } : {}),
  };
}
