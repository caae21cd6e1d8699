import { describe, expect, it } from 'vitest';
import { DEFAULT_BUCKETS } from '../../../shared/domain/buckets';
import {
  collectionFromSnapshots,
  collectionRate,
  dueAndPaidInPeriod,
  loanSnapshot,
  rollRates,
  type SnapshotLoan,
} from '../../../shared/domain/portfolio';
import type { Instalment, PaymentLine } from '../../../shared/domain/types';
import { snap } from './rows';

// Three monthly instalments of 9,000 principal + 1,000 interest = 10,000 each.
const schedule: Instalment[] = [
  { seq: 1, dueDate: '2026-10-15', principalFen: 9_000, interestFen: 1_000 },
  { seq: 2, dueDate: '2026-11-15', principalFen: 9_000, interestFen: 1_000 },
  { seq: 3, dueDate: '2026-12-15', principalFen: 9_000, interestFen: 1_000 },
];
const pay = (paidOn: string, amountFen: number): PaymentLine => ({ paidOn, amountFen });
const november = { from: '2026-11-01', to: '2026-11-30' };

describe('collectionRate', () => {
  it('is paid ÷ due with its parts, and 0 when nothing was due', () => {
    expect(collectionRate(16_000, 12_000)).toEqual({
      dueFen: 16_000,
      paidFen: 12_000,
      ratio: 0.75,
    });
    expect(collectionRate(0, 500)).toEqual({ dueFen: 0, paidFen: 500, ratio: 0 });
  });
  it('refuses fractional or negative amounts', () => {
    expect(() => collectionRate(100.5, 0)).toThrow(RangeError);
    expect(() => collectionRate(100, -1)).toThrow(RangeError);
  });
});

describe('dueAndPaidInPeriod', () => {
  it('brings unpaid arrears into the period and adds what falls due in it', () => {
    // 4,000 paid on 20 Oct: 1,000 to instalment 1's interest, 3,000 to its principal, so
    // 6,000 of it is still owed on 1 Nov (brought forward); instalment 2 (10,000) falls due
    // on 15 Nov; instalment 3 (15 Dec) is after the period. Due = 16,000.
    // 12,000 paid on 20 Nov -> 12,000 ÷ 16,000 = 75 %.
    const r = dueAndPaidInPeriod(
      schedule,
      [pay('2026-10-20', 4_000), pay('2026-11-20', 12_000)],
      november,
    );
    expect(r).toEqual({
      dueFen: 16_000,
      arrearsBroughtForwardFen: 6_000,
      fallingDueFen: 10_000,
      paidFen: 12_000,
      paidTowardDueFen: 12_000,
    });
  });

  it('nets off a prepayment made before the period', () => {
    // 25,000 on 10 Oct pays instalments 1 and 2 in full and 5,000 of 3: nothing due in November.
    const r = dueAndPaidInPeriod(schedule, [pay('2026-10-10', 25_000)], november);
    expect(r.dueFen).toBe(0);
    expect(collectionRate(r.dueFen, r.paidTowardDueFen).ratio).toBe(0);
  });

  it('counts payments on the first and last day of the period, not a day outside', () => {
    const r = dueAndPaidInPeriod(
      schedule,
      [
        pay('2026-10-31', 100),
        pay('2026-11-01', 200),
        pay('2026-11-30', 400),
        pay('2026-12-01', 800),
      ],
      november,
    );
    expect(r.paidFen).toBe(600);
  });

  it('caps the part toward due when a borrower pays off early', () => {
    // Due 20,000 (instalments 1 and 2, nothing paid before); 30,000 paid off the loan.
    const r = dueAndPaidInPeriod(schedule, [pay('2026-11-10', 30_000)], november);
    expect(r).toMatchObject({ dueFen: 20_000, paidFen: 30_000, paidTowardDueFen: 20_000 });
  });

  it('refuses a period that ends before it starts', () => {
    expect(() =>
      dueAndPaidInPeriod(schedule, [], { from: '2026-11-30', to: '2026-11-01' }),
    ).toThrow(/starts after/);
  });
});

