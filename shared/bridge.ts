/** The shape of `window.dda`: one async function per contract method, plus an event subscription. */
import type { DdaEvent, MethodInput, MethodName, MethodOutput } from './contract';
import type { Result } from './result';

export type DdaBridge = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
} & {
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (event: DdaEvent) => void): () => void;
};
