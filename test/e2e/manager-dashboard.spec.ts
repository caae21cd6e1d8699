// The branch manager's screens end to end: the dashboard shows the ledger's own figures,
// a number opens the cases behind it, two of them are reassigned with a reason, a list
// is exported to a file, and an officer finds none of it. The demo ledger is switched to
// its manager for these tests and back to its officer afterwards, so the other specs
// sharing the bridge see the officer they expect.
import fs from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { ManagerDashboard } from '../../shared/api/manager-contract';
import type { WorklistRow } from '../../shared/api/contract';
import { E2E_PORT } from './support/env';
import { callLedger } from './support/ledger-api';
import { saveScreenshot } from './support/worklist-page';
import { recordPageErrors } from './support/page-errors';

const PAR30_LIST = `/#/manager/cases?figure=${encodeURIComponent('{"figure":"par","days":30}')}`;

/** The dashboard's way of writing a ratio, worked out here independently: 0.3216 → 32.2%. */
function asPercent(ratio: number): string {
  const value = Math.round(ratio * 1000) / 10;
  return Number.isInteger(value) ? `${value}%` : `${value.toFixed(1)}%`;
}

async function actAs(request: APIRequestContext, role: 'officer' | 'manager'): Promise<void> {
  await callLedger(request, 'session.demoAs', { role });
}

async function openDashboard(page: Page, lang: 'zh-CN' | 'en'): Promise<void> {
  await page.addInitScript(`window.localStorage.setItem('fieldbook.language', '${lang}')`);
  await page.goto('/#/manager');
  await expect(page.getByTestId('kpi-cards')).toBeVisible({ timeout: 60_000 });
}

