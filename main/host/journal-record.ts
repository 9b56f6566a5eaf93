/**
 * The journal's records as data (a leaf module: the journal, the executor and recovery all use it).
 * Every line read back is validated with this schema: the journal lives in the user's data folder, where
 * a standard user's process can write, and the elevated app must never run what it did not plan.
 */
import { z } from 'zod';
import {
  operationOutcomeSchema,
  planSchema,
  rawErrorSchema,
  type OperationOutcome,
  type Plan,
} from '../../shared/plan';

const id = z.string().min(1).max(200);
const at = z.string().max(64);
const ms = z.number().nonnegative();

/** Finish the remaining steps, or undo what was done. */
export const recoverActionSchema = z.enum(['finish', 'rollback']);
export type RecoverAction = z.infer<typeof recoverActionSchema>;

export const journalRecordSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('op-start'),
    op: id,
    at,
    plan: planSchema,
    before: z.record(z.string(), z.unknown()).optional(),
    /** The plan ran as one request (the JEA endpoint): until its step log is journaled, any step may have run. */
    wholePlan: z.literal(true).optional(),
  }),
  z.object({ t: z.literal('step-start'), op: id, at, step: id, command: z.string().optional() }),
  z.object({ t: z.literal('step-done'), op: id, at, step: id, ms, output: z.unknown().optional() }),
  z.object({ t: z.literal('step-skipped'), op: id, at, step: id, reason: z.string() }),
  z.object({ t: z.literal('step-failed'), op: id, at, step: id, ms, error: rawErrorSchema }),
  z.object({ t: z.literal('undo-start'), op: id, at, step: id, command: z.string().optional() }),
  z.object({ t: z.literal('undo-done'), op: id, at, step: id, ms }),
  z.object({ t: z.literal('undo-skipped'), op: id, at, step: id, reason: z.string() }),
  z.object({ t: z.literal('undo-failed'), op: id, at, step: id, ms: ms.optional(), error: rawErrorSchema }),
  z.object({ t: z.literal('recover-start'), op: id, at, action: recoverActionSchema }),
  z.object({
    t: z.literal('op-end'),
    op: id,
    at,
    status: operationOutcomeSchema.shape.status,
    failedStep: z.string().optional(),
    error: rawErrorSchema.nullable().optional(),
    notRolledBack: z.array(z.string()).optional(),
  }),
]);

/** One line of the journal. */
export type JournalRecord = z.infer<typeof journalRecordSchema>;

/** vm-originals.json: the settings each VM had before an assignment changed them, by VM id. */
export const rememberedSettingsFileSchema = z.record(
  z.string().min(1).max(64),
  z.strictObject({
    automaticStopAction: z.enum(['TurnOff', 'Save', 'ShutDown']).optional(),
    guestControlledCacheTypes: z.boolean().optional(),
    lowMemoryMappedIoSpace: z.number().int().nonnegative().optional(),
    highMemoryMappedIoSpace: z.number().int().nonnegative().optional(),
    dynamicMemoryEnabled: z.boolean().optional(),
    setLowMemoryMappedIoSpace: z.number().int().nonnegative().optional(),
    setHighMemoryMappedIoSpace: z.number().int().nonnegative().optional(),
  }),
);

/** A line of the journal that is not a valid record (torn by a crash, or written by someone else). */
export interface RejectedLine {
  /** 1-based, counted in the part of the file that was read. */
  line: number;
  /** The operation the line names, when it names one. */
  op: string | null;
  reason: string;
}

/** What the journal knows of one operation. */
export interface OperationRecord {
  op: string;
  plan: Plan;
  startedAt: string;
  /** Steps that completed (or were found already done), in order. */
  done: string[];
  /** The step started and never reported: its effect is unknown. */
  inFlight: string | null;
  failed: string | null;
  undone: string[];
  ended: OperationOutcome['status'] | null;
  endedAt: string | null;
  /** Why this operation's records cannot be trusted (a line that is not a valid record); never run then. */
  invalid: string | null;
  /** Ran as one request (the JEA endpoint): with no step log journaled, every step may have run. */
  wholePlan?: boolean;
}

/** An operation as its op-start leaves it: nothing done, failed, undone or ended yet. */
export function startedOperation(
  op: string,
  plan: Plan,
  startedAt: string,
  invalid: string | null = null,
): OperationRecord {
  return {
    op,
    plan,
    startedAt,
    done: [],
    inFlight: null,
    failed: null,
    undone: [],
    ended: null,
    endedAt: null,
    invalid,
  };
}
