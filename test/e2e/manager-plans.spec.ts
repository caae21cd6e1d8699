// The branch manager's decisions, end to end in Chromium against the real ledger: plans
// proposed by an officer (through the ledger API, as the demo's officer) are approved and
// rejected with a comment on the plan queue, the decision shows on the card and under its
// tab, and the approved plan's schedule becomes the loan's schedule on the case page. A
// manager can also decide from the case page, and reviews a conduct-rule override.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { CaseFile, LoanView } from '../../shared/api/contract';
import { formatIsoDate } from '../../shared/dates';
import { formatFen } from '../../shared/money';
import { setLedgerClock } from './support/clock';
import { E2E_TODAY } from './support/env';
import { callLedger } from './support/ledger-api';
import { saveScreenshot } from './support/worklist-page';
import { recordPageErrors } from './support/page-errors';

const MORNING = `${E2E_TODAY}T10:00:00+08:00`;

/**
 * Signs the demo ledger in as its officer or its manager. The switch reopens the ledger,
 * which drops a pinned clock, so the clock is pinned again (null: the real clock).
 */
async function actAs(
  request: APIRequestContext,
  role: 'officer' | 'manager',
  clock: string | null = MORNING,
): Promise<void> {
  const state = await callLedger(request, 'session.demoAs', { role });
  expect(state.signedIn?.role).toBe(role);
  await setLedgerClock(request, clock);
}

interface Proposed {
  planFactId: string;
  caseId: string;
  borrowerName: string;
  loan: LoanView;
  /** What the officer asked for; the ledger evens the instalments out from it. */
  askedMonthlyFen: number;
}

/** Open cases of the demo officer with arrears and no plan yet: fresh on every run. */
async function casesWithoutPlans(request: APIRequestContext, n: number): Promise<CaseFile[]> {
  const info = await callLedger(request, 'app.info', {});
  const list = await callLedger(request, 'worklist.list', {
    officerId: info.currentUser.id,
    offset: 0,
    limit: 200,
  });
  const found: CaseFile[] = [];
  for (const row of list.rows) {
    if (found.length === n) break;
    if (row.arrearsFen <= 0 || row.flags.doNotContact) continue;
    const file = await callLedger(request, 'case.get', { caseId: row.caseId });
    const loan = file.loans.find((l) => l.status === 'active' && l.arrearsFen > 0);
    if (file.status === 'open' && file.plans.length === 0 && loan) found.push(file);
  }
  expect(found.length, `${n} open cases in arrears without a plan`).toBe(n);
  return found;
}

/** The officer proposes a hardship plan of about a year (the ledger computes the schedule). */
async function proposePlan(request: APIRequestContext, file: CaseFile): Promise<Proposed> {
  const loan = file.loans.find((l) => l.status === 'active' && l.arrearsFen > 0)!;
  const monthlyFen = Math.ceil((loan.outstandingFen + loan.arrearsFen) / 12 / 10_000) * 10_000;
  const fact = await callLedger(request, 'plan.propose', {
    caseId: file.caseId,
    loanId: loan.id,
    hardshipReasons: ['illness_or_injury', 'crop_or_livestock_loss'],
    monthlyIncomeFen: monthlyFen * 3,
    essentialExpensesFen: monthlyFen,
    otherDebtPaymentsFen: 0,
    monthlyFen,
    startDate: '2026-12-15',
    note: '家中老人住院，玉米减产，申请分期还款',
  });
  return {
    planFactId: fact.factId,
    caseId: file.caseId,
    borrowerName: file.borrower.name,
    loan,
    askedMonthlyFen: monthlyFen,
  };
}

function card(page: Page, planFactId: string) {
  return page.locator(`[data-testid="plan-card"][data-plan-id="${planFactId}"]`);
}

async function decide(
  page: Page,
  planFactId: string,
  decision: 'approve' | 'reject',
  comment: string,
): Promise<void> {
  await card(page, planFactId).getByTestId(`plan-${decision}`).click();
  // antd's modal root has no box of its own: its fields tell whether it is open.
  const modal = page.getByTestId('decision-modal');
  await expect(modal.getByTestId('decision-comment')).toBeVisible();
  // The comment is required: an empty one is refused in words, nothing is recorded.
  await modal.getByTestId('decision-submit').click();
  await expect(modal).toContainText('请填写审批意见');
  await modal.getByTestId('decision-comment').fill(comment);
  await modal.getByTestId('decision-submit').click();
  await expect(modal.getByTestId('decision-comment')).toBeHidden();
}

