/**
 * axe-core on the main view and on each dialog (issue 17 #4): no serious or critical violation, in the
 * light and the dark theme and in Chinese. WCAG 2.x A/AA and best practices, plus the experimental
 * label-content-name-mismatch (a control whose accessible name differs from what it shows).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const ILO = 'PCIROOT(0)#PCI(1C04)#PCI(0002)';
const CX4_2 = 'PCIROOT(0)#PCI(0100)#PCI(0001)';

/** The serious and critical violations on the page now, as "rule: target" lines (empty when none). */
async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

test.describe('axe', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`main view, menu, plan dialog, details drawer, host dialog (${theme})`, async ({ app }) => {
      const page = app.page;
      await page.getByTestId('theme').selectOption(theme);
      expect(await seriousViolations(page), 'main view').toEqual([]);

      await app.deviceAt(CX4_2).getByTestId('assign-menu').click();
      await expect(page.getByRole('menu')).toBeVisible();
      expect(await seriousViolations(page), 'Assign to… menu').toEqual([]);
      await page.keyboard.press('Escape');

      await app.deviceAt(CX4_2).getByTestId('assign-menu').click();
      await page.getByRole('menuitem', { name: /File-Server/ }).click();
      await expect(app.dialog.getByTestId('plan-target')).toBeVisible();
      await app.dialog.getByTestId('show-powershell').click();
      expect(await seriousViolations(page), 'plan dialog').toEqual([]);
      await page.keyboard.press('Escape');
      await expect(app.dialog).toHaveCount(0);

      await app
        .deviceAt(ILO)
        .getByRole('button', { name: /Details/ })
        .click();
      await page.getByTestId('raw-facts').locator('summary').click();
      expect(await seriousViolations(page), 'details drawer').toEqual([]);
      await page.keyboard.press('Escape');

      await page.getByTestId('add-host').click();
      await expect(app.hostDialog).toBeVisible();
      expect(await seriousViolations(page), 'host dialog').toEqual([]);
      await page.keyboard.press('Escape');
      await expect(app.hostDialog).toHaveCount(0);
    });
  }

  test('zh-CN: main view and the plan dialog after a drop', async ({ app }) => {
    const page = app.page;
    await page.getByTestId('language').selectOption('zh-CN');
    expect(await seriousViolations(page), 'main view zh-CN').toEqual([]);
    await app.drag(app.deviceAt(CX4_2).getByTestId('device-handle'), app.vmCard('Router-01'));
    await expect(app.dialog.getByTestId('plan-target')).toBeVisible();
    expect(await seriousViolations(page), 'plan dialog zh-CN').toEqual([]);
  });
});

test('motion: spinners and the connecting dot stand still for an admin who asked for reduced motion, and turn otherwise', async ({
  page,
  served,
}) => {
  await page.goto(served.server.url);
  /** The animation a new element of these classes gets from the window's styles. */
  const animationOf = (classes: string) =>
    page.evaluate((c) => {
      const el = document.createElement('span');
      el.className = c;
      document.body.append(el);
      const name = getComputedStyle(el).animationName;
      el.remove();
      return name;
    }, classes);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await animationOf('spinner')).toBe('none');
  expect(await animationOf('conn-dot connecting')).toBe('none');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await animationOf('spinner')).toBe('spin');
  expect(await animationOf('conn-dot connecting')).toBe('pulse');
});
