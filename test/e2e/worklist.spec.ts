// The worklist end to end: renderer → dev bridge → ledger. The ledger's own answer
// (POST /api/worklist.list) is the reference for what the list must show. The signed-in
// demo user is an officer, so the list opens on their own cases.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { OpInput } from '../../shared/api/contract';
import { callLedger } from './support/ledger-api';
import {
  expectTableToMatch,
  saveScreenshot,
  waitForWorklist,
  worklistRows,
} from './support/worklist-page';
import { recordPageErrors } from './support/page-errors';

const PAGE = 60;

async function myQuery(request: APIRequestContext): Promise<OpInput<'worklist.list'>> {
  const info = await callLedger(request, 'app.info', {});
  return info.currentUser.role === 'officer' ? { officerId: info.currentUser.id } : {};
}

async function chooseArea(page: Page, township: string, village: string): Promise<void> {
  await page.getByTestId('filter-area').click();
  const menus = page.locator('.ant-cascader-menus:visible');
  await menus.locator('.ant-cascader-menu').nth(0).locator(`li[title="${township}"]`).click();
  await menus.locator('.ant-cascader-menu').nth(1).locator(`li[title="${village}"]`).click();
  await expect(page.locator('.ant-cascader-menus:visible')).toHaveCount(0);
}

