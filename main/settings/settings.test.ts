import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLog } from './log-file';
import { DEFAULT_SETTINGS, SettingsStore } from './settings-store';

const dir = () => mkdtempSync(join(tmpdir(), 'dda-settings-'));

describe('settings', () => {
  it('persists a validated patch and reads it back', () => {
    const file = join(dir(), 'settings.json');
    new SettingsStore(file).update({
      language: 'zh-CN',
      theme: 'dark',
      windowBounds: { x: 1, y: 2, width: 1200, height: 800 },
    });
    const again = new SettingsStore(file);
    expect(again.settings()).toEqual({
      language: 'zh-CN',
      theme: 'dark',
      powershellPath: null,
      simulatorProfile: null,
    });
    expect(again.get().windowBounds).toEqual({ x: 1, y: 2, width: 1200, height: 800 });
  });
  it('a corrupt file gives defaults and keeps a backup', () => {
    const file = join(dir(), 'settings.json');
    writeFileSync(file, '{"theme": 42');
    expect(new SettingsStore(file).get()).toEqual(DEFAULT_SETTINGS);
    expect(readFileSync(`${file}.corrupt`, 'utf8')).toBe('{"theme": 42');
  });
  it('rejects invalid values', () => {
    const store = new SettingsStore(join(dir(), 's.json'));
    expect(() => store.update({ theme: 'neon' as never })).toThrow();
  });
});

describe('log file', () => {
  it('rotates past its size limit and flattens newlines', () => {
    const file = join(dir(), 'dda.log');
    const log = createLog(file, 200);
    for (let i = 0; i < 20; i++) log('info', `line ${i}\ninjected`);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(statSync(file).size).toBeLessThan(400);
    expect(readFileSync(file, 'utf8')).not.toMatch(/\ninjected/);
  });
  it('never writes through a link: not a linked logs folder, nor a linked log file', () => {
    const elsewhere = dir();
    const d = dir();
    symlinkSync(elsewhere, join(d, 'logs'));
    createLog(join(d, 'logs', 'dda.log'))('info', 'one');
    const own = join(dir(), 'logs');
    mkdirSync(own);
    symlinkSync(join(elsewhere, 'target.log'), join(own, 'dda.log'));
    createLog(join(own, 'dda.log'))('info', 'two');
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
