/**
 * The look at open hosts' journals (journal-watch.ts): what another process journals makes the host read
 * again and the windows told, once; what this process's own operation journals, or what a read already
 * shows, does not.
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
  const host = { id: 'local', services: { journal } } as unknown as PooledHost;
  const pool = { busy: false, closed: false, openHosts: () => [host], isBusy: () => pool.busy };
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
  return { journal, host, pool, reads, events, watch, elsewhere };
}

describe('journal watch', () => {
  it('reads the host again and tells the windows once, when another process journaled after its last read began', () => {
    const { host, reads, events, watch, elsewhere } = setup();
    elsewhere();
    watch.tick();
    expect(reads).toEqual([]); // never read on this connection: its first read shows it all
    watch.readStarts(host);
    watch.tick();
    expect(reads).toEqual([]);
    elsewhere();
    watch.tick();
    expect(events).toEqual([{ type: 'operations-changed', host: 'local' }]);
    expect(reads).toEqual([host]);
    // The read asked for joined one in flight (no new read began): asked again, not told again.
    watch.tick();
    expect(reads).toHaveLength(2);
    expect(events).toHaveLength(1);
    // A read that began after the change shows it: nothing more until the next change.
    watch.readStarts(host);
    watch.tick();
    expect(reads).toHaveLength(2);
    elsewhere();
    watch.tick();
    expect(events).toHaveLength(2);
    expect(reads).toHaveLength(3);
  });

  it("takes what this process's own operation journals as known", () => {
    const { host, pool, reads, events, watch, elsewhere } = setup();
    watch.readStarts(host);
    pool.busy = true;
    elsewhere(); // the own operation's records
    watch.tick();
    pool.busy = false;
    watch.tick();
    expect(reads).toEqual([]);
    expect(events).toEqual([]);
  });

  it('sees a journal that did not exist yet, and one rotated away', () => {
    const { journal, host, reads, watch, elsewhere } = setup();
    watch.readStarts(host); // no journal yet
    elsewhere();
    watch.tick();
    expect(reads).toHaveLength(1);
    watch.readStarts(host);
    renameSync(journal.file, join(journal.dir, 'journal.1.jsonl'));
    elsewhere();
    watch.tick();
    expect(reads).toHaveLength(2);
  });

  it('stops once the pool is closed', () => {
    const { host, pool, reads, watch, elsewhere } = setup();
    watch.readStarts(host);
    elsewhere();
    pool.closed = true;
    watch.tick();
    expect(reads).toEqual([]);
  });
});
