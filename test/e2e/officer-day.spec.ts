// A field officer's day, end to end in Debian's Chromium against the real ledger:
// open a case from the worklist, log a visit with a co-visitor and a promise, take a
// partial payment and open its receipt, propose a plan for a hardship case, try a call
// at 22:30 and see it refused with the reason and the time it will be allowed, then
// reload the app and find everything there. Plus: search by pinyin initials, and the
// worklist grouped by village. The ledger's clock is pinned through the dev bridge's
// test hook, so the run does not depend on the hour it happens at.
import { expect, test, type Page } from '@playwright/test';
import { pinyin } from 'pinyin-pro';
import type { CaseFile, WorklistRow } from '../../shared/api/contract';
import { addDays } from '../../shared/dates';
import { formatFen } from '../../shared/money';
import { setLedgerClock } from './support/clock';
import { E2E_TODAY, SCREENSHOT_DIR } from './support/env';
import { callLedger } from './support/ledger-api';
import { drawnRows, saveScreenshot, waitForWorklist, worklistRows } from './support/worklist-page';
import { recordPageErrors } from './support/page-errors';

const MORNING = `${E2E_TODAY}T10:00:00+08:00`;
const LATE_EVENING = `${E2E_TODAY}T22:30:00+08:00`;

function initialsOf(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' })
    .join('')
    .toLowerCase();
}

async function search(page: Page, text: string): Promise<void> {
  const box = page.getByTestId('worklist-search');
  await box.fill(text);
  await box.press('Enter');
}

async function openCaseFromWorklist(page: Page, row: WorklistRow): Promise<void> {
  await search(page, row.borrowerName);
  const target = worklistRows(page).and(page.locator(`[data-case-id="${row.caseId}"]`));
  await target.click();
  await expect(page.getByTestId('case-borrower-name')).toHaveText(row.borrowerName);
}

