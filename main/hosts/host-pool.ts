/**
 * The hosts of one app: the local host plus every remote host of the registry, each opened lazily on
 * first use as its own HostConnection (a remote one is its own local pwsh process holding one remote
 * PSSession, so a hung host blocks no other) with its own services (inventory, operations, journal).
 *
 * Editing or removing a host closes its connection (refused while one of its operations runs,
 * host-busy.ts); dispose() closes them all. Beside it: each host's status and readiness
 * (host-status.ts), ids (host-ids.ts), passwords (password-vault.ts: the OS credential store when
 * there is one, else this process's memory; never on disk in clear, never in an error or a log line,
 * never returned), a definition opened for a test (temporary-host.ts) and the journals of hosts not
 * open (host-journals.ts).
 */
import type { HostTargetInput } from '../../shared/contract';
import { hostIdSchema, LOCAL_HOST_ID, type RemoteTarget } from '../../shared/hosts';
import type { Inventory } from '../../shared/inventory';
import type { StepResult } from '../../shared/plan';
import type { HostConnection } from '../host/host-connection';
import { hostServices } from '../host/host-services';
import { BusyHosts } from './host-busy';
import { newHostId, UnknownHostError } from './host-ids';
import { unfinishedInJournal } from './host-journals';
import {
  HostRegistry,
  HostRegistryError,
  validateTarget,
  hostsFile,
  noSecretStore,
  remoteHostDataDir,
  type SecretStore,
} from './host-registry';
import { HostStatuses, type HostStatus } from './host-status';
import { PasswordVault, samePasswordOwner } from './password-vault';
import { openRemoteHost } from './remote-connection';
import { openTemporaryHost, type PooledHost, type TemporaryHost } from './temporary-host';

export { HostBusyError } from './host-busy';
export { slugOf, UnknownHostError } from './host-ids';
export { readinessOf, type HostStatus } from './host-status';
export type { PooledHost } from './temporary-host';

/** Opens a remote host's connection (tests inject their own). */
export type OpenRemote = (target: RemoteTarget, password: string | null, dataDir: string) => HostConnection;

export interface HostPoolOptions {
  /** The local host, opened by the shell (real or simulated). */
  local: HostConnection;
  registry: HostRegistry;
  /** The OS credential store; unavailable (noSecretStore) = passwords in memory only. */
  secrets: SecretStore;
  /** Remote hosts keep their journal and measurements in <dataDir>/hosts/<id>; default the local host's folder. */
  dataDir?: string;
  /** How a remote host is opened; default openRemoteHost with the options below. */
  open?: OpenRemote;
  pwsh?: string | null;
  defaultTimeoutMs?: number;
}

export interface HostPoolEvents {
  /** The PowerShell session status of a host (starting, ready, busy, restarting, failed, disposed). */
  status: (hostId: string, status: string, detail?: string) => void;
  /** A step of an operation on a host. */
  step: (hostId: string, operationId: string, planId: string, step: StepResult) => void;
  /** A host's connection state, error or readiness changed, or the list of hosts did. */
  changed: (hostId: string | undefined) => void;
}

export class HostPool {
  readonly registry: HostRegistry;
  readonly local: HostConnection;
  private readonly dataDir: string;
  private readonly passwords: PasswordVault;
  private readonly openRemote: OpenRemote;
  private readonly open = new Map<string, PooledHost>();
  private readonly statuses = new HostStatuses((id) => this.emit('changed', id));
  private readonly busy = new BusyHosts();
  private readonly listeners: { [K in keyof HostPoolEvents]: Set<HostPoolEvents[K]> } = {
    status: new Set(),
    step: new Set(),
    changed: new Set(),
  };
  private disposed = false;

