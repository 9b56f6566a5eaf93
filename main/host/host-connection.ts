/**
 * Opens a host: finds PowerShell, starts the one session with the right start-up scripts (the
 * simulator first when simulating, then our host functions), and says where this host's data lives.
 * Used by the CLI, the browser-mode server, the Electron shell, tests and benchmarks alike.
 */
import { join } from 'node:path';
import { findPowerShell } from '../powershell/find-pwsh';
import { PowerShellSession } from '../powershell/session';
import type { ScriptRunner } from '../powershell/session-types';
import { JEA_CONFIGURATION_NAME, JEA_SSH_SUBSYSTEM, LOCAL_HOST_ID, type RemoteTarget } from '../../shared/hosts';
import { appVersion, projectRoot } from '../project-root';
import { createSimState, simulatorModulePath } from '../simulator/profiles';
import { defaultDataDir, simulatedDataDir } from './data-dir';
import { remoteHostDataDir } from '../hosts/host-registry';
import { fileMeasurementStore, type MeasurementStore } from './measurement-store';
import { jeaScriptsHash } from '../hosts/jea-module';
import { sshClientPath } from '../packaged-trust';

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
  /** A remote Hyper-V host reached over PowerShell remoting from its own local pwsh; omitted = this machine. */
  remote?: { target: RemoteTarget; password?: string | null } | null;
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
  const remote = options.remote ?? null;
  if (remote && (options.simulate || options.simState)) throw new Error('A remote host cannot also be simulated here: its own environment decides that.');
  const simulated = !remote && (!!options.simulate || !!options.simState);
  const simState = simulated ? createSimState(options.simulate ?? null, options.simState ?? undefined) : null;
  const env: Record<string, string> = simState ? { DDA_SIM_STATE: simState } : {};
  const startup = remote
    ? [{ script: 'use-remote', params: remoteStartupParams(remote.target), ...(remote.password ? { secrets: { Password: remote.password } } : {}) }]
    : [...(simState ? [{ script: 'use-simulator', params: { ModulePath: simulatorModulePath() } }] : []), { script: 'host-functions', params: {} }];
  const session = new PowerShellSession({
    executable: found.path,
    scriptDirs: [scriptsDir(), ...(options.extraScriptDirs ?? [])],
    env,
    startup,
    // A call that (re)connects first gets the connect limit on top of its own, plus time to load our code.
    ...(remote ? { computerName: remote.target.name, connectAllowanceMs: remote.target.connectTimeoutMs + REMOTE_BOOTSTRAP_MS } : {}),
    ...(options.defaultTimeoutMs ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
  });
  const dataDir = options.dataDir ?? (remote ? remoteHostDataDir(defaultDataDir(), remote.target.id) : simState ? simulatedDataDir(simState) : defaultDataDir());
  return {
    hostId: remote ? remote.target.id : LOCAL_HOST_ID,
    remote: remote ? remote.target : null,
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

/** Time for loading the dispatcher and host functions on a freshly opened remote session. */
const REMOTE_BOOTSTRAP_MS = 10_000;

/**
 * The parameters of use-remote.ps1 for a target: data only. The password is not one of them: it goes to
 * the session as a secret (its own input line, never in a compiled command) and lives in that process.
 */
export function remoteStartupParams(t: RemoteTarget): Record<string, unknown> {
  const dir = join(projectRoot(), 'main', 'powershell');
  const common = {
    Transport: t.transport,
    DisplayName: t.name,
    Endpoint: t.endpoint,
    ConnectTimeoutMs: t.connectTimeoutMs,
    ...(t.port ? { Port: t.port } : {}),
    ...(t.userName ? { UserName: t.userName } : {}),
    ...(t.endpoint === 'jea' ? { ExpectedModuleVersion: appVersion(), ExpectedScriptsHash: jeaScriptsHash() } : {}),
    DispatcherPath: join(dir, 'dispatcher.ps1'),
    HostFunctionsPath: join(dir, 'scripts', 'host-functions.ps1'),
  };
  if (t.transport === 'ssh') {
    return {
      ...common,
      HostName: t.hostName,
      ...(t.keyFilePath ? { KeyFilePath: t.keyFilePath } : {}),
      ...(t.knownHostsFile ? { KnownHostsFile: t.knownHostsFile } : {}),
      ...(t.subsystem ? { Subsystem: t.subsystem } : t.endpoint === 'jea' ? { Subsystem: JEA_SSH_SUBSYSTEM } : {}),
      SshPath: sshClientPath(),
    };
  }
  return {
    ...common,
    HostName: t.computerName,
    UseSsl: t.useSsl,
    SkipCertificateChecks: t.skipCertificateChecks,
    Authentication: t.authentication,
    ...(t.configurationName ? { ConfigurationName: t.configurationName } : t.endpoint === 'jea' ? { ConfigurationName: JEA_CONFIGURATION_NAME } : {}),
  };
}
