/** Argument parsing for `dda`: strict, with a clear message for anything unknown (exit 3). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { SecretStore } from '../hosts/host-registry';

/** Bad arguments: the CLI prints the message and exits 3. */
export class UsageError extends Error {}

/** Refused before anything ran (e.g. a password is needed and none was given): the CLI prints the message and exits 2. */
export class RefusedError extends Error {}

/** Output streams and the few inputs a command may need, injectable for tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads the password for --password-stdin: one line, never echoed. Default: process.stdin. */
  readSecret?: () => Promise<string>;
  /** The OS credential store where the shell has one; the CLI itself keeps no secrets. */
  secrets?: SecretStore;
}

/**
 * What --json prints: the value as indented JSON with every character outside ASCII escaped (\uXXXX).
 * PowerShell decodes a program's piped or captured output in the console's code page (936, 932, 850...,
 * not UTF-8: NativeCommandProcessor, [Console]::OutputEncoding), so `dda inventory --json | ConvertFrom-Json`
 * would read a Chinese device name or a VM named in German as mojibake; escaped, it reads the same in
 * every code page.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u0080-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** Options every command that talks to a host accepts. */
export const hostOptions = {
  host: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
  simulate: { type: 'string' },
  'sim-state': { type: 'string' },
  pwsh: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Parses argv with the given options; unknown options and stray positionals become a UsageError. */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  positionals = 0,
) {
  try {
    const parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals)
      throw new UsageError(`Unexpected argument: ${parsed.positionals[positionals]}`);
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** A whole number from an option (ports, timeouts); the schema that receives it checks the range. */
export function intOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new UsageError(`${flag} takes a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}
