/** The privileged side's implementation of the contract, shared by Electron IPC and browser mode. */
import type { DdaEvent, MethodName, MethodOutput, MethodParams } from '../../shared/contract';
import type { Result } from '../../shared/result';

/** One async function per contract method; inputs are already validated (defaults applied) by dispatch(). */
export type DdaApi = {
  [M in MethodName]: (input: MethodParams<M>) => Promise<Result<MethodOutput<M>>>;
};

/** Where events go: the Electron window or browser-mode event streams subscribe here. */
export interface EventSink {
  subscribe(listener: (event: DdaEvent) => void): () => void;
  emit(event: DdaEvent): void;
}
