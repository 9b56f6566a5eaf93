/**
 * The plan dialog finishes what it starts (issue 17 #2): a dismount refused for lack of a vendor
 * mitigation driver is retried in the same dialog with the force consent; Run says why it waits;
 * steps never run say "not run"; dangers are red, distinct from amber cautions.
 */
import { expect, test } from './fixtures';

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const X520 = 'PCIROOT(0)#PCI(0700)#PCI(0000)';

/** The computed colour of an element, for "red, not amber" checks. */
const color = (el: import('@playwright/test').Locator, prop: 'color' | 'backgroundColor' = 'color') =>
  el.evaluate((e, p) => getComputedStyle(e)[p], prop);

test.describe('a ConnectX-4 Lx the host refuses to dismount without -Force', () => {
  test.use({
    profile: 'ml30-connectx4',
    prepare: {
      apply: (h) =>
        h.edit((s) => {
          const d = s.devices.find((x) => x.locationPath === CX4);
          (d as unknown as { hasMitigationDriver: boolean }).hasMitigationDriver = false;
        }),
    },
  });

  test('rolled back, then the force consent and Retry in the same dialog; Run assigns it', async ({ app, sim }) => {
    await app.dragDevice(/^Mellanox ConnectX-4 Lx Ethernet Adapter(?! #2)/, 'Router-01');
    // ACS is fine, so nothing is asked up front.
    await expect(app.dialog.locator('[data-consent]')).toHaveCount(0);
    await expect(app.dialog.getByTestId('run-why')).toHaveCount(0);
    await expect(app.runButton).toBeEnabled();
    expect(await app.runAndWait()).toBe('rolled-back');
    await expect(app.dialog.getByTestId('raw-error')).toBeVisible();

    // Steps after the refused dismount never ran: "not run", never "waiting".
    await expect(app.dialog.locator('[data-testid="plan-step"][data-state="pending"]')).toHaveCount(0);
    const notRun = app.dialog.locator('[data-testid="plan-step"][data-state="not-run"]');
    expect(await notRun.count()).toBeGreaterThan(0);
    await expect(notRun.first().locator('.step-state')).toHaveText('not run');
    await expect(app.dialog.getByTestId('plan-step').filter({ hasText: 'waiting' })).toHaveCount(0);
    await expect(app.dialog.locator('[data-testid="plan-step"][data-state="failed"]')).toContainText('Dismount');

    // The same dialog offers the consent (unticked) and a Retry that waits for it; Run is gone.
    const retry = app.dialog.getByTestId('retry');
    const consent = app.dialog.locator('[data-consent="skip-device-mitigations"]');
    await expect(app.dialog.getByTestId('needs-force')).toContainText(
      'refused to dismount Mellanox ConnectX-4 Lx Ethernet Adapter with its mitigation check on',
    );
    await expect(consent).not.toBeChecked();
    await expect(retry).toBeDisabled();
    await expect(app.dialog.getByTestId('retry-why')).toHaveText('Tick the consent to retry');
    await expect(app.runButton).toHaveCount(0);
    await expect(app.dialog.getByTestId('retry-force').getByTestId('consent')).toHaveAttribute(
      'data-severity',
      'danger',
    );
    await app.screenshot('retry-force-offered');

    // The refusal is remembered on the device for the session.
    const badge = app.deviceAt(CX4).locator('.badge[data-verdict]');
    await expect(badge).toHaveText(/^Needs consent: no mitigation driver/);
    await expect(badge).toHaveAttribute('data-refused', 'true');
    expect(sim.vm('Router-01').assignedDevices).toEqual([]);

    await consent.check();
    await expect(retry).toBeEnabled();
    await expect(app.dialog.getByTestId('retry-why')).toHaveCount(0);
    await app.screenshot('retry-force-ticked');
    await retry.click();

    // A fresh plan with the consent given; nothing ran: Run is the only thing that executes.
    await expect(app.outcome).toHaveCount(0);
    await expect(retry).toHaveCount(0);
    await expect(app.dialog.locator('[data-consent="skip-device-mitigations"]')).toBeChecked();
    const dangers = app.dialog.locator('[data-testid="plan-warning"][data-severity="danger"]');
    await expect(
      dangers.filter({ hasText: 'dismounted without that check, as you agreed; the ACS check stays on' }),
    ).toHaveCount(1);
    // The refusal is known now: the plan says so before anything runs.
    await expect(
      dangers.filter({
        hasText: 'This host refused to dismount Mellanox ConnectX-4 Lx Ethernet Adapter with its mitigation check on',
      }),
    ).toHaveCount(1);
    // The exact call: the documented WMI method with ACS still required, not -Force.
    // (op-dismount-device.ps1 runs Msvm_AssignableDeviceService.DismountAssignableDevice when one check is dropped.)
    await expect(app.dialog).toContainText('op-dismount-device -LocationPath');
    await expect(app.dialog).toContainText(
      '-RequireAcsSupport $true -RequireDeviceMitigations $true -RetryWithoutMitigations $true',
    );
    await expect(app.dialog.getByTestId('plan-step').filter({ hasText: '-Force' })).toHaveCount(0);
    await expect(app.dialog.locator('[data-testid="plan-step"][data-state="not-run"]')).toHaveCount(0);
    await expect(app.runButton).toBeEnabled();
    expect(sim.vm('Router-01').assignedDevices).toEqual([]);
    await app.screenshot('retry-force-replanned');

    expect(await app.runAndWait()).toBe('succeeded');
    await expect(app.dialog.locator('[data-testid="plan-step"]:not([data-state="done"])')).toHaveCount(0);
    expect(sim.vm('Router-01').assignedDevices).toEqual([CX4]);
    await app.dialog.getByRole('button', { name: 'Close' }).click();
    await expect(app.vmCard('Router-01').getByTestId('chip')).toHaveAttribute('data-path', CX4);
    await expect(badge).toHaveText(/^Needs consent: no mitigation driver/);
  });

  test('zh-CN: the retry speaks Chinese', async ({ app }) => {
    await app.page.getByTestId('language').selectOption('zh-CN');
    await app.dragDevice(/^Mellanox ConnectX-4 Lx Ethernet Adapter(?! #2)/, 'Router-01');
    await app.runButton.click();
    await expect(app.outcome).toHaveAttribute('data-status', 'rolled-back');
    await expect(app.dialog.getByTestId('retry-why')).toHaveText('勾选确认后才能重新规划');
    await expect(app.dialog.getByTestId('retry')).toHaveText('重新规划');
    await expect(app.dialog.locator('[data-testid="plan-step"][data-state="not-run"] .step-state').first()).toHaveText(
      '未执行',
    );
    await app.screenshot('retry-force-offered-zh-CN');
  });
});

test.describe('Dell R910 with an X520: Run says why it waits; dangers are red', () => {
  test.use({ profile: 'r910-x520' });

  test('one consent, then two; English and Chinese', async ({ app }) => {
    await app.drag(app.deviceAt(X520).getByTestId('device-handle'), app.vmCard('UplinkRouter'));
    await expect(app.runButton).toBeDisabled();
    await expect(app.dialog.getByTestId('run-why')).toHaveText('Tick the consent to run');
    await expect(app.runButton).toHaveAttribute('aria-describedby', 'run-why');
    // -Force's DMA exposure: a danger, red; its consent too.
    const danger = app.dialog.locator('[data-testid="plan-warning"][data-severity="danger"]').first();
    await expect(danger).toContainText('Danger');
    const consent = app.dialog.getByTestId('consent').first();
    await expect(consent).toHaveAttribute('data-severity', 'danger');
    await app.dialog.locator('[data-consent="force-insecure"]').click();
    await expect(app.dialog.locator('[data-consent="force-insecure"]')).toBeChecked();
    await expect(app.runButton).toBeEnabled();
    await expect(app.dialog.getByTestId('run-why')).toHaveCount(0);
    await app.dialog.getByRole('button', { name: 'Cancel' }).click();

    // A running VM: turning it off and -Force, two consents.
    await app.drag(app.deviceAt(X520).getByTestId('device-handle'), app.vmCard('Monitoring'));
    await expect(app.dialog.locator('[data-consent]')).toHaveCount(2);
    await expect(app.dialog.getByTestId('run-why')).toHaveText('Tick 2 consents to run');
    await expect(app.runButton).toBeDisabled();
    const amber = app.dialog.locator('[data-testid="plan-warning"][data-severity="warning"]').first();
    await expect(amber).toBeVisible();
    const red = await color(danger);
    const redBg = await color(danger, 'backgroundColor');
    expect(await color(amber)).not.toBe(red);
    expect(await color(amber, 'backgroundColor')).not.toBe(redBg);
    expect(await color(consent)).toBe(red);
    await app.screenshot('dangers-light');
    await app.dialog.locator('[data-consent="turn-off-vm"]').click();
    await expect(app.dialog.locator('[data-consent="turn-off-vm"]')).toBeChecked();
    await expect(app.dialog.getByTestId('run-why')).toHaveText('Tick the consent to run');

    await app.page.getByTestId('language').selectOption('zh-CN');
    await expect(app.dialog.getByTestId('run-why')).toHaveText('勾选上面的确认后才能执行');
    await app.dialog.locator('[data-consent="turn-off-vm"]').click();
    await expect(app.dialog.locator('[data-consent="turn-off-vm"]')).not.toBeChecked();
    await expect(app.dialog.getByTestId('run-why')).toHaveText('勾选上面 2 项确认后才能执行');
    await expect(danger).toContainText('危险');
  });

  test('dark theme keeps dangers red and cautions amber', async ({ app }) => {
    await app.page.getByTestId('theme').selectOption('dark');
    await expect(app.page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await app.drag(app.deviceAt(X520).getByTestId('device-handle'), app.vmCard('Monitoring'));
    const danger = app.dialog.locator('[data-testid="plan-warning"][data-severity="danger"]').first();
    const amber = app.dialog.locator('[data-testid="plan-warning"][data-severity="warning"]').first();
    await expect(danger).toBeVisible();
    await expect(amber).toBeVisible();
    const vars = await app.page.evaluate(() => {
      const cs = getComputedStyle(document.documentElement);
      return { red: cs.getPropertyValue('--red').trim(), amber: cs.getPropertyValue('--amber').trim() };
    });
    expect(vars.red).toBe('#f1bbbc');
    expect(await color(danger)).toBe('rgb(241, 187, 188)');
    expect(await color(amber)).toBe('rgb(249, 226, 174)');
    expect(await color(app.dialog.getByTestId('consent').first())).toBe('rgb(241, 187, 188)');
    await app.screenshot('dangers-dark');
  });
});
