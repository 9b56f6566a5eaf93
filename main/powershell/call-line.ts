/**
 * What one call of PowerShellSession is made of: the script looked up by name (never a path), the
 * Invoke-DdaCall line holding only base64, hashes and ids, the secrets on a line of their own, and the
 * envelope read back. Nothing here splices a value into PowerShell code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../project-root';
import type { PsErrorInfo } from './session-types';

/** A failure of the session itself (not of the script): becomes the call's error. */
export class CallFailure extends Error {
  constructor(readonly info: PsErrorInfo) {
    super(info.message);
  }
}

export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

let dispatcherB64: string | null = null;
/** The dispatcher, read when first needed (the Electron bundle sets DDA_PROJECT_ROOT before that). */
export const dispatcherBase64 = (): string =>
  (dispatcherB64 ??= b64(readFileSync(join(projectRoot(), 'main', 'powershell', 'dispatcher.ps1'), 'utf8')));

const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface ScriptEntry {
  text: string;
  path: string;
  hash: string;
}

/** Our scripts by name, read once from the script folders (first folder wins). */
export class ScriptCache {
  private readonly scripts = new Map<string, ScriptEntry>();
  constructor(private readonly dirs: string[]) {}

  get size(): number {
    return this.scripts.size;
  }

  /** Looks a script up by name (never a path) in the script folders. */
  lookup(name: string): ScriptEntry {
    if (!SCRIPT_NAME.test(name) || name.includes('..')) {
      throw new CallFailure({
        kind: 'protocol',
        message: `Invalid script name ${JSON.stringify(name)}: letters, digits, . _ - only.`,
      });
    }
    const cached = this.scripts.get(name);
    if (cached) return cached;
    for (const dir of this.dirs) {
      const path = resolve(join(dir, `${name}.ps1`));
      if (existsSync(path)) {
        const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
        const entry = { text, path, hash: createHash('sha256').update(text).digest('hex').slice(0, 32) };
        this.scripts.set(name, entry);
        return entry;
      }
    }
    throw new CallFailure({ kind: 'protocol', message: `No script named ${name}.ps1 in ${this.dirs.join(', ')}` });
  }
}

const SECRET_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * Secrets follow the call as the next input line: the dispatcher reads it first thing, so it is never
 * code. A comment to PowerShell, should it ever be read as code; names are plain words, values base64.
 */
export function secretsLine(secrets: Record<string, string> | undefined, script: string): string {
  const pairs = Object.entries(secrets ?? {});
  if (pairs.some(([k]) => !SECRET_NAME.test(k)))
    throw new CallFailure({ kind: 'protocol', message: `Secret names of ${script}.ps1 must be plain words.` });
  return pairs.length > 0 ? ` -ReadSecrets\n#${pairs.map(([k, v]) => `${k}:${b64(v)}`).join(';')}` : '';
}

/** The dispatcher's envelope (base64 of UTF-8 JSON). */
export function parseEnvelope(
  payload: string,
  label: string,
): { ok: boolean; value?: unknown; error?: PsErrorInfo; errors?: PsErrorInfo[] | PsErrorInfo | null } {
  try {
    return JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    throw new CallFailure({ kind: 'protocol', message: `Unreadable result from ${label}` });
  }
}
