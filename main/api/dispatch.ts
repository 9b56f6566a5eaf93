/**
 * SECURITY BOUNDARY. Every request from a renderer (Electron IPC or browser-mode HTTP) goes through
 * `dispatch`: unknown methods are refused, input is parsed with the contract's zod schema before
 * anything else sees it, and nothing is ever thrown back across the boundary. Do not add a second door.
 */
import { methods, type MethodName } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import type { DdaApi } from './api-types';

const known = new Set<string>(Object.keys(methods));

/** Whether a string names a contract method (own keys only; `__proto__` and friends are not). */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && known.has(name) && Object.prototype.hasOwnProperty.call(methods, name);
}

/** Validates and runs one request; always resolves to a result envelope. */
export async function dispatch(api: DdaApi, method: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) return fail('bad-request', 'Unknown method.');
  const parsed = methods[method].input.safeParse(rawInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
    return fail('bad-request', `Invalid ${method} request: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  try {
    const call = api[method] as (input: unknown) => Promise<Result<unknown>>;
    return await call(parsed.data);
  } catch (e) {
    return fail('internal', `Internal error in ${method}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
