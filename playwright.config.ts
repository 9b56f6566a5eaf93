import { defineConfig } from '@playwright/test';

// Browser mode runs in Debian's Chromium (no browser downloads here). The Electron project runs the
// real app wherever an Electron binary exists and reports itself skipped where none does.
export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure', viewport: { width: 1400, height: 900 } },
  projects: [
    {
      name: 'browser',
      testMatch: /^(?!.*electron).*\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.DDA_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts$/ },
  ],
});
