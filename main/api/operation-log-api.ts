/** The API side of Activity's step log: one operation of a host's journal, or not-found. */
import type { OperationLog } from '../../shared/contract';
import { fail, ok, type Result } from '../../shared/result';
import { operationLog } from '../host/operation-log';
import type { PooledHost } from '../hosts/host-pool';

/** The step log of an operation in the host's journal; an id the journal does not hold is `not-found`. */
export async function operationLogResult(h: PooledHost, operationId: string): Promise<Result<OperationLog>> {
  const log = operationLog(h.services.journal, operationId);
  return log ? ok(log) : fail('not-found', `No operation ${operationId} in this host's journal.`);
}
