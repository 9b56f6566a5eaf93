/**
 * The IPC surface by name only: the methods, their channels and the event channel. Kept apart from
 * contract.ts (the schemas) so the sandboxed preload, which only forwards, carries no validation code:
 * the main side validates every message (main/electron/ipc.ts). contract.ts's `methods` must name
 * exactly these (a type check there).
 */
export const methodNames = [
  'getAppInfo',
  'getInventory',
  'planOperation',
  'runPlan',
  'getActivity',
  'exportActivity',
  'getOperationLog',
  'getUnfinished',
  'resolveUnfinished',
  'listHosts',
  'saveHost',
  'testHost',
  'removeHost',
  'getPrepareCommands',
  'getSettings',
  'setSettings',
  'restartElevated',
  'runDoctor',
  'captureHost',
] as const;

export type MethodName = (typeof methodNames)[number];

/** The IPC channel of a method; one prefix so the main side can refuse anything else. */
export const channelOf = (method: MethodName): string => `dda:${method}`;
export const EVENT_CHANNEL = 'dda:event';
