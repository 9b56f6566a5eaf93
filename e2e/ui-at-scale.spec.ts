/**
 * Issue 16, the UI at scale: a generated host of 512 device functions and 64 VMs. The device list and the
 * VM grid are virtual: only what is in view is mounted, and each list says how long it is and where each
 * item sits in it. The keyboard drag still reaches every VM one press at a time, a pointer drop still
 * plans for the card under the pointer wherever the grid is scrolled, search finds a device far down the
 * list, and a row that has focus (or whose details are open) stays while the list scrolls away from it;
 * a card that holds focus keeps it when a resize moves it into another row.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { generateProfile } from '../main/simulator/generate-profile';
import { expect, firstArrowToCard, MainWindow, test } from './fixtures';

const VMS = 64;
const vmName = (i: number) => `VM-${String(i).padStart(3, '0')}`;

test.use({
  prepare: {
    apply: (host) =>
      writeFileSync(host.stateFile, JSON.stringify(generateProfile({ devices: 512, vms: VMS, seed: 11 }))),
  },
});

/** The page once the host's first inventory is on it (512 functions take the simulator a while to read). */
async function open(page: Page, url: string): Promise<MainWindow> {
  await page.goto(url);
  await expect(page.getByTestId('vm-card').first()).toBeVisible({ timeout: 150_000 });
  return new MainWindow(page);
}

const scrollToEnd = (page: Page, pane: string) =>
  page.locator(pane).evaluate((e) => {
    e.scrollTop = e.scrollHeight;
  });

test('only what is in view is mounted; the lists say their length; search and focus find and keep rows, through a resize too', async ({
  page,
  served,
}) => {
  test.setTimeout(240_000);
  const app = await open(page, served.server.url);
  const devices = page.getByTestId('device');
  const listed = Number(
    await page.locator('[data-testid="filter-chip"][data-filter="all"]').getAttribute('data-count'),
  );
  expect(listed).toBeGreaterThan(400);
  expect(await devices.count()).toBeLessThan(listed / 4);
  const groups = page.locator('ul.cards > li');
  await expect(groups.first()).toHaveAttribute('aria-posinset', '1');
  const setSize = Number(await groups.first().getAttribute('aria-setsize'));
  expect(setSize).toBeGreaterThan(await groups.count());

  const cards = page.getByRole('list', { name: 'Virtual machines' }).getByRole('listitem');
  await expect(cards.first()).toHaveAttribute('aria-setsize', String(VMS));
  expect(await cards.count()).toBeLessThan(VMS / 2);
  await scrollToEnd(page, '.vms-pane');
  await expect(app.vmCard(vmName(VMS))).toBeVisible();
  await expect(page.locator('[role="listitem"]', { has: app.vmCard(vmName(VMS)) })).toHaveAttribute(
    'aria-posinset',
    String(VMS),
  );
  await expect(app.vmCard(vmName(1))).toHaveCount(0);

  // The last card of the list, mounted when scrolled to, with its place in the list.
  await scrollToEnd(page, '.devices-pane');
  await expect(groups.last()).toHaveAttribute('aria-posinset', String(setSize));

  // A focused row stays mounted (and focused) while the list scrolls far away from it.
  await page.locator('.devices-pane').evaluate((e) => {
    e.scrollTop = 0;
  });
  // The list renders the top rows on the scroll's next frame: wait for them before picking the first.
  await expect(groups.first()).toHaveAttribute('aria-posinset', '1');
  const details = devices.first().getByRole('button', { name: /^Details: / });
  // Focus comes back in the closing drawer's effect, a frame after the drawer leaves the page: polled.
  const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
  const label = await details.getAttribute('aria-label');
  await details.focus();
  await scrollToEnd(page, '.devices-pane');
  await expect(groups.last()).toHaveAttribute('aria-posinset', String(setSize));
  await expect.poll(focusedLabel).toBe(label);

  // The details drawer gives focus back to its row's Details button, however far the list scrolled meanwhile.
  await details.click();
  await expect(page.getByTestId('details')).toBeFocused();
  await scrollToEnd(page, '.devices-pane');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('details')).toHaveCount(0);
  await expect.poll(focusedLabel).toBe(label);

  // Search finds a device far down the list, and the list is as long as what it finds.
  const search = page.getByTestId('device-search');
  await search.fill('Generated Device 150.1');
  await expect(devices).toHaveCount(1);
  await expect(devices.first()).toContainText('Generated Device 150.1');
  await expect(groups.first()).toHaveAttribute('aria-setsize', '1');
  await search.fill('');
  await expect(groups.first()).toHaveAttribute('aria-setsize', String(setSize));

  // A control on a VM card keeps focus when a resize changes the number of columns: every row is then
  // mounted anew (a row is known by its columns and its first card), the focused card's with it.
  await page.locator('.vms-pane').evaluate((e) => {
    e.scrollTop = 0;
  });
  await expect(app.vmCard(vmName(1))).toBeVisible();
  const button = page
    .getByRole('list', { name: 'Virtual machines' })
    .getByRole('button', { name: /^Return to host: / })
    .last();
  const buttonLabel = await button.getAttribute('aria-label');
  await button.focus();
  await expect.poll(focusedLabel).toBe(buttonLabel);
  for (const width of [1000, 1700, 1400]) {
    await page.setViewportSize({ width, height: 900 });
    await expect.poll(focusedLabel).toBe(buttonLabel);
  }
});

