/**
 * Density and finding things (issue 17 #6): the header on one row at 1,440 px and at most two at
 * 1,280x720, one-line device rows, readiness in the host tab's row, counts on the filter chips, root
 * ports and bridges behind a toggle, a search across names, IDs, VMs, reasons and class words.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** How many rows the header's items take (items whose tops differ by more than half a row). */
async function headerRows(page: Page): Promise<number> {
  const boxes = await page.locator('header.top > *').evaluateAll((els) =>
    els
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ top: r.top, height: r.height })),
  );
  const tops: number[] = [];
  for (const b of boxes.sort((x, y) => x.top - y.top))
    if (!tops.some((t) => Math.abs(t - b.top) < b.height / 2)) tops.push(b.top);
  return tops.length;
}

const lineHeight = (l: Locator) => l.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 19);

test('the header fits one row at 1440 px and two at 1280x720; device rows are one line', async ({ app, page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(page.getByTestId('readiness-chip')).toBeVisible();
  expect(await headerRows(page)).toBe(1);
  // Readiness sits in the host tab's row, not a row of its own.
  const tab = (await app.hostTab('local').boundingBox())!;
  const ready = (await page.getByTestId('readiness-chip').boundingBox())!;
  expect(ready.y).toBeLessThan(tab.y + tab.height);
  for (const lang of ['en', 'zh-CN']) {
    await page.getByTestId('language').selectOption(lang);
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await headerRows(page)).toBeLessThanOrEqual(2);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await headerRows(page)).toBe(1);
  }
  await page.getByTestId('language').selectOption('en');
  // Every device row is one line: no taller than two text lines with its padding.
  const rows = page.getByTestId('device');
  const name = rows.first().locator('.device-name');
  const lh = await lineHeight(name);
  for (const r of await rows.all()) expect((await r.boundingBox())!.height).toBeLessThan(lh * 2);
});

test('filter chips carry counts; root ports and bridges hide behind a toggle', async ({ app, page }) => {
  void app;
  const chip = (f: string) => page.locator(`[data-testid="filter-chip"][data-filter="${f}"]`);
  const devices = page.getByTestId('device');
  await expect(chip('all')).toHaveAttribute('data-count', String(await devices.count()));
  await expect(devices.filter({ hasText: 'Root Port' })).toHaveCount(0);
  const before = await devices.count();
  await page.getByTestId('show-bridges').check();
  await expect(devices.filter({ hasText: 'Root Port' })).toHaveCount(1);
  const after = await devices.count();
  expect(after).toBeGreaterThan(before);
  await expect(chip('all')).toHaveAttribute('data-count', String(after));
  await chip('not').click();
  await expect(devices).toHaveCount(Number(await chip('not').getAttribute('data-count')));
  await expect(chip('not')).toContainText((await chip('not').getAttribute('data-count')) as string);
});

test('search finds by class word, reason, instance ID and path, and says when nothing matches', async ({
  app,
  page,
}) => {
  void app;
  const search = page.getByTestId('device-search');
  const devices = page.getByTestId('device');
  await search.fill('GPU');
  await expect(devices).toHaveCount(1);
  await expect(devices.first()).toContainText('UHD Graphics');
  await search.fill('nic');
  await expect(devices.filter({ hasText: 'Mellanox' })).toHaveCount(2);
  await expect(devices.filter({ hasText: 'UHD' })).toHaveCount(0);
  await search.fill('RMRR');
  await expect(devices).toHaveCount(1);
  await search.fill('usb');
  await expect(devices).toHaveCount(1);
  await expect(devices.first()).toContainText('USB');
  const path = await devices.first().getAttribute('data-path');
  await search.fill(path!.toLowerCase());
  await expect(devices).toHaveCount(1);
  await search.fill('no-such-device-anywhere');
  await expect(devices).toHaveCount(0);
  await expect(page.getByTestId('no-devices')).toContainText('No device matches');
  await page.getByTestId('clear-search').click();
  await expect(search).toHaveValue('');
  await expect(devices.first()).toBeVisible();
});