async function chooseOption(page: Page, testId: string, text: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

test.describe('worklist', () => {
  // Anything the page logs as an error (a CSP refusal, a React or antd warning, an
  // uncaught exception) is a defect even when the screen looks right.
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = recordPageErrors(page);
  });
  test.afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  test('the officer’s own cases in the ledger’s order, with reasons, in Chinese by default', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);

    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { name: '今日工作清单' })).toBeVisible();
    await expect(page.getByTestId('business-date')).toContainText('2026年11月28日');

    const info = await callLedger(request, 'app.info', {});
    const mine = await myQuery(request);
    const ledgerPage = await callLedger(request, 'worklist.list', {
      ...mine,
      offset: 0,
      limit: PAGE,
    });
    expect(info.currentUser.role).toBe('officer');
    await expect(page.getByTestId('branch-name')).toHaveText(info.branch.name);
    await expect(page.getByTestId('current-user')).toContainText(info.currentUser.name);
    if (info.demo) await expect(page.getByTestId('demo-tag')).toHaveText('演示账本');
    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${ledgerPage.total} 个案件`);
    // The officer filter shows who the list belongs to.
    await expect(page.getByTestId('filter-officer')).toContainText(info.currentUser.name);
    // Every case shown is the officer's own.
    expect(ledgerPage.rows.every((r) => r.officer.id === info.currentUser.id)).toBe(true);

    await expectTableToMatch(page, ledgerPage.rows, 'zh-CN');
    await expect(worklistRows(page).first().getByTestId('reasons')).toContainText(
      `逾期${ledgerPage.rows[0]!.daysPastDue}天`,
    );
    await saveScreenshot(page, 'worklist-zh');

    // End jumps to the last case: its rows are fetched as they come into view.
    await page.keyboard.press('End');
    const last = await callLedger(request, 'worklist.list', {
      ...mine,
      offset: ledgerPage.total - 1,
      limit: 1,
    });
    const lastRow = worklistRows(page).and(page.locator(`[aria-rowindex="${ledgerPage.total}"]`));
    await expect(lastRow).toHaveAttribute('aria-selected', 'true');
    await expect(lastRow.getByTestId('borrower-name')).toHaveText(last.rows[0]!.borrowerName);
    await page.keyboard.press('Home');
    await expect(worklistRows(page).and(page.locator('[aria-rowindex="1"]'))).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  test('village, bucket and officer filters show exactly the ledger’s filtered list', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);
    const mine = await myQuery(request);

    const firstPage = await callLedger(request, 'worklist.list', {
      ...mine,
      offset: 0,
      limit: PAGE,
    });
    const sample = firstPage.rows[3] ?? firstPage.rows[0]!;
    const filter = { township: sample.township, village: sample.village, bucket: sample.bucket };
    const filtered = await callLedger(request, 'worklist.list', {
      ...mine,
      ...filter,
      offset: 0,
      limit: PAGE,
    });
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(firstPage.total);

    await chooseArea(page, filter.township, filter.village);
    await chooseOption(page, 'filter-bucket', filter.bucket);

    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${filtered.total} 个案件`);
    await expectTableToMatch(page, filtered.rows, 'zh-CN');
    for (const cell of await worklistRows(page).getByTestId('bucket-tag').all()) {
      await expect(cell).toHaveText(filter.bucket);
    }

    await page.getByTestId('filter-reset').click();
    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${firstPage.total} 个案件`);

    // The whole branch, then another officer's cases.
    const info = await callLedger(request, 'app.info', {});
    const everyone = await callLedger(request, 'worklist.list', { offset: 0, limit: PAGE });
    await chooseOption(page, 'filter-officer', '全部催收员');
    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${everyone.total} 个案件`);
    await expectTableToMatch(page, everyone.rows, 'zh-CN');
    const other = info.officers.find((o) => o.id !== info.currentUser.id)!;
    const othersCases = await callLedger(request, 'worklist.list', {
      officerId: other.id,
      offset: 0,
      limit: PAGE,
    });
    await chooseOption(page, 'filter-officer', new RegExp(`^${other.name}$`));
    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${othersCases.total} 个案件`);
    await expectTableToMatch(page, othersCases.rows, 'zh-CN');
  });

  test('promise, contact recency, hardship and follow-up filters', async ({ page, request }) => {
    const mine = await myQuery(request);
    const cases: [string, OpInput<'worklist.list'>, () => Promise<void>][] = [
      [
        'promise',
        { promise: 'due_today_or_overdue' },
        () => chooseOption(page, 'filter-promise', '今天到期或已过期'),
      ],
      [
        'contact',
        { notContactedDays: 14 },
        () => chooseOption(page, 'filter-not-contacted', '14天以上'),
      ],
      ['hardship', { hardship: true }, () => page.getByTestId('filter-hardship').click()],
      ['follow-up', { followUpDue: true }, () => page.getByTestId('filter-follow-up').click()],
    ];
    for (const [what, query, choose] of cases) {
      await page.goto('/');
      await waitForWorklist(page);
      const expected = await callLedger(request, 'worklist.list', {
        ...mine,
        ...query,
        offset: 0,
        limit: PAGE,
      });
      await choose();
      await expect(page.getByTestId('worklist-total'), what).toHaveText(
        `共 ${expected.total} 个案件`,
      );
      if (expected.total > 0) await expectTableToMatch(page, expected.rows, 'zh-CN');
    }
  });

  test('switching to English changes headings and reasons, and survives a reload', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);
    const mine = await myQuery(request);
    const ledgerPage = await callLedger(request, 'worklist.list', {
      ...mine,
      offset: 0,
      limit: PAGE,
    });

    await page.getByText('English', { exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: "Today's worklist" })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Why it ranks here' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Days past due' })).toBeVisible();
    await expectTableToMatch(page, ledgerPage.rows, 'en');

    await page.reload();
    await waitForWorklist(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: "Today's worklist" })).toBeVisible();
    await expect(page.getByTestId('business-date')).toContainText('28 Nov 2026');
    await expect(page.getByTestId('worklist-total')).toHaveText(`${ledgerPage.total} cases`);
    await expectTableToMatch(page, ledgerPage.rows, 'en');
    await saveScreenshot(page, 'worklist-en');

    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByRole('heading', { name: '今日工作清单' })).toBeVisible();
    await expectTableToMatch(page, ledgerPage.rows, 'zh-CN');
  });

  test('the keyboard opens a case: ↓ ↓ Enter shows the second row’s case file, Esc goes back', async ({
    page,
    request,
  }) => {
    await page.goto('/');
    await waitForWorklist(page);
    const mine = await myQuery(request);
    const ledgerPage = await callLedger(request, 'worklist.list', {
      ...mine,
      offset: 0,
      limit: PAGE,
    });
    const second = ledgerPage.rows[1]!;

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(worklistRows(page).and(page.locator('[aria-rowindex="2"]'))).toHaveAttribute(
      'aria-selected',
      'true',
    );
    // PageDown moves a screenful down (at 1366×768 the list shows about eight rows).
    await page.keyboard.press('PageDown');
    await expect
      .poll(async () =>
        Number(
          await worklistRows(page)
            .and(page.locator('[aria-selected="true"]'))
            .getAttribute('aria-rowindex'),
        ),
      )
      .toBeGreaterThanOrEqual(6);
    // PageUp moves the same screenful back: the second row again.
    await page.keyboard.press('PageUp');
    await expect(worklistRows(page).and(page.locator('[aria-rowindex="2"]'))).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await page.keyboard.press('Enter');

    const casePage = page.getByTestId('case-page');
    await expect(casePage.getByTestId('case-borrower-name')).toHaveText(second.borrowerName);
    const file = await callLedger(request, 'case.get', { caseId: second.caseId });
    for (const loan of file.loans)
      await expect(
        casePage.getByTestId('case-loans').locator(`tr[data-row-key="${loan.id}"]`),
      ).toBeVisible();
    await expect(casePage.getByTestId('case-timeline')).toBeVisible();
    const firstRecorder = file.timeline[0]?.recordedBy.name;
    if (firstRecorder)
      await expect(casePage.getByTestId('case-timeline')).toContainText(`记录人：${firstRecorder}`);
    await saveScreenshot(page, 'case-zh');

    // Escape goes back to the list, still on the same row, and the keyboard walks on.
    await page.keyboard.press('Escape');
    await expect(casePage).toBeHidden();
    await expect(worklistRows(page).and(page.locator('[aria-rowindex="2"]'))).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await page.keyboard.press('ArrowDown');
    await expect(worklistRows(page).and(page.locator('[aria-rowindex="3"]'))).toHaveAttribute(
      'aria-selected',
      'true',
    );
    // '/' jumps to the search box.
    await page.keyboard.press('/');
    await expect(page.getByTestId('worklist-search')).toBeFocused();
  });

  test('the case file in English', async ({ page, request }) => {
    await page.addInitScript("window.localStorage.setItem('fieldbook.language', 'en')");
    await page.goto('/');
    await waitForWorklist(page);
    const mine = await myQuery(request);
    const ledgerPage = await callLedger(request, 'worklist.list', {
      ...mine,
      offset: 0,
      limit: PAGE,
    });
    await worklistRows(page).first().click();
    const casePage = page.getByTestId('case-page');
    await expect(casePage.getByTestId('case-borrower-name')).toHaveText(
      ledgerPage.rows[0]!.borrowerName,
    );
    await expect(casePage.getByRole('heading', { name: 'Timeline' })).toBeVisible();
    await expect(casePage.getByTestId('action-call')).toContainText('Call');
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