test.describe('plan decisions', () => {
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = recordPageErrors(page);
  });
  test.afterEach(async ({ request }) => {
    await actAs(request, 'officer', null);
    expect(pageErrors).toEqual([]);
  });

  test('approve one plan and reject another with a comment; the approved plan drives the case', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    await actAs(request, 'officer');
    const [fileA, fileB] = await casesWithoutPlans(request, 2);
    const a = await proposePlan(request, fileA!);
    const b = await proposePlan(request, fileB!);
    await actAs(request, 'manager');
    const manager = (await callLedger(request, 'app.info', {})).currentUser;
    const queue = await callLedger(request, 'manager.plans', { status: 'proposed' });
    const planA = queue.find((p) => p.factId === a.planFactId)!;
    expect(planA, 'the proposed plan is in the manager’s queue').toBeTruthy();

    await page.goto('/#/manager/plans');
    await expect(page.getByTestId('plans-page')).toBeVisible({ timeout: 60_000 });
    const cardA = card(page, a.planFactId);
    await expect(cardA).toBeVisible();
    await expect(cardA.getByTestId('plan-open-case')).toHaveText(a.borrowerName);
    await expect(cardA.getByTestId('plan-status')).toHaveText('待审批');
    await expect(cardA.getByTestId('plan-reasons')).toContainText('疾病或受伤');
    await expect(cardA.getByTestId('plan-reasons')).toContainText('农作物或牲畜损失');
    await expect(cardA.getByTestId('plan-terms')).toContainText(
      `${formatFen(planA.monthlyFen)} × ${planA.months}期 = ${formatFen(planA.totalFen)}`,
    );
    await expect(cardA.getByTestId('plan-terms')).toContainText(
      `首期 ${formatIsoDate(planA.firstDueDate, 'zh-CN')}`,
    );
    await expect(cardA.getByTestId('plan-cash-flow')).toContainText(
      `收入 ${formatFen(a.askedMonthlyFen * 3)}`,
    );
    await expect(cardA.getByTestId('plan-now')).toContainText(`逾期${planA.daysPastDue}天`);
    await expect(cardA.getByTestId('plan-now')).toContainText(formatFen(planA.arrearsFen));
    await expect(cardA.getByTestId('plan-note')).toContainText('家中老人住院');
    await expect(cardA).toContainText(planA.officer.name);

    // The schedule opens on request, one line per instalment.
    await cardA.getByTestId('plan-schedule-toggle').click();
    await expect(cardA.getByTestId('plan-schedule').locator('li')).toHaveCount(planA.months);
    await cardA.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'manager-plans-queue');

    // Approve A, reject B: each card shows its decision in place.
    await decide(page, a.planFactId, 'approve', '收入情况已核实，同意按计划还款');
    await expect(cardA.getByTestId('plan-status')).toHaveText('已批准');
    await expect(cardA.getByTestId('plan-decision')).toContainText(manager.name);
    await expect(cardA.getByTestId('plan-decision-comment')).toHaveText(
      '收入情况已核实，同意按计划还款',
    );
    await expect(cardA.getByTestId('plan-approve')).toHaveCount(0);

    await decide(page, b.planFactId, 'reject', '月供过低，请与借款人重新协商');
    const cardB = card(page, b.planFactId);
    await expect(cardB.getByTestId('plan-status')).toHaveText('已拒绝');
    await expect(cardB.getByTestId('plan-decision-comment')).toHaveText(
      '月供过低，请与借款人重新协商',
    );
    await cardB.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'manager-plans-decided');

    // The ledger holds both decisions, with who decided and the comment.
    const approved = await callLedger(request, 'manager.plans', { status: 'approved' });
    const decidedA = approved.find((p) => p.factId === a.planFactId);
    expect(decidedA?.decision?.by.id).toBe(manager.id);
    expect(decidedA?.decision?.comment).toBe('收入情况已核实，同意按计划还款');
    const rejected = await callLedger(request, 'manager.plans', { status: 'rejected' });
    expect(rejected.some((p) => p.factId === b.planFactId)).toBe(true);

    // Under their tabs, after a fresh load.
    await page.getByTestId('plans-tab-rejected').click();
    await expect(card(page, b.planFactId).getByTestId('plan-decision')).toContainText('月供过低');
    await expect(card(page, a.planFactId)).toHaveCount(0);
    await page.getByTestId('plans-tab-approved').click();
    await expect(card(page, a.planFactId).getByTestId('plan-decision')).toContainText(manager.name);
    await page.getByTestId('plans-tab-proposed').click();
    await expect(card(page, a.planFactId)).toHaveCount(0);
    await expect(card(page, b.planFactId)).toHaveCount(0);

    // The case now runs on the plan: its schedule is the plan's instalments.
    await page.getByTestId('plans-tab-approved').click();
    await card(page, a.planFactId).getByTestId('plan-open-case').click();
    await expect(page.getByTestId('case-borrower-name')).toHaveText(a.borrowerName);
    const fileAfter = await callLedger(request, 'case.get', { caseId: a.caseId });
    const loanAfter = fileAfter.loans.find((l) => l.id === a.loan.id)!;
    const fromPlan = loanAfter.schedule.filter((i) => i.dueDate >= planA.firstDueDate);
    expect(fromPlan.map((i) => i.dueDate)).toEqual(planA.instalments.map((i) => i.dueDate));
    expect(fromPlan.map((i) => i.principalFen + i.interestFen)).toEqual(
      planA.instalments.map((i) => i.amountFen),
    );
    expect(loanAfter.daysPastDue, 'nothing is late under the new schedule').toBe(0);
    const schedule = page.getByTestId('case-loans').getByTestId('loan-schedule').first();
    for (const inst of planA.instalments.slice(0, 3)) {
      await expect(schedule).toContainText(formatIsoDate(inst.dueDate, 'zh-CN'));
    }
    await expect(page.getByTestId('case-dpd')).toHaveText('0天');
    await expect(page.getByTestId('case-plans').getByTestId('plan-status').first()).toHaveText(
      '已批准',
    );
    await saveScreenshot(page, 'manager-plans-case-after-approval');

    // Back returns to the queue where the manager left it.
    await page.getByTestId('case-back').click();
    await expect(page.getByTestId('plans-page')).toBeVisible();
  });

  test('a manager decides a plan from the case page', async ({ page, request }) => {
    test.setTimeout(120_000);
    await actAs(request, 'officer');
    const [file] = await casesWithoutPlans(request, 1);
    const c = await proposePlan(request, file!);
    await actAs(request, 'manager');

    await page.goto(`/#/case/${c.caseId}`);
    await expect(page.getByTestId('case-borrower-name')).toHaveText(c.borrowerName, {
      timeout: 60_000,
    });
    const plans = page.getByTestId('case-plans');
    await plans.getByTestId('case-plan-approve').click();
    const modal = page.getByTestId('decision-modal');
    const [plan] = (await callLedger(request, 'manager.plans', { status: 'proposed' })).filter(
      (p) => p.factId === c.planFactId,
    );
    await expect(modal.getByTestId('decision-plan')).toHaveText(
      `每月 ${formatFen(plan!.monthlyFen)}，共 ${plan!.months} 期，合计 ${formatFen(plan!.totalFen)}`,
    );
    await modal.getByTestId('decision-comment').fill('已电话核实家庭情况，同意');
    await modal.getByTestId('decision-submit').click();
    await expect(modal.getByTestId('decision-comment')).toBeHidden();
    await expect(page.getByTestId('fact-confirmed')).toContainText(
      `已批准 ${c.borrowerName} 的还款计划`,
    );
    await expect(plans.getByTestId('plan-status').first()).toHaveText('已批准');
    await expect(plans.getByTestId('case-plan-approve')).toHaveCount(0);
    await expect(page.getByTestId('case-dpd')).toHaveText('0天');
  });

  test('an officer sees no decision buttons on the case page', async ({ page, request }) => {
    await actAs(request, 'officer');
    const [file] = await casesWithoutPlans(request, 1);
    const c = await proposePlan(request, file!);
    await page.goto(`/#/case/${c.caseId}`);
    await expect(page.getByTestId('case-borrower-name')).toHaveText(c.borrowerName, {
      timeout: 60_000,
    });
    await expect(page.getByTestId('case-plans').getByTestId('plan-status')).toHaveText('待审批');
    await expect(page.getByTestId('case-plan-approve')).toHaveCount(0);
    // And the ledger refuses the decision itself.
    const response = await request.post('/api/plan.decide', {
      data: { planFactId: c.planFactId, decision: 'approved', comment: '自己批准' },
    });
    const result = (await response.json()) as { ok: boolean; error?: { code: string } };
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('forbidden');
  });

  test('review a conduct-rule override with a comment', async ({ page, request }) => {
    test.setTimeout(120_000);
    await actAs(request, 'officer');
    const [file] = await casesWithoutPlans(request, 1);
    // China's pack wants a second collector on a visit: going alone needs a written reason.
    const fact = await callLedger(request, 'contact.record', {
      caseId: file!.caseId,
      channel: 'visit',
      party: 'borrower',
      outcome: 'hardship',
      note: '借款人生病在家',
      override: { reason: '同事临时请假，借款人行动不便只能今天上门' },
    });
    await actAs(request, 'manager');
    const waiting = await callLedger(request, 'manager.overrides', { reviewed: false });
    const mine = waiting.find((o) => o.factId === fact.factId);
    expect(mine, 'the override waits for review').toBeTruthy();

    await page.goto('/#/manager/plans');
    await expect(page.getByTestId('plans-page')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('plans-tab-overrides').click();
    const row = page.locator(`[data-testid="override-row"][data-fact-id="${fact.factId}"]`);
    await expect(row).toContainText(file!.borrower.name);
    await expect(row).toContainText('同事临时请假');
    await expect(row.getByTestId('override-rules')).toContainText('上门须两人');
    await saveScreenshot(page, 'manager-overrides-review');

    await row.getByTestId('override-review').click();
    const modal = page.getByTestId('override-review-modal');
    await modal.getByTestId('override-review-comment').fill('情况属实，下次请提前安排同行人');
    await modal.getByTestId('override-review-submit').click();
    await expect(modal.getByTestId('override-review-comment')).toBeHidden();
    await expect(row).toHaveCount(0);

    await page.getByTestId('overrides-filter').getByText('已复核').click();
    await expect(row.getByTestId('override-reviewed')).toContainText('情况属实');
    const reviewed = await callLedger(request, 'manager.overrides', { reviewed: true });
    expect(reviewed.find((o) => o.factId === fact.factId)?.review?.comment).toBe(
      '情况属实，下次请提前安排同行人',
    );
  });
});
