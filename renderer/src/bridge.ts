/**
 * The only module that touches window.dda. In Electron the preload exposes it; in browser mode this
 * module installs an HTTP client with the same contract (POST /api/<method> with the token header,
 * events over /api/events). Everything else in the renderer calls `bridge`.
 */
import { eventSchema, methodNames, type DdaEvent, type MethodName } from '../../shared/contract';
import type { DdaBridge } from '../../shared/bridge';
import type { Result } from '../../shared/result';

declare global {
  interface Window {
    dda?: DdaBridge;
  }
}

function browserBridge(): DdaBridge {
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token') ?? sessionStorage.getItem('dda-token') ?? '';
  sessionStorage.setItem('dda-token', token);
  // Keep the token out of the address bar (and out of screenshots and history).
  if (params.has('token')) window.history.replaceState(null, '', window.location.pathname);
  const listeners = new Set<(e: DdaEvent) => void>();
  let source: EventSource | null = null;
  const call = async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dda-token': token }, body: JSON.stringify(input) });
      if (!res.ok) return { ok: false, error: { code: res.status === 401 ? 'forbidden' : 'internal', message: `${res.status} ${await res.text()}` } };
      return (await res.json()) as Result<unknown>;
    } catch (e) {
      return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
    }
  };
  const bridge = Object.fromEntries(methodNames.map((m) => [m, (input: unknown) => call(m, input)])) as unknown as DdaBridge;
  bridge.onEvent = (listener) => {
    listeners.add(listener);
    if (!source) {
      source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (msg) => {
        const parsed = eventSchema.safeParse(JSON.parse(msg.data as string));
        if (parsed.success) for (const l of listeners) l(parsed.data);
      };
    }
    return () => listeners.delete(listener);
  };
  return bridge;
}

/** The contract, in Electron or in a browser. */
export const bridge: DdaBridge = window.dda ?? browserBridge();
