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
import { join } from 'node:path';
import type { PsAction } from '../../../shared/plan';
import { psCommand } from '../../../shared/ps-literal';
import { projectRoot } from '../../project-root';

/** Each step script and its parameters, in the order of its param() block (steps.test.ts reads the block). */
export const opScripts = {
  'op-stop-vm': ['VmId', 'TimeoutSec'],
  'op-start-vm': ['VmId'],
  'op-remove-saved-state': ['VmId'],
  'op-disable-device': ['InstanceId'],
  'op-enable-device': ['InstanceId', 'WaitSec'],
  'op-dismount-device': [
    'LocationPath',
    'InstanceId',
    'RequireAcsSupport',
    'RequireDeviceMitigations',
    'RetryWithoutMitigations',
  ],
  'op-mount-device': ['LocationPath'],
  'op-add-device': ['VmId', 'LocationPath'],
  'op-add-devices': ['VmId', 'LocationPaths'],
  'op-remove-device': ['VmId', 'LocationPath'],
  'op-set-vm': [
    'VmId',
    'AutomaticStopAction',
    'GuestControlledCacheTypes',
    'LowMemoryMappedIoSpace',
    'HighMemoryMappedIoSpace',
    'DynamicMemoryEnabled',
  ],
  'op-set-vm-memory': ['VmId', 'DynamicMemoryEnabled'],
} as const satisfies Record<string, readonly string[]>;

export type OpScript = keyof typeof opScripts;
type ParamOf<S extends OpScript> = (typeof opScripts)[S][number];
type Value = string | number | boolean | string[];

export const isOpScript = (name: string): name is OpScript => Object.prototype.hasOwnProperty.call(opScripts, name);

/** The call of a step script as the admin reads and pastes it: parameters in the script's order, values as literals. */
export function opCall(script: string, params: Readonly<Record<string, unknown>>): string {
  if (!isOpScript(script)) throw new Error(`${script} is not a step script.`);
  const names: readonly string[] = opScripts[script];
  const unknown = Object.keys(params).filter((k) => !names.includes(k));
  if (unknown.length > 0) throw new Error(`${script} has no parameter ${unknown.join(', ')}.`);
  return psCommand(
    script,
    names.map((n) => [n, params[n]] as const),
  );
}

/** A step's action: the script, its params as data, and the call shown for them (made here, from those two). */
export function opAction<S extends OpScript>(
  script: S,
  params: Partial<Record<ParamOf<S>, Value | undefined>>,
): PsAction {
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
