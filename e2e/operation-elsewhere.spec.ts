/**
 * An operation another process runs on the host on screen (the `dda` command beside the window, another
 * window): the window shows its result without a click on Refresh (main/api/journal-watch.ts). Here the
 * test itself is that other process: it plans and runs through its own operations object, past the
 * window's server, and only the host's journal and state tell the server.
 */
import { hostServices } from '../main/host/host-services';
import { expect, test } from './fixtures';

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';

test('an assignment made beside the window shows on its VM card, and its return too, without a refresh', async ({
  app,
  served,
  sim,
}) => {
  const card = app.vmCard('Router-01');
  await expect(card.getByTestId('chip')).toHaveCount(0);
  const { operations } = hostServices(served.host);
  const assign = await operations.plan(
    { kind: 'assign', locationPath: CX4, vmName: 'Router-01' },
    { consents: ['turn-off-vm'], startVmAfter: false },
  );
  const assigned = await operations.run(assign.id);
  expect(assigned.ok && assigned.value.status).toBe('succeeded');
  expect(sim.vm('Router-01').assignedDevices).toEqual([CX4]);
  await expect(card.getByTestId('chip')).toHaveAttribute('data-path', CX4, { timeout: 20_000 });
  await app.screenshot('operation-elsewhere');

  const revert = await operations.plan(
    { kind: 'revert', locationPath: CX4 },
    { consents: ['turn-off-vm'], startVmAfter: false },
  );
  const reverted = await operations.run(revert.id);
  expect(reverted.ok && reverted.value.status).toBe('succeeded');
  await expect(card.getByTestId('chip')).toHaveCount(0, { timeout: 20_000 });
  await expect(app.deviceAt(CX4)).toBeVisible();
});
