/**
 * The remote hosts the admin added: `hosts.json` in the data folder, validated on every read and
 * written atomically. A corrupt file is kept as `.corrupt` and never silently overwritten with less.
 * Passwords are not here: they live in a SecretStore (the OS credential store), keyed by host id.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hostIdSchema, LOCAL_HOST_ID, remoteTargetSchema, type RemoteTarget, type RemoteTargetInput } from '../../shared/hosts';

const fileSchema = z.object({ version: z.literal(1), hosts: z.array(remoteTargetSchema) });

/** Raised for a bad host definition ('invalid') or an unreadable registry file ('unreadable'); the message is for the admin. */
export class HostRegistryError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'unreadable' = 'invalid',
  ) {
    super(message);
  }
}

/** Where passwords of remote hosts live: the OS credential store (Electron safeStorage) or nowhere. */
export interface SecretStore {
  /** Can this store keep secrets at all (false: ask for the password each time)? */
  readonly available: boolean;
  get(hostId: string): string | null;
  set(hostId: string, secret: string): void;
  delete(hostId: string): void;
}

/** For shells without an OS credential store (CLI, browser mode): keeps nothing. */
export const noSecretStore: SecretStore = {
  available: false,
  get: () => null,
  set: () => {
    throw new HostRegistryError('No credential store is available here: the password is asked for each time instead.');
  },
  delete: () => undefined,
};

/** The registry file of a data folder. */
export const hostsFile = (dataDir: string) => join(dataDir, 'hosts.json');

/**
 * The data folder of a remote host (journal, measurements, logs): `<dataDir>/hosts/<id>`, so each host's
 * journal and recovery stay its own. The id is checked again here because it names a folder.
 */
export function remoteHostDataDir(dataDir: string, id: string): string {
  const parsed = hostIdSchema.safeParse(id);
  if (!parsed.success || id === LOCAL_HOST_ID) throw new HostRegistryError(`Not a remote host id: ${JSON.stringify(id)}`);
  return join(dataDir, 'hosts', id);
}

export class HostRegistry {
  constructor(private readonly file: string) {}

  /** Every remote host, in the order added. */
  list(): RemoteTarget[] {
    if (!existsSync(this.file)) return [];
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (e) {
      throw new HostRegistryError(`${this.file} is not valid JSON (${e instanceof Error ? e.message : String(e)}); fix or remove it.`, 'unreadable');
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) throw new HostRegistryError(`${this.file} does not describe hosts: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`, 'unreadable');
    return parsed.data.hosts;
  }

  get(id: string): RemoteTarget | null {
    return this.list().find((h) => h.id === id) ?? null;
  }

  /** Adds or replaces (same id) a host after validating it. */
  put(input: RemoteTargetInput): RemoteTarget {
    const parsed = remoteTargetSchema.safeParse(input);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new HostRegistryError(`Invalid host: ${i?.path.join('.') || 'host'}: ${i?.message}`);
    }
    if (parsed.data.id === LOCAL_HOST_ID) throw new HostRegistryError(`"${LOCAL_HOST_ID}" is the local host and cannot be redefined.`);
    const hosts = this.list();
    const at = hosts.findIndex((h) => h.id === parsed.data.id);
    if (at >= 0) hosts[at] = parsed.data;
    else hosts.push(parsed.data);
    this.write(hosts);
    return parsed.data;
  }

  /** Removes a host; false when there was none. */
  remove(id: string): boolean {
    const hosts = this.list();
    const rest = hosts.filter((h) => h.id !== id);
    if (rest.length === hosts.length) return false;
    this.write(rest);
    return true;
  }

  private write(hosts: RemoteTarget[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    if (existsSync(this.file)) {
      try {
        fileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
      } catch {
        copyFileSync(this.file, `${this.file}.corrupt`);
      }
    }
    // A private temporary name, so two writers never share one half-written file; rename is atomic.
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, hosts }, null, 2));
    renameSync(tmp, this.file);
  }
}
