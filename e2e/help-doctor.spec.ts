/** Help > Check this host and Help > Save host report, on a simulated host (issue 13). */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

test.describe('Help menu on a host without an IOMMU', () => {
  test.use({ profile: 'no-iommu' });

  test('Check this host lists the items with their fixes; Save host report downloads a replayable profile', async ({
    app,
    sim,
  }) => {
    const before = readFileSync(sim.stateFile, 'utf8');
    await app.page.getByTestId('help-menu').click();
    await app.page.getByRole('menuitem', { name: 'Check this host' }).click();
    const dialog = app.page.getByTestId('doctor-dialog');
    await expect(dialog.getByTestId('doctor-summary')).toContainText('2 fail');
    await expect(dialog.getByTestId('doctor-item-iommu')).toHaveAttribute('data-status', 'fail');
    await expect(dialog.getByTestId('doctor-item-iommu')).toContainText('bcdedit /set hypervisoriommupolicy default');
    await expect(dialog.getByTestId('doctor-item-surface:Get-VMNetworkAdapter')).toHaveAttribute('data-status', 'pass');
    await app.page.getByTestId('language').selectOption('zh-CN');
    await expect(dialog.getByTestId('doctor-item-iommu')).toContainText('修复方法');
    await dialog.getByTestId('doctor-close').click();
    await app.page.getByTestId('language').selectOption('en');

    await app.page.getByTestId('help-menu').click();
    const download = app.page.waitForEvent('download');
    await app.page.getByRole('menuitem', { name: 'Save host report (anonymized)' }).click();
    const file = await (await download).path();
    const profile = JSON.parse(readFileSync(file, 'utf8')) as {
      schema: string;
      host: { computerName: string };
      capture: { anonymized: { kept: string[] } };
    };
    expect(profile.schema).toBe('dda-studio/host-profile@1');
    expect(profile.host.computerName).toBe('HOST-1');
    expect(profile.capture.anonymized.kept.length).toBeGreaterThan(0);
    // Read-only: the host is byte for byte as before.
    expect(readFileSync(sim.stateFile, 'utf8')).toBe(before);
  });
});
