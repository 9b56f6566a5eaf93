/** The operation commands of `dda` (plan, assign, revert, move, repair, return-orphans, recover). */
import type { Io } from './dda';

export const operationCommands: Record<string, (argv: string[], io: Io) => Promise<number>> = {};