describe('collectionFromSnapshots', () => {
  // A: due 16,000, paid 12,000 (short 4,000)
  // B: due 10,000, paid 30,000 (paid off early: counts 10,000 toward due)
  // C: nothing due, paid 5,000 (prepaid): only in the uncapped total
  // D: closed this month: due 5,000, paid 5,000
  // capped = (12,000 + 10,000 + 5,000) ÷ (16,000 + 10,000 + 5,000) = 27,000 ÷ 31,000
  // uncapped = (12,000 + 30,000 + 5,000 + 5,000) ÷ 31,000 = 52,000 ÷ 31,000
  const D = '2026-11-30';
  const rows = [
    snap('A', D, { dueInPeriodFen: 16_000, paidInPeriodFen: 12_000 }),
    snap('B', D, { dueInPeriodFen: 10_000, paidInPeriodFen: 30_000 }),
    snap('C', D, { dueInPeriodFen: 0, paidInPeriodFen: 5_000 }),
    snap('D', D, { dueInPeriodFen: 5_000, paidInPeriodFen: 5_000, status: 'closed' }),
    snap('E', D),
  ];

  it('caps each loan at its due so an early payoff hides no shortfall', () => {
    const c = collectionFromSnapshots(rows);
    expect(c).toMatchObject({ dueFen: 31_000, paidFen: 27_000, paidTotalFen: 52_000, count: 3 });
    expect(c.ratio).toBeCloseTo(27 / 31, 12);
    expect(c.uncappedRatio).toBeCloseTo(52 / 31, 12);
    expect(c.loanIds).toEqual(['A', 'B', 'D']);
  });

  it('lists the loans that paid less than due', () => {
    expect(collectionFromSnapshots(rows).short).toEqual({
      count: 1,
      shortfallFen: 4_000,
      caseIds: ['case-A'],
      loanIds: ['A'],
    });
  });

  it('is 0 on an empty portfolio', () => {
    expect(collectionFromSnapshots([])).toMatchObject({ dueFen: 0, paidFen: 0, ratio: 0 });
  });
});

describe('loanSnapshot', () => {
  const loan: SnapshotLoan = {
    loanId: 'L',
    caseId: 'C',
    officerId: 'O',
    restructured: false,
    status: 'active',
  };

  it('builds the daily row from the schedule and payments', () => {
    // On 30 Nov with 4,000 paid on 20 Oct: instalment 1 owes 6,000 (all principal: its
    // interest was paid first), instalment 2 owes 10,000 (9,000 principal). Outstanding
    // principal = 27,000 - 3,000 = 24,000. Oldest unpaid due 15 Oct -> 46 days -> M2.
    const row = loanSnapshot(
      loan,
      schedule,
      [pay('2026-10-20', 4_000)],
      '2026-11-30',
      DEFAULT_BUCKETS,
    );
    expect(row).toEqual({
      loanId: 'L',
      caseId: 'C',
      officerId: 'O',
      asOf: '2026-11-30',
      outstandingPrincipalFen: 24_000,
      overduePrincipalFen: 15_000,
      arrearsFen: 16_000,
      daysPastDue: 46,
      bucket: 'M2',
      restructured: false,
      status: 'active',
      dueInPeriodFen: 16_000,
      paidInPeriodFen: 0,
    });
  });

  it('gives the rows from which a loan that cures in the month shows as cured', () => {
    // 31 Oct: instalment 1 (15 Oct) unpaid -> 16 days, M1. 20 Nov: 20,000 pays 1 and 2.
    // 30 Nov: nothing overdue -> M0. Roll rates: M1 cure rate 100 %.
    const payments = [pay('2026-11-20', 20_000)];
    const oct = loanSnapshot(loan, schedule, payments, '2026-10-31', DEFAULT_BUCKETS);
    const nov = loanSnapshot(loan, schedule, payments, '2026-11-30', DEFAULT_BUCKETS);
    expect([oct.daysPastDue, oct.bucket, nov.daysPastDue, nov.bucket]).toEqual([16, 'M1', 0, 'M0']);
    expect(nov).toMatchObject({
      dueInPeriodFen: 20_000,
      paidInPeriodFen: 20_000,
      overduePrincipalFen: 0,
    });
    const r = rollRates([oct], [nov], DEFAULT_BUCKETS, { by: 'balance' });
    expect(r.rows[1]!.cureRate).toBe(1);
    expect(r.rows[1]!.start.balanceFen).toBe(27_000);
  });

  it('uses the month to date for the period figures', () => {
    // On 10 Dec: period 1-10 Dec; instalments 1 and 2 (20,000) are brought forward unpaid,
    // instalment 3 falls due on 15 Dec, after the date.
    const row = loanSnapshot(loan, schedule, [], '2026-12-10', DEFAULT_BUCKETS);
    expect(row.dueInPeriodFen).toBe(20_000);
  });
});
