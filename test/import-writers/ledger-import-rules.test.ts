// Rules of the desktop import that its speed-ups must not bend: new cases carry the derived
// state the ledger's own derive step would give them, and a core-banking re-import never
// overwrites the schedule of a loan running on a plan the manager approved.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGbkCsv } from '../../bench/import-read';
import type { LedgerClock } from '../../electron/ledger/clock';
import { proposePlan } from '../../electron/ledger/commands/propose-plan';
import { recordPayment } from '../../electron/ledger/commands/record-payment';
import { refreshDerived } from '../../electron/ledger/derive';
import { importPortfolioIntoLedger } from '../../electron/ledger/import';
import { ledgerToday } from '../../electron/ledger/ledger';
import { decidePlan } from '../../electron/ledger/manager/plan-decision';
import { SAMPLE_AS_OF, SAMPLE_EN, SAMPLE_ZH, loanLine, tempDir, writeCsv } from './helpers';
import {
  createTestLedger,
  MANAGER_ID,
  officerId,
  previewFor,
  type TestLedger,
} from './ledger-helpers';

const dir = tempDir();

async function importFile(t: TestLedger, file: string, asOf: string) {
  const preview = await previewFor(t, file, asOf);
  return importPortfolioIntoLedger(t.ledger, file, preview, {
    actorId: MANAGER_ID,
    validOnly: true,
  });
}

function movableClock(instant: string): LedgerClock & { set(i: string): void } {
  let now = new Date(instant);
  return { now: () => new Date(now), set: (i) => (now = new Date(i)) };
}

function schedule(t: TestLedger, loanNo: string): unknown[] {
  return t.db
    .prepare(
      `SELECT i.seq, i.due_date, i.principal_fen, i.interest_fen FROM instalments i
       JOIN loans l ON l.id = i.loan_id WHERE l.loan_no = ? ORDER BY i.seq`,
    )
    .all(loanNo);
}

function caseOf(t: TestLedger, loanNo: string) {
  return t.db
    .prepare(
      `SELECT c.id AS case_id, l.id AS loan_id, c.status, c.dpd, c.arrears_fen, c.search_text, l.snapshot_as_of
       FROM loans l JOIN cases c ON c.id = l.case_id WHERE l.loan_no = ?`,
    )
    .get(loanNo) as {
    case_id: string;
    loan_id: string;
    status: string;
    dpd: number;
    arrears_fen: number;
    search_text: string;
    snapshot_as_of: string;
  };
}

