/**
 * Which host a `dda` command talks to: this machine (no --host, or --host local), a simulated host
 * (--simulate / --sim-state), or a remote host from the registry in the data folder (--host <id>),
 * opened with its own local pwsh and its own data folder (<data>/hosts/<id>: journal, measurements).
 */
import { describeTarget, hostIdSchema, LOCAL_HOST_ID, type RemoteTarget } from '../../shared/hosts';
import { defaultDataDir } from '../data-dir';
import { openHost, type HostConnection } from '../host/host-connection';
import { openRemoteHost } from '../hosts/remote-connection';
import { HostRegistry, hostsFile, noSecretStore, remoteHostDataDir } from '../hosts/host-registry';
import { RefusedError, UsageError, type Io } from './args';
import { readSecretLine } from './password';

/** The host options as parsed. */
export interface HostValues {
  host?: string | undefined;
  'password-stdin'?: boolean | undefined;
  simulate?: string | undefined;
  'sim-state'?: string | undefined;
  pwsh?: string | undefined;
  'data-dir'?: string | undefined;
}

/** The data folder that holds the host registry and the remote hosts' data (this machine's own: data-dir.ts localHostDataDir, or --data-dir). */
export const baseDataDir = (values: HostValues) => values['data-dir'] ?? defaultDataDir();

/** The registry of the data folder the options name. */
export const registryOf = (values: HostValues) => new HostRegistry(hostsFile(baseDataDir(values)));

/** A remote host id from the command line, or null for this machine. */
export function remoteIdOf(values: HostValues): string | null {
  const id = values.host;
  if (id === undefined || id === LOCAL_HOST_ID) return null;
  if (!hostIdSchema.safeParse(id).success)
    throw new UsageError(`--host ${JSON.stringify(id)} is not a host id (a-z, 0-9 and -; "dda hosts list" shows them)`);
  return id;
}

/** The registered target of a remote host id; a UsageError when there is none. */
export function targetOf(values: HostValues, id: string): RemoteTarget {
  const target = registryOf(values).get(id);
  if (!target)
    throw new UsageError(
      `No host "${id}" in ${hostsFile(baseDataDir(values))}: "dda hosts list" shows the hosts, "dda hosts add" adds one.`,
    );
  return target;
}

/** The password a target needs (WinRM with a user), from stdin or the credential store; null when it needs none. */
export async function passwordFor(target: RemoteTarget, values: HostValues, io: Io): Promise<string | null> {
  const needs = target.transport === 'winrm' && !!target.userName;
  if (!needs) {
    if (values['password-stdin']) {
      const how = target.transport === 'ssh' ? 'its ssh key' : 'the current logon (no user is set)';
      throw new UsageError(`--password-stdin: host ${target.id} signs in with ${how}, not a password`);
    }
    return null;
  }
  if (values['password-stdin']) return (io.readSecret ?? (() => readSecretLine()))();
  const stored = (io.secrets ?? noSecretStore).get(target.id);
  if (stored !== null) return stored;
  throw new RefusedError(
    `Host ${target.id} (${describeTarget(target)}) needs the password of ${target.userName}: pipe it in with --password-stdin (never as an argument).`,
  );
}

/** Opens the host the options name; the caller closes it. */
export async function openCliHost(values: HostValues, io: Io): Promise<HostConnection> {
  const id = remoteIdOf(values);
  if (id === null) {
    if (values['password-stdin'])
      throw new UsageError('--password-stdin is only for a remote WinRM host with a user (--host <id>)');
    const host = openHost({
      simulate: values.simulate ?? null,
      simState: values['sim-state'] ?? null,
      pwsh: values.pwsh ?? null,
      dataDir: values['data-dir'] ?? null,
    });
    for (const notice of host.notices ?? []) io.err(`dda: ${notice}`);
    return host;
  }
  if (values.simulate !== undefined || values['sim-state'] !== undefined) {
    throw new UsageError('--host cannot be combined with --simulate or --sim-state: those simulate this machine');
  }
  const target = targetOf(values, id);
  const password = await passwordFor(target, values, io);
  const host = openRemoteHost(target, {
    password,
    pwsh: values.pwsh ?? null,
    dataDir: remoteHostDataDir(baseDataDir(values), id),
  });
  // Never let a build without the remote transport run a remote host's command on this machine.
  if (host.remote?.id !== id) {
    await host.close();
    throw new Error(`This build cannot open remote hosts: refusing to run the command for ${id} on this machine.`);
  }
  return host;
}

/** Opens the host named by the options, runs fn, always closes the session. */
export async function withHost<T>(values: HostValues, io: Io, fn: (h: HostConnection) => Promise<T>): Promise<T> {
  const host = await openCliHost(values, io);
  try {
    return await fn(host);
  } finally {
    await host.close();
  }
}
