import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WINDOWS_RENAME_RETRY_MS, writeFileAtomic, type RenameIo } from './write-file-atomic';

const denied = (code: string) => Object.assign(new Error(`${code}: operation not permitted, rename`), { code });

/** A system whose rename fails `failures` times with `code`, then renames; time moves only by the pauses. */
function flakyIo(platform: NodeJS.Platform, failures: number, code = 'EPERM'): RenameIo & { pauses: number[] } {
  let clock = 0;
  let left = failures;
  const pauses: number[] = [];
  return {
    platform,
    pauses,
    now: () => clock,
    sleep: (ms) => {
      pauses.push(ms);
      clock += ms;
    },
    rename: (from, to) => {
      if (left-- > 0) throw denied(code);
      renameSync(from, to);
    },
  };
}

describe('writeFileAtomic on a file another process holds open', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dda-atomic-'));
    const file = join(dir, 'measurements.json');
    writeFileSync(file, 'old');
    return { dir, file };
  };

  it('on Windows, tries again while the rename is refused (an antivirus scan, the indexer), then replaces the file', () => {
    for (const code of ['EPERM', 'EACCES', 'EBUSY']) {
      const { dir, file } = setup();
      const io = flakyIo('win32', 3, code);
      writeFileAtomic(file, 'new', {}, io);
      expect(readFileSync(file, 'utf8')).toBe('new');
      expect(io.pauses).toEqual([10, 20, 40]);
      expect(readdirSync(dir)).toEqual(['measurements.json']);
    }
  });

  it('gives up after a bounded time, keeps the old file and leaves no temporary file', () => {
    const { dir, file } = setup();
    const io = flakyIo('win32', Infinity);
    expect(() => writeFileAtomic(file, 'new', {}, io)).toThrow(/EPERM/);
    expect(io.pauses.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(WINDOWS_RENAME_RETRY_MS);
    expect(io.pauses.reduce((a, b) => a + b, 0)).toBeLessThan(WINDOWS_RENAME_RETRY_MS + 250);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['measurements.json']);
  });

  it('elsewhere, and for any other error, fails at once', () => {
    const { file } = setup();
    const linux = flakyIo('linux', 1);
    expect(() => writeFileAtomic(file, 'new', {}, linux)).toThrow(/EPERM/);
    expect(linux.pauses).toEqual([]);
    const other = flakyIo('win32', 1, 'ENOSPC');
    expect(() => writeFileAtomic(file, 'new', {}, other)).toThrow(/ENOSPC/);
    expect(other.pauses).toEqual([]);
    expect(existsSync(file) && readFileSync(file, 'utf8')).toBe('old');
  });
});
