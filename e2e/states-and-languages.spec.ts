/** Languages, themes, host states and hostile names. */
import { expect, test } from './fixtures';

test('the zh-CN UI switches live', async ({ app }) => {
  await app.page.getByTestId('language').selectOption('zh-CN');
  await expect(app.page.getByRole('heading', { name: '设备' })).toBeVisible();
  await expect(app.page.getByRole('heading', { name: '虚拟机' })).toBeVisible();
  await expect(app.device('Intel(R) UHD Graphics P630')).toContainText(
    '不可直通：BIOS 保留内存（RMRR）'.replace('：', ': '),
  );
  await app.dragDevice(/^Mellanox ConnectX-4 Lx Ethernet Adapter(?! #2)/, 'Router-01');
  await expect(app.dialog.getByTestId('plan-title')).toHaveText(
    'Router-01（已关闭） ← 直通 Mellanox ConnectX-4 Lx Ethernet Adapter',
  );
  await app.screenshot('plan-dialog-zh-CN');
  await app.dialog.getByRole('button', { name: '取消' }).click();
  await app.screenshot('main-zh-CN');
});

test('dark theme', async ({ app }) => {
  await app.page.getByTestId('theme').selectOption('dark');
  await expect(app.page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.screenshot('main-dark');
});

test.describe('a host where DDA Studio is not elevated', () => {
  test.use({ prepare: { apply: (sim) => sim.edit((s) => (s.host.elevated = false)) } });
  test('shows the banner and refuses to plan changes', async ({ app }) => {
    await expect(app.page.getByTestId('not-elevated')).toContainText('not running as administrator');
    await app
      .device(/^Mellanox ConnectX-4 Lx Ethernet Adapter(?! #2)/)
      .getByTestId('assign-menu')
      .click();
    // The menu says why before anything is planned: every VM is blocked while the host is not ready.
    for (const vm of ['Router-01', 'File-Server', 'Build-Agent']) {
      const item = app.page.getByRole('menuitem', { name: new RegExp(`^${vm} `) });
      await expect(item).toHaveAttribute('aria-disabled', 'true');
      await expect(item).toContainText('host not ready');
    }
    await app.page.keyboard.press('Escape');
    await expect(app.dialog).toHaveCount(0);
  });
});

test.describe('a host without IOMMU', () => {
  test.use({ profile: 'no-iommu' });
  test('explains why and how to fix it', async ({ app }) => {
    await expect(app.page.getByRole('alert').filter({ hasText: 'DMA remapping' })).toBeVisible();
    await expect(
      app.page.getByRole('alert').filter({ hasText: 'bcdedit /set hypervisoriommupolicy enable' }),
    ).toBeVisible();
  });
});

test.describe('hostile VM names', () => {
  const evil = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>'; $(Remove-Item C:\\) \`n "x"`;
  test.use({ prepare: { apply: (sim) => sim.edit((s) => (s.vms[0]!.name = evil)) } });
  test('a VM whose name holds HTML and script text shows it as plain text, and assigning to it works', async ({
    app,
    sim,
  }) => {
    await expect(app.page.getByRole('heading', { name: evil })).toBeVisible();
    expect(await app.page.title()).toBe('DDA Studio');
    await app
      .device(/^Mellanox ConnectX-4 Lx Ethernet Adapter(?! #2)/)
      .getByTestId('assign-menu')
      .click();
    await app.page.getByRole('menuitem', { name: evil }).click();
    expect(await app.runAndWait()).toBe('succeeded');
    expect(sim.vm(evil).assignedDevices).toEqual(['PCIROOT(0)#PCI(0100)#PCI(0000)']);
    expect(await app.page.title()).toBe('DDA Studio');
  });
});
