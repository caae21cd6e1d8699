// The portfolio import end to end, as the branch manager: the team's two sample exports
// through the real screen (file → mapping → check → import), the counts on screen against
// the ledger's own answers, a file with bad rows refused unless "valid rows only", a cancel
// halfway through a big run that leaves the ledger as it was, and a reconciliation export
// downloaded. The ledger's answers (POST /api/...) are the reference throughout.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { v7 as uuidv7 } from 'uuid';
import type { ColumnMappingInput } from '../../shared/api/import-contract';
import type { PickedFile } from '../../shared/api/file-host';
import { callLedger } from './support/ledger-api';
import { E2E_TODAY } from './support/env';
import { saveScreenshot } from './support/worklist-page';
import { recordPageErrors } from './support/page-errors';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The team's samples beside the repo; the 30-row copies in test/fixtures when that folder is missing. */
function sample(name: string): string {
  const shared = resolve(REPO_ROOT, '../shared/samples', name);
  return existsSync(shared) ? shared : resolve(REPO_ROOT, 'test/fixtures/import-writers', name);
}
const SAMPLE_ZH = sample('portfolio-zh-gbk.csv');
const SAMPLE_EN = sample('portfolio-en.csv');
/** The date the samples' balances are as of. */
const SAMPLE_AS_OF = '2026-11-20';
const GENERATED = resolve(REPO_ROOT, 'test-results/import-e2e');

const EN_HEADER =
  'loan_no,borrower_name,id_number,phone,village,township,county,product,principal,disbursed_on,term_months,installment_amount,outstanding_principal,arrears_amount,days_past_due,next_due_on,officer_code,guarantor_name,guarantor_phone';

/** The English sample's data lines with their loan numbers replaced, as many as asked for. */
function enLinesRenumbered(prefix: string, count: number): string[] {
  const lines = readFileSync(SAMPLE_EN, 'utf8').trim().split(/\r?\n/).slice(1);
  return Array.from({ length: count }, (_, i) => {
    const line = lines[i % lines.length] as string;
    return `${prefix}${String(i).padStart(7, '0')}${line.slice(line.indexOf(','))}`;
  });
}

function writeGenerated(name: string, lines: string[]): string {
  mkdirSync(GENERATED, { recursive: true });
  const file = join(GENERATED, name);
  writeFileSync(file, `${EN_HEADER}\n${lines.join('\n')}\n`);
  return file;
}

/** Five good rows and one bad row of each common kind. */
function badRowsFile(): string {
  const good = enLinesRenumbered('LNBAD', 5);
  const base = (good[0] as string).split(',');
  const variant = (loanNo: string, change: (cells: string[]) => void) => {
    const cells = [...base];
    cells[0] = loanNo;
    change(cells);
    return cells.join(',');
  };
  return writeGenerated('portfolio-bad-rows.csv', [
    ...good,
    variant('LNBADNEG', (c) => (c[12] = '-100.00')), // negative outstanding principal
    variant('LNBADDATE', (c) => (c[9] = '2026-02-30')), // impossible disbursement date
    variant('', () => undefined), // missing loan number
    variant('LNBAD0000001', () => undefined), // duplicate of a good row's number
  ]);
}

async function openImport(page: Page): Promise<void> {
  await page.goto('/#/import');
  await expect(page.getByTestId('import-page')).toBeVisible();
}

async function chooseFile(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  const button = page.getByTestId('import-choose-file');
  if (await button.isVisible()) await button.click();
  else await page.getByRole('button', { name: /换一个文件|Choose another file/ }).click();
  await (await chooser).setFiles(file);
  await expect(page.getByTestId('import-raw-sample')).toBeVisible();
}

/** The <input> of an antd control, whether the test id landed on it or on its wrapper. */
async function inputOf(page: Page, testId: string): Promise<Locator> {
  const element = page.getByTestId(testId).first();
  const tag = await element.evaluate((e) => e.tagName);
  return tag === 'INPUT' ? element : element.locator('input').first();
}

async function setDate(page: Page, testId: string, date: string): Promise<void> {
  const input = await inputOf(page, testId);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  await expect(input).toHaveValue(date);
}

