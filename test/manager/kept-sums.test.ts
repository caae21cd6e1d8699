// The sums kept with the loan positions (migration 0015): each case's officer and balance
// (dashboard_case_sums), the branch's end groups (kept-end-groups.ts) and what was paid
// toward each promise of the month (promise-paid.ts). A restart reads them instead of
// summing every position and judging every promise again; any rewrite of a few cases'
// positions rewrites theirs in the same transaction, so they always equal a fresh sum.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagerDashboard } from '../../shared/api/manager-contract';
import { addDays } from '../../shared/dates';
import type { DashboardSummary, PromiseRow } from '../../shared/domain/portfolio';
import { withoutDashboardCache } from '../../electron/ledger/manager/dashboard-cache';
import {
  dashboardPeriod,
  readDashboardInput,
  readPromises,
} from '../../electron/ledger/manager/dashboard-input';
import { refreshPositions } from '../../electron/ledger/manager/loan-positions';
import {
  mergeEndGroups,
  readEndGroups,
  type EndGroupRaw,
} from '../../electron/ledger/manager/snapshot-figures';
import { okOp } from '../integration/ledger-fixture';
import {
  branchDashboard,
  casesInArrears,
  freshSummary,
  openDemoBranch,
  type DemoBranch,
} from './helpers';

let branch: DemoBranch;

beforeAll(() => {
  branch = openDemoBranch('kept-end-groups', 120, 12);
});
afterAll(() => branch?.close());

interface KeptRow {
  month_start: string;
  start_date: string;
  app_version: string;
  groups: string;
}

function keptRows(): KeptRow[] {
  return branch.ledger.db
    .prepare('SELECT month_start, start_date, app_version, groups FROM dashboard_kept_end_groups')
    .all() as KeptRow[];
}

const dashboard = (): Promise<ManagerDashboard> => branchDashboard(branch);

const fresh = (): DashboardSummary => freshSummary(branch);

