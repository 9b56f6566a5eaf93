/** Which unfinished operations are running now: the lease a running operation keeps, and what it may refuse. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  LEASE_RENEW_MS,
  LEASE_STALE_MS,
  leaseFile,
  leaseKeys,
  LOCAL_STALE_MS,
  MAX_LEASE_KEYS,
  runningReason,
  takeLease,
} from './operation-lease';

const dir = () => mkdtempSync(join(tmpdir(), 'dda-lease-'));
/** A lease as another process writes it. */
function plant(d: string, op: string, lease: Record<string, unknown>): void {
  const file = leaseFile(d, op);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ op, what: 'operation', computer: hostname(), at: Date.now(), ...lease }));
}

/** A lease that must be free to take. */
function taken(d: string, op: string, what: 'operation' | 'recovery' = 'operation'): { release: () => void } {
  const lease = takeLease(d, op, what);
  if (!('release' in lease)) throw new Error(lease.busy);
  return lease;
}

/** A lease on `touches` that must be free to take. */
function taken2(
  d: string,
  op: string,
  touches: { keys: string[]; title: string },
  pids: () => number[] = () => [],
  what: 'operation' | 'recovery' = 'operation',
): { release: () => void } {
  const lease = takeLease(d, op, what, pids, touches);
  if (!('release' in lease)) throw new Error(lease.busy);
  return lease;
}

/** Runs `fn` with a fake clock and fake timers. */
function onFakeClock(fn: () => void): void {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  try {
    fn();
  } finally {
    vi.useRealTimers();
  }
}

