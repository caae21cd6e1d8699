// The real Electron shell: main + preload + renderer built by electron-vite, launched by
// Playwright. It runs where an Electron binary exists; elsewhere (the machines this
// project is built on cannot download it) it skips and prints why.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { E2E_TODAY } from './support/env';

const root = resolve(import.meta.dirname, '../..');

/**
 * The Electron binary's path, or why there is none. Mirrors node_modules/electron/index.js
 * without requiring it: that module starts a download when the binary is missing, and a
 * test run must not fetch 100 MB as a side effect.
 */
function findElectron(): { path: string } | { missing: string } {
  const pkgDir = join(root, 'node_modules/electron');
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      missing:
        'node_modules/electron/path.txt is missing, so no Electron binary was downloaded on this machine (npm start downloads it where there is internet)',
    };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? join(override, relative || 'electron') : join(pkgDir, 'dist', relative);
  if (!existsSync(binary)) return { missing: `the Electron binary ${binary} does not exist` };
  return { path: binary };
}

const electronBinary = findElectron();
const skipReason =
  'missing' in electronBinary ? `Electron smoke test skipped: ${electronBinary.missing}` : '';
if (skipReason) console.log(skipReason);

test.describe('Electron shell', () => {
  test.skip(skipReason !== '', skipReason);

  let userDataDir = '';

  test.beforeAll(() => {
    test.setTimeout(300_000);
    // Native driver for Electron's ABI, then the three bundles (out/main, out/preload, out/renderer).
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/electron-native.ts'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    userDataDir = mkdtempSync(join(tmpdir(), 'fieldbook-electron-'));
  });

  test.afterAll(() => {
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test('launches and shows the worklist', async () => {
    if (!('path' in electronBinary)) return;
    const app = await electron.launch({
      executablePath: electronBinary.path,
      args: [join(root, 'out/main/index.js'), `--user-data-dir=${userDataDir}`, '--no-sandbox'],
      cwd: root,
      env: {
        ...process.env,
        FIELDBOOK_TODAY: E2E_TODAY,
        FIELDBOOK_DATA_DIR: userDataDir,
        FIELDBOOK_FIRST_RUN: 'demo',
      },
      timeout: 120_000,
    });
    try {
      const appWindow = await app.firstWindow();
      await expect(
        appWindow.locator('[data-testid="worklist-table"] tbody tr[data-row-key]').first(),
      ).toBeVisible({
        timeout: 120_000,
      });
      await expect(appWindow.getByRole('heading', { name: '今日工作清单' })).toBeVisible();
      // The renderer reached the ledger through the preload bridge, not over HTTP.
      expect(
        await appWindow.evaluate(() => typeof (globalThis as { fieldbook?: unknown }).fieldbook),
      ).toBe('object');
      await appWindow.screenshot({ path: 'test-results/screenshots/electron-worklist.png' });
    } finally {
      await app.close();
    }
  });
});
