/**
 * The one contract between the UI and the privileged side: every method with its zod input and output,
 * and the events. The Electron preload, the IPC binding, the browser-mode server and the renderer's
 * bridge module are all generated from this list; nothing else crosses the boundary.
 */
import { z } from 'zod';
import { inventorySchema } from './inventory';
import { intentSchema, operationOutcomeSchema, planChoicesSchema, planSchema, stepResultSchema } from './plan';

export const languageSchema = z.enum(['en', 'zh-CN']);
export type Language = z.infer<typeof languageSchema>;
export const themeSchema = z.enum(['system', 'light', 'dark']);

export const settingsSchema = z.object({
  language: languageSchema.nullable(),
  theme: themeSchema,
  powershellPath: z.string().max(1024).nullable(),
  simulatorProfile: z.string().max(1024).nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  platform: z.string(),
  /** The OS language, for the default UI language. */
  osLocale: z.string(),
  simulated: z.boolean(),
  powershell: z.object({ path: z.string().nullable(), source: z.string().nullable() }),
  /** Can this shell restart itself elevated (Electron on Windows)? */
  canRestartElevated: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const activityEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(['inventory', 'operation', 'recovery', 'error']),
  summary: z.string(),
  durationMs: z.number().optional(),
  operationId: z.string().optional(),
  status: z.string().optional(),
});
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const unfinishedOperationSchema = z.object({
  operationId: z.string(),
  title: z.string(),
  startedAt: z.string(),
  completedSteps: z.array(z.string()),
  totalSteps: z.number(),
});
export type UnfinishedOperation = z.infer<typeof unfinishedOperationSchema>;

const empty = z.object({}).strict();

/** Every method: its input and the value of its result envelope. */
export const methods = {
  getAppInfo: { input: empty, output: appInfoSchema },
  getInventory: { input: z.object({ refresh: z.boolean() }).strict(), output: inventorySchema },
  planOperation: { input: z.object({ intent: intentSchema, choices: planChoicesSchema }).strict(), output: planSchema },
  runPlan: { input: z.object({ planId: z.string().max(100) }).strict(), output: operationOutcomeSchema },
  getActivity: { input: empty, output: z.array(activityEntrySchema) },
  exportActivity: { input: empty, output: z.object({ fileName: z.string(), text: z.string() }) },
  getUnfinished: { input: empty, output: z.array(unfinishedOperationSchema) },
  resolveUnfinished: {
    input: z.object({ operationId: z.string().max(100), action: z.enum(['finish', 'rollback']) }).strict(),
    output: operationOutcomeSchema,
  },
  getSettings: { input: empty, output: settingsSchema },
  setSettings: { input: settingsSchema.partial().strict(), output: settingsSchema },
  restartElevated: { input: empty, output: z.object({ restarting: z.boolean() }) },
} as const;

export type MethodName = keyof typeof methods;
export const methodNames = Object.keys(methods) as MethodName[];
export type MethodInput<M extends MethodName> = z.infer<(typeof methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof methods)[M]['output']>;

/** Pushed from the privileged side to the UI. */
export const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session-status'), status: z.string(), detail: z.string().optional() }),
  z.object({ type: z.literal('inventory-progress'), phase: z.string() }),
  z.object({ type: z.literal('inventory-changed'), readAt: z.string() }),
  z.object({ type: z.literal('operation-progress'), operationId: z.string(), planId: z.string(), step: stepResultSchema }),
  z.object({ type: z.literal('activity'), entry: activityEntrySchema }),
]);
export type DdaEvent = z.infer<typeof eventSchema>;

/** The IPC channel of a method; one prefix so the main side can refuse anything else. */
export const channelOf = (method: MethodName): string => `dda:${method}`;
export const EVENT_CHANNEL = 'dda:event';
