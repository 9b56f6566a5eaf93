/**
 * 中文 everywhere (issue 17 #7): in zh-CN, the main view and the Activity panel hold no English word
 * of ours. Data the host or the admin named (device, VM, host and OS names, IDs, paths) is verbatim
 * and excluded; technical names that stay as they are (MMIO, PowerShell, IOMMU…) are listed.
 */
import { expect, test } from './fixtures';

const verbatim =
  '[data-verbatim], .device-name, .vm-name, .host-tab-name, .card-title, .mono, .sr-only, select, [data-testid="lifelines"]';
const technical = new Set([
  'DDA',
  'Studio',
  'MMIO',
  'PowerShell',
  'IOMMU',
  'PCIe',
  'ACS',
  'RMRR',
  'BIOS',
  'NVMe',
  'USB',
  'GPU',
  'NIC',
  'ID',
  'MB',
  'SR',
  'IOV',
  'Force',
  'Net',
  'SCSIAdapter',
  'Display',
  'System',
  'HDC',
  'Core',
  'Desktop',
  'Windows',
  'Server',
  'IP',
]);

test('zh-CN: no untranslated English word in the main view and the Activity panel', async ({ app, page }) => {
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(app.vmCard('File-Server').locator('.state')).toHaveText('正在运行');
  await expect(app.vmCard('Router-01')).toContainText('第 2 代');
  await expect(page.getByTestId('activity-line').first()).toContainText('的清单');
  const words = await page.evaluate((skip) => {
    const found: string[] = [];
    const names = Array.from(document.querySelectorAll('.device-name, .vm-name'))
      .map((e) => e.textContent ?? '')
      .filter(Boolean);
    const roots = [document.querySelector('header.top'), document.querySelector('[data-testid="host-view"]')].filter(
      Boolean,
    ) as Element[];
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest(skip) || !(el as HTMLElement).offsetParent) continue;
        found.push(...((n.textContent ?? '').match(/[A-Za-z][A-Za-z-]+/g) ?? []));
      }
      for (const el of Array.from(root.querySelectorAll('[aria-label], input[placeholder]'))) {
        if (el.closest(skip)) continue;
        // Labels name their device: the name is data, the words around it are ours.
        let text = ['aria-label', 'placeholder'].map((attr) => el.getAttribute(attr) ?? '').join(' ');
        for (const name of names) text = text.split(name).join(' ');
        found.push(...(text.match(/[A-Za-z][A-Za-z-]+/g) ?? []));
      }
    }
    return found;
  }, verbatim);
  const english = [...new Set(words)].filter((w) => !technical.has(w) && !/^[A-Z0-9-]+$/.test(w));
  expect(english).toEqual([]);
});