async function upload(request: APIRequestContext, file: string): Promise<string> {
  const name = file.split('/').pop() as string;
  const response = await request.post(`/__files/upload?name=${encodeURIComponent(name)}`, {
    data: readFileSync(file),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(response.ok()).toBe(true);
  return ((await response.json()) as PickedFile).path;
}

/** The ledger's own check of a file, as the reference for the counts the screen shows. */
async function ledgerPreview(
  request: APIRequestContext,
  file: string,
  asOfDate: string,
  unknownOfficer: 'error' | 'warning',
) {
  const path = await upload(request, file);
  const inspection = await callLedger(request, 'import.inspect', { file: path });
  const mapping: ColumnMappingInput = inspection.mapping;
  return callLedger(request, 'import.preview', {
    runId: uuidv7(),
    file: path,
    mapping,
    asOfDate,
    readOptions: inspection.readOptions,
    unknownOfficer,
  });
}

async function openCases(request: APIRequestContext): Promise<number> {
  return (await callLedger(request, 'app.info', {})).caseCount;
}

async function casesFound(request: APIRequestContext, search: string): Promise<number> {
  return (await callLedger(request, 'worklist.list', { search, offset: 0, limit: 5 })).total;
}

async function expectCounts(
  page: Page,
  report: { totalRows: number; validRows: number; rejectedRows: number; warningRows: number },
): Promise<void> {
  const n = (v: number) => v.toLocaleString('en-US');
  await expect(page.getByTestId('import-count-total')).toHaveText(n(report.totalRows));
  await expect(page.getByTestId('import-count-valid')).toHaveText(n(report.validRows));
  await expect(page.getByTestId('import-count-rejected')).toHaveText(n(report.rejectedRows));
  await expect(page.getByTestId('import-count-warnings')).toHaveText(n(report.warningRows));
}

async function confirmImport(page: Page): Promise<void> {
  await page.getByTestId('import-start-run').click();
  await page.getByTestId('import-confirm-run').click();
}

// Each test walks the whole flow on a shared, loaded machine: more than the default minute.
test.describe.configure({ mode: 'serial', timeout: 150_000 });

test.describe('portfolio import', () => {
  let pageErrors: string[] = [];
  test.beforeEach(async ({ page, request }) => {
    pageErrors = recordPageErrors(page);
    await callLedger(request, 'session.demoAs', { role: 'manager' });
  });
  test.afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  test('the GBK sample through every step; the counts are the ledger’s', async ({
    page,
    request,
  }) => {
    const reference = await ledgerPreview(request, SAMPLE_ZH, SAMPLE_AS_OF, 'warning');
    const casesBefore = await openCases(request);
    expect(await casesFound(request, 'LN120000002')).toBe(0);

    await openImport(page);
    await expect(page.getByRole('heading', { name: '贷款台账导入' })).toBeVisible();
    await saveScreenshot(page, 'import-0-choose');
    await chooseFile(page, SAMPLE_ZH);
    // Detection: GBK, comma, header on row 1; the names read as Chinese, not mojibake.
    await expect(page.getByTestId('import-encoding')).toContainText('GBK');
    await expect(page.getByTestId('import-delimiter')).toContainText('逗号');
    await expect(await inputOf(page, 'import-header-row')).toHaveValue('1');
    await expect(page.getByTestId('import-raw-sample')).toContainText('廖壮震');
    await saveScreenshot(page, 'import-1-file');

    await page.getByTestId('import-next-mapping').click();
    await expect(page.getByTestId('import-mapping-origin')).toContainText('已根据表头自动识别');
    await expect(page.getByTestId('import-map-loan_no')).toContainText('贷款编号');
    await expect(page.getByTestId('import-map-outstanding_principal')).toContainText('剩余本金');
    await expect(page.getByTestId('import-missing-required')).toHaveCount(0);
    await setDate(page, 'import-as-of', SAMPLE_AS_OF);
    await saveScreenshot(page, 'import-2-mapping');

    // Checked with unknown officer codes as errors first: the demo branch has no OF00x users.
    await page.getByTestId('import-start-preview').click();
    await expect(page.getByTestId('import-step-preview')).toBeVisible();
    await expect(page.getByTestId('import-unknown-officers')).toBeVisible();
    await expect(page.getByTestId('import-start-run')).toBeDisabled();
    await page.getByRole('button', { name: '改为导入并提示' }).click();
    await expect(page.getByTestId('import-unknown-officers')).toHaveCount(0);
    await expectCounts(page, reference.report);
    expect(reference.report.rejectedRows).toBe(0);
    await page.getByRole('tab', { name: /可导入的行/ }).click();
    // Money as yuan with separators, dates normalised from 2026/1/21.
    const firstRow = page.getByTestId('import-parsed-sample').locator('tbody tr').first();
    await expect(firstRow).toContainText('¥100,000.00');
    await expect(firstRow).toContainText('2026-01-21');
    await saveScreenshot(page, 'import-3-preview');

    await confirmImport(page);
    await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
    await saveScreenshot(page, 'import-4-result');
    const created = Number(await page.getByTestId('import-result-created').innerText());
    const opened = Number(
      (await page.getByTestId('import-result-cases-opened').innerText()).replace(/,/g, ''),
    );
    expect(created).toBe(reference.report.validRows);
    // The ledger agrees: the open cases grew by the cases the screen says were opened.
    expect(await openCases(request)).toBe(casesBefore + opened);
    expect(opened).toBeGreaterThan(0);
    expect(await casesFound(request, 'LN120000002')).toBe(1);
  });

  test('the English sample with a saved mapping, and the screen in English', async ({
    page,
    request,
  }) => {
    const reference = await ledgerPreview(request, SAMPLE_EN, SAMPLE_AS_OF, 'warning');
    await openImport(page);
    await page.evaluate(() =>
      (
        globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
      ).localStorage.setItem('fieldbook.language', 'en'),
    );
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Portfolio import' })).toBeVisible();
    await chooseFile(page, SAMPLE_EN);
    await expect(page.getByTestId('import-encoding')).toContainText('UTF-8');
    await page.getByTestId('import-next-mapping').click();
    await expect(page.getByTestId('import-mapping-origin')).toContainText(
      'recognised from the headers',
    );
    await page.getByTestId('import-unknown-officer').getByText('Import with a warning').click();
    await setDate(page, 'import-as-of', SAMPLE_AS_OF);
    await (await inputOf(page, 'import-source-system')).fill('Core banking EN');
    await page.getByTestId('import-save-mapping').click();
    await expect(page.getByTestId('import-mapping-origin')).toContainText(
      'saved mapping "Core banking EN"',
    );
    const saved = await callLedger(request, 'import.mappings.list', {});
    expect(saved.map((m) => m.sourceSystem)).toContain('Core banking EN');
    await saveScreenshot(page, 'import-2-mapping-en');

    await page.getByTestId('import-start-preview').click();
    await expectCounts(page, reference.report);
    await confirmImport(page);
    await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('import-result-created')).toHaveText(
      String(reference.report.validRows),
    );
    expect(await casesFound(request, 'LN110000003')).toBe(1);

    // The next file from that system maps itself, and the screen says from which mapping.
    await page.getByTestId('import-another').click();
    await chooseFile(page, SAMPLE_EN);
    await page.getByTestId('import-next-mapping').click();
    await expect(page.getByTestId('import-mapping-origin')).toContainText('Core banking EN');
  });

  test('a file with bad rows says why, and imports only when "valid rows only" is chosen', async ({
    page,
    request,
  }) => {
    const file = badRowsFile();
    const reference = await ledgerPreview(request, file, SAMPLE_AS_OF, 'warning');
    expect(reference.report.rejectedRows).toBe(5);

    await openImport(page);
    await chooseFile(page, file);
    await page.getByTestId('import-next-mapping').click();
    await page.getByTestId('import-unknown-officer').getByText('导入并提示').click();
    await setDate(page, 'import-as-of', SAMPLE_AS_OF);
    await page.getByTestId('import-start-preview').click();
    await expectCounts(page, reference.report);

    const issues = page.getByTestId('import-issues');
    await expect(issues).toContainText('剩余本金不能为负数（-100.00）');
    await expect(issues).toContainText('放款日期“2026-02-30”在日历上不存在');
    await expect(issues).toContainText('缺少贷款编号');
    await expect(issues).toContainText('贷款编号 LNBAD0000001 在文件中重复');
    // Never a raw code on screen.
    await expect(issues).not.toContainText('negative_amount');
    await expect(page.getByTestId('import-start-run')).toBeDisabled();
    await expect(page.getByTestId('import-run-blocker')).toContainText('有 5 行被拒绝');
    await saveScreenshot(page, 'import-3-preview-problems');

    const casesBefore = await openCases(request);
    await page.getByTestId('import-valid-only').click();
    await expect(page.getByTestId('import-start-run')).toBeEnabled();
    await expect(page.getByTestId('import-start-run')).toHaveText('导入 4 行');
    await confirmImport(page);
    await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('import-result-created')).toHaveText(
      String(reference.report.validRows),
    );
    await expect(page.getByTestId('import-result-left-out')).toHaveText('5');
    const opened = Number(await page.getByTestId('import-result-cases-opened').innerText());
    expect(await openCases(request)).toBe(casesBefore + opened);
    expect(await casesFound(request, 'LNBADNEG')).toBe(0);
  });

  test('cancelling a big run halfway leaves the ledger as it was', async ({ page, request }) => {
    test.setTimeout(240_000);
    const file = writeGenerated('portfolio-big.csv', enLinesRenumbered('LNBIG', 80_000));
    const casesBefore = await openCases(request);

    await openImport(page);
    await chooseFile(page, file);
    await page.getByTestId('import-next-mapping').click();
    await page.getByTestId('import-unknown-officer').getByText('导入并提示').click();
    await setDate(page, 'import-as-of', SAMPLE_AS_OF);
    await page.getByTestId('import-start-preview').click();
    // A picture of the check under way once it has counted some rows (if it is not already done).
    await expect
      .poll(async () => {
        if (await page.getByTestId('import-count-total').isVisible()) return true;
        const counted = await page
          .getByTestId('import-preview-rows')
          .innerText()
          .catch(() => '');
        return /[1-9]/.test(counted);
      })
      .toBe(true);
    if (await page.getByTestId('import-previewing').isVisible())
      await saveScreenshot(page, 'import-3-previewing');
    await expect(page.getByTestId('import-count-total')).toHaveText('80,000', { timeout: 120_000 });
    await confirmImport(page);

    await expect(page.getByTestId('import-running')).toBeVisible();
    // Wait for rows to be written, so the cancel really undoes work.
    await expect(page.getByTestId('import-run-counts')).not.toContainText('已处理 0 /', {
      timeout: 60_000,
    });
    await saveScreenshot(page, 'import-4-running');
    // Leaving the page does not lose the run: back on it, its progress and cancel are there.
    await page.evaluate(
      () => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/'),
    );
    await expect(page.getByTestId('import-page')).toHaveCount(0);
    await saveScreenshot(page, 'import-6-worklist-during-import');
    await page.evaluate(
      () => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/import'),
    );
    await expect(page.getByTestId('import-running')).toBeVisible();
    await expect(page.getByTestId('import-run-counts')).toContainText('/ 80,000 行');
    await page.getByTestId('import-cancel-run').click();
    await page.getByTestId('import-cancel-confirm').click();
    await expect(page.getByTestId('import-cancelled')).toBeVisible({ timeout: 60_000 });
    await saveScreenshot(page, 'import-4-cancelled');

    expect(await openCases(request)).toBe(casesBefore);
    expect(await casesFound(request, 'LNBIG0000003')).toBe(0);
  });

  test('a reconciliation export downloads the ledger’s field activity', async ({
    page,
    request,
  }) => {
    const from = `${E2E_TODAY.slice(0, 7)}-01`;
    const reserved = (await (
      await request.post('/__files/reserve', { data: { name: 'reference.csv' } })
    ).json()) as PickedFile;
    const reference = await callLedger(request, 'export.reconciliation', {
      from,
      to: E2E_TODAY,
      format: 'csv',
      file: reserved.path,
      lang: 'zh-CN',
      values: 'labels',
    });
    expect(reference.rows).toBeGreaterThan(0);

    await openImport(page);
    await page.getByTestId('import-tabs').getByText('对账导出').click();
    await expect(page.getByTestId('reconciliation-export')).toBeVisible();
    await page.getByTestId('reconciliation-format').getByText('CSV').click();
    await saveScreenshot(page, 'import-5-export');
    const download = page.waitForEvent('download');
    await page.getByTestId('reconciliation-export-button').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`外勤对账_${from}_${E2E_TODAY}.csv`);
    const text = readFileSync(await file.path(), 'utf8');
    expect(text).toContain('贷款编号');
    expect(text).toContain('收据号');
    await expect(page.getByTestId('reconciliation-last')).toContainText(`${reference.rows} 条记录`);
  });
});