/** No element wider than the window: the page must not scroll sideways at 1366×768. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  // A string, so the spec compiles without the DOM library (it runs in the page).
  const overflow = (await page.evaluate(`
    [document.documentElement, ...document.querySelectorAll('.fb-screen-scroll')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.className + ': ' + el.scrollWidth + ' > ' + el.clientWidth)
  `)) as string[];
  expect(overflow).toEqual([]);
}

test.describe('branch manager', () => {
  let pageErrors: string[] = [];
  test.beforeEach(async ({ page, request }) => {
    pageErrors = recordPageErrors(page);
    await actAs(request, 'manager');
  });
  test.afterEach(() => {
    expect(pageErrors).toEqual([]);
  });
  test.afterAll(async ({ playwright }) => {
    const request = await playwright.request.newContext({
      baseURL: `http://127.0.0.1:${E2E_PORT}`,
    });
    await actAs(request, 'officer');
    await request.dispose();
  });

  test('the dashboard shows the ledger’s figures; PAR30 opens its cases; two are reassigned', async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    await openDashboard(page, 'zh-CN');
    const dash: ManagerDashboard = await callLedger(request, 'manager.dashboard', {});
    const d = dash.dashboard;
    expect(d.par.par30.count, 'the demo ledger has loans in PAR30').toBeGreaterThan(2);

    // Headline numbers are the ledger's, as written on the cards.
    await expect(page.getByTestId('kpi-par1-value')).toHaveText(asPercent(d.par.par1.ratio));
    await expect(page.getByTestId('kpi-par30-value')).toHaveText(asPercent(d.par.par30.ratio));
    await expect(page.getByTestId('kpi-par90-value')).toHaveText(asPercent(d.par.par90.ratio));
    await expect(page.getByTestId('kpi-par30-count')).toHaveText(`${d.par.par30.count} 笔`);
    await expect(page.getByTestId('kpi-portfolio-count')).toHaveText(`${d.aging.totals.count} 笔`);
    await expect(page.getByTestId('kpi-collection-value')).toHaveText(
      asPercent(d.collection.ratio),
    );
    await expect(page.getByTestId('kpi-kept-rate')).toHaveText(
      asPercent(d.promises.keptRate.ratio),
    );
    await expect(page.getByTestId('kpi-promises-made')).toContainText(
      String(d.promises.made.count),
    );
    await expect(page.getByTestId('kpi-cure-rate')).toHaveText(asPercent(d.rolls.cureRate));
    for (const level of d.contactRecency.levels) {
      await expect(page.getByTestId(`kpi-no-contact-${level.days}`)).toHaveText(
        level.count.toLocaleString('zh-CN'),
      );
    }
    for (const bucket of d.aging.buckets) {
      await expect(page.getByTestId(`aging-${bucket.code}`)).toContainText(
        bucket.count.toLocaleString('zh-CN'),
      );
    }
    // Charts are drawn as SVG (crisp in print), one per panel.
    for (const id of ['chart-aging', 'chart-rolls', 'chart-promises']) {
      await expect(page.getByTestId(id).locator('svg').first()).toBeVisible();
    }
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'manager-dashboard-zh');

    // The PAR30 number opens the list of those cases.
    await page.getByTestId('kpi-par30-count').click();
    await expect(page).toHaveURL(/#\/manager\/cases\?figure=/);
    await expect(page.getByTestId('cases-title')).toContainText('PAR30');
    const behind = await callLedger(request, 'manager.casesBehind', {
      figure: { figure: 'par', days: 30 },
      offset: 0,
      limit: 50,
    });
    expect(behind.total).toBe(d.par.par30.count); // one loan per case in the demo
    await expect(page.getByTestId('cases-total')).toHaveText(`共 ${behind.total} 个案件`);
    const drawn = page.locator('[data-testid="cases-table"] tr[data-case-id]');
    await expect(drawn).toHaveCount(Math.min(50, behind.total));
    expect(
      await drawn.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id'))),
    ).toEqual(behind.rows.map((r) => r.caseId));
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'manager-dashboard-cases-zh');

    // Two cases of one officer go to another; the demo officer's own list is left alone.
    const info = await callLedger(request, 'app.info', {});
    await actAs(request, 'officer');
    const demoOfficer = (await callLedger(request, 'app.info', {})).currentUser.id;
    await actAs(request, 'manager');
    const [first, second] = behind.rows.filter(
      (r: WorklistRow) => r.officer.id !== demoOfficer,
    ) as [WorklistRow, WorklistRow];
    const target = info.officers.find(
      (o) =>
        o.role === 'officer' && ![demoOfficer, first.officer.id, second.officer.id].includes(o.id),
    );
    if (!target) throw new Error('the demo branch needs a fourth officer');
    for (const row of [first, second]) {
      await page.locator(`tr[data-case-id="${row.caseId}"] .ant-checkbox-input`).check();
    }
    await expect(page.getByTestId('cases-selected')).toContainText('2');
    await page.getByTestId('cases-reassign').click();
    const form = page.getByTestId('reassign-form');
    await expect(form).toBeVisible();
    // The reason is required: nothing is sent without one.
    await page.getByTestId('reassign-officer').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: target.name })
      .first()
      .click();
    await page.getByTestId('reassign-submit').click();
    await expect(form.getByText('请写明原因（至少两个字）')).toBeVisible();
    await page.getByTestId('reassign-reason').fill('催收员调岗，按村重新分配');
    await page.getByTestId('reassign-submit').click();
    await expect(page.getByTestId('reassign-moved')).toHaveText(`已将 2 个案件转给 ${target.name}`);
    await saveScreenshot(page, 'manager-dashboard-reassigned-zh');
    await page.getByTestId('reassign-close').click();

    for (const row of [first, second]) {
      const file = await callLedger(request, 'case.get', { caseId: row.caseId });
      expect(file.officer.id).toBe(target.id);
      await expect(
        page.locator(`tr[data-case-id="${row.caseId}"] [data-testid="case-officer"]`),
      ).toHaveText(target.name);
    }
    await expect(page.getByTestId('cases-selected')).not.toContainText('2');

    // Back returns to the dashboard; a click on a case opens it, and back returns to the list.
    await page.getByTestId('cases-back').click();
    await expect(page.getByTestId('kpi-cards')).toBeVisible();
    await page.getByTestId('kpi-par30-value').click();
    await expect(page.getByTestId('cases-title')).toContainText('PAR30');
    await page.locator(`tr[data-case-id="${first.caseId}"] [data-testid="borrower-name"]`).click();
    await expect(page).toHaveURL(new RegExp(`#/case/${first.caseId}`));
    await page.goBack();
    await expect(page.getByTestId('cases-title')).toContainText('PAR30');
  });

  test('a list exports to CSV with every case behind the number', async ({ page, request }) => {
    await page.goto(PAR30_LIST);
    await expect(page.getByTestId('cases-total')).toBeVisible({ timeout: 60_000 });
    const behind = await callLedger(request, 'manager.casesBehind', {
      figure: { figure: 'par', days: 30 },
      offset: 0,
      limit: 1,
    });
    await page.getByTestId('cases-export').click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: /CSV/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('par30-2026-11-28.csv');
    const bytes = fs.readFileSync(await download.path());
    // UTF-8 with a BOM, so Excel reads the Chinese names.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split(/\r?\n/);
    expect(lines).toHaveLength(behind.total + 1);
    expect(lines[0]).toContain('借款人');
    expect(lines[1]).toContain(behind.rows[0]!.borrowerName);
    await expect(page.locator('.ant-message')).toContainText(String(behind.total));
  });

  test('in English: officers side by side, each number opening its cases', async ({
    page,
    request,
  }) => {
    await openDashboard(page, 'en');
    await expect(page.getByTestId('kpi-par30-count')).toHaveText(/^\d+ loans$/);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'manager-dashboard-en');

    // The printable report opens in the same window.
    await page.getByTestId('dashboard-report').click();
    await expect(page).toHaveURL(/#\/manager\/report\?asOf=2026-11-28/);
    await page.goBack();

    await page.getByTestId('nav-officers').click();
    await expect(page.getByTestId('officers-table')).toBeVisible();
    const dash = await callLedger(request, 'manager.dashboard', {});
    const busiest = [...dash.dashboard.officers].sort(
      (a, b) => b.untouched.count - a.untouched.count,
    )[0]!;
    const row = page.locator(
      `[data-testid="officers-table"] tr[data-officer-id="${busiest.officerId}"]`,
    );
    await expect(row.getByTestId('officer-untouched')).toHaveText(String(busiest.untouched.count));
    await expect(row.getByTestId('officer-caseload').first()).toHaveText(
      String(busiest.caseload.count),
    );
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'manager-dashboard-officers-en');

    await row.getByTestId('officer-untouched').click();
    await expect(page.getByTestId('cases-title')).toContainText('cases untouched this month');
    await expect(page.getByTestId('cases-total')).toHaveText(
      `${busiest.untouched.count} ${busiest.untouched.count === 1 ? 'case' : 'cases'}`,
    );
  });

  test('a manager picks cases on the worklist and reassigns them', async ({ page, request }) => {
    await actAs(request, 'officer');
    const demoOfficer = (await callLedger(request, 'app.info', {})).currentUser.id;
    await actAs(request, 'manager');
    const info = await callLedger(request, 'app.info', {});
    const top = await callLedger(request, 'worklist.list', { offset: 0, limit: 8 });
    const picked = top.rows.filter((r) => r.officer.id !== demoOfficer).slice(0, 2);
    expect(picked).toHaveLength(2);
    const target = info.officers.find(
      (o) =>
        o.role === 'officer' && ![demoOfficer, ...picked.map((r) => r.officer.id)].includes(o.id),
    );
    if (!target) throw new Error('the demo branch needs a fourth officer');

    await page.goto('/');
    const rows = page.locator('[data-testid="worklist-table"] [data-testid="worklist-row"]');
    await expect(rows.first()).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('worklist-select').click();
    // While picking, a click ticks the row instead of opening the case.
    for (const row of picked)
      await page.locator(`[data-testid="worklist-row"][data-case-id="${row.caseId}"]`).click();
    await expect(page).toHaveURL(/#\/$|\/$/);
    await expect(page.getByTestId('worklist-selecting')).toContainText('2');
    await saveScreenshot(page, 'manager-dashboard-worklist-selecting-zh');
    await page.getByTestId('worklist-reassign').click();
    await page.getByTestId('reassign-officer').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: target.name })
      .first()
      .click();
    await page.getByTestId('reassign-reason').fill('片区调整');
    await page.getByTestId('reassign-submit').click();
    await expect(page.getByTestId('reassign-moved')).toHaveText(`已将 2 个案件转给 ${target.name}`);
    await page.getByTestId('reassign-close').click();
    for (const row of picked) {
      const file = await callLedger(request, 'case.get', { caseId: row.caseId });
      expect(file.officer.id).toBe(target.id);
    }
    // Picking ends with the reassignment: a click opens a case again.
    await expect(page.getByTestId('worklist-select')).toBeVisible();
  });

  test('an officer has no manager navigation and cannot open the dashboard', async ({
    page,
    request,
  }) => {
    await actAs(request, 'officer');
    await page.goto('/#/manager');
    await expect(page.getByTestId('manager-forbidden')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('manager-nav')).toHaveCount(0);
    // The ledger refuses the operation too, whatever the screen shows.
    const refused = await request.post('/api/manager.dashboard', { data: {} });
    const body = (await refused.json()) as { ok: boolean; error?: { code: string } };
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('forbidden');
  });
});
