// The dashboard keeps reads and figures in memory between calls (dashboard-cache.ts):
// after every kind of change a manager's laptop sees (a contact, a promise, a payment, a
// reversal, a reassignment, a new day), the summary it answers must equal the summary
// computed afresh with nothing kept, for the branch and for one officer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/dates';
import type { ManagerDashboard } from '../../shared/api/manager-contract';
import { portfolioDashboard } from '../../shared/domain/portfolio';
import type { CaseLedger } from '../../electron/ledger/index';
import { withoutDashboardCache } from '../../electron/ledger/manager/dashboard-cache';
import { dashboardInput } from '../../electron/ledger/manager/dashboard';
import { readDashboardInput } from '../../electron/ledger/manager/dashboard-input';
import { refreshPositions } from '../../electron/ledger/manager/loan-positions';
import { computeSnapshots } from '../../electron/ledger/manager/snapshots';
import { callOp, okOp, type MovableClock } from '../integration/ledger-fixture';
import { casesInArrears, openDemoBranch, type DemoBranch } from './helpers';

let branch: DemoBranch;
let ledger: CaseLedger;
let clock: MovableClock;
let manager = '';

beforeAll(() => {
  branch = openDemoBranch('dashboard-cache', 200, 5);
  ({ ledger, clock, managerId: manager } = branch);
});

afterAll(() => branch?.close());

/** The dashboard as answered (caches in play) and as computed with nothing kept. */
async function expectCachedEqualsFresh(officerId?: string): Promise<ManagerDashboard> {
  const input = officerId === undefined ? {} : { officerId };
  const answered = await okOp<ManagerDashboard>(ledger, 'manager.dashboard', input, manager);
  const today = ledger.today();
  const fresh = withoutDashboardCache(ledger.db, () =>
    portfolioDashboard(
      readDashboardInput(ledger.ledger, {
        asOf: today,
        today,
        ...(officerId !== undefined && { officerId }),
      }),
    ),
  );
  expect(answered.dashboard).toEqual(fresh);
  return answered;
}

