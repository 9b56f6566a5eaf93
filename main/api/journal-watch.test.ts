/**
 * The look at open hosts' journals (journal-watch.ts): every change another process journals is told to
 * the windows once, whatever reads happened meanwhile; the host is read again once its journal is quiet
 * and only when no read began after the change; this process's own operation is told when it ends.
 */
import { appendFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DdaEvent } from '../../shared/contract';
import { Journal } from '../host/journal';
import type { PooledHost } from '../hosts/host-pool';
import { watchJournals } from './journal-watch';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A host whose journal another process writes to, in a pool this test drives. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'dda-watch-'));
  dirs.push(dir);
  const journal = new Journal(dir);
  // runningElsewhere: an operation with a live lease (operation-lease.ts) in the journal.
  const pool = {
    busy: false,
    closed: false,
    runningElsewhere: false,
    looks: 0,
    openHosts: () => (pool.looks++, [host]),
    isBusy: () => pool.busy,
  };
  const operations = { unfinishedNow: () => (pool.runningElsewhere ? [{ running: 'process 42' }] : []) };
  const host = { id: 'local', services: { journal, operations } } as unknown as PooledHost;
  const reads: PooledHost[] = [];
  const events: DdaEvent[] = [];
  const watch = watchJournals(
    pool,
    async (h) => void reads.push(h),
    { emit: (e) => void events.push(e), subscribe: () => () => true },
    null,
  );
  let n = 0;
  // What the `dda` command beside the window appends (any line changes the file).
  const elsewhere = () =>
    appendFileSync(journal.file, JSON.stringify({ t: 'step-start', op: 'x', step: `s${++n}` }) + '\n');
  const told = () => events.filter((e) => e.type === 'operations-changed' && e.host === 'local').length;
  return { journal, host, pool, reads, told, watch, elsewhere };
}

describe('journal watch', () => {
  it('tells the windows of each change at once, and reads the host again once the journal is quiet', async () => {
    const { host, reads, told, watch, elsewhere } = setup();
    elsewhere();
    await watch.tick();
    await watch.tick();
    expect([told(), reads.length]).toEqual([0, 0]); // never read on this connection: its first read shows it all
    watch.readStarts(host);
    elsewhere(); // an operation's first step
    await watch.tick();
    expect([told(), reads.length]).toEqual([1, 0]);
    elsewhere(); // its next step: told again, still not read
    await watch.tick();
    expect([told(), reads.length]).toEqual([2, 0]);
    await watch.tick(); // quiet: read once
    expect([told(), reads]).toEqual([2, [host]]);
    // That read joined one in flight (no read began after the change): asked again, not told again.
    await watch.tick();
    expect([told(), reads.length]).toEqual([2, 2]);
    watch.readStarts(host);
    await watch.tick();
    expect([told(), reads.length]).toEqual([2, 2]);
  });

  it('tells a change even when a read began before the watch looked (a Refresh click)', async () => {
    const { host, reads, told, watch, elsewhere } = setup();
    watch.readStarts(host);
    elsewhere();
    watch.readStarts(host); // the read shows it; the windows' unfinished operations do not
    await watch.tick();
    await watch.tick();
    expect([told(), reads.length]).toEqual([1, 0]);
  });

  it('looks away while this process runs its own operation, and tells once when it has ended', async () => {
    const { host, pool, reads, told, watch, elsewhere } = setup();
    watch.readStarts(host);
    pool.busy = true;
    elsewhere(); // its records, and another process's on other devices meanwhile
    await watch.tick();
    await watch.tick();
    expect([told(), reads.length]).toEqual([0, 0]);
    watch.readStarts(host); // the read after it
    pool.busy = false;
    watch.ownOperationEnded(host);
    watch.ownOperationEnded(host);
    expect(told()).toBe(1);
    await watch.tick();
    await watch.tick();
    expect([told(), reads.length]).toEqual([1, 0]);
  });

  it('reads a host again when the read after its own operation began before the operation ended', async () => {
    const { host, pool, reads, watch, elsewhere } = setup();
    watch.readStarts(host); // a read that another window began mid-operation, joined after it
    pool.busy = true;
    elsewhere();
    pool.busy = false;
    watch.ownOperationEnded(host);
    await watch.tick();
    await watch.tick();
    expect(reads).toEqual([host]);
  });

  it('does not read the host during an operation running elsewhere (its long steps), and reads it once that has ended', async () => {
    const { host, pool, reads, told, watch, elsewhere } = setup();
    watch.readStarts(host);
    pool.runningElsewhere = true;
    elsewhere(); // its op-start and first step
    await watch.tick();
    await watch.tick();
    await watch.tick();
    expect([told(), reads.length]).toEqual([1, 0]);
    pool.runningElsewhere = false;
    elsewhere(); // its end
    await watch.tick();
    await watch.tick();
    expect([told(), reads.length]).toEqual([2, 1]);
  });

  it('never looks twice at once (a slow folder)', async () => {
    const { pool, watch } = setup();
    await Promise.all([watch.tick(), watch.tick(), watch.tick()]);
    expect(pool.looks).toBe(1);
  });

  it('sees a journal that did not exist yet, and one rotated away', async () => {
    const { journal, host, reads, watch, elsewhere } = setup();
    watch.readStarts(host); // no journal yet
    elsewhere();
    await watch.tick();
    await watch.tick();
    expect(reads).toHaveLength(1);
    watch.readStarts(host);
    renameSync(journal.file, join(journal.dir, 'journal.1.jsonl'));
    elsewhere();
    await watch.tick();
    await watch.tick();
    expect(reads).toHaveLength(2);
  });

  it('stops once the pool is closed', async () => {
    const { host, pool, reads, told, watch, elsewhere } = setup();
    watch.readStarts(host);
    elsewhere();
    pool.closed = true;
    await watch.tick();
    await watch.tick();
    expect([told(), reads.length]).toEqual([0, 0]);
  });
});
