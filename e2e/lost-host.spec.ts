/**
 * Losing the host (issue 17 #5): with the app's server gone, the host shows disconnected (not green),
 * the data stays greyed with the time it was read, nothing can be acted on, the banner says what to
 * check; when the server is back the app reconnects by itself and reads the host afresh.
 */
import { createApi, memoryShellHooks } from '../main/api/create-api';
import { ensureRendererBuilt } from '../main/server/demo';
import { startServer } from '../main/server/serve';
import { expect, test } from './fixtures';

test('a stopped server shows the host disconnected and stale, then reconnects and refreshes by itself', async ({
  app,
  page,
  served,
  sim,
}) => {
  const tab = app.hostTab('local');
  await expect(tab).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('assign-menu').first()).toBeEnabled();

  await served.server.close();

  const banner = page.getByTestId('lost-host');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-cause', 'server');
  await expect(tab).toHaveAttribute('data-state', 'lost');
  await expect(tab.getByTestId('host-summary')).toHaveText('disconnected');
  // The last read, greyed, at the time it was read (hh:mm in the app's language).
  const readAt = await page.getByTestId('lost-read-at').getAttribute('data-read-at');
  const hhmm = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(readAt!),
  );
  await expect(page.getByTestId('lost-read-at')).toContainText(hhmm);
  await expect(page.getByTestId('main')).toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('vm-card').first()).toBeVisible();
  // Nothing on the stale data can be acted on: no Assign to, no drag.
  for (const b of await page.getByTestId('assign-menu').all()) await expect(b).toBeDisabled();
  const handle = page.getByTestId('device-handle').first();
  const box = (await handle.boundingBox())!;
  const card = (await app.vmCard('Router-01').boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 40, box.y + box.height / 2 + 10, { steps: 5 });
  await page.mouse.move(card.x + card.width / 2, card.y + card.height / 2, { steps: 10 });
  await expect(app.vmCard('Router-01').getByTestId('drop-note')).toHaveCount(0);
  await page.mouse.up();
  await expect(app.dialog).toHaveCount(0);
  // It says what to check, and that it is trying again.
  await expect(banner).toContainText('dda serve');
  await expect(page.getByTestId('reconnect-status')).toContainText(/Reconnecting/);

  // Meanwhile the host changes; then the server comes back on the same address.
  sim.edit((s) => {
    s.vms.find((v) => v.name === 'Router-01')!.state = 'Running';
  });
  const port = Number(new URL(served.server.url).port);
  const { api, events } = createApi(served.pool, memoryShellHooks('browser'));
  const back = await startServer({ api, events, staticDir: ensureRendererBuilt(), port, token: served.server.token });
  try {
    await expect(banner).toHaveCount(0, { timeout: 45_000 });
    await expect(tab).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('main')).not.toHaveAttribute('data-stale', 'true');
    await expect(app.vmCard('Router-01').locator('.state')).toHaveText('Running');
    await expect(page.getByTestId('assign-menu').first()).toBeEnabled();
  } finally {
    await back.close();
  }
});