describe('operation leases', () => {
  it('a live process on this computer holds its operation; once it has ended, nothing does', async () => {
    const d = dir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      plant(d, 'op-1', { pid: other.pid });
      expect(runningReason(d, 'op-1')).toMatch(new RegExp(`still going on .*\\(process ${other.pid}, seen 0 s ago\\)`));
      expect(runningReason(d, 'op-2')).toBeNull();
      // a renewal held up, or the clock stepped: its process is alive, so it still runs (for a bounded time)
      const now = Date.now();
      expect(runningReason(d, 'op-1', now + 5 * LEASE_STALE_MS)).toMatch(/still going on/);
      expect(runningReason(d, 'op-1', now - 5 * LEASE_STALE_MS)).toMatch(/still going on/);
      expect(runningReason(d, 'op-1', now + LOCAL_STALE_MS + 1000)).toBeNull();
      // and nobody else takes it meanwhile
      expect(takeLease(d, 'op-1', 'recovery')).toEqual({ busy: expect.stringMatching(/still going on/) });
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    expect(runningReason(d, 'op-1')).toBeNull();
  });

  it("another computer's lease holds until it is stale; a stale, far-future, foreign or broken lease holds nothing", () => {
    const d = dir();
    const now = Date.now();
    plant(d, 'op-1', { pid: 4242, computer: 'HV-OTHER' });
    expect(runningReason(d, 'op-1', now)).toMatch(/process 4242 on HV-OTHER.*within 60 s/);
    plant(d, 'op-1', { pid: 4242, computer: 'HV\u001b]0;owned\u0007-X' });
    expect(runningReason(d, 'op-1', now)).toContain('process 4242 on HV?]0;owned?-X');
    plant(d, 'op-1', { pid: 4242, computer: 'HV-OTHER' });
    expect(runningReason(d, 'op-1', now + LEASE_STALE_MS + 1000)).toBeNull();
    plant(d, 'op-1', { pid: 4242, computer: 'HV-OTHER', at: now + 2 * LEASE_STALE_MS });
    expect(runningReason(d, 'op-1', now)).toBeNull();
    // this computer's, its process alive: stale or far ahead only past LOCAL_STALE_MS
    plant(d, 'op-1', { pid: process.ppid, at: now - LOCAL_STALE_MS - 1000 });
    expect(runningReason(d, 'op-1', now)).toBeNull();
    plant(d, 'op-1', { pid: process.ppid, at: now + LOCAL_STALE_MS + 1000 });
    expect(runningReason(d, 'op-1', now)).toBeNull();
    plant(d, 'op-1', { pid: process.ppid, op: 'op-other' });
    expect(runningReason(d, 'op-1', now)).toBeNull();
    // a file that does not parse: one being written while it is new, else nothing
    writeFileSync(leaseFile(d, 'op-1'), '');
    expect(runningReason(d, 'op-1')).toMatch(/taking it right now/);
    expect(runningReason(d, 'op-1', Date.now() + 11_000)).toBeNull();
    writeFileSync(leaseFile(d, 'op-1'), JSON.stringify({ not: 'a lease' }));
    expect(runningReason(d, 'op-1', now)).toBeNull();
    // this process's own id, in a lease it does not hold (left by an earlier process with the same id)
    plant(d, 'op-1', { pid: process.pid });
    expect(runningReason(d, 'op-1', now)).toBeNull();
    plant(d, 'op-1', { pid: process.ppid, released: true });
    expect(runningReason(d, 'op-1', now)).toBeNull();
  });

  it('a lease that cannot be read counts as running while the file itself is recent, a link included', () => {
    const d = dir();
    mkdirSync(leaseFile(d, 'op-1'), { recursive: true }); // a folder where the file should be: unreadable
    expect(runningReason(d, 'op-1')).toMatch(/cannot be read .*remove that file/);
    expect(runningReason(d, 'op-1', Date.now() + LOCAL_STALE_MS + 60_000)).toBeNull();
    expect(takeLease(d, 'op-1', 'recovery')).toEqual({ busy: expect.stringMatching(/cannot be read/) });
    // a link pointing nowhere: refused as a link, for as long as the link itself is recent
    symlinkSync(join(d, 'nowhere'), leaseFile(d, 'op-2'));
    expect(runningReason(d, 'op-2')).toMatch(/cannot be read \(.*is not a regular file/);
    expect(runningReason(d, 'op-2', Date.now() + LOCAL_STALE_MS + 60_000)).toBeNull();
  });

  it('writes and reads nothing through a leases folder that is a link (as before leases existed)', () => {
    const d = dir();
    const elsewhere = mkdtempSync(join(tmpdir(), 'dda-lease-elsewhere-'));
    symlinkSync(elsewhere, join(d, 'running'));
    writeFileSync(join(elsewhere, basename(leaseFile(d, 'op-1'))), JSON.stringify({ op: 'op-1' }));
    expect(runningReason(d, 'op-1')).toBeNull();
    const lease = taken(d, 'op-2');
    lease.release();
    expect(readdirSync(elsewhere)).toEqual([basename(leaseFile(d, 'op-1'))]);
  });

  it('never creates what a link planted at its name points to; says at once when its PowerShell changes', () => {
    const d = dir();
    const elsewhere = mkdtempSync(join(tmpdir(), 'dda-lease-target-'));
    mkdirSync(join(d, 'running'));
    symlinkSync(join(elsewhere, 'target'), leaseFile(d, 'op-1')); // dangling
    expect(takeLease(d, 'op-1', 'recovery')).toEqual({ busy: expect.stringMatching(/not a regular file/) });
    expect(readdirSync(elsewhere)).toEqual([]);
    let pids: number[] = [];
    const lease = takeLease(d, 'op-2', 'operation', () => pids);
    if (!('release' in lease)) throw new Error(lease.busy);
    const written = () => (JSON.parse(readFileSync(leaseFile(d, 'op-2'), 'utf8')) as { pids: number[] }).pids;
    expect(written()).toEqual([]);
    pids = [4242];
    lease.renew();
    expect(written()).toEqual([4242]);
    lease.release();
  });

  it('the PowerShell running its steps holds it too, after the process that started it has gone', async () => {
    const d = dir();
    const pwsh = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      plant(d, 'op-1', { pid: 2 ** 30, pids: [pwsh.pid] });
      expect(runningReason(d, 'op-1')).toMatch(/still going on/);
    } finally {
      pwsh.kill('SIGKILL');
      await once(pwsh, 'exit');
    }
    expect(runningReason(d, 'op-1')).toBeNull();
  });

  it('a dead lease is taken over once (a claim per record), and a lease taken over is no longer renewed or released by its first holder', () => {
    onFakeClock(() => {
      const d = dir();
      const first = taken(d, 'op-1');
      // Another process judged it dead (its clock stepped) and took it: a record of its own.
      const theirs = {
        op: 'op-1',
        pid: process.ppid,
        computer: hostname(),
        at: Date.now(),
        nonce: 'theirs',
        what: 'recovery',
      };
      writeFileSync(leaseFile(d, 'op-1'), JSON.stringify(theirs));
      vi.advanceTimersByTime(LEASE_RENEW_MS * 2);
      first.release();
      expect(JSON.parse(readFileSync(leaseFile(d, 'op-1'), 'utf8'))).toEqual(theirs);
      // A dead record that another process is claiming right now is not taken a second time.
      plant(d, 'op-2', { pid: 2 ** 30, at: 1000, nonce: 'dead' });
      const claims = `${leaseFile(d, 'op-2')}.${createHash('sha256')
        .update(`${2 ** 30}-1000-dead`)
        .digest('hex')
        .slice(0, 16)}`;
      writeFileSync(`${claims}.0.claim`, 'not a claim'); // planted, or left half-written: passed over
      writeFileSync(`${claims}.1.claim`, JSON.stringify({ pid: process.ppid, at: Date.now() })); // live
      expect(takeLease(d, 'op-2', 'recovery')).toEqual({ busy: expect.stringMatching(/taking it over right now/) });
      // once that claim's process is gone (here: a claim by a process that does not exist), the next takes it
      writeFileSync(`${claims}.1.claim`, JSON.stringify({ pid: 2 ** 30, at: Date.now() }));
      const second = taken(d, 'op-2', 'recovery');
      expect(JSON.parse(readFileSync(leaseFile(d, 'op-2'), 'utf8'))).toMatchObject({ pid: process.pid });
      expect(JSON.parse(readFileSync(`${claims}.2.claim`, 'utf8'))).toMatchObject({ pid: process.pid });
      second.release();
    });
  });

  it('is taken once: held by this process until released (rewritten, never deleted), then free to take again', () => {
    const d = dir();
    const op = '../../outside $(x) `y`';
    const first = taken(d, op, 'recovery');
    const file = leaseFile(d, op);
    expect(dirname(file)).toBe(join(d, 'running'));
    expect(runningReason(d, op)).toMatch(/running now in this DDA Studio process/);
    expect(takeLease(d, op, 'recovery')).toEqual({ busy: expect.stringMatching(/this DDA Studio process/) });
    first.release();
    first.release();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ op, pid: process.pid, released: true });
    expect(runningReason(d, op)).toBeNull();
    const again = takeLease(d, op, 'operation');
    expect('release' in again).toBe(true);
    if ('release' in again) again.release();
    // a dead process's lease is taken over
    plant(d, op, { pid: 2 ** 30 });
    const over = takeLease(d, op, 'recovery');
    expect('release' in over).toBe(true);
    if ('release' in over) over.release();
  });

  it("an operation on a device or VM that another process's live operation changes is refused, and lets its own lease go; other objects, ended and dead ones are not", async () => {
    const d = dir();
    const gpu = 'device:PCIROOT(0)#PCI(0300)#PCI(0000)';
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const touches = (keys: string[]) => ({ keys, title: 'Assign the GPU' });
    try {
      // as the other process writes it: the objects hashed (a VM's name is the user's), the case of a key ignored
      plant(d, 'op-window', {
        pid: other.pid,
        title: 'Assign "GPU"\u001b[2J to VM-A\u202e',
        ...leaseKeys([gpu, 'vm:A']),
      });
      expect(readFileSync(leaseFile(d, 'op-window'), 'utf8')).not.toContain('PCIROOT');
      const refused = takeLease(d, 'op-cli', 'operation', () => [], touches([gpu.toLowerCase(), 'vm:B']));
      expect(refused).toEqual({
        busy: expect.stringMatching(
          new RegExp(
            `busy with another operation, "Assign "GPU"\\?\\[2J to VM-A\\?", running in another DDA Studio window or dda command \\(process ${other.pid}, seen 0 s ago;`,
          ),
        ),
      });
      expect(refused).toEqual({ busy: expect.stringContaining(`its lease: ${leaseFile(d, 'op-window')}`) });
      // ...and its own lease holds nothing, so the other process is not held up by the one refused
      expect(JSON.parse(readFileSync(leaseFile(d, 'op-cli'), 'utf8'))).toMatchObject({ released: true });
      expect(runningReason(d, 'op-cli')).toBeNull();
      // the same VM is the same object too; a recovery is refused as well
      expect(takeLease(d, 'op-r', 'recovery', () => [], touches(['vm:a']))).toHaveProperty('busy');
      // other objects, or none, go ahead
      const free = taken2(d, 'op-other', touches(['device:PCIROOT(0)#PCI(0100)', 'vm:B']));
      free.release();
      taken2(d, 'op-none', touches([])).release();
      // an operation on more objects than a lease names holds up, and is held up by, any that changes one
      const many = Array.from({ length: MAX_LEASE_KEYS + 1 }, (_, i) => `device:PCIROOT(0)#PCI(${i})`);
      expect(leaseKeys(many)).toEqual({ all: true });
      // A lease stays within the 4 kB an older DDA Studio reads: with every key it may name, and with an id
      // and a title whose every character is escaped (without the title, then as `all`, when it must).
      const size = (op: string) => Buffer.byteLength(readFileSync(leaseFile(d, op)));
      const full = taken2(d, 'op-full', touches(many.slice(0, MAX_LEASE_KEYS).map((k) => k.replace('device', 'pnp'))));
      expect(size('op-full')).toBeLessThanOrEqual(4096);
      expect(JSON.parse(readFileSync(leaseFile(d, 'op-full'), 'utf8')).keys).toHaveLength(MAX_LEASE_KEYS);
      full.release();
      const escaped = '\u0001'.repeat(200);
      const wide = taken2(d, escaped, { keys: many.slice(0, MAX_LEASE_KEYS).map((k) => `vm:${k}`), title: escaped });
      expect(size(escaped)).toBeLessThanOrEqual(4096);
      expect(JSON.parse(readFileSync(leaseFile(d, escaped), 'utf8'))).toMatchObject({ op: escaped });
      wide.release();
      expect(takeLease(d, 'op-many', 'operation', () => [], touches(many))).toHaveProperty('busy');
      // A recovery takes the lease of the operation it recovers, whose PowerShell (the session's, alive)
      // its own lease names: its own file never refuses it. Nor does a lease of this process whose
      // release is still being written (it names the same live PowerShell): this process's locks rule.
      taken2(d, 'op-rec', touches(['vm:D']), () => [other.pid!], 'recovery').release();
      // A lease with this process's id that this process did not take (the id came back: a closed dda's
      // PowerShell still finishing its step) holds its objects like any other.
      plant(d, 'op-reused', { pid: process.pid, pids: [other.pid], ...leaseKeys(['vm:C']) });
      expect(takeLease(d, 'op-next', 'operation', () => [], touches(['vm:C']))).toHaveProperty('busy');
      // Objects named in a form not known here (another version's) hold everything, never nothing.
      plant(d, 'op-other-form', { pid: other.pid, keys: [{ device: 'x' }] });
      expect(takeLease(d, 'op-next2', 'operation', () => [], touches(['vm:E']))).toHaveProperty('busy');
      plant(d, 'op-other-form', { pid: other.pid, released: true });
      // a lease that cannot be read right now (a scanner holding it) may hold anything: said, with its file
      // (cannot be made on Linux here: a file the test's root user cannot read)
      // a lease copied under another operation's file name names nothing
      plant(d, 'op-copy', { pid: other.pid, op: 'op-window', ...leaseKeys([gpu]) });
      plant(d, 'op-window', { pid: other.pid, released: true, ...leaseKeys([gpu]) });
      taken2(d, 'op-after-release', touches([gpu])).release();
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    // its process gone, nothing is held
    plant(d, 'op-window', { pid: other.pid, ...leaseKeys([gpu]) });
    taken2(d, 'op-after-exit', touches([gpu])).release();
    // another computer's holds while it is fresh
    plant(d, 'op-roaming', { pid: 4242, computer: 'HV-OTHER', ...leaseKeys([gpu]) });
    expect(takeLease(d, 'op-x', 'operation', () => [], touches([gpu]))).toHaveProperty('busy');
  });

  it('is renewed while held, so a long step never makes it stale', () => {
    onFakeClock(() => {
      const d = dir();
      const lease = taken(d, 'op-long');
      const at = () => (JSON.parse(readFileSync(leaseFile(d, 'op-long'), 'utf8')) as { at: number }).at;
      const first = at();
      vi.advanceTimersByTime(3 * LEASE_STALE_MS);
      expect(at() - first).toBeGreaterThanOrEqual(3 * LEASE_STALE_MS - LEASE_RENEW_MS);
      lease.release();
      const released = readFileSync(leaseFile(d, 'op-long'), 'utf8');
      vi.advanceTimersByTime(LEASE_RENEW_MS * 2);
      expect(readFileSync(leaseFile(d, 'op-long'), 'utf8')).toBe(released); // no renewal after the release
      expect(runningReason(d, 'op-long')).toBeNull();
    });
  });
});
