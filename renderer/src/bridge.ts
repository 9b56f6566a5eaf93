/**
 * The only module that touches window.dda. In Electron the preload exposes it; in browser mode this
 * module installs an HTTP client with the same contract (POST /api/<method> with the token header,
 * events over /api/events). Everything else in the renderer calls `bridge`.
 */
import { eventSchema, methodNames, type DdaEvent, type MethodName } from '../../shared/contract';
import type { DdaBridge } from '../../shared/bridge';
import type { AppBridge } from './slices/types';
import type { Result } from '../../shared/result';

declare global {
  interface Window {
    dda?: DdaBridge;
  }
}

function browserBridge(): AppBridge {
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token') ?? sessionStorage.getItem('dda-token') ?? '';
  sessionStorage.setItem('dda-token', token);
  // Keep the token out of the address bar (and out of screenshots and history).
  if (params.has('token')) window.history.replaceState(null, '', window.location.pathname);
  const listeners = new Set<(e: DdaEvent) => void>();
  const linkListeners = new Set<(up: boolean) => void>();
  let source: EventSource | null = null;
  let linkUp = true;
  const setLink = (up: boolean) => {
    if (up === linkUp) return;
    linkUp = up;
    for (const l of linkListeners) l(up);
  };
  const openEvents = () => {
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (msg) => {
      const parsed = eventSchema.safeParse(JSON.parse(msg.data as string));
      if (parsed.success) for (const l of listeners) l(parsed.data);
    };
    // The event stream is the server's heartbeat: it errors as soon as the server or its tunnel is
    // gone, and EventSource reconnects by itself (opening again when the server is back).
    source.onerror = () => setLink(false);
    // Every opening is told, the first one too: what the server sent before it reached nobody (the store
    // reads it again: link-slice.ts linkChanged).
    source.onopen = () => {
      linkUp = true;
      for (const l of linkListeners) l(true);
    };
  };
  const call = async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-dda-token': token },
        body: JSON.stringify(input),
      });
      // The server answers again, but an EventSource that gave up stays closed: open a new one.
      if (source?.readyState === EventSource.CLOSED && listeners.size > 0) openEvents();
      if (!res.ok)
        return {
          ok: false,
          error: { code: res.status === 401 ? 'forbidden' : 'internal', message: `${res.status} ${await res.text()}` },
        };
      return (await res.json()) as Result<unknown>;
    } catch (e) {
      // No answer at all (the server stopped, the tunnel to it closed): a code of its own, never a guess from the text.
      return { ok: false, error: { code: 'unreachable', message: e instanceof Error ? e.message : String(e) } };
    }
  };
  const bridge = Object.fromEntries(
    methodNames.map((m) => [m, (input: unknown) => call(m, input)]),
  ) as unknown as AppBridge;
  bridge.onEvent = (listener) => {
    listeners.add(listener);
    if (!source) openEvents();
    return () => listeners.delete(listener);
  };
  bridge.onLinkChange = (listener) => {
    linkListeners.add(listener);
    return () => linkListeners.delete(listener);
  };
  return bridge;
}

/** The contract, in Electron or in a browser. */
export const bridge: AppBridge = window.dda ?? browserBridge();
