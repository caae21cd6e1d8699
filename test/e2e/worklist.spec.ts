// The first screen end to end: renderer → dev bridge → ledger. The ledger's own answer
// (POST /api/worklist.list) is the reference for what the table must show.
import { expect, test, type Page } from '@playwright/test';
import { callLedger } from './support/ledger-api';
import {
  expectTableToMatch,
  saveScreenshot,
  waitForWorklist,
  worklistRows,
} from './support/worklist-page';

const PAGE_SIZE = 20;

async function chooseArea(page: Page, township: string, village: string): Promise<void> {
  await page.getByTestId('filter-area').click();
  const menus = page.locator('.ant-cascader-menus:visible');
  await menus.locator('.ant-cascader-menu').nth(0).locator(`li[title="${township}"]`).click();
  await menus.locator('.ant-cascader-menu').nth(1).locator(`li[title="${village}"]`).click();
  await expect(page.locator('.ant-cascader-menus:visible')).toHaveCount(0);
}

async function chooseBucket(page: Page, bucket: string): Promise<void> {
  await page.getByTestId('filter-bucket').click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: bucket })
    .first()
    .click();
}

test.describe('worklist', () => {
  // Anything the page logs as an error (a CSP refusal, a React or antd warning, an
  // uncaught exception) is a defect even when the screen looks right.
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  test.afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  test('page 1 shows the ledger’s order and reasons, in Chinese by default', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);

    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { name: '今日工作清单' })).toBeVisible();
    await expect(page.getByTestId('business-date')).toContainText('2026年11月28日');

    const info = await callLedger(request, 'app.info', {});
    const ledgerPage = await callLedger(request, 'worklist.list', { offset: 0, limit: PAGE_SIZE });
    expect(ledgerPage.rows.length).toBe(PAGE_SIZE);
    await expect(page.getByTestId('branch-name')).toHaveText(info.branch.name);
    await expect(page.getByTestId('current-user')).toContainText(info.currentUser.name);
    if (info.demo) await expect(page.getByTestId('demo-tag')).toHaveText('演示账本');
    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${ledgerPage.total} 个案件`);

    await expectTableToMatch(page, ledgerPage, 'zh-CN');
    // The first row reads like the design: days late first, in words.
    await expect(worklistRows(page).first().getByTestId('reasons')).toContainText(
      `逾期${ledgerPage.rows[0]!.daysPastDue}天`,
    );

    await saveScreenshot(page, 'worklist-zh');

    // Page 2 continues the ledger's order.
    await page.locator('.ant-pagination-item-2').click();
    const secondPage = await callLedger(request, 'worklist.list', {
      offset: PAGE_SIZE,
      limit: PAGE_SIZE,
    });
    await expect(worklistRows(page).first().locator('td').first()).toHaveText(
      String(PAGE_SIZE + 1),
    );
    await expectTableToMatch(page, secondPage, 'zh-CN');
  });

  test('a village and bucket filter shows exactly the ledger’s filtered list', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);

    // Take the area and bucket of a case on page 1, so the filter is known to match something.
    const firstPage = await callLedger(request, 'worklist.list', { offset: 0, limit: PAGE_SIZE });
    const sample = firstPage.rows[3] ?? firstPage.rows[0]!;
    const filter = { township: sample.township, village: sample.village, bucket: sample.bucket };
    const filtered = await callLedger(request, 'worklist.list', {
      ...filter,
      offset: 0,
      limit: PAGE_SIZE,
    });
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(firstPage.total);

    await chooseArea(page, filter.township, filter.village);
    await chooseBucket(page, filter.bucket);

    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${filtered.total} 个案件`);
    await expectTableToMatch(page, filtered, 'zh-CN');
    for (const cell of await worklistRows(page).getByTestId('bucket-tag').all()) {
      await expect(cell).toHaveText(filter.bucket);
    }

    await page.getByTestId('filter-reset').click();
    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${firstPage.total} 个案件`);

    // One officer's cases only.
    const officer = sample.officer;
    const officersCases = await callLedger(request, 'worklist.list', {
      officerId: officer.id,
      offset: 0,
      limit: PAGE_SIZE,
    });
    await page.getByTestId('filter-officer').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: new RegExp(`^${officer.name}$`) })
      .click();
    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${officersCases.total} 个案件`);
    await expectTableToMatch(page, officersCases, 'zh-CN');
  });

  test('switching to English changes headings and reasons, and survives a reload', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);
    const ledgerPage = await callLedger(request, 'worklist.list', { offset: 0, limit: PAGE_SIZE });

    await page.getByText('English', { exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: "Today's worklist" })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Why it ranks here' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Days past due' })).toBeVisible();
    await expectTableToMatch(page, ledgerPage, 'en');

    await page.reload();
    await waitForWorklist(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: "Today's worklist" })).toBeVisible();
    await expect(page.getByTestId('business-date')).toContainText('28 Nov 2026');
    await expect(page.getByTestId('worklist-total')).toHaveText(`${ledgerPage.total} cases`);
    await expectTableToMatch(page, ledgerPage, 'en');
    await saveScreenshot(page, 'worklist-en');

    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByRole('heading', { name: '今日工作清单' })).toBeVisible();
    await expectTableToMatch(page, ledgerPage, 'zh-CN');
  });

  test('the keyboard opens a case: ↓ ↓ Enter shows the second row’s case file', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);
    const ledgerPage = await callLedger(request, 'worklist.list', { offset: 0, limit: PAGE_SIZE });
    const second = ledgerPage.rows[1]!;

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(worklistRows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');

    const drawer = page.getByTestId('case-drawer');
    await expect(drawer.getByTestId('case-borrower-name')).toHaveText(second.borrowerName);
    const file = await callLedger(request, 'case.get', { caseId: second.caseId });
    await expect(drawer.getByTestId('case-loans').locator('tbody tr[data-row-key]')).toHaveCount(
      file.loans.length,
    );
    await expect(drawer.getByTestId('case-timeline')).toBeVisible();
    const firstRecorder = file.timeline[0]?.recordedBy.name;
    if (firstRecorder)
      await expect(drawer.getByTestId('case-timeline')).toContainText(`记录人：${firstRecorder}`);
    await saveScreenshot(page, 'case-zh');
    await drawer.getByTestId('case-timeline').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'case-zh-timeline');

    // Escape closes the drawer and the keyboard walks the list again.
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await page.keyboard.press('ArrowDown');
    await expect(worklistRows(page).nth(2)).toHaveAttribute('aria-selected', 'true');
  });

  test('the case file in English', async ({ page, request }) => {
    await page.addInitScript("window.localStorage.setItem('fieldbook.language', 'en')");
    await page.goto('/');
    await waitForWorklist(page);
    const ledgerPage = await callLedger(request, 'worklist.list', { offset: 0, limit: PAGE_SIZE });
    await worklistRows(page).first().click();
    const drawer = page.getByTestId('case-drawer');
    await expect(drawer.getByTestId('case-borrower-name')).toHaveText(
      ledgerPage.rows[0]!.borrowerName,
    );
    await expect(drawer.getByRole('heading', { name: 'Timeline' })).toBeVisible();
    await saveScreenshot(page, 'case-en');
  });

  test('ledger errors and an empty list are shown in words', async ({ page }) => {
    await page.route('**/api/worklist.list', (route) =>
      route.fulfill({
        json: { ok: false, error: { code: 'ledger_locked', message: 'locked', params: {} } },
      }),
    );
    await page.goto('/');
    await expect(page.getByTestId('api-error')).toContainText('工作清单加载失败');
    await expect(page.getByTestId('api-error')).toContainText('账本已锁定，请重新登录');

    await page.unroute('**/api/worklist.list');
    await page.route('**/api/worklist.list', (route) =>
      route.fulfill({ json: { ok: true, value: { rows: [], total: 0, asOf: '2026-11-28' } } }),
    );
    await page.getByRole('button', { name: '重试' }).click();
    await expect(page.getByText('今天没有需要跟进的案件')).toBeVisible();
    await expect(page.getByTestId('api-error')).toBeHidden();
  });
});
