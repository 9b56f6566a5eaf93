/** Where the local host's own data lives (never in a folder that roams), and its one-time copy from there. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, localDataNotices, localHostDataDir, openLocalHostDataDir } from './data-dir';

describe("the local host's data folder", () => {
  it('is %LOCALAPPDATA%\\DDA Studio on Windows (it never roams), the data folder elsewhere; DDA_DATA_DIR rules both', () => {
    const env = { APPDATA: 'C:\\Users\\a\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' };
    expect(localHostDataDir(env, 'win32')).toBe(join('C:\\Users\\a\\AppData\\Local', 'DDA Studio'));
    expect(defaultDataDir(env, 'win32')).toBe(join('C:\\Users\\a\\AppData\\Roaming', 'DDA Studio'));
    expect(localHostDataDir({ XDG_CONFIG_HOME: '/c' }, 'linux')).toBe(
      defaultDataDir({ XDG_CONFIG_HOME: '/c' }, 'linux'),
    );
    expect(localHostDataDir({ ...env, DDA_DATA_DIR: '/d' }, 'win32')).toBe('/d');
    expect(openLocalHostDataDir({ ...env, DDA_DATA_DIR: '/d' }, 'win32', '/roaming')).toEqual({
      dir: '/d',
      copied: [],
      error: null,
    });
  });

  it("takes the local host's files from the roaming folder once, copied (never moved), and nothing else", () => {
    const root = mkdtempSync(join(tmpdir(), 'dda-data-dir-'));
    const env = { APPDATA: join(root, 'Roaming'), LOCALAPPDATA: join(root, 'Local') };
    const before = defaultDataDir(env, 'win32');
    mkdirSync(join(before, 'hosts', 'hv2'), { recursive: true });
    const files: Record<string, string> = {
      'journal.jsonl': '{"t":"op-start"}\n',
      'journal.1.jsonl': '{"t":"old"}\n',
      'vm-originals.json': '{"vm":1}',
      'vm-originals.corrupt-2026-11-30T10-00-00-000Z.json': 'x',
      'measurements.json': '{"m":1}',
      'assignments.json': '{"a":1}',
    };
    for (const [n, t] of Object.entries(files)) writeFileSync(join(before, n), t);
    // not the local host's: the roaming folder keeps them to itself
    for (const n of ['settings.json', 'hosts.json', join('hosts', 'hv2', 'journal.jsonl')])
      writeFileSync(join(before, n), '{}');

    const first = openLocalHostDataDir(env, 'win32');
    expect(first.error).toBeNull();
    expect(first.dir).toBe(localHostDataDir(env, 'win32'));
    expect([...first.copied].sort()).toEqual(Object.keys(files).sort());
    expect(first.copied.at(-1)).toBe('journal.jsonl'); // last: its presence says the copy is whole
    // what the CLI and the server say of it (the window logs it itself)
    expect(localDataNotices(first)).toEqual([
      `This host's data was copied to ${first.dir} from the data folder: ${first.copied.join(', ')}`,
    ]);
    for (const [n, t] of Object.entries(files)) {
      expect(readFileSync(join(first.dir, n), 'utf8')).toBe(t);
      expect(readFileSync(join(before, n), 'utf8')).toBe(t);
    }
    for (const n of ['settings.json', 'hosts.json', 'hosts']) expect(existsSync(join(first.dir, n))).toBe(false);

    // once (a mark says so): the local folder's own files are never replaced by the roaming ones again,
    // even when its journal is gone (rotated, or removed by hand)
    writeFileSync(join(first.dir, 'journal.jsonl'), 'mine\n');
    writeFileSync(join(before, 'journal.jsonl'), 'theirs\n');
    expect(openLocalHostDataDir(env, 'win32').copied).toEqual([]);
    expect(readFileSync(join(first.dir, 'journal.jsonl'), 'utf8')).toBe('mine\n');
    rmSync(join(first.dir, 'journal.jsonl'));
    expect(openLocalHostDataDir(env, 'win32')).toEqual({ dir: first.dir, copied: [], error: null });
    expect(localDataNotices(openLocalHostDataDir(env, 'win32'))).toEqual([]);
    expect(existsSync(join(first.dir, 'journal.jsonl'))).toBe(false);
  });

  it('a first start with nothing to copy marks the folder too; a linked file is never copied through', () => {
    const root = mkdtempSync(join(tmpdir(), 'dda-data-dir-'));
    const env = { APPDATA: join(root, 'Roaming'), LOCALAPPDATA: join(root, 'Local') };
    expect(openLocalHostDataDir(env, 'win32')).toEqual({
      dir: localHostDataDir(env, 'win32'),
      copied: [],
      error: null,
    });
    const root2 = mkdtempSync(join(tmpdir(), 'dda-data-dir-'));
    const env2 = { APPDATA: join(root2, 'Roaming'), LOCALAPPDATA: join(root2, 'Local') };
    mkdirSync(defaultDataDir(env2, 'win32'), { recursive: true });
    writeFileSync(join(root2, 'secret.txt'), 'not ours');
    symlinkSync(join(root2, 'secret.txt'), join(defaultDataDir(env2, 'win32'), 'measurements.json'));
    const r = openLocalHostDataDir(env2, 'win32');
    expect(r.error).toMatch(/is a link/);
    expect(r.dir).toBe(defaultDataDir(env2, 'win32'));
    expect(existsSync(join(localHostDataDir(env2, 'win32'), 'measurements.json'))).toBe(false);
  });

  it('a copy that fails is said, never thrown; the run uses the roaming folder, whose files are as they were', () => {
    const root = mkdtempSync(join(tmpdir(), 'dda-data-dir-'));
    const env = { APPDATA: join(root, 'Roaming'), LOCALAPPDATA: join(root, 'Local') };
    mkdirSync(defaultDataDir(env, 'win32'), { recursive: true });
    writeFileSync(join(defaultDataDir(env, 'win32'), 'journal.jsonl'), 'j\n');
    writeFileSync(join(root, 'Local'), 'a file where the folder should be');
    const r = openLocalHostDataDir(env, 'win32');
    expect(r.error).toMatch(/could not be copied from .*; it is used where it is/);
    expect(localDataNotices(r)).toEqual([r.error]);
    // this run keeps the files where they are: nothing is hidden behind an empty folder
    expect(r.dir).toBe(defaultDataDir(env, 'win32'));
    expect(readFileSync(join(defaultDataDir(env, 'win32'), 'journal.jsonl'), 'utf8')).toBe('j\n');
  });
});
