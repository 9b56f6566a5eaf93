/** Which unfinished operations are running now: the lease a running operation keeps, and what it may refuse. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { holdLease, LEASE_RENEW_MS, LEASE_STALE_MS, leaseFile, runningReason } from './operation-lease';

const dir = () => mkdtempSync(join(tmpdir(), 'dda-lease-'));
/** A lease as another process writes it. */
function plant(d: string, op: string, lease: Record<string, unknown>): void {
  const file = leaseFile(d, op);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ op, what: 'operation', computer: hostname(), at: Date.now(), ...lease }));
}

describe('operation leases', () => {
  it('a live process on this computer holds its operation; once it has ended, nothing does', async () => {
    const d = dir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      plant(d, 'op-1', { pid: other.pid });
      expect(runningReason(d, 'op-1')).toMatch(new RegExp(`still going on .*\\(process ${other.pid}, seen 0 s ago\\)`));
      expect(runningReason(d, 'op-2')).toBeNull();
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
    expect(runningReason(d, 'op-1', now + LEASE_STALE_MS + 1000)).toBeNull();
    plant(d, 'op-1', { pid: process.ppid, at: now - LEASE_STALE_MS - 1000 });
    expect(runningReason(d, 'op-1', now)).toBeNull();
    plant(d, 'op-1', { pid: process.ppid, at: now + 10 * LEASE_STALE_MS });
    expect(runningReason(d, 'op-1', now)).toBeNull();
    plant(d, 'op-1', { pid: process.ppid, op: 'op-other' });
    expect(runningReason(d, 'op-1', now)).toBeNull();
    writeFileSync(leaseFile(d, 'op-1'), '{not json');
    expect(runningReason(d, 'op-1', now)).toBeNull();
    // this process's own id, in a lease it does not hold (left by an earlier process with the same id)
    plant(d, 'op-1', { pid: process.pid });
    expect(runningReason(d, 'op-1', now)).toBeNull();
  });

  it('is held by this process until released, renewed meanwhile, and its file is named by a hash of the id', () => {
    const d = dir();
    const op = '../../outside $(x) `y`';
    const release = holdLease(d, op, 'recovery');
    const file = leaseFile(d, op);
    expect(dirname(file)).toBe(join(d, 'running'));
    expect(existsSync(file)).toBe(true);
    expect(runningReason(d, op)).toMatch(/running now in this DDA Studio process/);
    release();
    release();
    expect(existsSync(file)).toBe(false);
    expect(runningReason(d, op)).toBeNull();
  });

  it('is renewed while held, so a long step never makes it stale', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const d = dir();
      const release = holdLease(d, 'op-long', 'operation');
      const at = () => (JSON.parse(readFileSync(leaseFile(d, 'op-long'), 'utf8')) as { at: number }).at;
      const first = at();
      vi.advanceTimersByTime(3 * LEASE_STALE_MS);
      expect(at() - first).toBeGreaterThanOrEqual(3 * LEASE_STALE_MS - LEASE_RENEW_MS);
      release();
      const last = Date.now();
      vi.advanceTimersByTime(LEASE_RENEW_MS * 2);
      expect(existsSync(leaseFile(d, 'op-long'))).toBe(false);
      expect(Date.now()).toBeGreaterThan(last);
    } finally {
      vi.useRealTimers();
    }
  });
});
