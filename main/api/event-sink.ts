/** A tiny fan-out of contract events to whoever listens (the Electron window, browser event streams). */
import type { DdaEvent } from '../../shared/contract';
import type { EventSink } from './api-types';

/** Creates an event sink; a listener that throws is dropped, never breaks the others. */
export function createEventSink(): EventSink {
  const listeners = new Set<(e: DdaEvent) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const l of [...listeners]) {
        try {
          l(event);
        } catch {
          listeners.delete(l);
        }
      }
    },
  };
}
