/**
 * An operation `dda` runs beside the window (or another window runs) is shown as running as soon as it
 * is journaled, without the recovery buttons, for as long as its process lives, and the window refuses
 * to run an operation on its card meanwhile; once that process has died mid-way, the window (which
 * looks again while one runs) offers the same operation for recovery.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { hostServices } from '../main/host/host-services';
import { lockKeysOf } from '../main/host/locks';
import { leaseFile, leaseKeys } from '../main/host/operation-lease';
import { expect, test } from './fixtures';

test('a running operation is shown as running, not offered for recovery, until its process has ended', async ({
  app,
  served,
}) => {
  const { operations } = hostServices(served.host);
  const plan = await operations.plan(
    { kind: 'assign', locationPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)', vmName: 'Router-01' },
    { consents: ['turn-off-vm'], startVmAfter: false },
  );
  const beside = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  try {
    const lease = leaseFile(served.host.dataDir, 'op-beside');
    mkdirSync(dirname(lease), { recursive: true });
    writeFileSync(
      lease,
      JSON.stringify({
        op: 'op-beside',
        pid: beside.pid,
        computer: hostname(),
        at: Date.now(),
        what: 'operation',
        title: plan.title.en,
        ...leaseKeys(lockKeysOf(plan)),
      }),
    );
    // Then its first records, as Operations.run writes them (lease first). The window, open all along,
    // sees them without a reload (journal-watch.ts).
    const at = new Date().toISOString();
    appendFileSync(
      join(served.host.dataDir, 'journal.jsonl'),
      [
        { t: 'op-start', op: 'op-beside', at, plan },
        { t: 'step-start', op: 'op-beside', at, step: plan.steps[0]!.id },
      ]
        .map((r) => JSON.stringify(r) + '\n')
        .join(''),
    );
    const running = app.page.getByTestId('running-operation');
    await expect(running).toContainText('An operation is running now');
    await expect(running).toContainText(`process ${beside.pid}`);
    await expect(app.page.getByRole('button', { name: 'Roll it back' })).toHaveCount(0);
    await expect(app.hostTab('local')).not.toContainText('interrupted operation');
    await app.screenshot('running-operation');
    // The card it is changing cannot go to another VM meanwhile: the run is refused before anything runs.
    await app.dragDevice(/^Mellanox ConnectX-4 Lx Ethernet Adapter(?! #2)/, 'Build-Agent');
    await app.runButton.click();
    const refused = app.dialog.getByTestId('plan-error');
    await expect(refused).toContainText('Not run: another operation is changing a device or VM of this plan.');
    await expect(refused).toContainText(`"${plan.title.en}", running in another DDA Studio window or dda command`);
    await expect(refused).toContainText(`process ${beside.pid}`);
    await app.screenshot('run-refused-busy');
    const starts = readFileSync(join(served.host.dataDir, 'journal.jsonl'), 'utf8').match(/"t":"op-start"/g);
    expect(starts).toHaveLength(1);
    await app.dialog.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    beside.kill('SIGKILL');
    await once(beside, 'exit');
  }
  // No reload: the window looks again while an operation runs elsewhere, and offers it once it stopped half-way.
  await expect(app.page.getByRole('button', { name: 'Roll it back' })).toBeVisible({ timeout: 30_000 });
  await expect(app.hostTab('local')).toContainText('interrupted operation');
  await expect(app.page.getByTestId('running-operation')).toHaveCount(0);
});
