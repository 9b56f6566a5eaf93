/** Errors are values at every boundary: a result envelope with a stable code and a human message. */
import { z } from 'zod';
import { rawErrorSchema } from './plan';

export const errorCodes = [
  'bad-request', // the input did not match the contract's schema
  'not-found', // a device, VM, plan or operation that does not exist
  'busy', // another operation holds this device or VM
  'refused', // the plan needs a consent or is not allowed
  'stale-plan', // the host changed since the plan was made
  'powershell', // PowerShell reported an error
  'powershell-missing',
  'session', // the PowerShell session timed out or crashed
  'forbidden', // a sender or token that is not ours
  'unreachable', // the app's own server did not answer (browser mode: stopped, or its tunnel closed)
  'internal',
] as const;
export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const appErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  raw: rawErrorSchema.optional(),
});
export type AppError = z.infer<typeof appErrorSchema>;

/** `{ ok: true, value } | { ok: false, error }`, never a throw across a boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}
export function fail<T = never>(code: ErrorCode, message: string, raw?: AppError['raw']): Result<T> {
  return { ok: false, error: raw ? { code, message, raw } : { code, message } };
}
/** A schema for the envelope of a value schema. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: appErrorSchema }),
  ]);
}
