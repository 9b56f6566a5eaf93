/**
 * A tampered journal never drives recovery. The journal lives in the user's data folder, which a
 * standard user's process can write; the elevated app validates every record and checks every recovered
 * step against what the planner could have made and the host as it is now. Each case below was
 * reproduced against the unchecked recovery (issue 14, item 3); here each is refused with nothing run.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../../shared/plan';
import type { ScriptRunner } from '../powershell/session-types';
import { readInventory } from './inventory-service';
import { Journal } from './journal';
import { memoryMeasurementStore } from './measurement-store';
import { Operations } from './operations';
import { otherComputerReason } from './recovery-checks';
import { comparableState, freshState, readState, sharedHost } from '../../testing/test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const AHCI = 'PCIROOT(0)#PCI(1702)';
const AHCI_ID = 'PCI\\VEN_8086&DEV_A352&SUBSYS_00E4103C&REV_10\\3&11583659&0&B8';

/** A runner that records which of our scripts ran. */
function watching(): { runner: ScriptRunner; scripts: string[] } {
  const scripts: string[] = [];
  return {
    scripts,
    runner: {
      invoke(script, params, options) {
        scripts.push(script);
        return shared.host.runner.invoke(script, params, options);
      },
      dispose: async () => undefined,
    },
  };
}

/** A real plan (assign the ConnectX-4 Lx to the Off VM Router-01), journaled as cut short by a crash after step 1, then edited. */
async function tampered(edit: (plan: Plan) => void, extraLines: string[] = []) {
  const state = freshState('ml30-connectx4');
  await shared.use(state);
  const memory = memoryMeasurementStore();
  const read = () => readInventory(shared.host.runner, { memory });
  const dir = mkdtempSync(join(tmpdir(), 'dda-journal-'));
  const planner = new Operations({ runner: shared.host.runner, journal: new Journal(dir), readInventory: read });
  const plan = structuredClone(
    await planner.plan(
      { kind: 'assign', locationPath: CX4, vmName: 'Router-01' },
      { consents: [], startVmAfter: false },
    ),
  );
  edit(plan);
  const at = new Date().toISOString();
  const lines = [
    { t: 'op-start', op: 'op-evil', at, plan },
    { t: 'step-start', op: 'op-evil', at, step: plan.steps[0]!.id },
  ].map((r) => JSON.stringify(r));
  writeFileSync(join(dir, 'journal.jsonl'), [...lines, ...extraLines].join('\n') + '\n');
  const watch = watching();
  const journal = new Journal(dir);
  const ops = new Operations({ runner: watch.runner, journal, readInventory: read });
  return { state, before: comparableState(state), ops, journal, watch };
}

const systemDiskStep = (id: string): PlanStep => ({
  id,
  kind: 'dismount-device',
  description: { en: 'x', 'zh-CN': 'x' },
  action: {
    script: 'op-dismount-device',
    params: {
      LocationPath: AHCI,
      InstanceId: '',
      RequireAcsSupport: false,
      RequireDeviceMitigations: false,
      RetryWithoutMitigations: false,
    },
    command: 'x',
  },
  undo: { script: 'op-mount-device', params: { LocationPath: AHCI }, command: 'x' },
});

