/** Several hosts from one window: the switcher, add / validate / prepare / remove, and remote simulated hosts over ssh. */
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sshTestHostsUnavailable, startSshTestHosts, type SshTestHosts } from '../testing/ssh-test-hosts';
import { expect, MainWindow, test } from './fixtures';

const HOSTILE = `"Lab" <script>document.title='pwned'</script><img src=x onerror="document.title='pwned'"> $(Stop-VM)`;

/** Fills the add-host dialog for an SSH host; fields left undefined stay empty. */
async function fillSsh(
  app: MainWindow,
  v: { name: string; address: string; port?: string; user?: string; key?: string; knownHosts?: string },
): Promise<void> {
  const d = app.hostDialog;
  await d.getByTestId('transport-ssh').check();
  await d.getByTestId('host-name-input').fill(v.name);
  await d.getByTestId('host-address-input').fill(v.address);
  if (v.port) await d.getByTestId('host-port-input').fill(v.port);
  if (v.user) await d.getByTestId('host-user-input').fill(v.user);
  if (v.key) await d.getByTestId('host-key-input').fill(v.key);
  if (v.knownHosts) {
    await d.getByText('More settings').click();
    await d.getByTestId('host-known-hosts-input').fill(v.knownHosts);
  }
}

test('the switcher shows the local host, connected, with its readiness', async ({ app }) => {
  const local = app.hostTab('local');
  await expect(local).toBeVisible();
  await expect(local).toHaveAttribute('aria-selected', 'true');
  await expect(local.getByTestId('host-name')).toContainText('ML30-GEN10');
  await expect(local.getByTestId('host-summary')).toHaveText(/^connected · PowerShell \d+\.\d+ · IOMMU ok$/);
  await expect(local).toHaveAttribute('data-state', 'connected');
  await expect(app.page.getByRole('tablist', { name: 'Hosts' }).getByRole('tab')).toHaveCount(1);
  await app.page
    .getByTestId('host-switcher')
    .screenshot({ path: join('test-results', 'screenshots', 'host-switcher-local.png') });
});

// Browser mode's events come over an EventSource, which opens a moment after the page asks for the host:
// a host that answers first (its session already warm) has sent "connected", and the inventory's activity
// entry, to nobody. Here the stream is held until the inventory has come back, so that happens every time.
test('a host that answers before the event stream opens shows connected, with its inventory in Activity', async ({
  page,
  served,
}) => {
  const inventoryBack = page.waitForResponse((r) => r.url().endsWith('/api/getInventory'));
  await page.route('**/api/events*', async (route) => {
    await inventoryBack;
    await route.continue();
  });
  await page.goto(served.server.url);
  await inventoryBack;
  await expect(page.getByTestId('vm-card').first()).toBeVisible();
  await expect(new MainWindow(page).hostTab('local')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('activity-line').first()).toContainText('Inventory of');
});