describe('derived state and search text of imported cases', () => {
  it('is what the ledger derives itself: a refresh right after the import changes no case', async () => {
    const t = createTestLedger(tempDir());
    const file = join(dir, 'derived.csv');
    // 1,200 generated rows (current and delinquent, every term and amount) and both samples,
    // written in batches; then the first file again (every loan known, re-derived).
    await generateGbkCsv(file, 1_200);
    await importFile(t, file, '2026-11-20');
    await importFile(t, SAMPLE_EN.file, SAMPLE_AS_OF);
    await importFile(t, SAMPLE_ZH.file, SAMPLE_AS_OF);
    expect(await importFile(t, file, '2026-11-20')).toMatchObject({ loansCreated: 0 });
    const cases = t.db.prepare('SELECT count(*) FROM cases').pluck().get() as number;
    expect(cases).toBeGreaterThan(1_200);
    const before = t.db.prepare('SELECT id, search_text FROM cases ORDER BY id').all();
    const refreshed = refreshDerived(t.db, ledgerToday(t.ledger), t.ledger.policy);
    expect(refreshed).toMatchObject({ cases, rewritten: 0 });
    // The search text as the triggers write it: a no-op update of every case rebuilds it.
    t.db.exec('UPDATE cases SET borrower_id = borrower_id');
    expect(t.db.prepare('SELECT id, search_text FROM cases ORDER BY id').all()).toEqual(before);
    // And the worklist indexes the import dropped are back.
    const indexes = t.db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'borrowers', 'contact_points')`,
      )
      .pluck()
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        'cases_worklist',
        'cases_worklist_filters',
        'borrowers_name_initials',
        'contact_points_value',
      ]),
    );
  });
});

describe('a re-import and a loan on an approved restructuring plan', () => {
  it('keeps the plan’s schedule; core banking’s figures update the snapshot, and money it received counts against the plan', async () => {
    const clock = movableClock('2026-11-20T02:00:00Z');
    const t = createTestLedger(tempDir(), clock);
    // Instalments of 1,000 yuan on the 15th; those of 09-15, 10-15 and 11-15 are unpaid.
    const line = (l: { arrears: string; dpd: string }) =>
      loanLine({
        loanNo: 'PLAN-1',
        arrears: l.arrears,
        dpd: l.dpd,
        outstanding: '6000.00',
        nextDue: '2026-09-15',
        officer: 'OF001',
      });
    const first = writeCsv(dir, 'plan-1.csv', [line({ arrears: '3000.00', dpd: '66' })]);
    await importFile(t, first, '2026-11-20');
    const imported = caseOf(t, 'PLAN-1');
    expect(imported).toMatchObject({ status: 'open', dpd: 66, arrears_fen: 300_000 });
    const fileSchedule = schedule(t, 'PLAN-1');

    // The officer proposes 6 monthly instalments from 12-01; the manager approves.
    const proposal = proposePlan(t.ledger, officerId('OF001'), {
      caseId: imported.case_id,
      loanId: imported.loan_id,
      hardshipReasons: ['illness_or_injury'],
      monthlyIncomeFen: 3_000_00,
      essentialExpensesFen: 1_000_00,
      otherDebtPaymentsFen: 0,
      monthlyFen: 1_100_00,
      startDate: '2026-12-01',
      note: '子女外出务工，每月寄钱',
    });
    decidePlan(
      t.ledger,
      { id: MANAGER_ID, role: 'manager' },
      { planFactId: proposal.factId, decision: 'approved', comment: '同意' },
    );
    const planSchedule = schedule(t, 'PLAN-1') as {
      due_date: string;
      principal_fen: number;
      interest_fen: number;
    }[];
    expect(planSchedule).not.toEqual(fileSchedule);
    const firstOfPlan = planSchedule.find((i) => i.due_date === '2026-12-01');
    const firstFen = (firstOfPlan?.principal_fen ?? 0) + (firstOfPlan?.interest_fen ?? 0);
    expect(firstFen).toBeGreaterThan(0);
    expect(caseOf(t, 'PLAN-1')).toMatchObject({ dpd: 0, arrears_fen: 0 });
    const original = t.db.prepare('SELECT * FROM loan_original_schedules ORDER BY seq').all();

    // Core banking does not know the plan: its next file still shows the old contract's
    // arrears and days past due. The plan's schedule stays; the loan's snapshot moves on.
    clock.set('2026-11-25T02:00:00Z');
    const second = writeCsv(dir, 'plan-2.csv', [line({ arrears: '3000.00', dpd: '71' })]);
    const r = await importFile(t, second, '2026-11-25');
    expect(r).toMatchObject({ loansUpdated: 1, loansCreated: 0 });
    expect(schedule(t, 'PLAN-1')).toEqual(planSchedule);
    expect(t.db.prepare('SELECT * FROM loan_original_schedules ORDER BY seq').all()).toEqual(
      original,
    );
    expect(caseOf(t, 'PLAN-1')).toMatchObject({
      snapshot_as_of: '2026-11-25',
      dpd: 0,
      arrears_fen: 0,
    });

    // 12-01 passes unpaid: the plan's first instalment is late, not the old contract's.
    clock.set('2026-12-03T02:00:00Z');
    const third = writeCsv(dir, 'plan-3.csv', [line({ arrears: '3000.00', dpd: '79' })]);
    await importFile(t, third, '2026-12-03');
    expect(schedule(t, 'PLAN-1')).toEqual(planSchedule);
    expect(caseOf(t, 'PLAN-1')).toMatchObject({ dpd: 2, arrears_fen: firstFen });

    // The borrower pays the instalment at the bank counter: core banking's arrears fall by
    // as much, and the ledger counts the money against the plan's first instalment.
    clock.set('2026-12-05T02:00:00Z');
    const arrearsLeft = ((300_000 - firstFen) / 100).toFixed(2);
    const fourth = writeCsv(dir, 'plan-4.csv', [line({ arrears: arrearsLeft, dpd: '81' })]);
    await importFile(t, fourth, '2026-12-05');
    expect(schedule(t, 'PLAN-1')).toEqual(planSchedule);
    expect(caseOf(t, 'PLAN-1')).toMatchObject({ dpd: 0, arrears_fen: 0 });

    // A field payment still counts once, on top of what core banking has posted.
    recordPayment(t.ledger, officerId('OF001'), {
      caseId: imported.case_id,
      amountFen: 50_00,
      method: 'cash',
    });
    await importFile(t, fourth, '2026-12-05');
    expect(schedule(t, 'PLAN-1')).toEqual(planSchedule);
    const audit = t.db
      .prepare(`SELECT count(*) FROM audit WHERE action = 'portfolio.import'`)
      .pluck()
      .get();
    expect(audit).toBe(5);
  });
});
