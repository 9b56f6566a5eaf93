/** The real thing: the `dda` CLI and its pwsh killed (SIGKILL, whole process group) mid-step, then `dda recover`. */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/dda';
import { projectRoot } from '../project-root';
import { Journal } from './journal';
import { leaseFile, runningReason } from './operation-lease';
import { comparableState, freshState, readState } from '../../testing/test-support';

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';

describe('the CLI and its PowerShell killed mid-operation', () => {
  it("dda recover lists the operation, then rolls the host back with nothing stranded; another computer's operation (a roaming data folder) is refused, not a stop", async () => {
    // Set-VM takes 120 s (the process is killed long before): the operation is still running while the
    // window (here, dda recover) looks at it, however slow the machine.
    const state = freshState('ml30-connectx4', (x) => (x.latencyMs = { 'Set-VM': 120_000 }));
    const before = comparableState(state);
    const cli = spawn(
      process.execPath,
      [
        join(projectRoot(), 'bin', 'dda.mjs'),
        'assign',
        '--device',
        CX4,
        '--vm',
        'Router-01',
        '--sim-state',
        state,
        '--yes',
      ],
      { detached: true, stdio: 'ignore' },
    );
    const journal = new Journal(`${state}.data`);
    await expect
      .poll(() => journal.records().some((r) => r.t === 'step-start' && r.step === 's3'), { timeout: 30_000 })
      .toBe(true);
    // While it runs, dda recover beside it lists it as running and does not recover it: nothing is run.
    let during = '';
    const watch = { out: (t: string) => (during += t + '\n'), err: (t: string) => (during += t + '\n') };
    expect(await main(['recover', '--sim-state', state], watch)).toBe(2);
    expect(during).toMatch(new RegExp(`Unfinished: .*Assign Mellanox.*RUNNING NOW: .*\\(process ${cli.pid}, seen`));
    expect(await main(['recover', '--rollback', '--sim-state', state], watch)).toBe(1);
    expect(during).toMatch(
      /is not recovered: .*still going on in another DDA Studio window or dda command.*Nothing was run/,
    );
    expect(journal.records().some((r) => r.t === 'recover-start' || r.t === 'undo-start')).toBe(false);
    // Nor does another operation on the same device, from another process: its plan is runnable here (the
    // card is dismounted, the VM is off), and it is refused before anything runs.
    const starts = () => journal.records().filter((r) => r.t === 'op-start').length;
    expect(starts()).toBe(1);
    expect(await main(['assign', '--device', CX4, '--vm', 'Build-Agent', '--sim-state', state, '--yes'], watch)).toBe(
      2,
    );
    expect(during).toMatch(
      new RegExp(
        `busy with another operation, "Assign Mellanox ConnectX-4 Lx Ethernet Adapter to Router-01", running in another DDA Studio window or dda command \\(process ${cli.pid}, seen`,
      ),
    );
    expect(starts()).toBe(1);
    // The lease names the CLI and the PowerShell running its step. Only the CLI ends (on Windows, closing
    // its console does that: PowerShell has none, and finishes its step): the operation still runs.
    const op = journal.findUnfinished()[0]!.op;
    const held = JSON.parse(readFileSync(leaseFile(journal.dir, op), 'utf8')) as { pid: number; pids: number[] };
    expect(held.pid).toBe(cli.pid);
    expect(held.pids).toHaveLength(1);
    expect(held.pids[0]).not.toBe(cli.pid);
    const exited = new Promise((resolve) => cli.once('exit', resolve));
    process.kill(cli.pid!, 'SIGKILL');
    await exited;
    expect(runningReason(journal.dir, op)).toMatch(/still going on/);
    process.kill(-cli.pid!, 'SIGKILL'); // now the rest of its process group: its pwsh, mid-step
    await expect.poll(() => runningReason(journal.dir, op), { timeout: 10_000 }).toBeNull();
    const s = readState(state);
    s.latencyMs = {};
    writeFileSync(state, JSON.stringify(s));
    expect(journal.findUnfinished()).toHaveLength(1);
    // The data folder also brought another computer's interrupted operation (a roaming profile), listed first.
    const [mine] = journal.findUnfinished();
    const theirs = { ...mine!.plan, computerName: 'HV-ELSEWHERE' };
    const at = new Date().toISOString();
    const lines = readFileSync(journal.file, 'utf8');
    writeFileSync(
      journal.file,
      JSON.stringify({ t: 'op-start', op: 'op-theirs', at, plan: theirs }) +
        '\n' +
        JSON.stringify({ t: 'step-start', op: 'op-theirs', at, step: theirs.steps[0]!.id }) +
        '\n' +
        lines,
    );
    let out = '';
    const io = { out: (t: string) => (out += t + '\n'), err: (t: string) => (out += t + '\n') };
    expect(await main(['recover', '--sim-state', state], io)).toBe(2);
    expect(out).toMatch(/Unfinished: .*Assign Mellanox/);
    expect(out).toMatch(/Unfinished: op-theirs .*NOT TRUSTED: It ran on HV-ELSEWHERE/);
    // this host's is rolled back; the other computer's is refused, left for its own host, and says so
    expect(await main(['recover', '--rollback', '--sim-state', state], io)).toBe(1);
    expect(out).toMatch(/It ran on HV-ELSEWHERE, .*Nothing was run/);
    expect(comparableState(state)).toEqual({ ...(before as object), latencyMs: {} });
    expect(journal.findUnfinished().map((o) => o.op)).toEqual(['op-theirs']);
    expect(journal.exportText()).toContain('RECOVER (rollback)');
  }, 60_000);
});
