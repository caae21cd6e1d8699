// Dashboard figures on hand-made branches, end to end through the ledger's operations.
// The fixture (2026-11-28): case A (officer 1) owes ¥1,000 a month from 15 Sep, nothing
// paid; case B (officer 1) first due 15 Dec; case C (officer 2) first due 15 Nov, unpaid.
// Each loan: ¥12,000 principal, 0 % interest. Buckets: M0 0, M1 1-30, M2 31-60, M3 61-90.
import { afterEach, describe, expect, it } from 'vitest';
import type { WorklistPage } from '../../shared/api/contract';
import type { ManagerDashboard } from '../../shared/api/manager-contract';
import { okOp } from '../integration/ledger-fixture';
import { addCaseWithLoan, IDS, openBranch } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

const dashboard = (b: ReturnType<typeof openBranch>, input: object = {}) =>
  okOp<ManagerDashboard>(b.ledger, 'manager.dashboard', input, IDS.manager);
const behind = async (b: ReturnType<typeof openBranch>, input: object) =>
  (await okOp<WorklistPage>(b.ledger, 'manager.casesBehind', input, IDS.manager)).rows
    .map((r) => r.caseId)
    .sort();

describe('manager.dashboard on the three-case fixture', () => {
  it('aging, PAR by the standard definition, and the cases behind each number', async () => {
    const b = openBranch(cleanups);
    const d = await dashboard(b);
    expect(d.asOf).toBe('2026-11-28');
    expect(d.rollFrom).toBe('2026-10-31');
    // A: 74 days (15 Sep) → M3; C: 13 days → M1; B current.
    const aging = Object.fromEntries(d.dashboard.aging.buckets.map((x) => [x.code, x.count]));
    expect(aging).toMatchObject({ M0: 1, M1: 1, M2: 0, M3: 1 });
    expect(d.dashboard.aging.totals.balanceFen).toBe(3_600_000);
    // PAR = WHOLE outstanding principal of late loans ÷ gross: 2 × ¥12,000 / ¥36,000.
    expect(d.dashboard.par.par1.riskFen).toBe(2_400_000);
    expect(d.dashboard.par.par1.ratio).toBeCloseTo(2 / 3, 10);
    expect(d.dashboard.par.par30.riskFen).toBe(1_200_000);
    expect(d.dashboard.par.par90.count).toBe(0);
    // The arrears rate is not PAR: ¥3,000 + ¥1,000 overdue of ¥36,000.
    expect(d.dashboard.arrears.overduePrincipalFen).toBe(400_000);
    expect(await behind(b, { figure: { figure: 'par', days: 30 } })).toEqual([IDS.caseLate]);
    expect(await behind(b, { figure: { figure: 'par', days: 1 } })).toEqual(
      [IDS.caseLate, IDS.caseOther].sort(),
    );
    expect(await behind(b, { figure: { figure: 'aging', bucket: 'M0' } })).toEqual([
      IDS.caseCurrent,
    ]);
  });

  it('roll rates month over month: C rolls from current to M1, A from M2 to M3', async () => {
    const b = openBranch(cleanups);
    const d = await dashboard(b);
    const rows = Object.fromEntries(d.dashboard.rolls.rows.map((r) => [r.code, r]));
    // 31 Oct: A 46 days (M2), B and C current.
    expect(rows.M0!.start.balanceFen).toBe(2_400_000);
    expect(rows.M0!.rollRate).toBe(0.5);
    expect(rows.M2!.rollRate).toBe(1);
    expect(d.dashboard.rolls.cureRate).toBe(0);
    expect(
      await behind(b, { figure: { figure: 'roll', bucket: 'M0', outcome: 'rolledForward' } }),
    ).toEqual([IDS.caseOther]);
  });

  it('a loan that cures in the month: A pays its ¥3,000 arrears on 28 Nov', async () => {
    const b = openBranch(cleanups);
    await okOp(b.ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 300_000,
      method: 'cash',
    });
    const d = await dashboard(b);
    // Delinquent on 31 Oct: A only (¥12,000). Back to current on 28 Nov: cure rate 1.
    expect(d.dashboard.rolls.delinquentAtStart.balanceFen).toBe(1_200_000);
    expect(d.dashboard.rolls.cured.count).toBe(1);
    expect(d.dashboard.rolls.cureRate).toBe(1);
    expect(await behind(b, { figure: { figure: 'cured' } })).toEqual([IDS.caseLate]);
    // PAR30 is empty now; C (13 days) is still in PAR1.
    expect(d.dashboard.par.par30.riskFen).toBe(0);
    expect(d.dashboard.par.par1.riskFen).toBe(1_200_000);
    // Collection, Nov to date: due A ¥3,000 (¥2,000 brought in + ¥1,000 on 15 Nov) + C ¥1,000;
    // paid A ¥3,000 → 3/4.
    expect(d.dashboard.collection.dueFen).toBe(400_000);
    expect(d.dashboard.collection.paidFen).toBe(300_000);
    expect(d.dashboard.collection.ratio).toBe(0.75);
  });

  it('a loan that rolls two buckets: 30 days late on 30 Nov (M1), 61 on 31 Dec (M3)', async () => {
    let rolling = '';
    const b = openBranch(cleanups, '2026-12-31T10:00:00+08:00', (db) => {
      rolling = addCaseWithLoan(db, 1, IDS.officer2, '2026-10-31').caseId;
    });
    const d = await dashboard(b);
    expect(d.rollFrom).toBe('2026-11-30');
    const m1 = d.dashboard.rolls.rows.find((r) => r.code === 'M1')!;
    // On 30 Nov, M1 holds C (15 days) and the new loan (30 days); on 31 Dec C is 46 days (M2)
    // and the new loan 61 days (M3): one rolled forward, one rolled two buckets.
    expect(m1.start.count).toBe(2);
    expect(m1.outcomes.rolledForward.count).toBe(1);
    expect(m1.outcomes.rolledTwoPlus.count).toBe(1);
    expect(m1.outcomes.rolledTwoPlus.rate).toBe(0.5);
    expect(
      await behind(b, { figure: { figure: 'roll', bucket: 'M1', outcome: 'rolledTwoPlus' } }),
    ).toEqual([rolling]);
  });

  it('a promise kept one day inside the grace period counts as kept; an unpaid one as broken', async () => {
    const b = openBranch(cleanups, '2026-11-20T10:00:00+08:00');
    await okOp(b.ledger, 'promise.record', {
      caseId: IDS.caseLate,
      amountFen: 100_000,
      dueDate: '2026-11-22',
    });
    await okOp(b.ledger, 'promise.record', {
      caseId: IDS.caseOther,
      amountFen: 50_000,
      dueDate: '2026-11-22',
    });
    // 23 Nov: one day after the due date, inside the pack's 3 grace days.
    b.clock.set('2026-11-23T10:00:00+08:00');
    await okOp(b.ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 100_000,
      method: 'cash',
    });
    b.clock.set('2026-11-28T10:00:00+08:00');
    const d = await dashboard(b);
    const p = d.dashboard.promises;
    expect(p.made.count).toBe(2);
    expect(p.kept.count).toBe(1);
    expect(p.broken.count).toBe(1);
    // Both matured (22 Nov + 3 < 28 Nov): 1 kept of 2.
    expect(p.keptRate.matured).toBe(2);
    expect(p.keptRate.ratio).toBe(0.5);
    expect(await behind(b, { figure: { figure: 'promises', group: 'kept' } })).toEqual([
      IDS.caseLate,
    ]);
    const o1 = d.dashboard.officers.find((o) => o.officerId === IDS.officer)!;
    expect(o1.promisesMade.count).toBe(2);
    expect(o1.collected.amountFen).toBe(100_000);
  });

  it('no contact for 7 / 14 / 30 days, and never contacted', async () => {
    const b = openBranch(cleanups, '2026-11-10T10:00:00+08:00');
    await okOp(b.ledger, 'contact.record', {
      caseId: IDS.caseCurrent,
      channel: 'call',
      party: 'borrower',
      outcome: 'no_answer',
    });
    b.clock.set('2026-11-20T10:00:00+08:00');
    await okOp(b.ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      outcome: 'promise_to_pay',
      promise: { amountFen: 10_000, dueDate: '2026-12-01' },
    });
    b.clock.set('2026-11-28T10:00:00+08:00');
    const d = await dashboard(b);
    // B: 18 days silent (7 and 14); A: 8 days (7 only); C never.
    expect(d.dashboard.contactRecency.noContact7.count).toBe(2);
    expect(d.dashboard.contactRecency.noContact14.count).toBe(1);
    expect(d.dashboard.contactRecency.noContact30.count).toBe(0);
    expect(d.dashboard.contactRecency.never.count).toBe(1);
    expect(await behind(b, { figure: { figure: 'noContact', days: 14 } })).toEqual([
      IDS.caseCurrent,
    ]);
    expect(d.dashboard.ptpConversion.ratio).toBe(1);
  });

  it('narrowed to one officer', async () => {
    const b = openBranch(cleanups);
    const d = await dashboard(b, { officerId: IDS.officer2 });
    expect(d.dashboard.aging.totals.count).toBe(1);
    expect(d.dashboard.par.par1.riskFen).toBe(1_200_000);
    expect(d.dashboard.officers.map((o) => o.officerId)).toEqual([IDS.officer2]);
  });
});