  constructor(options: HostPoolOptions) {
    this.local = options.local;
    this.registry = options.registry;
    this.dataDir = options.dataDir ?? options.local.dataDir;
    this.passwords = new PasswordVault(options.secrets);
    this.openRemote =
      options.open ??
      ((target, password, dataDir) =>
        openRemoteHost(target, {
          password,
          dataDir,
          pwsh: options.pwsh ?? null,
          ...(options.defaultTimeoutMs ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
        }));
  }

  /** Where passwords are kept: the OS credential store, or this process's memory. */
  get passwordStore(): 'os' | 'memory' {
    return this.passwords.persistent ? 'os' : 'memory';
  }

  on<K extends keyof HostPoolEvents>(event: K, listener: HostPoolEvents[K]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  private emit<K extends keyof HostPoolEvents>(event: K, ...args: Parameters<HostPoolEvents[K]>): void {
    for (const l of [...this.listeners[event]]) {
      try {
        (l as (...a: unknown[]) => void)(...args);
      } catch {
        // a listener's failure never reaches the pool
      }
    }
  }

  /** Every remote host, in the order added. */
  targets(): RemoteTarget[] {
    return this.registry.list();
  }

  /** The definition of a host: null for the local host; throws UnknownHostError for an unknown id. */
  target(id: string): RemoteTarget | null {
    if (id === LOCAL_HOST_ID) return null;
    const t = this.registry.get(id);
    if (!t) throw new UnknownHostError(`There is no host "${id}".`);
    return t;
  }

  /** The display name of a host (the local host: its computer name once known). */
  nameOf(id: string): string {
    if (id === LOCAL_HOST_ID) return this.statusOf(id).readiness?.computerName ?? 'this computer';
    try {
      return this.registry.get(id)?.name ?? id;
    } catch {
      return id;
    }
  }

  /** The data folder of a remote host (journal, measurements). */
  dataDirOf(id: string): string {
    return id === LOCAL_HOST_ID ? this.local.dataDir : remoteHostDataDir(this.dataDir, id);
  }

  statusOf(id: string): HostStatus {
    return this.statuses.of(id);
  }

  hasPassword(id: string): boolean {
    return id !== LOCAL_HOST_ID && this.passwords.get(id) !== null;
  }

  /** Operations the journal of a host shows as interrupted (unfinished, and nobody runs them now). */
  unfinishedCount(id: string): number {
    const open = this.open.get(id);
    return open ? open.services.operations.interrupted().length : unfinishedInJournal(this.dataDirOf(id));
  }

  /** The open host, opening it on first use. Throws UnknownHostError for an id that is not a host. */
  get(id: string): PooledHost {
    if (this.disposed) throw new Error('The host pool is closed.');
    const target = this.target(id);
    const existing = this.open.get(id);
    // A definition changed under an open connection (the CLI edited hosts.json): reopen when idle.
    if (existing && target && JSON.stringify(existing.target) !== JSON.stringify(target) && !this.isBusy(id)) {
      void this.close(id);
    } else if (existing) return existing;
    const connection = target ? this.openRemote(target, this.passwords.get(id), this.dataDirOf(id)) : this.local;
    const entry = this.wire(id, target, connection);
    this.open.set(id, entry);
    return entry;
  }

  /** The open host, if it is open. */
  peek(id: string): PooledHost | undefined {
    return this.open.get(id);
  }

  /** Every open host (the ones with a connection this process uses). */
  openHosts(): PooledHost[] {
    return [...this.open.values()];
  }

  /** dispose() was called. */
  get closed(): boolean {
    return this.disposed;
  }

  private wire(id: string, target: RemoteTarget | null, connection: HostConnection): PooledHost {
    connection.session.on('status', (status: string, detail?: string) => this.emit('status', id, status, detail));
    const runner = this.statuses.observe(id, connection.runner, (r) => this.open.get(id)?.runner === r);
    const services = hostServices({ ...connection, runner }, (operationId, planId, step) =>
      this.emit('step', id, operationId, planId, step),
    );
    return { id, target, connection, runner, services };
  }

  /** Records a host's readiness from an inventory just read. */
  noteInventory(id: string, inv: Inventory): void {
    this.statuses.noteInventory(id, inv);
  }

  /** Records a failure that did not come from a call (e.g. the host could not be opened). */
  noteFailure(id: string, message: string): void {
    this.statuses.set(id, { state: 'failed', lastError: message });
  }

  isBusy(id: string): boolean {
    return this.busy.isBusy(id);
  }

  /** Runs an operation on a host, marking it busy (edit and remove wait for none, they refuse). */
  track<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.busy.track(id, fn);
  }

  /** A new unique id for a name. */
  newId(name: string): string {
    return newHostId(
      name,
      this.targets().map((t) => t.id),
    );
  }

  /**
   * Adds or replaces a remote host. A password is for WinRM with a user only; it goes to the credential
   * store (or memory) and nowhere else. A changed definition closes the host's open connection.
   */
  async save(input: HostTargetInput, password?: string, forgetPassword = false): Promise<RemoteTarget> {
    const id = input.id ?? this.newId(input.name);
    if (!hostIdSchema.safeParse(id).success) throw new HostRegistryError(`Invalid host id "${id}".`);
    const usesPassword = input.transport === 'winrm' && !!input.userName;
    if (password !== undefined && !usesPassword)
      throw new HostRegistryError('A password is used only for WinRM with a user name; SSH signs in with a key.');
    this.busy.refuse(id, this.nameOf(id), 'change');
    const before = this.registry.get(id);
    const saved = this.registry.put({ ...input, id });
    if (!usesPassword || forgetPassword || !samePasswordOwner(before, saved)) this.passwords.delete(id);
    if (password !== undefined && usesPassword) this.passwords.set(id, password);
    await this.close(id);
    this.statuses.forget(id);
    this.emit('changed', id);
    return saved;
  }

  /** Removes a remote host: closes its connection and forgets its password (its journal folder stays). */
  async remove(id: string): Promise<boolean> {
    if (id === LOCAL_HOST_ID) throw new HostRegistryError('The local host cannot be removed.');
    this.busy.refuse(id, this.nameOf(id), 'remove');
    await this.close(id);
    const removed = this.registry.remove(id);
    this.passwords.delete(id);
    this.statuses.forget(id);
    this.emit('changed', id);
    return removed;
  }

  /** Closes a host's connection (the next use opens a new one); the local host stays open. */
  async close(id: string): Promise<void> {
    const entry = this.open.get(id);
    if (!entry || id === LOCAL_HOST_ID) return;
    this.open.delete(id);
    await entry.connection.close().catch(() => undefined);
    // Idle again, unless a new connection was opened meanwhile (it reports its own state).
    if (!this.open.has(id) && this.statusOf(id).state !== 'idle') this.statuses.set(id, { state: 'idle' });
  }

  /**
   * Opens a definition that is not (or not yet in this form) saved, for a test (temporary-host.ts). A
   * saved host's password is used when none is given and the computer and user are still the saved ones.
   */
  openTemporary(input: HostTargetInput, password?: string): TemporaryHost {
    const id = input.id ?? this.newId(input.name);
    const parsed = validateTarget({ ...input, id });
    const usesPassword = parsed.transport === 'winrm' && !!parsed.userName;
    const saved = this.registry.get(id);
    const pw = usesPassword ? (password ?? (samePasswordOwner(saved, parsed) ? this.passwords.get(id) : null)) : null;
    return openTemporaryHost(parsed, pw, this.openRemote);
  }

  /** Closes every connection, the local one too. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all([
      ...all.filter((e) => e.connection !== this.local).map((e) => e.connection.close().catch(() => undefined)),
      this.local.close().catch(() => undefined),
    ]);
  }
}

/**
 * The pool of a shell: its local host plus the registry `<dataDir>/hosts.json` (default the local
 * host's data folder), with the OS credential store when the shell has one.
 */
export function createHostPool(
  local: HostConnection,
  options: {
    dataDir?: string;
    secrets?: SecretStore;
    open?: OpenRemote;
    pwsh?: string | null;
    defaultTimeoutMs?: number;
  } = {},
): HostPool {
  const dataDir = options.dataDir ?? local.dataDir;
  return new HostPool({
    local,
    registry: new HostRegistry(hostsFile(dataDir)),
    secrets: options.secrets ?? noSecretStore,
    dataDir,
    ...(options.open ? { open: options.open } : {}),
    ...(options.pwsh !== undefined ? { pwsh: options.pwsh } : {}),
    ...(options.defaultTimeoutMs ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
  });
}
