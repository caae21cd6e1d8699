// The summary's faster reads (snapshot-figures.ts, readCaseCountsToday, readPromises with the
// promise facts index, judgePromise) must give exactly what the computation from rows
// gives: checked on a generated branch, for the branch and for each officer, on several
// days across a month end, with payments, reversals and reassignments on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/dates';
import type { ManagerDashboard } from '../../shared/api/manager-contract';
import {
  portfolioDashboard,
  summarySnapshotFigures,
  type CaseRow,
  type PromiseRow,
} from '../../shared/domain/portfolio';
import { promiseStatus } from '../../shared/domain/promise';
import type { PaymentLine } from '../../shared/domain/types';
import type { CaseLedger } from '../../electron/ledger/index';
import { withoutDashboardCache } from '../../electron/ledger/manager/dashboard-cache';
import {
  dashboardPeriod,
  readCaseCountsToday,
  readCases,
  readDashboardInput,
  readPromises,
} from '../../electron/ledger/manager/dashboard-input';
import { judgePromise } from '../../electron/ledger/manager/promise-judge';
import { snapshotFiguresFromPositions } from '../../electron/ledger/manager/snapshot-figures';
import { okOp, type MovableClock } from '../integration/ledger-fixture';
import { casesInArrears, openDemoBranch, payReverseReassign, type DemoBranch } from './helpers';

let branch: DemoBranch;
let ledger: CaseLedger;
let clock: MovableClock;
let manager = '';
let officers: string[] = [];

beforeAll(() => {
  branch = openDemoBranch('snapshot-figures', 260, 17);
  ({ ledger, clock, managerId: manager, officerIds: officers } = branch);
});

afterAll(() => branch?.close());

const byCase = (rows: readonly CaseRow[]): CaseRow[] =>
  [...rows].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));

