/**
 * The one contract between the UI and the privileged side: every method with its zod input and output,
 * and the events. The Electron preload, the IPC binding, the browser-mode server and the renderer's
 * bridge module are all generated from this list; nothing else crosses the boundary.
 */
import { z } from 'zod';
import type { MethodName } from './channels';
import { isLocalPath, LOCAL_PATH_MESSAGE } from './local-path';
import {
  connectionStateSchema,
  endpointKindSchema,
  hostIdSchema,
  LOCAL_HOST_ID,
  remoteTargetSchema,
  sshTargetSchema,
  winrmTargetSchema,
} from './hosts';
import { doctorReportSchema } from './doctor';
import { inventorySchema } from './inventory';
import { hostSetupKindSchema, hostSetupSchema } from './prepare-host';
import {
  intentSchema,
  localizedTextSchema,
  operationOutcomeSchema,
  planChoicesSchema,
  planSchema,
  rawErrorSchema,
  stepResultSchema,
  stepStateSchema,
} from './plan';

export const languageSchema = z.enum(['en', 'zh-CN']);
export type Language = z.infer<typeof languageSchema>;
export const themeSchema = z.enum(['system', 'light', 'dark']);

export const settingsSchema = z.object({
  language: languageSchema.nullable(),
  theme: themeSchema,
  powershellPath: z.string().max(1024).refine(isLocalPath, LOCAL_PATH_MESSAGE).nullable(),
  simulatorProfile: z.string().max(1024).refine(isLocalPath, LOCAL_PATH_MESSAGE).nullable(),
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
  /**
   * Where passwords of remote hosts are kept: 'os' = the OS credential store (Electron safeStorage),
   * 'memory' = in this process only, until it ends (browser mode, CLI, no credential store).
   */
  passwordStore: z.enum(['os', 'memory']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Which host a per-host request is about; omitted = the local host (so older callers keep working). */
const hostField = { host: hostIdSchema.default(LOCAL_HOST_ID) };

export const activityEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  /** The host it happened on, by id and by the name the admin gave it. */
  host: hostIdSchema,
  hostName: z.string(),
  kind: z.enum(['inventory', 'operation', 'recovery', 'error', 'host', 'test']),
  summary: z.string(),
  durationMs: z.number().optional(),
  operationId: z.string().optional(),
  status: z.string().optional(),
  /** The line in both languages, where it is ours to word (an error's message is the host's own). */
  text: localizedTextSchema.optional(),
});
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

/** One step of an operation as the journal recorded it (Activity's step log). */
export const operationLogStepSchema = z.object({
  stepId: z.string(),
  description: localizedTextSchema,
  /** The PowerShell the step runs (as the plan showed it). */
  command: z.string(),
  state: stepStateSchema,
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  /** Why a step or its undo was skipped (already done, not needed). */
  reason: z.string().optional(),
  error: rawErrorSchema.optional(),
  undoError: rawErrorSchema.optional(),
});
/** An operation's step log, from the journal: its plan's title, each step's status, times and errors, and the exported log's lines of it. */
export const operationLogSchema = z.object({
  operationId: z.string(),
  title: localizedTextSchema,
  computerName: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Null while the journal has no end for it (unfinished: see recovery). */
  status: operationOutcomeSchema.shape.status.nullable(),
  steps: z.array(operationLogStepSchema),
  /** Why the journal's record of it is not trusted; absent when it is. */
  untrusted: z.string().optional(),
  text: z.string(),
});
export type OperationLog = z.infer<typeof operationLogSchema>;

export const unfinishedOperationSchema = z.object({
  operationId: z.string(),
  title: z.string(),
  startedAt: z.string(),
  completedSteps: z.array(z.string()),
  totalSteps: z.number(),
  /** Why the journal's record of it is not trusted (it is then never run); absent when it is. */
  untrusted: z.string().optional(),
  /** Who runs it now (this window, or another DDA Studio process on the same data); absent when nobody does. */
  running: z.string().optional(),
});
export type UnfinishedOperation = z.infer<typeof unfinishedOperationSchema>;

const empty = z.object({}).strict();
const perHost = z.object(hostField).strict();

/** A host's readiness at a glance (from its last inventory): the switcher's "connected · PowerShell 5.1 · IOMMU ok". */
export const hostReadinessSummarySchema = z.object({
  computerName: z.string(),
  psEdition: z.string(),
  psVersion: z.string(),
  iommu: z.boolean().nullable(),
  iov: z.boolean().nullable(),
  elevated: z.boolean(),
  simulated: z.boolean(),
  readAt: z.string(),
});
export type HostReadinessSummary = z.infer<typeof hostReadinessSummarySchema>;

/** One host of the switcher. Never carries a password: only whether one is stored. */
export const hostSummarySchema = z.object({
  id: hostIdSchema,
  /** The admin's name for it; for the local host, its computer name once known (null before). */
  name: z.string().nullable(),
  /** describeTarget() of a remote host ("ssh root@10.0.0.5:22"); empty for the local host. */
  description: z.string(),
  transport: z.enum(['local', 'ssh', 'winrm']),
  endpoint: endpointKindSchema,
  state: connectionStateSchema,
  lastError: z.string().nullable(),
  hasStoredPassword: z.boolean(),
  readiness: hostReadinessSummarySchema.nullable(),
  /** Interrupted operations its journal shows (to finish or roll back). */
  unfinished: z.number().int(),
  /** The saved definition, for the edit dialog; null for the local host. */
  target: remoteTargetSchema.nullable(),
});
export type HostSummary = z.infer<typeof hostSummarySchema>;

/** A host definition as the admin enters it: a remote target whose id may be left to the app (new hosts). */
export const hostTargetInputSchema = z.discriminatedUnion('transport', [
  sshTargetSchema.extend({ id: hostIdSchema.optional() }),
  winrmTargetSchema.extend({ id: hostIdSchema.optional() }),
]);
export type HostTargetInput = z.input<typeof hostTargetInputSchema>;
/** A password as data: never logged, never echoed, never written to disk in clear. */
const passwordSchema = z.string().min(1).max(1024);

export const hostTestResultSchema = z.object({
  host: z.string(),
  name: z.string(),
  /** Opening the remote connection (null for the local host or an already open one), ms. */
  connectMs: z.number().nullable(),
  /** One full round trip on the open connection: the inventory call, ms. */
  roundTripMs: z.number(),
  computerName: z.string(),
  psEdition: z.string(),
  psVersion: z.string(),
  readiness: hostReadinessSummarySchema,
  devices: z.number().int(),
  vms: z.number().int(),
});
export type HostTestResult = z.infer<typeof hostTestResultSchema>;

/** The "prepare this host" helper for one host: every setup that fits its transport (shared/prepare-host.ts). */
export const prepareCommandsSchema = z.object({
  host: hostIdSchema,
  name: z.string(),
  /** The setups the host's own settings point at (shown first). */
  recommended: z.array(hostSetupKindSchema),
  setups: z.array(hostSetupSchema),
});
export type PrepareCommands = z.infer<typeof prepareCommandsSchema>;

/** Every method: its input and the value of its result envelope. */
export const methods = {
  getAppInfo: { input: empty, output: appInfoSchema },
  // Per host (host omitted = the local host).
  getInventory: { input: z.object({ ...hostField, refresh: z.boolean() }).strict(), output: inventorySchema },
  planOperation: {
    input: z.object({ ...hostField, intent: intentSchema, choices: planChoicesSchema }).strict(),
    output: planSchema,
  },
  runPlan: { input: z.object({ ...hostField, planId: z.string().max(100) }).strict(), output: operationOutcomeSchema },
  getActivity: { input: perHost, output: z.array(activityEntrySchema) },
  exportActivity: { input: perHost, output: z.object({ fileName: z.string(), text: z.string() }) },
  /** The step log of one operation (a click on its Activity line). */
  getOperationLog: {
    input: z.object({ ...hostField, operationId: z.string().min(1).max(200) }).strict(),
    output: operationLogSchema,
  },
  getUnfinished: { input: perHost, output: z.array(unfinishedOperationSchema) },
  resolveUnfinished: {
    input: z
      .object({ ...hostField, operationId: z.string().max(100), action: z.enum(['finish', 'rollback']) })
      .strict(),
    output: operationOutcomeSchema,
  },
  // Hosts: the local one first, then the remote ones the admin added.
  listHosts: { input: empty, output: z.array(hostSummarySchema) },
  /** Adds (no id, or a new one) or replaces (an existing id) a remote host; closes its old connection. */
  saveHost: {
    input: z
      .object({
        target: hostTargetInputSchema,
        /** WinRM with a user: kept in the OS credential store (or in memory only; see appInfo.passwordStore). */
        password: passwordSchema.optional(),
        /** Forget the stored password. */
        forgetPassword: z.boolean().optional(),
      })
      .strict(),
    output: hostSummarySchema,
  },
  /** Opens the host (a saved one by id, or a definition not yet saved) and reads its inventory. */
  testHost: {
    input: z
      .object({
        host: hostIdSchema.optional(),
        target: hostTargetInputSchema.optional(),
        password: passwordSchema.optional(),
      })
      .strict()
      .refine((v) => (v.host === undefined) !== (v.target === undefined), 'give either host or target'),
    output: hostTestResultSchema,
  },
  removeHost: { input: z.object({ host: hostIdSchema }).strict(), output: z.object({ removed: z.boolean() }) },
  /** The host-side and client-side commands that prepare a saved remote host, per setup kind. */
  getPrepareCommands: { input: z.object({ host: hostIdSchema }).strict(), output: prepareCommandsSchema },
  getSettings: { input: empty, output: settingsSchema },
  setSettings: { input: settingsSchema.partial().strict(), output: settingsSchema },
  restartElevated: { input: empty, output: z.object({ restarting: z.boolean() }) },
  /** Help > Check this host: `dda doctor`'s read-only checks of a host. */
  runDoctor: { input: perHost, output: doctorReportSchema },
  /** Help > Save host report: the host as a simulator profile (`dda host capture`), for a bug report. */
  captureHost: {
    input: z.object({ ...hostField, anonymize: z.boolean() }).strict(),
    output: z.object({ fileName: z.string().max(200), text: z.string().max(50_000_000) }),
  },
} as const satisfies Record<MethodName, { input: z.ZodType; output: z.ZodType }>;

export { channelOf, EVENT_CHANNEL, methodNames, type MethodName } from './channels';
/** What a caller sends (defaults such as `host` may be omitted). */
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
/** What the implementation receives after dispatch() parsed it (defaults applied). */
export type MethodParams<M extends MethodName> = z.output<(typeof methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof methods)[M]['output']>;

/** Pushed from the privileged side to the UI; each names its host. */
export const eventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('session-status'),
    host: hostIdSchema,
    status: z.string(),
    detail: z.string().optional(),
  }),
  z.object({ type: z.literal('inventory-progress'), host: hostIdSchema, phase: z.string() }),
  z.object({ type: z.literal('inventory-changed'), host: hostIdSchema, readAt: z.string() }),
  z.object({
    type: z.literal('operation-progress'),
    host: hostIdSchema,
    operationId: z.string(),
    planId: z.string(),
    step: stepResultSchema,
  }),
  z.object({ type: z.literal('activity'), entry: activityEntrySchema }),
  /**
   * An operation was journaled on an open host: by another process (the `dda` command, another app or
   * server; pushed within about 2 s), or by this one (pushed when it has ended, for its other windows).
   * The windows read that host's unfinished operations and the hosts' list again; the host itself is
   * read again there once its journal is quiet (main/api/journal-watch.ts), and inventory-changed follows.
   */
  z.object({ type: z.literal('operations-changed'), host: hostIdSchema }),
  /** A host's connection state or readiness changed, or hosts were added or removed: re-read listHosts. */
  z.object({ type: z.literal('hosts-changed'), host: hostIdSchema.optional() }),
  /** The app menu's "Export activity log": the window exports the host it shows, as its own button does. */
  z.object({ type: z.literal('export-activity-requested') }),
]);
export type DdaEvent = z.infer<typeof eventSchema>;
