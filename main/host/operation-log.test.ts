/** One operation's step log folded from the journal: failed, undone, undo failed, skipped, never run, unfinished. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/plan';
import { Journal } from './journal';
import { operationLog } from './operation-log';

function plan(n: number): Plan {
  const step = (i: number) => ({
    id: `s${i}`,
    kind: 'add-device' as const,
    description: { en: `Step ${i}`, 'zh-CN': `第 ${i} 步` },
    action: {
      script: 'op-add-device',
      params: { VmId: 'vm-1', LocationPath: `PCIROOT(0)#PCI(0${i}00)` },
      command: `cmd ${i}`,
    },
    undo: {
      script: 'op-remove-device',
      params: { VmId: 'vm-1', LocationPath: `PCIROOT(0)#PCI(0${i}00)` },
      command: `undo ${i}`,
    },
  });
  return {
    id: 'p1',
    intent: { kind: 'return-orphans' },
    choices: { consents: [], startVmAfter: false },
    title: { en: 'Test plan', 'zh-CN': '测试' },
    computerName: 'HV01',
    inventoryReadAt: '2026-01-01T00:00:00Z',
    blocked: null,
    consents: [],
    offersStartVmAfter: false,
    steps: Array.from({ length: n }, (_, i) => step(i + 1)),
    warnings: [],
    script: '',
  };
}
const at = (s: number) => `2026-11-30T10:00:0${s}.000Z`;

describe('operationLog', () => {
  it('a rolled-back run: the failed step with its error, the undone one, one undo that failed, one never run; only this operation', () => {
    const j = new Journal(mkdtempSync(join(tmpdir(), 'dda-oplog-')));
    j.append({ t: 'op-start', op: 'other', at: at(0), plan: plan(1) });
    j.append({ t: 'op-start', op: 'a', at: at(0), plan: plan(4) });
    j.append({ t: 'step-start', op: 'a', at: at(1), step: 's1' });
    j.append({ t: 'step-done', op: 'a', at: at(2), step: 's1', ms: 12.4 });
    j.append({ t: 'step-start', op: 'other', at: at(2), step: 's1' });
    j.append({ t: 'step-skipped', op: 'a', at: at(2), step: 's2', reason: 'already done' });
    j.append({ t: 'step-start', op: 'a', at: at(3), step: 's3' });
    j.append({
      t: 'step-failed',
      op: 'a',
      at: at(4),
      step: 's3',
      ms: 40,
      error: { message: 'The device is in use', fullyQualifiedErrorId: 'X,Add-VMAssignableDevice' },
    });
    j.append({ t: 'undo-start', op: 'a', at: at(5), step: 's2' });
    j.append({ t: 'undo-failed', op: 'a', at: at(5), step: 's2', error: { message: 'no undo' } });
    j.append({ t: 'undo-start', op: 'a', at: at(6), step: 's1' });
    j.append({ t: 'undo-done', op: 'a', at: at(7), step: 's1', ms: 3 });
    j.append({ t: 'op-end', op: 'a', at: at(8), status: 'rollback-failed', failedStep: 's3' });
    const log = operationLog(j, 'a')!;
    expect(log).toMatchObject({
      operationId: 'a',
      title: { en: 'Test plan' },
      computerName: 'HV01',
      startedAt: at(0),
      endedAt: at(8),
      status: 'rollback-failed',
    });
    expect(log.untrusted).toBeUndefined();
    expect(log.steps).toEqual([
      {
        stepId: 's1',
        description: { en: 'Step 1', 'zh-CN': '第 1 步' },
        command: 'cmd 1',
        state: 'undone',
        startedAt: at(1),
        endedAt: at(7),
        durationMs: 12,
      },
      {
        stepId: 's2',
        description: { en: 'Step 2', 'zh-CN': '第 2 步' },
        command: 'cmd 2',
        state: 'undo-failed',
        endedAt: at(5),
        reason: 'already done',
        undoError: { message: 'no undo' },
      },
      {
        stepId: 's3',
        description: { en: 'Step 3', 'zh-CN': '第 3 步' },
        command: 'cmd 3',
        state: 'failed',
        startedAt: at(3),
        endedAt: at(4),
        durationMs: 40,
        error: { message: 'The device is in use', fullyQualifiedErrorId: 'X,Add-VMAssignableDevice' },
      },
      { stepId: 's4', description: { en: 'Step 4', 'zh-CN': '第 4 步' }, command: 'cmd 4', state: 'pending' },
    ]);
    expect(log.text).toContain('FAILED s3 after 40 ms: The device is in use');
    expect(log.text).not.toContain('operation other');
  });

  it('an unfinished operation has no end and its step in flight is running; an unknown id is null', () => {
    const j = new Journal(mkdtempSync(join(tmpdir(), 'dda-oplog-')));
    j.append({ t: 'op-start', op: 'b', at: at(0), plan: plan(2) });
    j.append({ t: 'step-start', op: 'b', at: at(1), step: 's1' });
    const log = operationLog(j, 'b')!;
    expect(log).toMatchObject({ status: null, endedAt: null });
    expect(log.steps.map((s) => s.state)).toEqual(['running', 'pending']);
    expect(operationLog(j, 'nope')).toBeNull();
  });
});