/** The promise rows as read before: one join with facts, promiseStatus on every line. */
function promisesAsBefore(from: string, to: string, graceDays: number): PromiseRow[] {
  const db = ledger.db;
  const rows = db
    .prepare(
      `SELECT p.fact_id, p.case_id, f.recorded_by, p.made_on, p.due_date, p.amount_fen
       FROM promises p JOIN facts f ON f.id = p.fact_id
       WHERE (p.made_on >= @from AND p.made_on <= @to)
          OR (p.due_date >= @from AND p.due_date <= @to AND p.made_on < @from)`,
    )
    .raw()
    .all({ from, to }) as [string, string, string, string, string, number][];
  const lines = db
    .prepare(
      `SELECT p.case_id, p.paid_on, p.amount_fen FROM payments p
       WHERE p.paid_on <= @to
         AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)
       UNION ALL
       SELECT r.case_id, r.paid_on, r.amount_fen FROM core_repayments r
       WHERE r.paid_on <= @to
         AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
    )
    .raw()
    .all({ to }) as [string, string, number][];
  const byCaseLines = new Map<string, PaymentLine[]>();
  for (const [caseId, paidOn, amountFen] of lines) {
    byCaseLines.set(caseId, [...(byCaseLines.get(caseId) ?? []), { paidOn, amountFen }]);
  }
  return rows.map(([promiseId, caseId, officerId, madeOn, dueDate, amountFen]) => {
    const r = { promiseId, caseId, officerId, madeOn, dueDate, amountFen };
    return { ...r, status: promiseStatus(r, byCaseLines.get(caseId) ?? [], to, graceDays).status };
  });
}

/** The period's promises with no sum paid toward them kept, or one of other grace days. */
function missingPaidSums(from: string, to: string): number {
  const graceDays = ledger.ledger.policy.promiseGraceDays;
  return ledger.db
    .prepare(
      `SELECT count(*) FROM promises p LEFT JOIN dashboard_promise_paid pp ON pp.fact_id = p.fact_id
       WHERE ((p.made_on >= @from AND p.made_on <= @to)
          OR (p.due_date >= @from AND p.due_date <= @to AND p.made_on < @from))
         AND (pp.fact_id IS NULL OR pp.last_day != date(p.due_date, '+' || @graceDays || ' days'))`,
    )
    .pluck()
    .get({ from, to, graceDays }) as number;
}

const byPromise = (rows: readonly PromiseRow[]): PromiseRow[] =>
  [...rows].sort((a, b) => (a.promiseId < b.promiseId ? -1 : 1));

async function expectFastEqualsRows(): Promise<void> {
  const today = ledger.today();
  // Brings the positions and the closed days to today, as every dashboard call does.
  const answered = await okOp<ManagerDashboard>(ledger, 'manager.dashboard', {}, manager);
  const { from, to, startDate } = dashboardPeriod(today);
  const graceDays = ledger.ledger.policy.promiseGraceDays;
  withoutDashboardCache(ledger.db, () => {
    const rows = readDashboardInput(ledger.ledger, { asOf: today, today });
    expect(answered.dashboard).toEqual(portfolioDashboard(rows));
    for (const officerId of [undefined, ...officers]) {
      const scoped = readDashboardInput(ledger.ledger, {
        asOf: today,
        today,
        ...(officerId !== undefined && { officerId }),
      });
      const figures = snapshotFiguresFromPositions(ledger.ledger, {
        asOf: today,
        startDate,
        buckets: ledger.ledger.policy.buckets,
        rollBy: 'balance',
        officerId,
      });
      expect(figures).toEqual(summarySnapshotFigures(scoped));
      // The count weighting too (the summary uses the balance).
      expect(
        snapshotFiguresFromPositions(ledger.ledger, {
          asOf: today,
          startDate,
          buckets: ledger.ledger.policy.buckets,
          rollBy: 'count',
          officerId,
        }).rolls,
      ).toEqual(summarySnapshotFigures({ ...scoped, rollBy: 'count' }).rolls);
    }
    // The cases as read from the day's snapshot rows.
    const casesToday = readCases(ledger.ledger, today, today, rows.endSnapshots);
    // Counted for the summary: the cases contacted this month by officer, status and last
    // contact, every other case a row.
    const counted = readCaseCountsToday(ledger.ledger, today, from);
    const contacted = (c: CaseRow): boolean =>
      c.lastContactOn !== null && c.lastContactOn >= from && c.lastContactOn <= today;
    expect(byCase(counted.cases)).toEqual(byCase(casesToday.filter((c) => !contacted(c))));
    const tally = new Map<string, { cases: number; balanceFen: number }>();
    for (const c of casesToday.filter(contacted)) {
      const key = `${c.officerId}|${c.status}|${c.lastContactOn}`;
      const t = tally.get(key) ?? { cases: 0, balanceFen: 0 };
      t.cases += 1;
      t.balanceFen += c.balanceFen;
      tally.set(key, t);
    }
    // (None yet on 1 December, the first day of a month.)
    if (today < '2026-12-01') expect(counted.caseTally.length).toBeGreaterThan(0);
    expect(
      new Map(
        counted.caseTally.map((t) => [
          `${t.officerId}|${t.status}|${t.lastContactOn}`,
          { cases: t.cases, balanceFen: t.balanceFen },
        ]),
      ),
    ).toEqual(tally);
    const promises = readPromises(ledger.ledger, from, to, graceDays);
    expect(promises.length).toBeGreaterThan(0);
    const asBefore = byPromise(promisesAsBefore(from, to, graceDays));
    expect(byPromise(promises)).toEqual(asBefore);
    // From the sums kept with the positions (promise-paid.ts): every promise has one.
    expect(missingPaidSums(from, to)).toBe(0);
    expect(byPromise(readPromises(ledger.ledger, from, to, graceDays, true))).toEqual(asBefore);
  });
  for (const officerId of officers) {
    const mine = await okOp<ManagerDashboard>(ledger, 'manager.dashboard', { officerId }, manager);
    const fresh = withoutDashboardCache(ledger.db, () =>
      portfolioDashboard(readDashboardInput(ledger.ledger, { asOf: today, today, officerId })),
    );
    expect(mine.dashboard).toEqual(fresh);
  }
}

describe('the dashboard summary read the fast way', () => {
  it('equals the computation from rows, branch and officers, day by day past a month end', async () => {
    const cases = casesInArrears(ledger, 8);
    await expectFastEqualsRows();
    let day = '2026-11-28';
    for (let i = 0; i < 6; i++) {
      // 29 and 30 Nov, then into December (a new month: a new roll-rate start).
      day = addDays(day, i === 2 ? 3 : 1);
      clock.set(`${day}T10:00:00+08:00`);
      const c = cases[i]!;
      await payReverseReassign(branch, c, i, 20_000 * (i + 1));
      await expectFastEqualsRows();
    }
    expect(ledger.today() > '2026-12-01').toBe(true);
  });
});

describe('judgePromise', () => {
  it('is promiseStatus with the last counting day given', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const base = '2026-11-01';
    for (let i = 0; i < 3000; i++) {
      const graceDays = next(4);
      const madeOn = addDays(base, next(20));
      const dueDate = addDays(madeOn, next(15));
      const amountFen = 1000 * (1 + next(10));
      const asOf = addDays(madeOn, next(40) - 5);
      const payments: PaymentLine[] = [];
      for (let k = next(4); k > 0; k--) {
        payments.push({ paidOn: addDays(madeOn, next(30) - 8), amountFen: 500 * (1 + next(8)) });
      }
      const promise = { madeOn, dueDate, amountFen };
      expect(
        judgePromise(
          promise,
          payments.length === 0 ? undefined : payments,
          asOf,
          addDays(dueDate, graceDays),
        ),
      ).toBe(promiseStatus(promise, payments, asOf, graceDays).status);
    }
  });
});
