// The header's sync status on the demo ledger: always visible, says plainly that this is
// the demo and offline (no server, no sign-in), opens an explanation on click, and never
// stands between the officer and the worklist. Screenshots for people to look at.
import { expect, test } from '@playwright/test';
import { SCREENSHOT_DIR } from './support/env';
import { callLedger } from './support/ledger-api';
import { waitForWorklist, worklistRows } from './support/worklist-page';
import { recordPageErrors } from './support/page-errors';

test.describe('sync status (demo ledger)', () => {
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = recordPageErrors(page);
  });
  test.afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  test('says demo / offline, explains itself, and does not block the worklist', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);
    // No sign-in screen, no wizard: the demo goes straight to work.
    await expect(page.getByTestId('sign-in-screen')).toHaveCount(0);
    await expect(page.getByTestId('enrol-screen')).toHaveCount(0);

    const indicator = page.getByTestId('sync-status');
    await expect(indicator).toBeVisible();
    await expect(indicator).toHaveText('演示 · 离线');
    await expect(indicator).toHaveAttribute('data-mode', 'demo');
    // The demo has no server, so there is nothing to "sync now".
    await expect(page.getByTestId('sync-now')).toHaveCount(0);
    expect(await callLedger(request, 'sync.status', {})).toMatchObject({
      mode: 'demo',
      online: null,
      pendingCount: 0,
    });
    expect(await callLedger(request, 'session.state', {})).toMatchObject({
      mode: 'demo',
      demo: true,
      locked: false,
    });

    await page.screenshot({ path: `${SCREENSHOT_DIR}/sync-status-demo.png` });

    await indicator.click();
    await expect(page.getByText('不连接总行服务器')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/sync-status-demo-popover.png` });
    // The popover is not modal: the officer opens a case straight through it.
    await worklistRows(page).nth(2).click();
    await expect(page).toHaveURL(/#\/case\//);
    await page.goBack();
    await waitForWorklist(page);

    // English too.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByTestId('sync-status')).toHaveText('Demo · offline');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/sync-status-demo-en.png` });
    await page.getByText('中文', { exact: true }).click();
  });
});
