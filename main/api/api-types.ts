/** The privileged side's implementation of the contract, shared by Electron IPC and browser mode. */
import type { DdaEvent, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import type { Result } from '../../shared/result';

/** One async function per contract method; inputs are already validated against the contract. */
export type DdaApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
};

/** Where events go: the Electron window or browser-mode event streams subscribe here. */
export interface EventSink {
  subscribe(listener: (event: DdaEvent) => void): () => void;
  emit(event: DdaEvent): void;
}