test('the keyboard drag reaches every VM, one press one card; a pointer drop plans for the card under the pointer after scrolling', async ({
  page,
  served,
}) => {
  test.setTimeout(240_000);
  const app = await open(page, served.server.url);
  const handle = page.locator('[data-testid="device-handle"][data-draggable="true"]').first();
  const name = (await handle.locator('.device-name').innerText()).trim();
  const overlay = page.getByTestId('drag-overlay');
  const live = page.locator('[id^="DndLiveRegion"]');

  await handle.focus();
  await page.keyboard.press('Space');
  await expect(live).toHaveText(new RegExp(`^Picked up ${name}\\.`));
  await firstArrowToCard(page, vmName(1));
  for (let i = 2; i <= VMS; i++) {
    await page.keyboard.press('ArrowRight');
    await expect(overlay).toHaveAttribute('data-over', vmName(i));
  }
  await expect(app.vmCard(vmName(VMS))).toBeInViewport();
  await page.keyboard.press('ArrowRight');
  await expect(overlay).toHaveAttribute('data-over', vmName(VMS));
  for (let i = VMS - 1; i >= 1; i--) {
    await page.keyboard.press('ArrowLeft');
    await expect(overlay).toHaveAttribute('data-over', vmName(i));
  }
  await expect(live).toContainText(`${name} over ${vmName(1)}`);
  await page.keyboard.press('Escape');
  await expect(live).toHaveText(`Drag of ${name} cancelled.`);

  // A pointer drop on a card far down the grid, as an admin aims: at the card, then again once the cards'
  // notes have appeared (they make the cards taller); a card above the last row, away from the pane's
  // edge where dnd-kit scrolls by itself.
  await scrollToEnd(page, '.vms-pane');
  const target = app.vmCard(vmName(VMS - 4));
  const centre = async (l: typeof target) => {
    const b = (await l.boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const from = await centre(handle);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 10, from.y + 10, { steps: 5 });
  let to = await centre(target);
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await expect(target.getByTestId('drop-note')).toBeVisible();
  to = await centre(target);
  await page.mouse.move(to.x, to.y, { steps: 2 });
  await expect(target).toHaveClass(/\bover\b/);
  await page.mouse.up();
  await expect(app.dialog.getByTestId('plan-target')).toHaveText(new RegExp(`^${vmName(VMS - 4)} `));
});
