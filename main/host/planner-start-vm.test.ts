/** The start-vm intent (issue 17: the outcome's "Start <VM>"): allowed only for a VM that is off. */
import { describe, expect, it } from 'vitest';
import type { Inventory, Vm } from '../../shared/inventory';
import { intentSchema, planIsRunnable, planSchema, type Plan } from '../../shared/plan';
import { testInventory, testVm } from '../../testing/test-builders';
import { startedOperation, type OperationRecord } from './journal-record';
import { planOperation } from './planner';
import { recoveryRefusal, stepScripts } from './recovery-checks';

function plan(vmName: string, inv: Inventory): Plan {
  const p = planOperation(
    { kind: 'start-vm', vmName },
    inv,
    { consents: [], startVmAfter: false },
    { planId: 'p1', now: '2026-11-30T01:02:03.000Z' },
  );
  expect(planSchema.parse(p)).toEqual(p);
  expect(p.title['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  if (p.blocked) expect(p.blocked.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  return p;
}
const one = (over: Partial<Vm> = {}, host: Partial<Inventory['host']> = {}) => {
  const vm = testVm('File-Server', over);
  return { vm, inv: testInventory([], [vm], host) };
};
const record = (p: Plan): OperationRecord => startedOperation('op1', p, '');

describe('start-vm intent', () => {
  it('a VM that is off: one start-vm step running op-start-vm on its id, undone by turning it off again; no consent', () => {
    const { vm, inv } = one();
    const p = plan('File-Server', inv);
    expect(p.blocked).toBeNull();
    expect(p.consents).toEqual([]);
    expect(p.title.en).toBe('Start File-Server');
    expect(p.steps.map((s) => s.kind)).toEqual(['start-vm']);
    const s = p.steps[0]!;
    expect(s.description.en).toBe("Start VM 'File-Server'");
    expect(s.action.script).toBe(stepScripts['start-vm'].action);
    expect(s.action.params).toEqual({ VmId: vm.id });
    expect(s.undo?.script).toBe('op-stop-vm');
    expect(s.undo?.params.VmId).toBe(vm.id);
    expect(planIsRunnable(p)).toBe(true);
  });

  it.each([
    ['Running', 'vm-running', 'already running'],
    ['Saved', 'vm-saved', 'resumes its saved state'],
    ['Paused', 'vm-not-off', 'only a VM that is off'],
    ['Starting', 'vm-not-off', 'only a VM that is off'],
    ['Stopping', 'vm-not-off', 'only a VM that is off'],
  ] as const)('a VM that is %s is refused (%s) and says why; no step', (state, code, why) => {
    const p = plan('File-Server', one({ state }).inv);
    expect(p.blocked?.code).toBe(code);
    expect(p.blocked?.text.en).toContain(why);
    expect(p.steps).toEqual([]);
    expect(planIsRunnable(p)).toBe(false);
  });

  it('refused when the host cannot change (not elevated, no Hyper-V) and when the VM is not on the host', () => {
    expect(plan('File-Server', one({}, { elevated: false }).inv).blocked?.code).toBe('not-elevated');
    expect(plan('File-Server', one({}, { hyperVPresent: false }).inv).blocked?.code).toBe('no-hyperv');
    const gone = plan('Nobody', one().inv);
    expect(gone.blocked?.code).toBe('vm-not-found');
    expect(gone.steps).toEqual([]);
  });

  it('a hostile VM name is data: the step passes only the id, the texts and script comments hold it on one line', () => {
    const hostile = `Evil'; Remove-Item C:\\ -Recurse; '\u2019$(calc)\r\n# x`;
    const { vm, inv } = one({ name: hostile });
    const p = plan(hostile, inv);
    expect(p.blocked).toBeNull();
    expect(p.steps[0]!.action.params).toEqual({ VmId: vm.id });
    expect(p.steps[0]!.action.command).toBe(`op-start-vm -VmId '${vm.id}'`);
    expect(p.steps[0]!.description.en).not.toMatch(/[\r\n]/);
    // Every script line that names the VM is a comment.
    for (const line of p.script.split('\n').filter((l) => l.includes('Remove-Item C:')))
      expect(line.trimStart().startsWith('#')).toBe(true);
  });

  it('the intent schema takes a VM name, and refuses an empty or missing one', () => {
    expect(intentSchema.safeParse({ kind: 'start-vm', vmName: 'A' }).success).toBe(true);
    expect(intentSchema.safeParse({ kind: 'start-vm', vmName: '' }).success).toBe(false);
    expect(intentSchema.safeParse({ kind: 'start-vm' }).success).toBe(false);
  });

  it('recovery accepts its plan, and refuses one whose start-vm plan holds another kind or names another VM', () => {
    const { inv } = one();
    const p = plan('File-Server', inv);
    expect(recoveryRefusal(record(p), inv)).toBeNull();
    const s = p.steps[0]!;
    const stop = { ...p, steps: [{ ...s, kind: 'stop-vm' as const, action: s.undo!, undo: s.action }] };
    expect(recoveryRefusal(record(stop), inv)).toMatch(/not part of a start-vm plan/);
    const other = testVm('Other');
    const inv2 = testInventory([], [...inv.vms, other]);
    const elsewhere = { ...p, steps: [{ ...s, action: { ...s.action, params: { VmId: other.id } } }] };
    expect(recoveryRefusal(record(elsewhere), inv2)).toMatch(/names 1 VM\(s\) the intent does not/);
  });
});
