/**
 * A bridge for the store's tests: each method answers from `answers` (or with an error naming it when
 * none is given), every call is recorded, and `emit` pushes an event to the subscribers.
 */
import type { DdaBridge } from '../../../shared/bridge';
import type { DdaEvent, MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import { methodNames } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

export type Answers = {
  [M in MethodName]?: (input: MethodInput<M>) => Result<MethodOutput<M>> | Promise<Result<MethodOutput<M>>>;
};

export interface FakeBridge {
  bridge: DdaBridge;
  calls: Array<{ method: MethodName; input: unknown }>;
  answers: Answers;
  emit(e: DdaEvent): void;
}

export function fakeBridge(answers: Answers = {}): FakeBridge {
  const calls: FakeBridge['calls'] = [];
  const listeners = new Set<(e: DdaEvent) => void>();
  const fake: FakeBridge = { bridge: {} as DdaBridge, calls, answers, emit: (e) => listeners.forEach((l) => l(e)) };
  const methods = Object.fromEntries(
    methodNames.map((m) => [
      m,
      async (input: unknown) => {
        calls.push({ method: m, input });
        const answer = fake.answers[m] as ((i: unknown) => Result<unknown> | Promise<Result<unknown>>) | undefined;
        return answer ? answer(input) : { ok: false, error: { code: 'internal', message: `no answer for ${m}` } };
      },
    ]),
  );
  fake.bridge = {
    ...methods,
    onEvent(l: (e: DdaEvent) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as DdaBridge;
  return fake;
}