test('add a host with a hostile name: plain text everywhere, the Prepare dialog quotes safely, then remove it', async ({
  app,
  served,
}) => {
  const page = app.page;
  await page.getByTestId('add-host').click();
  await expect(app.hostDialog).toBeVisible();
  await expect(app.hostDialog.getByRole('heading', { name: 'Add a remote Hyper-V host' })).toBeVisible();
  // Focus starts in the dialog, on the first field.
  await expect(app.hostDialog.getByTestId('host-name-input')).toBeFocused();

  // A host name that ssh would read as an option is refused by the form, with the reason.
  await fillSsh(app, { name: HOSTILE, address: '-oProxyCommand=touch /tmp/pwned' });
  await app.hostDialog.getByTestId('host-save').click();
  await expect(app.hostDialog.getByTestId('host-address-input-error')).toHaveText(
    'A host name or IP address: letters, digits and . - _ : [ ] only, not starting with -.',
  );
  await expect(app.hostDialog.getByTestId('host-address-input')).toHaveAttribute('aria-invalid', 'true');
  await expect(app.hostDialog.getByTestId('host-form-invalid')).toBeVisible();
  await expect(app.hostDialog).toBeVisible();
  expect(served.pool.targets()).toEqual([]);

  // WinRM shows the domain / workgroup explanation and the password field with where it is kept.
  await app.hostDialog.getByTestId('transport-winrm').check();
  await expect(app.hostDialog.getByTestId('host-explain')).toContainText('TrustedHosts');
  await expect(app.hostDialog.getByTestId('host-password-input')).toBeDisabled();
  await app.hostDialog.getByTestId('host-user-input').fill('LAB\\admin');
  await expect(app.hostDialog.getByTestId('host-password-input')).toBeEnabled();
  await expect(app.hostDialog.getByTestId('password-hint')).toContainText('in memory only');
  await app.hostDialog.getByTestId('host-user-input').fill('');
  await app.screenshot('add-host-dialog-winrm');

  // A valid SSH definition (nothing listens on 127.0.0.1:1, so it fails fast) with a key path that needs quoting.
  const key = `/home/o'brien/keys/$(whoami) id`;
  await fillSsh(app, { name: HOSTILE, address: '127.0.0.1', port: '1', user: 'root', key });
  await expect(app.hostDialog.getByTestId('host-address-input-error')).toHaveCount(0);
  await app.screenshot('add-host-dialog');
  await app.hostDialog.getByTestId('host-test').click();
  await expect(app.hostDialog.getByTestId('host-test-result')).toHaveAttribute('data-ok', 'false');
  await expect(app.hostDialog.getByTestId('host-test-result')).toContainText(HOSTILE);
  await app.hostDialog.getByTestId('host-save').click();
  await expect(app.hostDialog).toHaveCount(0);

  const id = served.pool.targets()[0]!.id;
  const tab = app.hostTab(id);
  await expect(tab.getByTestId('host-name')).toHaveText(HOSTILE);
  await expect(tab.getByTestId('host-summary')).toHaveText('not connected · ssh root@127.0.0.1:1');
  expect(await page.title()).toBe('DDA Studio');
  expect(await page.locator('script', { hasText: 'pwned' }).count()).toBe(0);
  expect(await page.locator('img[src="x"]').count()).toBe(0);

  // Selecting it: the connection fails, and the lost-host banner names the host as text (and what to
  // check, with a reconnect); the local host is untouched.
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('lost-host')).toContainText(HOSTILE);
  await expect(tab).toHaveAttribute('data-state', 'lost');
  await expect(page.getByTestId('activity')).toContainText(HOSTILE);
  expect(await page.title()).toBe('DDA Studio');
  await app.page
    .getByTestId('host-switcher')
    .screenshot({ path: join('test-results', 'screenshots', 'host-switcher-hostile.png') });

  // Prepare this host: commands per setup kind, values as single-quoted literals, a Copy button each.
  await page.getByTestId('prepare-host').click();
  const prep = page.getByTestId('prepare-dialog');
  await expect(prep.getByRole('heading', { level: 2 })).toHaveText(`Prepare ${HOSTILE} for DDA Studio`);
  await expect(prep.getByTestId('prepare-setup')).toHaveCount(2);
  const client = prep.getByTestId('client-commands-ssh');
  await expect(client).toContainText("-HostName '127.0.0.1'");
  await expect(client).toContainText("-KeyFilePath '/home/o''brien/keys/$(whoami) id'");
  await expect(client).toContainText("-UserName 'root'");
  await expect(prep.getByTestId('host-commands-ssh')).toContainText("Start-Service -Name 'sshd'");
  // Copy gives exactly the commands, one per line.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.server.origin });
  // The key is made first (the host commands authorize it), the session after them.
  await prep.getByTestId('client-commands-first-ssh-copy').click();
  await expect(prep.getByTestId('client-commands-first-ssh-copy')).toHaveText('Copied');
  const first = await page.evaluate(() => navigator.clipboard.readText());
  expect(first.split('\n')[0]).toBe("ssh-keygen -t ed25519 -f '/home/o''brien/keys/$(whoami) id'");
  await prep.getByTestId('client-commands-ssh-copy').click();
  await expect(prep.getByTestId('client-commands-ssh-copy')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("-KeyFilePath '/home/o''brien/keys/$(whoami) id'");
  await app.screenshot('prepare-dialog');
  await page.keyboard.press('Escape');
  await expect(prep).toHaveCount(0);

  // Remove, after a confirmation that names it.
  await page.getByTestId('remove-host').click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm.getByRole('heading')).toHaveText(`Remove ${HOSTILE}?`);
  await expect(confirm.getByTestId('remove-cancel')).toBeFocused();
  await confirm.getByTestId('remove-confirm').click();
  await expect(tab).toHaveCount(0);
  await expect(app.hostTab('local')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('vm-card').first()).toBeVisible();
  expect(served.pool.targets()).toEqual([]);
  expect(readFileSync(join(served.dataDir, 'hosts.json'), 'utf8')).not.toContain('127.0.0.1');
});

