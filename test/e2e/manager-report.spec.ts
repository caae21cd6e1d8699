// The printable branch report, in Chinese and in English: the route draws every chart
// (SVG, no animation), shows the dashboard's figures for the date as the ledger computes
// them, hides its toolbar on paper, and prints to a multi-page A4 PDF. The PDFs and
// screenshots are left in test-results/ for people to look at.
import { mkdirSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { formatIsoDate } from '../../shared/dates';
import { formatFen } from '../../shared/money';
import { E2E_TODAY, SCREENSHOT_DIR } from './support/env';
import { callLedger } from './support/ledger-api';
import { saveScreenshot } from './support/worklist-page';
import { recordPageErrors } from './support/page-errors';

const PDF_DIR = 'test-results/reports';

/** Written out here rather than imported, so a wrong format in the report fails the test. */
function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
function yuan(fen: number): string {
  return formatFen(Math.round(fen / 100) * 100).replace(/\.00$/, '');
}

async function actAs(request: APIRequestContext, role: 'officer' | 'manager'): Promise<void> {
  const state = await callLedger(request, 'session.demoAs', { role });
  expect(state.signedIn?.role).toBe(role);
}

const WORDS = {
  'zh-CN': {
    title: '网点催收报告',
    officers: '四、催收员工作情况（本月）',
    branchRow: '全网点',
    save: '保存为 PDF',
  },
  en: {
    title: 'Branch collections report',
    officers: '4. Officers (month to date)',
    branchRow: 'Branch',
    save: 'Save as PDF',
  },
} as const;

test.describe('the printable branch report', () => {
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = recordPageErrors(page);
  });
  test.afterEach(async ({ request }) => {
    await actAs(request, 'officer');
    expect(pageErrors).toEqual([]);
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    test(`${lang}: charts, figures and an A4 PDF`, async ({ page, request }) => {
      test.setTimeout(180_000);
      await actAs(request, 'manager');
      const info = await callLedger(request, 'app.info', {});
      const data = await callLedger(request, 'manager.dashboard', { asOf: E2E_TODAY });
      const d = data.dashboard;
      const words = WORDS[lang];

      await page.goto(`/#/manager/report?asOf=${E2E_TODAY}&lang=${lang}`);
      const sheet = page.getByTestId('report-sheet');
      await expect(sheet).toHaveAttribute('data-charts-ready', 'true', { timeout: 90_000 });
      // Five charts, each an SVG with drawn shapes.
      const charts = page.locator('.fb-report-chart');
      await expect(charts).toHaveCount(5);
      for (const chart of await charts.all()) {
        await expect(chart.locator('svg path').first()).toBeAttached();
      }
      await expect(page.getByTestId('report-save-pdf')).toBeEnabled();
      await expect(page.getByTestId('report-save-pdf')).toContainText(words.save);

      // The figures are the ledger's, in the report's language.
      await expect(page.getByTestId('report-branch')).toHaveText(info.branch.name);
      await expect(sheet).toContainText(words.title);
      await expect(page.getByTestId('report-as-of')).toHaveText(formatIsoDate(E2E_TODAY, lang));
      await expect(page.getByTestId('kpi-portfolio')).toContainText(
        yuan(d.aging.totals.balanceFen),
      );
      await expect(page.getByTestId('kpi-par30')).toContainText(percent(d.par.par30.ratio));
      await expect(page.getByTestId('kpi-par90')).toContainText(percent(d.par.par90.ratio));
      await expect(page.getByTestId('kpi-collection')).toContainText(percent(d.collection.ratio));
      await expect(page.getByTestId('kpi-kept-rate')).toContainText(
        percent(d.promises.keptRate.ratio),
      );
      await expect(page.getByTestId('kpi-overrides')).toContainText(
        String(d.overrides.toReview.count),
      );
      const aging = page.getByTestId('report-aging-table');
      for (const b of d.aging.buckets) {
        await expect(aging.locator('tbody tr').filter({ hasText: b.code })).toContainText(
          yuan(b.balanceFen),
        );
      }
      await expect(page.getByTestId('report-officer-row')).toHaveCount(d.officers.length);
      const someOfficer = data.officers[0]!;
      await expect(page.getByTestId('report-officer-table')).toContainText(someOfficer.name);
      await expect(page.getByTestId('report-officer-table')).toContainText(words.branchRow);
      await expect(page.getByTestId('report-officers')).toContainText(words.officers);

      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await saveScreenshot(page, `manager-report-${lang}`);

      // On paper: no toolbar, the sheet without its screen frame.
      await page.emulateMedia({ media: 'print' });
      await expect(page.getByTestId('report-toolbar')).toBeHidden();
      const printed = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
      expect(printed).toContain(info.branch.name);
      expect(printed).toContain(percent(d.par.par30.ratio));
      expect(printed).toContain(yuan(d.aging.totals.balanceFen));
      expect(printed).not.toContain(words.save);
      // The print layout, one A4 page wide, for people to look at.
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({
        path: `${SCREENSHOT_DIR}/manager-report-print-${lang}.png`,
        fullPage: true,
      });

      mkdirSync(PDF_DIR, { recursive: true });
      const pdf = await page.pdf({
        path: `${PDF_DIR}/branch-report-${lang}.pdf`,
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
      });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // Text, tables and five vector charts: far more than an empty page (~1 KB).
      expect(pdf.length).toBeGreaterThan(60_000);
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
      expect(pages.length, 'A4 pages in the PDF').toBeGreaterThanOrEqual(2);
      expect(pages.length).toBeLessThanOrEqual(4);
    });
  }

  test('switching the language redraws the report in the other language', async ({
    page,
    request,
  }) => {
    await actAs(request, 'manager');
    await page.goto(`/#/manager/report?asOf=${E2E_TODAY}&lang=zh-CN`);
    const sheet = page.getByTestId('report-sheet');
    await expect(sheet).toHaveAttribute('data-charts-ready', 'true', { timeout: 90_000 });
    await page.getByTestId('report-language').getByText('English').click();
    await expect(page).toHaveURL(/lang=en/);
    await expect(sheet).toContainText(WORDS.en.title);
    await expect(sheet).toHaveAttribute('data-charts-ready', 'true');
    await expect(page.getByTestId('report-as-of')).toHaveText(formatIsoDate(E2E_TODAY, 'en'));
  });

  test('an officer is not shown the report', async ({ page, request }) => {
    await actAs(request, 'officer');
    await page.goto(`/#/manager/report?asOf=${E2E_TODAY}`);
    await expect(page.getByTestId('manager-forbidden')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('report-page')).toHaveCount(0);
  });
});
