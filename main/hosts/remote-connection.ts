/**
 * Opens a remote Hyper-V host: its own local pwsh whose start-up script use-remote.ps1 holds ONE
 * persistent PSSession to the host (SSH or WinRM, the full endpoint or our JEA one), with the host's
 * data in its own folder under hosts/<id>/. The same session code as this machine's (openSessionHost).
 */
import { join } from 'node:path';
import { JEA_CONFIGURATION_NAME, JEA_SSH_SUBSYSTEM, type RemoteTarget } from '../../shared/hosts';
import { defaultDataDir } from '../data-dir';
import { openSessionHost, sessionOptionsOf, type HostConnection } from '../host/host-connection';
import { appVersion, projectRoot } from '../project-root';
import { remoteHostDataDir } from './host-registry';
import { sshClientPath } from '../packaged-trust';
import { jeaScriptsHash } from './jea-module';
import { executePlanOnEndpoint } from './jea-module-run';

export interface RemoteConnectionOptions {
  /** The WinRM password (from the OS credential store or --password-stdin); never a parameter. */
  password?: string | null;
  /** Overrides the host's data folder (default: hosts/<id>/ in the data folder). */
  dataDir?: string | null;
  pwsh?: string | null;
  defaultTimeoutMs?: number;
  /** More script folders (tests and benchmarks bring their own probes). */
  extraScriptDirs?: string[];
}

/** Time for loading the dispatcher and host functions on a freshly opened remote session. */
const REMOTE_BOOTSTRAP_MS = 10_000;
/**
 * Time for Stop-Job to stop a timed-out command on the host before this process is killed: killed
 * first, the command would go on there (a dropped client leaves its session Disconnected with the
 * command running, about_Remote_Disconnected_Sessions) while the app re-reads the host and rolls back.
 */
const REMOTE_STOP_MS = 30_000;

/** Opens a remote host; the session (and its connection) starts lazily on the first call. */
export function openRemoteHost(target: RemoteTarget, options: RemoteConnectionOptions = {}): HostConnection {
  const connection = openSessionHost({
    hostId: target.id,
    remote: target,
    startup: [
      {
        script: 'use-remote',
        params: remoteStartupParams(target),
        ...(options.password ? { secrets: { Password: options.password } } : {}),
      },
    ],
    dataDir: options.dataDir ?? remoteHostDataDir(defaultDataDir(), target.id),
    // A call that (re)connects first gets the connect limit on top of its own, plus time to load our code
    // and to stop the command on the host when its own limit has passed.
    connection: {
      computerName: target.name,
      connectAllowanceMs: target.connectTimeoutMs + REMOTE_BOOTSTRAP_MS + REMOTE_STOP_MS,
    },
    ...sessionOptionsOf(options),
  });
  // On the DDAStudio.Host JEA endpoint a plan runs whole, checked and rolled back on the host itself.
  return target.endpoint === 'jea' ? { ...connection, executePlan: executePlanOnEndpoint } : connection;
}

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
    ...(t.configurationName
      ? { ConfigurationName: t.configurationName }
      : t.endpoint === 'jea'
        ? { ConfigurationName: JEA_CONFIGURATION_NAME }
        : {}),
  };
}