async function pickOption(page: Page, testId: string, text: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

async function pickDate(page: Page, testId: string, date: string): Promise<void> {
  const input = page
    .locator(`[data-testid="${testId}"] input, input[data-testid="${testId}"]`)
    .first();
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

test.describe('the officer’s day', () => {
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = recordPageErrors(page);
  });
  test.afterEach(async ({ request }) => {
    await setLedgerClock(request, null);
    expect(pageErrors).toEqual([]);
  });

  test('visit with a promise, partial payment with receipt, hardship plan, a refused late call, all there after a reload', async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    await setLedgerClock(request, MORNING);
    const info = await callLedger(request, 'app.info', {});
    const me = info.currentUser;
    const colleague = info.officers.find((o) => o.id !== me.id)!;
    const mine = await callLedger(request, 'worklist.list', {
      officerId: me.id,
      offset: 0,
      limit: 100,
    });
    const dayCase = mine.rows.find(
      (r) => r.phone && !r.flags.doNotContact && r.arrearsFen > 100_00,
    )!;
    expect(dayCase, 'a case with a phone and arrears above ¥100').toBeTruthy();

    // 1. Open the case from the worklist.
    await page.goto('/');
    await waitForWorklist(page);
    await openCaseFromWorklist(page, dayCase);
    await expect(page.getByTestId('case-arrears')).toHaveText(formatFen(dayCase.arrearsFen));

    // 2. Log a visit with a co-visitor and a promise to pay.
    await page.getByTestId('action-visit').click();
    const form = page.getByTestId('contact-form');
    await expect(form).toBeVisible();
    await expect(form.getByTestId('conduct-status')).toBeVisible();
    // Without a second collector the China pack blocks the visit and says why.
    await expect(form.getByTestId('conduct-status')).toContainText('上门须有第二名催收员同行');
    await expect(form.getByTestId('contact-submit')).toBeDisabled();
    await pickOption(page, 'second-collector', colleague.name);
    await expect(form.getByTestId('conduct-status')).toHaveAttribute('data-allowed', 'true');
    await pickOption(page, 'contact-outcome', '承诺还款');
    await expect(form.getByTestId('inline-promise')).toBeVisible();
    await form.getByTestId('promise-amount').fill('500');
    const promiseDue = addDays(E2E_TODAY, 3);
    await pickDate(page, 'promise-due-date', promiseDue);
    await form.getByTestId('contact-note').fill('本人在家，答应12月1日前先还500元');
    await pickDate(page, 'next-action-date', addDays(E2E_TODAY, 4));
    await saveScreenshot(page, 'day-1-visit-form');
    await form.getByTestId('contact-submit').click();
    await expect(page.getByTestId('contact-confirmed')).toContainText('已记录：上门 · 承诺还款');
    await expect(form).toBeHidden();
    const promises = page.getByTestId('case-promises');
    await expect(promises).toContainText('¥500.00');
    await expect(promises).toContainText('待兑现');
    await expect(page.getByTestId('case-timeline')).toContainText(colleague.name);
    await saveScreenshot(page, 'day-2-case-after-visit');

    // 3. A partial payment, and its receipt.
    await page.getByTestId('action-payment').click();
    const payment = page.getByTestId('payment-form');
    await payment.getByTestId('payment-amount').fill('300');
    await payment.getByTestId('payment-method').getByText('现金', { exact: true }).click();
    await saveScreenshot(page, 'day-3-payment-form');
    await payment.getByTestId('payment-submit').click();
    const receipt = page.getByTestId('receipt-modal');
    await expect(receipt.getByTestId('receipt-amount')).toHaveText('¥300.00');
    await expect(receipt.getByTestId('receipt-capitals')).toHaveText('人民币叁佰元整');
    await expect(receipt.getByTestId('receipt-borrower')).toContainText(dayCase.borrowerName);
    await expect(receipt.getByTestId('receipt-collector')).toHaveText(me.name);
    await expect(receipt.getByTestId('receipt-time')).toContainText('2026年11月28日 10:');
    const receiptNo = ((await receipt.getByTestId('receipt-no').textContent()) ?? '').replace(
      'No. ',
      '',
    );
    expect(receiptNo).toMatch(/^[0-9A-Z]{4}-\d{6}$/);
    await saveScreenshot(page, 'day-4-receipt-zh');
    // Printed, only the receipt is on the page.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#root')).toBeHidden();
    await expect(page.locator('.fb-print-area')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/day-5-receipt-print.png` });
    await page.emulateMedia({ media: 'screen' });
    await receipt.getByTestId('receipt-language').getByText('英文收据').click();
    await expect(receipt.getByTestId('receipt')).toContainText('Payment receipt');
    await expect(receipt.getByTestId('receipt-capitals')).toHaveCount(0);
    await saveScreenshot(page, 'day-6-receipt-en');
    await receipt.getByTestId('receipt-close').click();
    await expect(page.getByTestId('case-payments')).toContainText(receiptNo);
    const afterPayment = await callLedger(request, 'case.get', { caseId: dayCase.caseId });
    await expect(page.getByTestId('case-arrears')).toHaveText(
      formatFen(afterPayment.loans.reduce((s, l) => s + l.arrearsFen, 0)),
    );

    // 4. A plan for a hardship case.
    const hardship = await callLedger(request, 'worklist.list', {
      officerId: me.id,
      hardship: true,
      offset: 0,
      limit: 50,
    });
    const planRow = hardship.rows.find((r) => r.caseId !== dayCase.caseId && r.outstandingFen > 0)!;
    expect(planRow, 'a hardship case with money outstanding').toBeTruthy();
    await page.getByTestId('case-back').click();
    await waitForWorklist(page);
    await openCaseFromWorklist(page, planRow);
    const planFile: CaseFile = await callLedger(request, 'case.get', { caseId: planRow.caseId });
    await page.getByTestId('action-plan').click();
    const plan = page.getByTestId('plan-form');
    await plan.getByTestId('plan-reasons').getByText('农作物或牲畜损失').click();
    await plan.getByTestId('plan-reasons').getByText('外出务工').click();
    // A household with little left over: no plan fits within 36 months, said in words.
    await plan.getByTestId('plan-income').fill('1200');
    await plan.getByTestId('plan-expenses').fill('1000');
    await plan.getByTestId('plan-other-debts').fill('100');
    await expect(plan.getByTestId('plan-affordable')).toContainText('¥50.00');
    await expect(plan.getByTestId('plan-refusal')).toContainText('超过最长 36 个月');
    // Enough income for a two-year plan on what the loan needs.
    const loan = planFile.loans.find((l) => l.status === 'active')!;
    const monthlyYuan = Math.ceil(loan.outstandingFen / 100 / 24) + 50;
    await plan.getByTestId('plan-income').fill(String(1100 + monthlyYuan * 2));
    await expect(plan.getByTestId('plan-affordable')).toContainText(formatFen(monthlyYuan * 100));
    await expect(plan.getByTestId('plan-schedule')).toBeVisible();
    await expect(plan.getByTestId('plan-summary')).toContainText('共');
    await saveScreenshot(page, 'day-7-plan-form');
    await plan.getByTestId('plan-submit').click();
    await expect(page.getByTestId('fact-confirmed')).toContainText('还款计划已提交');
    await expect(page.getByTestId('plan-status').first()).toHaveText('待审批');
    await saveScreenshot(page, 'day-8-case-with-plan');

    // 5. 22:30: a call is refused before it is made, with the reason and when it will be allowed.
    await setLedgerClock(request, LATE_EVENING);
    await page.getByTestId('case-back').click();
    await openCaseFromWorklist(page, dayCase);
    await expect(page.getByTestId('action-call')).toHaveAttribute('data-available', 'false');
    await expect(page.getByTestId('closed-call')).toContainText(
      '22:00–08:00 不得联系，明天 08:00 后可拨打',
    );
    await page.getByTestId('action-call').click();
    const call = page.getByTestId('contact-form');
    await expect(call.getByTestId('conduct-status')).toHaveAttribute('data-allowed', 'false');
    await expect(call.getByTestId('conduct-status')).toContainText('现在不能打电话');
    await expect(call.getByTestId('conduct-status')).toContainText('22:00–08:00 不得联系');
    await expect(call.getByTestId('conduct-next-allowed')).toHaveText(/明天 08:00 后可拨打/);
    await pickOption(page, 'contact-outcome', '无人接听');
    await expect(call.getByTestId('contact-submit')).toBeDisabled();
    await expect(call.getByTestId('contact-blocked-hint')).toBeVisible();
    // The override path needs a real reason (10 characters) and says it goes to the manager.
    await call.getByTestId('override-toggle').click();
    await call.getByTestId('override-reason').fill('借款人要求');
    await expect(call.getByTestId('contact-submit')).toBeDisabled();
    await expect(call.getByTestId('override')).toContainText('主管');
    await saveScreenshot(page, 'day-9-call-refused-2230');
    await call.getByRole('button', { name: '取消' }).click();
    // The ledger itself refuses the same call, with the rule and the time in its answer.
    const refused = await request.post('/api/contact.record', {
      data: { caseId: dayCase.caseId, channel: 'call', party: 'borrower', outcome: 'no_answer' },
    });
    const refusal = (await refused.json()) as {
      ok: boolean;
      error?: { code: string; params: Record<string, unknown> };
    };
    expect(refusal.ok).toBe(false);
    expect(refusal.error?.code).toBe('forbidden');
    expect(refusal.error?.params['rule']).toBe('outside_contact_hours');
    expect(refusal.error?.params['nextAllowedTime']).toBe('08:00');
    await setLedgerClock(request, null);

    // 6. Reload the app: everything is there.
    await page.goto('/');
    await page.reload();
    await waitForWorklist(page);
    await openCaseFromWorklist(page, dayCase);
    await expect(page.getByTestId('case-promises')).toContainText('¥500.00');
    await expect(page.getByTestId('case-payments')).toContainText(receiptNo);
    await expect(page.getByTestId('case-payments')).toContainText('¥300.00');
    const timeline = page.getByTestId('case-timeline');
    await expect(timeline).toContainText('联系记录');
    await expect(timeline).toContainText('上门');
    await expect(timeline).toContainText(`协同催收员 ${colleague.name}`);
    await expect(timeline).toContainText(`记录人：${me.name}`);
    await expect(timeline).toContainText('本人在家，答应12月1日前先还500元');
    await page.getByTestId('case-payments').getByTestId('open-receipt').first().click();
    await expect(page.getByTestId('receipt-modal').getByTestId('receipt-no')).toHaveText(
      `No. ${receiptNo}`,
    );
    await page.getByTestId('receipt-modal').getByTestId('receipt-close').click();
    await page.getByTestId('case-back').click();
    await openCaseFromWorklist(page, planRow);
    await expect(page.getByTestId('plan-status').first()).toHaveText('待审批');
    await expect(page.getByTestId('case-timeline')).toContainText('还款计划申请');
  });

  test('search by pinyin initials finds the borrower', async ({ page, request }) => {
    const info = await callLedger(request, 'app.info', {});
    const mine = await callLedger(request, 'worklist.list', {
      officerId: info.currentUser.id,
      offset: 0,
      limit: 200,
    });
    // A borrower whose initials pick out only a handful of cases, so they are on screen.
    let target: WorklistRow | undefined;
    let expectedTotal = 0;
    for (const row of mine.rows) {
      const found = await callLedger(request, 'worklist.list', {
        officerId: info.currentUser.id,
        search: initialsOf(row.borrowerName),
        offset: 0,
        limit: 10,
      });
      if (found.total <= 6 && found.rows.some((r) => r.caseId === row.caseId)) {
        target = row;
        expectedTotal = found.total;
        break;
      }
    }
    expect(target, 'a borrower with distinctive initials').toBeTruthy();
    await page.goto('/');
    await waitForWorklist(page);
    await page.keyboard.press('/');
    await page.keyboard.type(initialsOf(target!.borrowerName));
    // Debounced: the list follows without pressing Enter.
    await expect(page.getByTestId('worklist-total')).toHaveText(`共 ${expectedTotal} 个案件`);
    await expect(
      worklistRows(page).and(page.locator(`[data-case-id="${target!.caseId}"]`)),
    ).toBeVisible();
    await saveScreenshot(page, 'worklist-search-initials');
  });

  test('grouped by village: section headers with case counts, in the ledger’s route order', async ({
    page,
    request,
  }) => {
    const info = await callLedger(request, 'app.info', {});
    const mine = { officerId: info.currentUser.id };
    const grouped = await callLedger(request, 'worklist.list', {
      ...mine,
      groupBy: 'village',
      offset: 0,
      limit: 100,
    });
    const first = grouped.rows[0]!;
    const firstVillage = await callLedger(request, 'worklist.list', {
      ...mine,
      township: first.township,
      village: first.village,
      offset: 0,
      limit: 1,
    });
    await page.goto('/');
    await waitForWorklist(page);
    await page.getByTestId('group-by').getByText('按村分组（规划路线）').click();
    const header = page.getByTestId('village-header').first();
    await expect(header.getByTestId('village-header-name')).toHaveText(first.village);
    await expect(header.getByTestId('village-header-count')).toHaveText(
      `${firstVillage.total} 个案件`,
    );
    await expect
      .poll(async () => {
        const drawn = await drawnRows(page);
        return (
          drawn.length > 0 && drawn.every((r) => grouped.rows[r.rank - 1]?.caseId === r.caseId)
        );
      })
      .toBe(true);
    await saveScreenshot(page, 'worklist-by-village');
    // The next village's header sits right after the first village's last case.
    const next = grouped.rows[firstVillage.total];
    if (next) {
      expect(next.village).not.toBe(first.village);
      await page
        .getByTestId('worklist-scroll')
        .evaluate((el, top) => el.scrollTo({ top }), 36 + firstVillage.total * 60 - 200);
      const second = page.getByTestId('village-header').filter({ hasText: next.village });
      await expect(second).toBeVisible();
      const nextCount = await callLedger(request, 'worklist.list', {
        ...mine,
        township: next.township,
        village: next.village,
        offset: 0,
        limit: 1,
      });
      await expect(second.getByTestId('village-header-count')).toHaveText(
        `${nextCount.total} 个案件`,
      );
      const lastOfFirst = worklistRows(page).and(
        page.locator(`[aria-rowindex="${firstVillage.total}"]`),
      );
      await expect(lastOfFirst.getByTestId('borrower-name')).toHaveText(
        grouped.rows[firstVillage.total - 1]!.borrowerName,
      );
      await saveScreenshot(page, 'worklist-by-village-boundary');
    }
  });
});
