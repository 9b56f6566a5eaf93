/**
 * The step scripts, main/powershell/scripts/op-*.ps1, are the one definition of each step's PowerShell:
 * - the executor runs the script, with the step's params as data (never as text);
 * - the plan shows the call of that script with the same params, each as a ps-literal value
 *   (`op-stop-vm -VmId '…' -TimeoutSec 120`): `command` is made from `script` + `params` here, nowhere else;
 * - the exported .ps1 defines each script it calls as a function of the same name whose body is the
 *   script's own text (render-script.ts), then makes the same calls.
 * So what is shown, what is exported and what runs cannot drift (steps.test.ts runs both forms on the
 * simulator for every step kind and compares the host).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { join } from 'node:path';
import type { PsAction } from '../../../shared/plan';
import { psCommand } from '../../../shared/ps-literal';
import { projectRoot } from '../../project-root';

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);
const devicePath = z.string().min(1).max(512);

/**
 * Each step script and the parameters it takes, in the order of its param() block (steps.test.ts reads
 * the block), exactly: strict, no other key or type. The recovery checks a journal's steps against these.
 */
export const opScriptParams = {
  'op-stop-vm': z.strictObject({ VmId: guid, TimeoutSec: z.number().int().min(1).max(3600) }),
  'op-start-vm': z.strictObject({ VmId: guid }),
  'op-remove-saved-state': z.strictObject({ VmId: guid }),
  'op-disable-device': z.strictObject({ InstanceId: devicePath, WaitSec: z.number().int().min(0).max(600).optional() }),
  'op-enable-device': z.strictObject({ InstanceId: devicePath, WaitSec: z.number().int().min(0).max(600).optional() }),
  'op-dismount-device': z.strictObject({
    LocationPath: devicePath,
    InstanceId: z.string().max(512),
    RequireAcsSupport: z.boolean(),
    RequireDeviceMitigations: z.boolean(),
    RetryWithoutMitigations: z.boolean(),
  }),
  'op-mount-device': z.strictObject({ LocationPath: devicePath }),
  'op-add-device': z.strictObject({ VmId: guid, LocationPath: devicePath }),
  'op-add-devices': z.strictObject({ VmId: guid, LocationPaths: z.array(devicePath).min(1).max(64) }),
  'op-remove-device': z.strictObject({ VmId: guid, LocationPath: devicePath.optional() }),
  'op-set-vm': z.strictObject({
    VmId: guid,
    AutomaticStopAction: z.enum(['TurnOff', 'Save', 'ShutDown']).optional(),
    GuestControlledCacheTypes: z.boolean().optional(),
    LowMemoryMappedIoSpace: z.number().int().nonnegative().max(0xffffffff).optional(),
    HighMemoryMappedIoSpace: z.number().int().positive().optional(),
    DynamicMemoryEnabled: z.boolean().optional(),
  }),
  'op-set-vm-memory': z.strictObject({ VmId: guid, DynamicMemoryEnabled: z.boolean() }),
};

export type OpScript = keyof typeof opScriptParams;
type Value = string | number | boolean | string[];
/** The names are checked here; the values by the script's schema, when a journal is recovered. */
type ParamsOf<S extends OpScript> = Partial<Record<keyof (typeof opScriptParams)[S]['shape'], Value | undefined>>;

/** A step script's parameter names, in its param() block's order. */
export const opScriptParamNames = (script: OpScript): string[] => Object.keys(opScriptParams[script].shape);

export const isOpScript = (name: string): name is OpScript =>
  Object.prototype.hasOwnProperty.call(opScriptParams, name);

/** The call of a step script as the admin reads and pastes it: parameters in the script's order, values as literals. */
export function opCall(script: string, params: Readonly<Record<string, unknown>>): string {
  if (!isOpScript(script)) throw new Error(`${script} is not a step script.`);
  const names = opScriptParamNames(script);
  const unknown = Object.keys(params).filter((k) => !names.includes(k));
  if (unknown.length > 0) throw new Error(`${script} has no parameter ${unknown.join(', ')}.`);
  return psCommand(
    script,
    names.map((n) => [n, params[n]] as const),
  );
}

/** A step's action: the script, its params as data, and the call shown for them (made here, from those two). */
export function opAction<S extends OpScript>(script: S, params: ParamsOf<S>): PsAction {
  const data: Record<string, Value> = {};
  for (const [k, v] of Object.entries(params) as Array<[string, Value | undefined]>) if (v !== undefined) data[k] = v;
  return { script, params: data, command: opCall(script, data) };
}

const texts = new Map<OpScript, string>();

/** A step script's own text (product data, read once), as the export defines it. */
export function opScriptText(script: OpScript): string {
  let text = texts.get(script);
  if (text === undefined) {
    text = readFileSync(join(projectRoot(), 'main', 'powershell', 'scripts', `${script}.ps1`), 'utf8')
      .replace(/\r\n/g, '\n')
      .replace(/\n+$/, '');
    texts.set(script, text);
  }
  return text;
}