test('keyboard only: add a host, move between hosts with the arrow keys', async ({ app, served }) => {
  const page = app.page;
  await page.getByTestId('add-host').focus();
  await page.keyboard.press('Enter');
  await expect(app.hostDialog.getByTestId('host-name-input')).toBeFocused();
  await page.keyboard.type('Lab 2');
  await app.hostDialog.getByTestId('host-address-input').focus();
  await page.keyboard.type('127.0.0.1');
  await app.hostDialog.getByTestId('host-port-input').focus();
  await page.keyboard.type('1');
  await page.keyboard.press('Enter'); // submits the form
  await expect(app.hostDialog).toHaveCount(0);
  await expect(app.hostTab('lab-2')).toBeVisible();
  await app.hostTab('local').focus();
  await page.keyboard.press('ArrowRight');
  await expect(app.hostTab('lab-2')).toBeFocused();
  await expect(app.hostTab('lab-2')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(app.hostTab('local')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('vm-card').first()).toBeVisible();
  expect(served.pool.targets().map((t) => t.name)).toEqual(['Lab 2']);
});

test('a WinRM host with a password: kept in memory only (browser mode says so), never on disk or in an answer', async ({
  app,
  served,
}) => {
  const page = app.page;
  const secret = 'Pa55-"word"-$(x)';
  await page.getByTestId('add-host').click();
  const d = app.hostDialog;
  await d.getByTestId('transport-winrm').check();
  await d.getByTestId('host-name-input').fill('HV02');
  await d.getByTestId('host-address-input').fill('hv02.lab.example');
  await d.getByTestId('host-user-input').fill('HV02\\admin');
  await d.getByTestId('host-password-input').fill(secret);
  await d.getByTestId('host-ssl').check();
  await d.getByTestId('host-jea').check();
  await expect(d.getByTestId('password-hint')).toHaveText(
    'This mode has no credential store: the password is kept in memory only, until DDA Studio stops; then enter it again.',
  );
  const answers: string[] = [];
  page.on(
    'response',
    (r) =>
      void r.text().then(
        (t) => answers.push(t),
        () => undefined,
      ),
  );
  await d.getByTestId('host-save').click();
  await expect(d).toHaveCount(0);
  const tab = app.hostTab('hv02');
  await expect(tab.getByTestId('host-summary')).toHaveText(
    'not connected · winrm HV02\\admin@hv02.lab.example (HTTPS) (JEA)',
  );
  await tab.click();
  await page.getByTestId('edit-host').click();
  await expect(d.getByRole('heading', { name: 'Edit HV02' })).toBeVisible();
  await expect(d.getByTestId('host-password-input')).toHaveValue('');
  await expect(d.getByTestId('password-hint')).toContainText('A password is stored. Leave the field empty to keep it.');
  await expect(d.getByTestId('forget-password')).not.toBeChecked();
  await expect(d.getByTestId('host-ssl')).toBeChecked();
  await expect(d.getByTestId('host-jea')).toBeChecked();
  // Another user (or computer) does not inherit the stored password: the dialog says so, the server drops it.
  await d.getByTestId('host-user-input').fill('HV02\\operator');
  await expect(d.getByTestId('password-hint')).toContainText('The stored password was for another computer or user');
  await expect(d.getByTestId('forget-password')).toHaveCount(0);
  await app.screenshot('host-dialog-password-not-carried');
  await d.getByTestId('host-user-input').fill('hv02\\ADMIN');
  await expect(d.getByTestId('password-hint')).toContainText('A password is stored.');
  await page.keyboard.press('Escape');
  await expect(d).toHaveCount(0);
  expect(served.pool.hasPassword('hv02')).toBe(true);
  expect(readFileSync(join(served.dataDir, 'hosts.json'), 'utf8')).not.toContain('Pa55');
  expect(answers.join('\n')).not.toContain('Pa55');
  expect(answers.join('\n')).toContain('"hasStoredPassword":true');
  await page.getByTestId('edit-host').click();
  await d.getByTestId('host-user-input').fill('HV02\\operator');
  await d.getByTestId('host-save').click();
  await expect(d).toHaveCount(0);
  expect(served.pool.hasPassword('hv02')).toBe(false);
});

test('zh-CN: the host dialog speaks Chinese', async ({ app }) => {
  await app.page.getByTestId('language').selectOption('zh-CN');
  await app.page.getByTestId('add-host').click();
  await expect(app.hostDialog.getByRole('heading', { name: '添加远程 Hyper-V 主机' })).toBeVisible();
  await app.hostDialog.getByTestId('transport-winrm').check();
  await expect(app.hostDialog.getByTestId('host-explain')).toContainText('工作组');
  await app.hostDialog.getByTestId('host-save').click();
  await expect(app.hostDialog.getByTestId('host-address-input-error')).toHaveText('必填。');
  await app.screenshot('add-host-dialog-zh-CN');
});

test.describe('remote simulated hosts over ssh', () => {
  const why = sshTestHostsUnavailable();
  let ssh: SshTestHosts | null = null;
  test.beforeAll(async () => {
    if (!why) ssh = await startSshTestHosts();
  });
  test.afterAll(async () => {
    await ssh?.close();
  });

  test('add host A over ssh, switch to it, see its inventory next to the local one; assigning there leaves the local host alone', async ({
    app,
    sim,
  }) => {
    test.skip(!!why, `sshd test hosts unavailable: ${why}`);
    test.setTimeout(180_000);
    const h = ssh!.hosts[0]!;
    // Host A is its own machine: another name and another VM.
    const state = JSON.parse(readFileSync(h.stateFile, 'utf8')) as {
      host: { computerName: string };
      vms: Array<{ name: string }>;
    };
    state.host.computerName = 'HV-REMOTE-A';
    state.vms[0]!.name = 'Remote-VM';
    writeFileSync(h.stateFile, JSON.stringify(state, null, 2));
    const localBefore = readFileSync(sim.stateFile, 'utf8');

    const page = app.page;
    await page.getByTestId('add-host').click();
    await fillSsh(app, {
      name: 'Host A',
      address: h.address,
      port: String(h.target.port),
      user: 'root',
      key: h.target.keyFilePath!,
      knownHosts: h.target.knownHostsFile!,
    });
    await app.hostDialog.getByTestId('host-test').click();
    await expect(app.hostDialog.getByTestId('host-test-result')).toHaveAttribute('data-ok', 'true', {
      timeout: 90_000,
    });
    await expect(app.hostDialog.getByTestId('host-test-result')).toContainText(
      'Connected to HV-REMOTE-A: PowerShell Core 7.',
    );
    await app.hostDialog.getByTestId('host-save').click();
    await expect(app.hostDialog).toHaveCount(0);

    const tab = app.hostTab('host-a');
    await tab.click();
    await expect(page.getByTestId('host-view')).toHaveAttribute('data-host', 'host-a');
    await expect(app.vmCard('Remote-VM')).toBeVisible({ timeout: 90_000 });
    await expect(page.locator('.readiness .host-name')).toHaveText('HV-REMOTE-A');
    await expect(tab).toHaveAttribute('data-state', 'connected');
    await expect(tab.getByTestId('host-summary')).toHaveText(/^connected · PowerShell 7\.\d+ · IOMMU ok$/);
    await app.page
      .getByTestId('host-switcher')
      .screenshot({ path: join('test-results', 'screenshots', 'host-switcher-remote.png') });
    await app.screenshot('remote-host-a');

    // An assignment on host A, through the same plan dialog, naming the host.
    await app
      .device(/^Mellanox ConnectX-4 Lx Ethernet Adapter(?! #2)/)
      .getByTestId('assign-menu')
      .click();
    await page.getByRole('menuitem', { name: 'Remote-VM' }).click();
    await expect(app.dialog.getByTestId('plan-host')).toHaveText('On Host A');
    expect(await app.runAndWait()).toBe('succeeded');
    await app.dialog.getByRole('button', { name: 'Close' }).click();
    const after = JSON.parse(readFileSync(h.stateFile, 'utf8')) as {
      vms: Array<{ name: string; assignedDevices: string[] }>;
    };
    expect(after.vms.find((v) => v.name === 'Remote-VM')!.assignedDevices).toEqual(['PCIROOT(0)#PCI(0100)#PCI(0000)']);
    await expect(page.getByTestId('activity')).toContainText('Host A');

    // Back to the local host: its own inventory, unchanged.
    await app.hostTab('local').click();
    await expect(app.vmCard('Router-01')).toBeVisible();
    await expect(app.vmCard('Remote-VM')).toHaveCount(0);
    await expect(page.locator('.readiness .host-name')).toHaveText('ML30-GEN10');
    expect(readFileSync(sim.stateFile, 'utf8')).toBe(localBefore);
    expect(existsSync(h.stateFile)).toBe(true);
  });
});
