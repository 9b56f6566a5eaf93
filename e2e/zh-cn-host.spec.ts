/**
 * A Chinese Windows Server (profile r910-x520-zh-cn: the seed's host with zh-CN FriendlyNames, VM names
 * and error texts) in the Chinese UI: the same story as on the English hosts, unchanged.
 */
import { comparable, expect, test } from './fixtures';

const X520 = 'PCIROOT(0)#PCI(0700)#PCI(0000)';
const VM = '上行路由器';

test.describe('Dell R910 with an X520, Chinese Windows Server', () => {
  test.use({ profile: 'r910-x520-zh-cn' });

  test('drag the X520 onto a VM, tick the force consent, run; then return it to the host with one click', async ({
    app,
    sim,
  }) => {
    const before = comparable(sim.state());
    await app.page.getByTestId('language').selectOption('zh-CN');
    await expect(app.deviceAt(X520)).toContainText('Intel(R) 82599 10 Gigabit 双端口网络连接');
    await app.drag(app.deviceAt(X520).getByTestId('device-handle'), app.vmCard(VM));
    await expect(app.dialog.getByTestId('plan-target')).toContainText(VM);
    await expect(app.runButton).toBeDisabled();
    await app.dialog.locator('[data-consent="force-insecure"]').click();
    await expect(app.dialog.locator('[data-consent="force-insecure"]')).toBeChecked();
    await app.screenshot('zh-cn-host-plan');
    // The host refuses in Chinese; the refusal is recognised from facts, and its own consent is offered.
    expect(await app.runAndWait()).toBe('rolled-back');
    await expect(app.dialog.getByTestId('raw-error')).toContainText('制造商未提供');
    await app.dialog.locator('[data-consent="skip-device-mitigations"]').check();
    await app.dialog.getByTestId('retry').click();
    await expect(app.dialog.locator('[data-consent="skip-device-mitigations"]')).toBeChecked();
    // ACS dropped; a refusal of the mitigation check is retried without it: op-dismount-device ends in -Force.
    await expect(app.dialog).toContainText(`op-dismount-device -LocationPath '${X520}'`);
    await expect(app.dialog).toContainText(
      '-RequireAcsSupport $false -RequireDeviceMitigations $true -RetryWithoutMitigations $true',
    );
    expect(await app.runAndWait()).toBe('succeeded');
    await app.dialog.getByRole('button', { name: '关闭' }).click();
    await expect(app.vmCard(VM).getByTestId('chip')).toHaveAttribute('data-path', X520);
    expect(sim.vm(VM).assignedDevices).toEqual([X520]);

    await app
      .vmCard(VM)
      .getByRole('button', { name: /还给宿主机/ })
      .click();
    expect(await app.runAndWait()).toBe('succeeded');
    await app.dialog.getByRole('button', { name: '关闭' }).click();
    expect(comparable(sim.state())).toEqual(before);
  });
});
