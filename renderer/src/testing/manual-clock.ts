/** A clock for the store's tests: retries wait until the test runs them; the time is fixed. */
import type { StoreClock } from '../slices/types';

export interface ManualClock extends StoreClock {
  /** The retries scheduled and not cancelled, with their waits. */
  pending: Array<{ ms: number; fn: () => void }>;
  /** Runs the next pending retry (its wait is not waited). */
  runNext(): void;
}

export function manualClock(now = new Date('2026-11-30T08:30:00.000Z')): ManualClock {
  const clock: ManualClock = {
    pending: [],
    schedule(ms, fn) {
      const entry = { ms, fn };
      clock.pending.push(entry);
      return () => {
        clock.pending = clock.pending.filter((e) => e !== entry);
      };
    },
    now: () => now,
    runNext() {
      const next = clock.pending.shift();
      if (!next) throw new Error('no retry is scheduled');
      next.fn();
    },
  };
  return clock;
}
