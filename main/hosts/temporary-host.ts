/**
 * A host definition that is not (or not yet in this form) saved, opened for a test: its own connection
 * and a throw-away data folder, both gone when it is closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemoteTarget } from '../../shared/hosts';
import type { HostConnection } from '../host/host-connection';
import { hostServices, type HostServices } from '../host/host-services';
import type { ScriptRunner } from '../powershell/session-types';

/** An open host with its services (the pool's entries and temporary hosts alike). */
export interface PooledHost {
  id: string;
  target: RemoteTarget | null;
  connection: HostConnection;
  /** The connection's runner, observed: each call's outcome sets the host's connection state. */
  runner: ScriptRunner;
  services: HostServices;
}

export interface TemporaryHost {
  host: PooledHost;
  target: RemoteTarget;
  close: () => Promise<void>;
}

/** Opens `target` with `open` in a new temporary folder; close() closes the connection and removes the folder. */
export function openTemporaryHost(
  target: RemoteTarget,
  password: string | null,
  open: (target: RemoteTarget, password: string | null, dataDir: string) => HostConnection,
): TemporaryHost {
  const dir = mkdtempSync(join(tmpdir(), 'dda-host-test-'));
  const connection = open(target, password, dir);
  const runner = connection.runner;
  const host: PooledHost = {
    id: target.id,
    target,
    connection,
    runner,
    services: hostServices({ ...connection, runner }),
  };
  return {
    host,
    target,
    close: async () => {
      await connection.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
