/**
 * Activity's step log through the one door (dispatch): a run on the simulated host, then its log by the
 * operation id its Activity line carries; wrong shapes refused before anything runs, an unknown id not-found.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ActivityEntry, OperationLog } from '../../shared/contract';
import { openHost } from '../host/host-connection';
import { createHostPool } from '../hosts/host-pool';
import { freshState } from '../../testing/test-support';
import { dispatch } from './dispatch';
import { createApi, memoryShellHooks } from './create-api';

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const pool = createHostPool(openHost({ simState: freshState('ml30-connectx4') }), {
  open: () => {
    throw new Error('no remote host in this test');
  },
});
const { api } = createApi(pool, memoryShellHooks('browser'));
afterAll(() => pool.dispose());
const call = (input: unknown) => dispatch(api, 'getOperationLog', input);

describe('getOperationLog', () => {
  it('refuses wrong shapes before anything reads the journal', async () => {
    for (const input of [
      {},
      { operationId: '' },
      { operationId: 7 },
      { operationId: 'x'.repeat(201) },
      { operationId: 'a', extra: true },
      { host: 'no such host!', operationId: 'a' },
      null,
      'a',
    ])
      expect(await call(input)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('an id the journal does not hold is not-found, on a host that is not there too', async () => {
    expect(await call({ operationId: 'op-that-never-ran' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call({ host: 'nowhere', operationId: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it("a run's Activity line carries its operation id; its log has the plan's title, every step done with times and its command", async () => {
    const plan = await dispatch(api, 'planOperation', {
      intent: { kind: 'assign', locationPath: CX4, vmName: 'Router-01' },
      choices: { consents: [], startVmAfter: false },
    });
    expect(plan.ok).toBe(true);
    const p = (
      plan as {
        value: { id: string; title: { en: string }; steps: Array<{ id: string; action: { command: string } }> };
      }
    ).value;
    const run = await dispatch(api, 'runPlan', { planId: p.id });
    expect(run).toMatchObject({ ok: true, value: { status: 'succeeded' } });
    const activity = await dispatch(api, 'getActivity', {});
    const line = (activity as { value: ActivityEntry[] }).value.find((a) => a.kind === 'operation');
    expect(line?.operationId).toBe((run as { value: { operationId: string } }).value.operationId);

    const r = await call({ operationId: line!.operationId });
    expect(r.ok).toBe(true);
    const log = (r as { value: OperationLog }).value;
    expect(log).toMatchObject({
      operationId: line!.operationId,
      title: p.title,
      status: 'succeeded',
      computerName: 'ML30-GEN10',
    });
    expect(log.endedAt).not.toBeNull();
    expect(log.steps.map((s) => s.stepId)).toEqual(p.steps.map((s) => s.id));
    expect(log.steps.map((s) => s.command)).toEqual(p.steps.map((s) => s.action.command));
    for (const s of log.steps) {
      expect(s.state).toBe('done');
      expect(s.startedAt).toBeDefined();
      expect(s.endedAt).toBeDefined();
      expect(s.durationMs).toBeTypeOf('number');
    }
    // The exported log's lines of this operation alone.
    expect(log.text).toContain(`START  ${p.title.en}`);
    expect(log.text).toContain(`END    succeeded`);
    expect(log.text.match(/START/g)).toHaveLength(1);
  });
});
