/** `dda start --vm <name>` on the simulated host: refused for a running VM, planned without --yes, run with it. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshState } from '../../testing/test-support';
import { main } from './dda';

async function dda(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}
const stateOf = (file: string, vm: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as { vms: Array<{ name: string; state: string }> }).vms.find(
    (v) => v.name === vm,
  )?.state;

describe('dda start', () => {
  it('plan refuses a running VM; start shows the plan of an off one without --yes, starts it with --yes', async () => {
    const sim = freshState('ml30-connectx4');
    const host = ['--sim-state', sim, '--data-dir', mkdtempSync(join(tmpdir(), 'dda-cli-start-'))];
    const running = await dda(['plan', 'start-vm', '--vm', 'File-Server', ...host]);
    expect(running.code).toBe(2);
    expect(running.out).toContain("REFUSED: 'File-Server' is already running.");

    const asked = await dda(['start', '--vm', 'Router-01', ...host]);
    expect(asked.code).toBe(2);
    expect(asked.out).toMatch(/Plan: Start Router-01[\s\S]*1\. Start VM 'Router-01'\s+op-start-vm -VmId '/);
    expect(asked.err).toContain('add --yes');
    expect(stateOf(sim, 'Router-01')).toBe('Off');

    const run = await dda(['start', '--vm', 'Router-01', '--yes', ...host]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('SUCCEEDED: Start Router-01');
    expect(stateOf(sim, 'Router-01')).toBe('Running');
  }, 180_000); // a hang guard: three commands, each a new PowerShell session

  it('needs --vm', async () => {
    const r = await dda(['start']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('--vm is required');
  });
});
