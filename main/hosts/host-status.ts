/**
 * What the host switcher shows of each host besides its definition: the connection state (from the
 * outcome of its calls), the last error and a readiness summary of its last inventory.
 */
import type { HostReadinessSummary } from '../../shared/contract';
import type { ConnectionState } from '../../shared/hosts';
import type { Inventory } from '../../shared/inventory';
import type { PsErrorInfo, PsResult, ScriptRunner } from '../powershell/session-types';

/** What the switcher shows of a host besides its definition. */
export interface HostStatus {
  state: ConnectionState;
  lastError: string | null;
  readiness: HostReadinessSummary | null;
}

/** The readiness a host list shows, from an inventory. */
export function readinessOf(inv: Inventory): HostReadinessSummary {
  const h = inv.host;
  return {
    computerName: h.computerName,
    psEdition: h.psEdition,
    psVersion: h.psVersion,
    iommu: h.iommuPolicyEnabled,
    iov: h.iovSupport,
    elevated: h.elevated,
    simulated: h.simulated,
    readAt: inv.readAt,
  };
}

/** Errors of a call that say the host (or its PowerShell) could not be reached, not that a command failed. */
const CONNECTION_KINDS = new Set<PsErrorInfo['kind']>(['connection', 'not-started', 'timeout', 'crashed', 'protocol']);

/** Every host's status; `changed` is told the host id whenever one really changes. */
export class HostStatuses {
  private readonly statuses = new Map<string, HostStatus>();
  constructor(private readonly changed: (id: string) => void) {}

  of(id: string): HostStatus {
    return this.statuses.get(id) ?? { state: 'idle', lastError: null, readiness: null };
  }

  set(id: string, patch: Partial<HostStatus>): void {
    const cur = this.of(id);
    const next = { ...cur, ...patch };
    if (next.state === cur.state && next.lastError === cur.lastError && next.readiness === cur.readiness) return;
    this.statuses.set(id, next);
    this.changed(id);
  }

  /** Forgets a host's status (it was edited or removed); the caller says what changed. */
  forget(id: string): void {
    this.statuses.delete(id);
  }

  /** Records a host's readiness from an inventory just read. */
  noteInventory(id: string, inv: Inventory): void {
    this.set(id, { state: 'connected', lastError: null, readiness: readinessOf(inv) });
  }

  /**
   * A runner that turns each call's outcome into the host's connection state while `current()` says
   * it is the host's open one (a closed connection says nothing about the host now).
   */
  observe(id: string, inner: ScriptRunner, current: (runner: ScriptRunner) => boolean): ScriptRunner {
    const observed: ScriptRunner = {
      invoke: async <T>(
        script: string,
        params?: Record<string, unknown>,
        options?: Parameters<ScriptRunner['invoke']>[2],
      ): Promise<PsResult<T>> => {
        if (current(observed) && this.of(id).state !== 'connected') this.set(id, { state: 'connecting' });
        const r = await inner.invoke<T>(script, params, options);
        if (!current(observed)) return r;
        if (r.ok || !CONNECTION_KINDS.has(r.error.kind)) this.set(id, { state: 'connected', lastError: null });
        else this.set(id, { state: 'failed', lastError: r.error.message });
        return r;
      },
      dispose: () => inner.dispose(),
      // The session's PowerShell and its status pass through: an operation's lease names that process.
      get pid() {
        return inner.pid;
      },
      on: (event, listener) => inner.on?.(event, listener),
      off: (event, listener) => inner.off?.(event, listener),
    };
    return observed;
  }
}
