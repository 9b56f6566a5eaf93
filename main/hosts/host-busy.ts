/** Which hosts are running an operation: editing or removing such a host is refused, never waited for. */

/** Editing or removing a host while one of its operations runs. */
export class HostBusyError extends Error {}

/** Counts the operations running per host. */
export class BusyHosts {
  private readonly active = new Map<string, number>();

  isBusy(id: string): boolean {
    return (this.active.get(id) ?? 0) > 0;
  }

  /** Runs fn with the host counted busy until it ends. */
  async track<T>(id: string, fn: () => Promise<T>): Promise<T> {
    this.active.set(id, (this.active.get(id) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const n = (this.active.get(id) ?? 1) - 1;
      if (n > 0) this.active.set(id, n);
      else this.active.delete(id);
    }
  }

  /** Throws HostBusyError naming the host when it is busy: "<name> is running an operation; <what> it when …". */
  refuse(id: string, name: string, what: string): void {
    if (this.isBusy(id))
      throw new HostBusyError(`${name} is running an operation; ${what} it when the operation has finished.`);
  }
}