const cases: Array<[string, (p: Plan) => void, RegExp]> = [
  [
    "steps that disable and force-dismount the system disk's controller (consents and all)",
    (p) => {
      p.choices.consents = ['force-insecure'];
      p.steps = [
        {
          ...p.steps[0]!,
          action: { script: 'op-disable-device', params: { InstanceId: AHCI_ID }, command: 'x' },
          undo: { script: 'op-enable-device', params: { InstanceId: AHCI_ID }, command: 'x' },
        },
        systemDiskStep(p.steps[1]!.id),
      ];
    },
    /controller of the host's system disk/,
  ],
  [
    'a step that points the session at another host (use-remote)',
    (p) => (p.steps[1]!.action = { script: 'use-remote', params: { HostName: 'evil.example' }, command: 'x' }),
    /names the script use-remote/,
  ],
  [
    'an undo that loads a module (use-simulator)',
    (p) => (p.steps[0]!.undo = { script: 'use-simulator', params: { ModulePath: '/tmp/evil.psm1' }, command: 'x' }),
    /undo of step .* names the script use-simulator/,
  ],
  [
    'an undo that dismounts the system disk controller behind a harmless step',
    (p) => (p.steps[0]!.undo = systemDiskStep('x').action),
    /undo of step|system disk/,
  ],
  [
    'a dismount without the ACS check and without its consent',
    (p) => (p.steps[1]!.action.params.RequireAcsSupport = false),
    /without the ACS check, and the plan has no consent/,
  ],
  [
    'a dismount without the mitigation check and without its consent',
    (p) => (p.steps[1]!.action.params.RequireDeviceMitigations = false),
    /without the mitigation check, and the plan has no consent/,
  ],
  [
    'a plan that was blocked',
    (p) => (p.blocked = { code: 'system-disk', text: { en: 'no', 'zh-CN': 'no' } }),
    /blocked or lacked a consent/,
  ],
  [
    'a device the host does not have',
    (p) => (p.steps[1]!.action.params.LocationPath = 'PCIROOT(9)#PCI(0900)'),
    /host has no such device/,
  ],
  [
    'a check written as 0 (PowerShell would bind it as $false)',
    (p) => (p.steps[1]!.action.params.RequireAcsSupport = 0),
    /parameters op-dismount-device does not take \(RequireAcsSupport\)/,
  ],
  [
    'a path and an instance id of two devices (the WMI dismount passes both)',
    (p) => (p.steps[1]!.action.params.InstanceId = AHCI_ID),
    /not the same device/,
  ],
  [
    'the old -Force parameter',
    (p) => (p.steps[1]!.action.params.Force = true),
    /parameters op-dismount-device does not take/,
  ],
  [
    'a retry without mitigations and without that consent',
    (p) => (p.steps[1]!.action.params.RetryWithoutMitigations = true),
    /without the mitigation check, and the plan has no consent/,
  ],
  [
    'an extra parameter (a common parameter smuggled in)',
    (p) => (p.steps[0]!.action.params.ErrorAction = 'SilentlyContinue'),
    /parameters op-disable-device does not take/,
  ],
  [
    'a VM step against another VM (turn File-Server off at rollback)',
    (p) =>
      p.steps.push({
        id: 's99',
        kind: 'start-vm',
        description: { en: 'x', 'zh-CN': 'x' },
        action: { script: 'op-start-vm', params: { VmId: '5e0a7d2c-8b14-4f3e-a6c2-2d9e1f7b3c02' }, command: 'x' },
        undo: {
          script: 'op-stop-vm',
          params: { VmId: '5e0a7d2c-8b14-4f3e-a6c2-2d9e1f7b3c02', TimeoutSec: 1 },
          command: 'x',
        },
      }),
    /VM\(s\) the intent does not/,
  ],
  [
    'a device of another card (disable the USB controller as an undo)',
    (p) =>
      (p.steps[0]!.undo = {
        script: 'op-enable-device',
        params: { InstanceId: 'PCI\\VEN_8086&DEV_A36D&SUBSYS_00E4103C&REV_10\\3&11583659&0&A0' },
        command: 'x',
      }),
    /not on the card of/,
  ],
  [
    'a step kind an assignment never has (mount, whose undo force-dismounts)',
    (p) =>
      p.steps.push({
        id: 's98',
        kind: 'mount-device',
        description: { en: 'x', 'zh-CN': 'x' },
        action: { script: 'op-mount-device', params: { LocationPath: CX4 }, command: 'x' },
        undo: {
          script: 'op-dismount-device',
          params: {
            LocationPath: CX4,
            InstanceId: '',
            RequireAcsSupport: false,
            RequireDeviceMitigations: false,
            RetryWithoutMitigations: false,
          },
          command: 'x',
        },
      }),
    /not part of a assign plan/,
  ],
  [
    'an operation of another computer (a roaming profile brought its journal: identical servers, identical paths)',
    (p) => (p.computerName = 'HV-ELSEWHERE'),
    /It ran on HV-ELSEWHERE, and this host is .*: its journal came from another computer/,
  ],
];