describe('daily snapshots', () => {
  it('writes each closed day once, and refuses today', async () => {
    const { snapshotPortfolio } = await import('../../electron/ledger/manager/snapshots');
    const b = openBranch(cleanups);
    const count = (d: string) =>
      b.ledger.db.prepare('SELECT count(*) FROM loan_snapshots WHERE as_of = ?').pluck().get(d);
    await dashboard(b);
    // The dashboard wrote yesterday and the previous month end.
    expect(count('2026-11-27')).toBe(3);
    expect(count('2026-10-31')).toBe(3);
    expect(snapshotPortfolio(b.ledger.ledger, '2026-11-27', '2026-11-28')).toBe(0);
    expect(snapshotPortfolio(b.ledger.ledger, '2026-11-01', '2026-11-28')).toBe(3);
    expect(snapshotPortfolio(b.ledger.ledger, '2026-11-01', '2026-11-28')).toBe(0);
    expect(() => snapshotPortfolio(b.ledger.ledger, '2026-11-28', '2026-11-28')).toThrow(
      RangeError,
    );
    const row = b.ledger.db
      .prepare(
        `SELECT days_past_due, bucket, officer_id FROM loan_snapshots WHERE as_of = '2026-10-31' AND loan_id = ?`,
      )
      .get(IDS.loanLate);
    expect(row).toEqual({ days_past_due: 46, bucket: 'M2', officer_id: IDS.officer });
  });
});
