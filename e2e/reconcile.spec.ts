/**
 * After the reboot (issue 18, profile after-reboot): the host is opened, DDA Studio lists what changed
 * since it last saw it (a card moved, a card removed, a deleted VM's orphan, a disabled function, a VM
 * whose MMIO no longer fits) and why two VMs would not start, decoded by code; each one-click fix is
 * planned, consented and run like every other operation.
 */
import { seedDdaStudioData } from '../main/simulator/profiles';
import { expect, test } from './fixtures';

const OLD = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const NEW = 'PCIROOT(0)#PCI(0300)#PCI(0000)';

test.describe('after a reboot with hardware changes', () => {
  test.use({ profile: 'after-reboot', prepare: { apply: (sim) => seedDdaStudioData(sim.stateFile) } });

  test('the changes are listed with their fixes; re-pointing the moved GPU repairs GPU-Render', async ({
    app,
    sim,
  }) => {
    const list = app.page.getByTestId('reconcile');
    await expect(list.getByTestId('reconcile-item')).toHaveCount(8);
    const moved = list.locator('[data-testid="reconcile-item"][data-kind="moved"]').first();
    await expect(moved).toContainText(`moved to ${NEW}`);
    await expect(list.locator('[data-kind="gone"]')).toContainText('Mellanox ConnectX-4 Lx');
    await expect(list.locator('[data-kind="orphan"]')).toContainText(
      "It was assigned to 'Old-Build-VM', which no longer exists.",
    );
    await expect(list.locator('[data-kind="disabled"]')).toContainText('X710');
    await expect(list.locator('[data-kind="vm-settings"]')).toContainText('Vision-01');
    await app.screenshot('reconcile-list');
    await moved.getByTestId('reconcile-fix').click();
    await expect(app.dialog).toContainText(`-LocationPath '${NEW}'`);
    expect(await app.runAndWait()).toBe('succeeded');
    await app.dialog.getByRole('button', { name: 'Close' }).click();
    expect(sim.vm('GPU-Render').assignedDevices).toEqual([NEW, 'PCIROOT(0)#PCI(0300)#PCI(0001)']);
    await expect(list.locator('[data-kind="moved"]')).toHaveCount(0);
    expect(sim.vm('GPU-Render').assignedDevices).not.toContain(OLD);
  });

  test('a VM card shows its last start failure decoded by code, and its fix raises the MMIO', async ({ app, sim }) => {
    const card = app.vmCard('Vision-01');
    const failure = card.getByTestId('start-failure');
    await expect(failure).toHaveAttribute('data-cause', 'mmio-too-small');
    await expect(failure).toHaveAttribute('data-hresult', '0x800705AA');
    await expect(failure).toContainText('16,896 MB high');
    await app.screenshot('start-failure-decoded');
    await failure.getByTestId('start-failure-fix').click();
    await expect(app.dialog).toContainText('HighMemoryMappedIoSpace');
    expect(await app.runAndWait()).toBe('succeeded');
    await app.dialog.getByRole('button', { name: 'Close' }).click();
    expect(Number(sim.vm('Vision-01').highMemoryMappedIoSpace)).toBeGreaterThanOrEqual(16896 * 1024 * 1024);
    // The card still tells the last failure; the gaps fit now, so it is no longer read as the MMIO's.
    await expect(card.getByTestId('start-failure')).toHaveAttribute('data-cause', 'host-resources');
  });
});
