// End-to-end tests: the real renderer in Debian's Chromium, served by the dev bridge
// against a fresh demo ledger with a pinned business date, so ranks and reasons are the
// same on every run. The Electron smoke test (test/e2e/electron-smoke.spec.ts) launches
// its own app and skips, saying why, where no Electron binary exists.
import { defineConfig } from '@playwright/test';
import { E2E_DATA_DIR as DATA_DIR, E2E_PORT as PORT, E2E_TODAY } from './test/e2e/support/env';

export default defineConfig({
  testDir: 'test/e2e',
  // Needs a bridge started on the first-run wizard and its own head office:
  // playwright.enrolled.config.ts runs it.
  testIgnore: 'enrolled.spec.ts',
  outputDir: `test-results/artifacts-${PORT}`,
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env['CI'] ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env['FIELDBOOK_CHROMIUM'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // A fresh ledger every run: the data folder is removed before the bridge starts
    // (the bridge then generates the ~2,000-case demo ledger on first start).
    command: `node -e "require('node:fs').rmSync('${DATA_DIR}', { recursive: true, force: true })" && npm run dev:web`,
    url: `http://127.0.0.1:${PORT}/`,
    env: {
      FIELDBOOK_DATA_DIR: DATA_DIR,
      FIELDBOOK_TODAY: E2E_TODAY,
      FIELDBOOK_PORT: String(PORT),
      // The test-only /__e2e/clock route: the day's flow pins the ledger's clock to 10:00
      // and then 22:30 to see a call refused, whatever the time the tests run at.
      FIELDBOOK_E2E_HOOKS: '1',
    },
    // First start generates the demo ledger and Vite optimises its dependencies.
    timeout: 240_000,
    reuseExistingServer: !process.env['CI'],
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
