/**
 * SECURITY BOUNDARY: the sandboxed preload (bundled to CommonJS). Exposes exactly one global, `dda`,
 * with one function per contract method and an event subscription that strips the IpcRendererEvent
 * and returns an unsubscribe. No ipcRenderer, no Node, nothing else reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelOf, EVENT_CHANNEL, methodNames } from '../../shared/channels';
import type { DdaEvent } from '../../shared/contract';

const api: Record<string, unknown> = {};
for (const m of methodNames) api[m] = (input: unknown) => ipcRenderer.invoke(channelOf(m), input);
api.onEvent = (listener: (event: DdaEvent) => void) => {
  if (typeof listener !== 'function') throw new TypeError('listener must be a function');
  const forward = (_event: IpcRendererEvent, payload: DdaEvent) => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  };
};
contextBridge.exposeInMainWorld('dda', Object.freeze(api));
