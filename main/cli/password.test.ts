import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RefusedError } from './args';
import { readSecretLine, type SecretInput } from './password';

/** A stdin stand-in: a pipe, or a terminal that records its raw mode. */
function input(tty: boolean): { stream: SecretInput & PassThrough; raw: boolean[] } {
  const stream = new PassThrough() as SecretInput & PassThrough;
  const raw: boolean[] = [];
  if (tty) {
    stream.isTTY = true;
    stream.setRawMode = (m: boolean) => raw.push(m);
  }
  return { stream, raw };
}

describe('readSecretLine (--password-stdin)', () => {
  it('takes the first line of a pipe, without its line ending, and leaves the rest unread', async () => {
    const { stream } = input(false);
    const shown: string[] = [];
    const p = readSecretLine(stream, (t) => shown.push(t));
    stream.write('pa ss"$(x)\'\r\nsecond\n');
    await expect(p).resolves.toBe('pa ss"$(x)\'');
    expect(shown).toEqual([]);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('a line split over chunks, and a last line without a newline', async () => {
    const a = input(false);
    const p = readSecretLine(a.stream, () => undefined);
    a.stream.write('pa');
    a.stream.write('ss\n');
    await expect(p).resolves.toBe('pass');
    const b = input(false);
    const q = readSecretLine(b.stream, () => undefined);
    b.stream.end('密码✓');
    await expect(q).resolves.toBe('密码✓');
  });

  it('drops the byte-order mark PowerShell writes first into a pipe when $OutputEncoding is UTF-8', async () => {
    const { stream } = input(false);
    const p = readSecretLine(stream, () => undefined);
    stream.write('\uFEFFPässwörd\r\n');
    await expect(p).resolves.toBe('Pässwörd');
  });

  it('refuses an empty stdin', async () => {
    const { stream } = input(false);
    const p = readSecretLine(stream, () => undefined);
    stream.end();
    await expect(p).rejects.toBeInstanceOf(RefusedError);
  });

  it('on a terminal: prompts on stderr, echo off (raw mode) and back on, backspace edits, nothing of the password shown', async () => {
    const { stream, raw } = input(true);
    const shown: string[] = [];
    const p = readSecretLine(stream, (t) => shown.push(t));
    stream.write('secrex\u007ft\r');
    await expect(p).resolves.toBe('secret');
    expect(raw).toEqual([true, false]);
    expect(shown.join('')).toBe('Password: \n');
  });

  it('on a terminal, Ctrl-C cancels and restores the terminal', async () => {
    const { stream, raw } = input(true);
    const p = readSecretLine(stream, () => undefined);
    stream.write('abc\u0003');
    await expect(p).rejects.toThrow(/Cancelled/);
    expect(raw).toEqual([true, false]);
  });
});
