/**
 * The remote hosts the admin added: `hosts.json` in the data folder, validated on every read and
 * written atomically. A corrupt file is refused (list, put and remove throw), never overwritten with less.
 * Passwords are not here: they live in a SecretStore (the OS credential store), keyed by host id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  hostIdSchema,
  LOCAL_HOST_ID,
  remoteTargetSchema,
  type RemoteTarget,
  type RemoteTargetInput,
} from '../../shared/hosts';
import { writeFileAtomic } from '../write-file-atomic';

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
  if (!parsed.success || id === LOCAL_HOST_ID)
    throw new HostRegistryError(`Not a remote host id: ${JSON.stringify(id)}`);
  return join(dataDir, 'hosts', id);
}

/** A definition checked against the shared schema (never the local host's id), with the admin's wording for errors. */
export function validateTarget(input: RemoteTargetInput): RemoteTarget {
  const parsed = remoteTargetSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new HostRegistryError(`Invalid host: ${i?.path.join('.') || 'host'}: ${i?.message}`);
  }
  if (parsed.data.id === LOCAL_HOST_ID)
    throw new HostRegistryError(`"${LOCAL_HOST_ID}" is the local host and cannot be redefined.`);
  return parsed.data;
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
      throw new HostRegistryError(
        `${this.file} is not valid JSON (${e instanceof Error ? e.message : String(e)}); fix or remove it.`,
        'unreadable',
      );
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success)
      throw new HostRegistryError(
        `${this.file} does not describe hosts: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
        'unreadable',
      );
    return parsed.data.hosts;
  }

  get(id: string): RemoteTarget | null {
    return this.list().find((h) => h.id === id) ?? null;
  }

  /** Adds or replaces (same id) a host after validating it. */
  put(input: RemoteTargetInput): RemoteTarget {
    const target = validateTarget(input);
    const hosts = this.list();
    const at = hosts.findIndex((h) => h.id === target.id);
    if (at >= 0) hosts[at] = target;
    else hosts.push(target);
    this.write(hosts);
    return target;
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
    writeFileAtomic(this.file, JSON.stringify({ version: 1, hosts }, null, 2));
  }
}
