/** Argument parsing for `dda`: strict, with a clear message for anything unknown (exit 3). */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad arguments: the CLI prints the message and exits 3. */
export class UsageError extends Error {}

/** Options every command that talks to a host accepts. */
export const hostOptions = {
  simulate: { type: 'string' },
  'sim-state': { type: 'string' },
  pwsh: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Parses argv with the given options; unknown options and stray positionals become a UsageError. */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) throw new UsageError(`Unexpected argument: ${parsed.positionals[positionals]}`);
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