describe('a tampered journal is refused with nothing run', () => {
  for (const [name, edit, why] of cases) {
    it(name, async () => {
      const { state, before, ops, watch } = await tampered(edit);
      const [rec] = ops.unfinished();
      expect(rec?.op).toBe('op-evil');
      for (const action of ['finish', 'rollback'] as const) {
        const r = await ops.recover('op-evil', action);
        expect(r.ok, action).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('refused');
          expect(r.error.message).toMatch(why);
          expect(r.error.message).toContain('Nothing was run');
        }
      }
      expect(watch.scripts.filter((s) => s !== 'inventory')).toEqual([]);
      expect(comparableState(state)).toEqual(before);
    });
  }

  it('a record that is not a valid record is shown and never run: its operation is not offered, or is refused', async () => {
    // a step record of the operation with a wrong shape: the operation cannot be trusted
    const bad = await tampered(
      () => undefined,
      [JSON.stringify({ t: 'step-done', op: 'op-evil', at: 'x', step: 's1', ms: 'soon' })],
    );
    expect(bad.journal.rejected()).toEqual([expect.objectContaining({ line: 3, op: 'op-evil' })]);
    const r = await bad.ops.recover('op-evil', 'finish');
    expect(!r.ok && r.error.message).toMatch(/journal line 3 is not a valid record/);
    expect(bad.watch.scripts.filter((s) => s !== 'inventory')).toEqual([]);
    // an op-start whose plan has a step kind the app does not know: no operation at all
    const unknown = await tampered((p) => ((p.steps[0] as { kind: string }).kind = 'format-disk'));
    expect(unknown.ops.unfinished()).toEqual([]);
    expect(unknown.journal.rejected()[0]).toMatchObject({ line: 1, op: 'op-evil' });
    const r2 = await unknown.ops.recover('op-evil', 'rollback');
    expect(!r2.ok && r2.error.code).toBe('not-found');
  });

  it('an untampered record of the same plan still recovers (the checks refuse only what the planner could not make)', async () => {
    const { state, ops, watch } = await tampered(() => undefined);
    const r = await ops.recover('op-evil', 'finish');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.error ?? null).toBeNull();
    expect(r.value.status).toBe('succeeded');
    expect(watch.scripts).toEqual(expect.arrayContaining(['op-disable-device', 'op-dismount-device', 'op-add-device']));
    expect(readState(state).vms.find((v) => v.name === 'Router-01')!.assignedDevices).toEqual([CX4]);
  });

  it("this computer's name in another case, or a name that was unknown when planned, still recovers", async () => {
    for (const rename of [(n: string) => n.toLowerCase(), () => 'localhost']) {
      const { state, ops } = await tampered((p) => (p.computerName = rename(p.computerName)));
      const r = await ops.recover('op-evil', 'rollback');
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.status).toBe('rolled-back');
      expect(readState(state).vms.find((v) => v.name === 'Router-01')!.assignedDevices).toEqual([]);
    }
  });

  it('a host whose name cannot be read now cannot be told from another computer: refused until it can', () => {
    const on = (computerName: string) => ({ computerName }) as Plan;
    expect(otherComputerReason(on('HV01'), 'localhost')).toMatch(/this host's name could not be read/);
    expect(otherComputerReason(on('HV01'), '')).toMatch(/this host's name could not be read/);
    expect(otherComputerReason(on('HV01'), 'hv01')).toBeNull();
    // planned while the name could not be read: the name decides nothing (the other checks still do)
    expect(otherComputerReason(on('localhost'), 'HV01')).toBeNull();
  });

  it('a torn last line (a crash mid-write) is not a tampering', async () => {
    const { journal, ops } = await tampered(() => undefined);
    appendFileSync(journal.file, '{"t":"step-done","op":"op-ev');
    expect(journal.rejected()).toEqual([]);
    expect(ops.unfinished()[0]?.invalid).toBeNull();
  });
});