describe('the dashboard kept between calls', () => {
  it('answers as a fresh computation after each kind of change, branch and officer', async () => {
    const cases = casesInArrears(ledger, 8);
    const officers = branch.officerIds;
    const first = await expectCachedEqualsFresh();
    // Nothing changed: the same figures again (and from the kept input).
    expect((await expectCachedEqualsFresh()).dashboard).toEqual(first.dashboard);
    await expectCachedEqualsFresh(officers[0]);

    let day = ledger.today();
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      if (i === 4) {
        // A new business day (and, two days on, a new month's figures are not needed).
        day = addDays(day, 1);
        clock.set(`${day}T10:00:00+08:00`);
      }
      await okOp(
        ledger,
        'contact.record',
        { caseId: c.id, channel: 'call', party: 'borrower', outcome: 'no_answer' },
        c.officer_id,
      );
      const afterContact = await expectCachedEqualsFresh();
      await expectCachedEqualsFresh(c.officer_id);
      if (i % 4 === 0) {
        await okOp(
          ledger,
          'promise.record',
          { caseId: c.id, dueDate: addDays(day, 3), amountFen: 50_000 },
          c.officer_id,
        );
        const afterPromise = await expectCachedEqualsFresh();
        expect(afterPromise.dashboard.promises.made.count).toBe(
          afterContact.dashboard.promises.made.count + 1,
        );
      }
      if (i % 2 === 1) {
        const paid = await okOp<{ factId: string }>(
          ledger,
          'payment.record',
          { caseId: c.id, amountFen: 20_000, method: 'cash' },
          c.officer_id,
        );
        await expectCachedEqualsFresh();
        if (i % 4 === 3) {
          await okOp(
            ledger,
            'payment.reverse',
            { paymentFactId: paid.factId, reason: 'wrong case' },
            c.officer_id,
          );
          await expectCachedEqualsFresh(c.officer_id);
        }
      }
      if (i === 2) {
        const to = officers.find((o) => o !== c.officer_id)!;
        await okOp(
          ledger,
          'cases.reassign',
          { caseIds: [c.id], toOfficerId: to, reason: 'route change' },
          manager,
        );
        await expectCachedEqualsFresh(to);
        await expectCachedEqualsFresh();
      }
    }
    // The kept end-of-day rows are the loans computed afresh from schedules and payments.
    const today = ledger.today();
    const kept = readDashboardInput(ledger.ledger, { asOf: today, today }).endSnapshots;
    const byLoan = <T extends { loanId: string }>(rows: readonly T[]): T[] =>
      [...rows].sort((a, b) => (a.loanId < b.loanId ? -1 : 1));
    expect(byLoan(kept)).toEqual(byLoan(computeSnapshots(ledger.ledger, today)));
  });

  it('judges again only the promises of a case that paid, as a fresh reading would', async () => {
    const today = ledger.today();
    await expectCachedEqualsFresh();
    // A promise falling due this month, still within its grace: paying it in full keeps it.
    const pending = dashboardInput(ledger.ledger, today, {}).facts.promises.find(
      (p) => p.status === 'pending' && p.dueDate <= today && p.dueDate >= `${today.slice(0, 8)}01`,
    );
    expect(pending, 'the demo ledger has a pending promise due this month').toBeDefined();
    const promise = pending!;
    const before = await expectCachedEqualsFresh();
    await okOp(
      ledger,
      'payment.record',
      { caseId: promise.caseId, amountFen: promise.amountFen, method: 'cash' },
      promise.officerId,
    );
    const after = await expectCachedEqualsFresh();
    expect(after.dashboard.promises.kept.count).toBe(before.dashboard.promises.kept.count + 1);
    // The kept rows themselves: every promise and every loan row equal to a fresh reading.
    const kept = dashboardInput(ledger.ledger, today, {});
    const fresh = withoutDashboardCache(ledger.db, () =>
      readDashboardInput(ledger.ledger, { asOf: today, today }),
    );
    const byId = <T, K extends keyof T>(rows: readonly T[], key: K): T[] =>
      [...rows].sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : 1));
    expect(byId(kept.facts.promises, 'promiseId')).toEqual(byId(fresh.facts.promises, 'promiseId'));
    expect(kept.facts.promises.find((p) => p.promiseId === promise.promiseId)?.status).toBe('kept');
    expect(byId(kept.endSnapshots, 'loanId')).toEqual(byId(fresh.endSnapshots, 'loanId'));
  });

  it('moves an officer balance after payments on a few cases, as a fresh reading would', async () => {
    // The case sums behind each officer's balance are kept and, after a payment, read
    // again for the paying cases only: several payments between two dashboards, on cases
    // of different officers, one paying a loan off.
    const db = ledger.db;
    const payers = db
      .prepare(
        `SELECT c.id, c.officer_id, c.arrears_fen,
           (SELECT sum(l.principal_fen) FROM loans l WHERE l.case_id = c.id) AS owed
         FROM cases c WHERE c.status = 'open' AND c.arrears_fen > 0
         ORDER BY c.id DESC LIMIT 3`,
      )
      .all() as { id: string; officer_id: string; arrears_fen: number; owed: number | null }[];
    expect(payers.length).toBe(3);
    const before = await expectCachedEqualsFresh();
    const balanceOf = (d: ManagerDashboard, officerId: string): number =>
      d.dashboard.officers.find((o) => o.officerId === officerId)?.balanceFen ?? 0;
    for (const [i, c] of payers.entries()) {
      const pay = (amountFen: number) =>
        callOp(ledger, 'payment.record', { caseId: c.id, amountFen, method: 'cash' }, c.officer_id);
      // The last one pays all it still owes (the ledger names the most it takes).
      const first = await pay(i === 2 ? c.arrears_fen + (c.owed ?? 0) : c.arrears_fen * 3);
      if (!first.ok) {
        const maxFen = first.error.params?.['maxFen'];
        expect(typeof maxFen, JSON.stringify(first.error)).toBe('number');
        expect((await pay(maxFen as number)).ok).toBe(true);
      }
    }
    const after = await expectCachedEqualsFresh();
    const moved = payers.filter(
      (c) => balanceOf(after, c.officer_id) < balanceOf(before, c.officer_id),
    );
    expect(moved.length).toBeGreaterThan(0);
    await expectCachedEqualsFresh(payers[0]!.officer_id);
  });

  it('forgets a rewrite of the positions that rolled back', async () => {
    const db = ledger.db;
    const c = db
      .prepare(
        `SELECT id, officer_id, arrears_fen FROM cases WHERE status = 'open' AND arrears_fen > 0
         ORDER BY id LIMIT 1 OFFSET 5`,
      )
      .get() as { id: string; officer_id: string; arrears_fen: number };
    await expectCachedEqualsFresh();
    await okOp(
      ledger,
      'payment.record',
      { caseId: c.id, amountFen: c.arrears_fen, method: 'cash' },
      c.officer_id,
    );
    // The payment's case rewritten inside a transaction that then fails.
    expect(() =>
      db.transaction(() => {
        refreshPositions(ledger.ledger, ledger.today());
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    await expectCachedEqualsFresh();
    await expectCachedEqualsFresh(c.officer_id);
  });
});
