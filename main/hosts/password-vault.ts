/** The password vault of the remote hosts: the OS credential store when there is one, else this process's memory. */
import type { SecretStore } from './host-registry';
import type { RemoteTarget } from '../../shared/hosts';

/** Keeps passwords in the OS store when it can, else in this process's memory. */
export class PasswordVault {
  private readonly memory = new Map<string, string>();
  constructor(private readonly store: SecretStore) {}
  get persistent(): boolean {
    return this.store.available;
  }
  get(id: string): string | null {
    return this.persistent ? this.store.get(id) : (this.memory.get(id) ?? null);
  }
  set(id: string, password: string): void {
    if (this.persistent) this.store.set(id, password);
    else this.memory.set(id, password);
  }
  delete(id: string): void {
    this.memory.delete(id);
    this.store.delete(id);
  }
}

/**
 * A stored password belongs to one user on one computer: when either changes, it is not sent to the
 * new one (the admin enters the password for the new pair).
 */
export function samePasswordOwner(a: RemoteTarget | null, b: RemoteTarget): boolean {
  if (!a || a.transport !== 'winrm' || b.transport !== 'winrm') return false;
  const same = (x: string | undefined, y: string | undefined) => (x ?? '').toLowerCase() === (y ?? '').toLowerCase();
  return same(a.computerName, b.computerName) && same(a.userName, b.userName);
}
