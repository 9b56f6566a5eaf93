/**
 * SECURITY BOUNDARY: the only file that binds IPC. Each contract method gets one channel; a request is
 * answered only when it comes from the main frame of our window at our app origin, and then only
 * through dispatch() (zod validation, result envelopes, no throws). Nothing else is registered.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channelOf, methodNames } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import type { DdaApi } from '../api/api-types';
import { dispatch } from '../api/dispatch';

/** The origin the renderer is served from (see window.ts). */
export const APP_ORIGIN = 'app://dda';

/** What a handler needs to know of the sender; a subset of IpcMainInvokeEvent, so tests need no Electron. */
export interface SenderInfo {
  senderFrame: { url: string; parent: unknown } | null;
  sender: { id: number };
}

/** True when the sender is the top frame of our window showing our own app origin. */
export function isTrustedSender(event: SenderInfo, ourContentsId: number): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || event.sender.id !== ourContentsId) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN || frame.url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

/** The handler core: sender check, then dispatch. Plain and testable. */
export function makeIpcHandler(api: DdaApi, trusted: (event: SenderInfo) => boolean) {
  return async (event: SenderInfo, method: string, input: unknown): Promise<Result<unknown>> => {
    try {
      if (!trusted(event)) return fail('forbidden', 'Request refused: not from the DDA Studio window.');
      return await dispatch(api, method, input);
    } catch {
      return fail('internal', 'Internal error.');
    }
  };
}

/** Registers one ipcMain.handle per contract method; returns a function that removes them. */
export function bindIpc(ipcMain: IpcMain, api: DdaApi, contents: () => WebContents | null): () => void {
  const handler = makeIpcHandler(api, (e) => {
    const wc = contents();
    return wc !== null && isTrustedSender(e, wc.id);
  });
  for (const m of methodNames) {
    ipcMain.handle(channelOf(m), (event: IpcMainInvokeEvent, input: unknown) =>
      handler(event as unknown as SenderInfo, m, input),
    );
  }
  return () => {
    for (const m of methodNames) ipcMain.removeHandler(channelOf(m));
  };
}
