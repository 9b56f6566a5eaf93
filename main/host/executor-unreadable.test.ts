/**
 * A rollback nobody could check is never reported done: when the host cannot be read after a step failed,
 * the failed step's undo runs (checking first), and the outcome says the rollback is not verified.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/plan';
import type { ScriptRunner } from '../powershell/session-types';
import { executePlan } from './executor';
import { actions } from './steps/actions';

const PATH = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const ID = 'PCI\\VEN_10DE&DEV_1EB8&SUBSYS_00000000&REV_A1\\4&1&0&0018';

function plan(): Plan {
  const checks = { RequireAcsSupport: true, RequireDeviceMitigations: true, RetryWithoutMitigations: false };
  return {
    id: 'p',
    intent: {},
    choices: {},
    blocked: null,
    consents: [],
    warnings: [],
    steps: [
      { id: 's1', kind: 'disable-device', action: actions.disable(ID), undo: actions.enable(ID), description: {} },
      {
        id: 's2',
        kind: 'dismount-device',
        action: actions.dismount(PATH, ID, checks),
        undo: actions.mount(PATH),
        description: {},
      },
    ],
  } as unknown as Plan;
}

describe('a step that fails while the host cannot be read', () => {
  it('is undone too (a dismount that failed after its effect), and the rollback is not called done', async () => {
    const calls: string[] = [];
    const runner = {
      async invoke(script: string) {
        calls.push(script);
        // Dismounted, then its new PCIP\ device not found yet: ObjectNotFound after the effect.
        if (script === 'op-dismount-device')
          return {
            ok: false,
            error: { kind: 'powershell', message: 'not found', category: 'ObjectNotFound' },
            errors: [],
          };
        return { ok: true, value: null, errors: [] };
      },
    } as unknown as ScriptRunner;
    const out = await executePlan(plan(), runner, {
      readInventory: async () => {
        throw new Error('WMI is busy');
      },
    });
    expect(calls).toEqual(['op-disable-device', 'op-dismount-device', 'op-mount-device', 'op-enable-device']);
    expect(out.status).toBe('rollback-failed');
  });
});
