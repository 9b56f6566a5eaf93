/**
 * The host's lifelines (issue 12): the uplink port of the external vSwitch carries Web01, Web02 and the
 * host's own vNIC. Its card says so; dragged onto a VM, the plan asks for take-host-lifeline naming the
 * switch and its VMs, Run waits for the tick, then it runs.
 */
import { expect, test } from './fixtures';

const MGMT = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const UPLINK = 'PCIROOT(0)#PCI(0300)#PCI(0001)';
const SPARE = 'PCIROOT(0)#PCI(1C04)#PCI(0000)';
const NVME = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';

test.use({ profile: 'lifelines-host' });

test('taking the vSwitch uplink asks for the consent that names the switch and its VMs; Run waits for it, then runs', async ({
  app,
  sim,
}) => {
  // The cards say what the host uses each device for; the spare NIC carries nothing.
  await expect(app.deviceAt(MGMT).getByTestId('lifeline')).toHaveText(['Host IP 10.0.0.5']);
  await expect(app.deviceAt(UPLINK).getByTestId('lifeline')).toHaveText(['vSwitch External · VMs Web01, Web02']);
  await expect(app.deviceAt(NVME).getByTestId('lifeline')).toHaveText(['Host volumes D:, E:']);
  await expect(app.deviceAt(SPARE).getByTestId('lifelines')).toHaveCount(0);

  await app.drag(app.deviceAt(UPLINK).getByTestId('device-handle'), app.vmCard('Lab-VM'));
  const consent = app.dialog.locator('[data-consent="take-host-lifeline"]');
  await expect(consent).not.toBeChecked();
  const text = app.dialog
    .getByTestId('consent')
    .filter({ has: app.page.locator('[data-consent="take-host-lifeline"]') });
  for (const s of ["'External'", 'Web01', 'Web02', '10.0.1.5']) await expect(text).toContainText(s);
  await expect(app.runButton).toBeDisabled();
  await expect(app.dialog.getByTestId('run-why')).toBeVisible();
  await app.screenshot('lifeline-consent-asked');

  await consent.click(); // a consent re-plans: the box is ticked when the new plan arrives
  await expect(consent).toBeChecked();
  await expect(app.runButton).toBeEnabled();
  expect(sim.vm('Lab-VM').assignedDevices).toEqual([]);
  expect(await app.runAndWait()).toBe('succeeded');
  expect(sim.vm('Lab-VM').assignedDevices).toEqual([UPLINK]);
  await app.dialog.getByRole('button', { name: 'Close' }).click();
  // Held by the VM now: the host no longer uses it, so no lifelines on its card.
  await expect(app.deviceAt(UPLINK).getByTestId('owner')).toHaveText('Lab-VM');
  await expect(app.deviceAt(UPLINK).getByTestId('lifelines')).toHaveCount(0);
});