/** Groups in one canonical form: same keys summed, empty ones dropped, sorted. */
function canonical(groups: readonly EndGroupRaw[]): EndGroupRaw[] {
  const key = (g: EndGroupRaw): string => JSON.stringify(g.slice(0, 4));
  return mergeEndGroups(groups).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The kept groups equal the positions summed now, and so do the kept case sums. */
function expectKeptEqualsFreshSums(what: string): void {
  const { db } = branch.ledger;
  const today = branch.ledger.today();
  const [row] = keptRows();
  expect(row, what).toBeDefined();
  const scope = {
    asOf: today,
    startDate: dashboardPeriod(today).startDate,
    buckets: branch.ledger.ledger.policy.buckets,
    rollBy: 'balance' as const,
  };
  expect(canonical(JSON.parse(row!.groups) as EndGroupRaw[]), what).toEqual(
    canonical(readEndGroups(db, scope)),
  );
  expect(
    db
      .prepare('SELECT case_id, officer_id, balance_fen FROM dashboard_case_sums ORDER BY case_id')
      .raw()
      .all(),
    what,
  ).toEqual(
    db
      .prepare(
        `SELECT case_id, max(officer_id),
           sum(CASE WHEN status = 'active' THEN outstanding_principal_fen ELSE 0 END)
         FROM dashboard_loan_positions WHERE present = 1 GROUP BY case_id ORDER BY case_id`,
      )
      .raw()
      .all(),
  );
}

describe('the position sums kept in the ledger', () => {
  it('keeps the branch end groups at the first dashboard and reads them after a restart', async () => {
    const computed = await dashboard();
    expect(computed.dashboard).toEqual(fresh());
    const [kept] = keptRows();
    expect(kept).toMatchObject({
      month_start: '2026-11-01',
      start_date: '2026-10-31',
      app_version: 'dev',
    });
    expectKeptEqualsFreshSums('first dashboard');

    // A contact leaves the positions as they are: the groups stay, the summary does not.
    const [a] = casesInArrears(branch.ledger, 1);
    await okOp(
      branch.ledger,
      'contact.record',
      { caseId: a!.id, channel: 'call', party: 'borrower', outcome: 'no_answer' },
      a!.officer_id,
    );
    expect(keptRows()).toHaveLength(1);
    branch.reopen();

    // Proof that they are read, not summed again: a marked copy shows in the figures.
    const groups = JSON.parse(kept!.groups) as EndGroupRaw[];
    const marked = groups.map((g) => [...g] as EndGroupRaw);
    const active = marked.find((g) => g[1] === 1)!;
    active[5] += 1_000_000;
    branch.ledger.db
      .prepare('UPDATE dashboard_kept_end_groups SET groups = ?')
      .run(JSON.stringify(marked));
    const markedAnswer = await dashboard();
    expect(markedAnswer.dashboard.aging.totals.balanceFen).toBe(
      fresh().aging.totals.balanceFen + 1_000_000,
    );

    // Unmarked, the figures are those of a fresh computation.
    branch.ledger.db.prepare('UPDATE dashboard_kept_end_groups SET groups = ?').run(kept!.groups);
    branch.reopen();
    expect((await dashboard()).dashboard).toEqual(fresh());
  });

  it('takes a rewritten case’s old sums out and puts its new ones in', async () => {
    const cases = casesInArrears(branch.ledger, 4);
    const [a, b, c, d] = cases;
    await dashboard();
    const changes: [string, () => Promise<unknown> | unknown][] = [
      [
        'a payment and its reversal',
        async () => {
          const paid = await okOp<{ factId: string }>(
            branch.ledger,
            'payment.record',
            { caseId: a!.id, amountFen: 30_000, method: 'cash' },
            a!.officer_id,
          );
          await dashboard();
          expectKeptEqualsFreshSums('the payment');
          await okOp(
            branch.ledger,
            'payment.reverse',
            { paymentFactId: paid.factId, reason: 'wrong case' },
            a!.officer_id,
          );
        },
      ],
      [
        'a reassignment',
        () =>
          okOp(
            branch.ledger,
            'cases.reassign',
            {
              caseIds: [b!.id, c!.id],
              toOfficerId: branch.officerIds.find((o) => o !== b!.officer_id)!,
              reason: 'route change',
            },
            branch.managerId,
          ),
      ],
      [
        'a core-banking change marking a case dirty',
        () =>
          branch.ledger.db
            .prepare('INSERT INTO dashboard_dirty_cases (case_id) VALUES (?)')
            .run(d!.id),
      ],
    ];
    for (const [what, change] of changes) {
      await change();
      // The next dashboard brings the positions up to date, patching the kept sums.
      expect((await dashboard()).dashboard, what).toEqual(fresh());
      expectKeptEqualsFreshSums(what);
      // After a restart they are read back as they were patched.
      branch.reopen();
      expect((await dashboard()).dashboard, what).toEqual(fresh());
    }
  });

  it('is forgotten by a rebuild, and not used for another app version or month', async () => {
    const { ledger } = branch;
    await dashboard();
    expect(keptRows()).toHaveLength(1);
    // The clock went back a day: the positions are rebuilt, the groups forgotten.
    const today = ledger.today();
    expect(refreshPositions(ledger.ledger, addDays(today, -1)).kind).toBe('rebuilt');
    expect(keptRows()).toHaveLength(0);
    expect(refreshPositions(ledger.ledger, today).kind).not.toBe('current');
    expect((await dashboard()).dashboard).toEqual(fresh());
    expectKeptEqualsFreshSums('after the rebuild');

    // Groups of another build are summed again (and kept anew under this one).
    ledger.db
      .prepare(`UPDATE dashboard_kept_end_groups SET app_version = 'other', groups = '[]'`)
      .run();
    branch.reopen();
    expect((await dashboard()).dashboard).toEqual(fresh());
    expect(keptRows()[0]?.app_version).toBe('dev');

    // A new month: the groups of November are not those of December.
    branch.clock.set('2026-12-01T08:00:00+08:00');
    branch.reopen();
    expect((await dashboard()).dashboard).toEqual(fresh());
    expect(keptRows()).toMatchObject([{ month_start: '2026-12-01', start_date: '2026-11-30' }]);
    expectKeptEqualsFreshSums('a new month');
  });
});

describe('the sums paid toward the month’s promises', () => {
  const byPromise = (rows: readonly PromiseRow[]): PromiseRow[] =>
    [...rows].sort((a, b) => (a.promiseId < b.promiseId ? -1 : 1));

  /** The promises of the month from the kept sums and from the payment lines. */
  function bothWays(): { fromSums: PromiseRow[]; fromLines: PromiseRow[] } {
    const { ledger } = branch;
    const { from, to } = dashboardPeriod(ledger.today());
    const grace = ledger.ledger.policy.promiseGraceDays;
    return {
      fromSums: byPromise(readPromises(ledger.ledger, from, to, grace, true)),
      fromLines: byPromise(readPromises(ledger.ledger, from, to, grace, false)),
    };
  }

  /** A core-banking repayment as an import writes it, on the case's first loan. */
  function addCoreRepayment(caseId: string, id: string, paidOn: string, amountFen: number): void {
    const { db } = branch.ledger;
    const loan = db.prepare('SELECT id FROM loans WHERE case_id = ? LIMIT 1').pluck().get(caseId);
    db.prepare(
      `INSERT INTO core_repayments (case_id, loan_id, id, paid_on, amount_fen, channel)
       VALUES (?, ?, ?, ?, ?, 'counter')`,
    ).run(caseId, loan, id, paidOn, amountFen);
  }

  function keptSums(): number {
    return branch.ledger.db
      .prepare('SELECT count(*) FROM dashboard_promise_paid')
      .pluck()
      .get() as number;
  }

  async function expectSumsCurrent(what: string): Promise<void> {
    expect((await dashboard()).dashboard, what).toEqual(fresh());
    const { fromSums, fromLines } = bothWays();
    expect(fromSums, what).toEqual(fromLines);
  }

  it('follow new promises, payments and core-banking repayments', async () => {
    const { ledger } = branch;
    const today = ledger.today();
    const [a, b] = casesInArrears(ledger, 12).slice(8);
    await dashboard();
    expect(keptSums()).toBeGreaterThan(0);

    const promised = await okOp<{ factId: string }>(
      ledger,
      'promise.record',
      { caseId: a!.id, dueDate: addDays(today, 2), amountFen: 40_000 },
      a!.officer_id,
    );
    await expectSumsCurrent('a new promise');
    const sum = (): unknown =>
      ledger.db
        .prepare('SELECT paid_fen FROM dashboard_promise_paid WHERE fact_id = ?')
        .pluck()
        .get(promised.factId);
    expect(sum()).toBe(0);

    await okOp(
      ledger,
      'payment.record',
      { caseId: a!.id, amountFen: 40_000, method: 'cash' },
      a!.officer_id,
    );
    await expectSumsCurrent('a payment keeping it');
    expect(sum()).toBe(40_000);
    expect(bothWays().fromSums.find((p) => p.promiseId === promised.factId)?.status).toBe('kept');

    addCoreRepayment(b!.id, 'core-test-1', today, 30_000);
    await expectSumsCurrent('a core-banking repayment');

    // After a restart the statuses come from the kept sums, as they were written.
    branch.reopen();
    await expectSumsCurrent('after a restart');
  });

  it('step aside for a payment dated after the business date', async () => {
    const { ledger } = branch;
    const today = ledger.today();
    const [c] = casesInArrears(ledger, 14).slice(13);
    const promised = await okOp<{ factId: string }>(
      ledger,
      'promise.record',
      { caseId: c!.id, dueDate: addDays(today, 3), amountFen: 25_000 },
      c!.officer_id,
    );
    await dashboard();
    // Core banking dated a repayment tomorrow (or a device's clock ran ahead): the kept
    // sum counts it, but on today's date the promise is still pending.
    addCoreRepayment(c!.id, 'core-test-2', addDays(today, 1), 25_000);
    await dashboard();
    const { fromSums, fromLines } = bothWays();
    expect(fromSums.find((p) => p.promiseId === promised.factId)?.status).toBe('kept');
    expect(fromLines.find((p) => p.promiseId === promised.factId)?.status).toBe('pending');
    const input = withoutDashboardCache(ledger.db, () =>
      readDashboardInput(ledger.ledger, { asOf: today, today }),
    );
    expect(input.facts.promises.find((p) => p.promiseId === promised.factId)?.status).toBe(
      'pending',
    );
    expect((await dashboard()).dashboard).toEqual(fresh());
    ledger.db.prepare(`DELETE FROM core_repayments WHERE id = 'core-test-2'`).run();
    await expectSumsCurrent('the later repayment gone');
  });

  it('are written again for other grace days', async () => {
    const { ledger } = branch;
    const policy = ledger.ledger.policy as { promiseGraceDays: number };
    const grace = policy.promiseGraceDays;
    try {
      policy.promiseGraceDays = grace + 2;
      await expectSumsCurrent('two more grace days');
      expect(
        ledger.db.prepare('SELECT grace_days FROM dashboard_promise_paid_state').pluck().get(),
      ).toBe(grace + 2);
    } finally {
      policy.promiseGraceDays = grace;
    }
    await expectSumsCurrent('the grace days back');
  });
});
