import { describe, expect, it } from 'vitest';
import { DEFAULT_BUCKETS } from '../../../shared/domain/buckets';
import {
  agingBuckets,
  arrearsRate,
  portfolioAtRisk,
  type LoanSnapshot,
} from '../../../shared/domain/portfolio';
import { snap } from './rows';

// A branch on 30 Nov 2026 (amounts in fen):
//
// loan  case  DPD  outstanding  overdue principal  notes
// L1    C1      0      100,000                  0
// L2    C2      1       50,000              5,000  1 day late: NOT in PAR1 (1 is not > 1)
// L3    C3      2       40,000              5,000  PAR1 only
// L4    C3     30       30,000              5,000  PAR1, NOT PAR30 (30 is not > 30); same case as L3
// L5    C5     31       20,000             10,000  restructured: PAR1 and PAR30
// L6    C6     90       60,000             15,000  PAR1, PAR30, NOT PAR90
// L7    C7     91       10,000             10,000  PAR1, PAR30, PAR90
// L8    C8    200       70,000             70,000  CLOSED (written off): outside the portfolio
//
// gross  = 100,000 + 50,000 + 40,000 + 30,000 + 20,000 + 60,000 + 10,000 = 310,000
// PAR1   = L3..L7 whole outstanding = 40,000 + 30,000 + 20,000 + 60,000 + 10,000 = 160,000
// PAR30  = L5 + L6 + L7 = 20,000 + 60,000 + 10,000 = 90,000 (20,000 of it restructured)
// PAR90  = L7 = 10,000
// arrears rate = overdue principal of active loans ÷ gross
//              = (5,000 + 5,000 + 5,000 + 10,000 + 15,000 + 10,000) ÷ 310,000 = 50,000 ÷ 310,000
const D = '2026-11-30';
const branch: LoanSnapshot[] = [
  snap('L1', D, { caseId: 'C1', daysPastDue: 0, outstandingPrincipalFen: 100_000 }),
  snap('L2', D, {
    caseId: 'C2',
    daysPastDue: 1,
    outstandingPrincipalFen: 50_000,
    overduePrincipalFen: 5_000,
  }),
  snap('L3', D, {
    caseId: 'C3',
    daysPastDue: 2,
    outstandingPrincipalFen: 40_000,
    overduePrincipalFen: 5_000,
  }),
  snap('L4', D, {
    caseId: 'C3',
    daysPastDue: 30,
    outstandingPrincipalFen: 30_000,
    overduePrincipalFen: 5_000,
  }),
  snap('L5', D, {
    caseId: 'C5',
    daysPastDue: 31,
    outstandingPrincipalFen: 20_000,
    overduePrincipalFen: 10_000,
    restructured: true,
  }),
  snap('L6', D, {
    caseId: 'C6',
    daysPastDue: 90,
    outstandingPrincipalFen: 60_000,
    overduePrincipalFen: 15_000,
  }),
  snap('L7', D, {
    caseId: 'C7',
    daysPastDue: 91,
    outstandingPrincipalFen: 10_000,
    overduePrincipalFen: 10_000,
  }),
  snap('L8', D, {
    caseId: 'C8',
    daysPastDue: 200,
    outstandingPrincipalFen: 70_000,
    overduePrincipalFen: 70_000,
    status: 'closed',
  }),
];

describe('portfolioAtRisk (standard PAR, IRIS+ PI1)', () => {
  const par = portfolioAtRisk(branch);

  it('counts the whole outstanding principal of loans more than N days late', () => {
    expect(par.par1).toMatchObject({ days: 1, riskFen: 160_000, grossFen: 310_000, count: 5 });
    expect(par.par30).toMatchObject({ days: 30, riskFen: 90_000, grossFen: 310_000, count: 3 });
    expect(par.par90).toMatchObject({ days: 90, riskFen: 10_000, grossFen: 310_000, count: 1 });
    expect(par.par1.ratio).toBeCloseTo(160_000 / 310_000, 12);
    expect(par.par30.ratio).toBeCloseTo(90_000 / 310_000, 12);
    expect(par.par90.ratio).toBeCloseTo(10_000 / 310_000, 12);
    expect(par.grossFen).toBe(310_000);
    expect(par.asOf).toBe(D);
  });

  it('puts DPD exactly N outside PAR N and N + 1 inside', () => {
    expect(par.par1.loanIds).not.toContain('L2'); // DPD 1
    expect(par.par1.loanIds).toContain('L3'); // DPD 2
    expect(par.par30.loanIds).not.toContain('L4'); // DPD 30
    expect(par.par30.loanIds).toContain('L5'); // DPD 31
    expect(par.par90.loanIds).toEqual(['L7']); // DPD 91, not L6 at 90
  });

  it('keeps a restructured loan inside PAR30 and shows its part', () => {
    expect(par.par30.loanIds).toEqual(['L5', 'L6', 'L7']);
    expect(par.par30.restructuredRiskFen).toBe(20_000);
    expect(par.par90.restructuredRiskFen).toBe(0);
  });

  it('excludes a closed loan from the risk and from the gross portfolio', () => {
    for (const level of par.levels) {
      expect(level.loanIds).not.toContain('L8');
      expect(level.grossFen).toBe(310_000);
    }
  });

  it('lists each case behind a figure once, even with two loans in it', () => {
    expect(par.par1.caseIds).toEqual(['C3', 'C5', 'C6', 'C7']);
    expect(par.par1.loanIds).toEqual(['L3', 'L4', 'L5', 'L6', 'L7']);
  });

  it('takes other thresholds and names the figures after them', () => {
    const custom = portfolioAtRisk(branch, [0, 60]);
    // DPD > 0: L2..L7 = 50,000 + 160,000; DPD > 60: L6 + L7
    expect(custom.par0.riskFen).toBe(210_000);
    expect(custom.par60.riskFen).toBe(70_000);
    expect(custom.levels.map((l) => l.days)).toEqual([0, 60]);
  });

  it('refuses duplicate or negative thresholds', () => {
    expect(() => portfolioAtRisk(branch, [30, 30])).toThrow(/twice/);
    expect(() => portfolioAtRisk(branch, [-1])).toThrow(RangeError);
  });
});

describe('arrearsRate is not PAR', () => {
  it('divides overdue principal only, so it reads lower than PAR30', () => {
    const a = arrearsRate(branch);
    expect(a.overduePrincipalFen).toBe(50_000);
    expect(a.outstandingPrincipalFen).toBe(310_000);
    expect(a.ratio).toBeCloseTo(50_000 / 310_000, 12);
    expect(a.count).toBe(6); // L2..L7; the closed L8 is out
    expect(a.ratio).toBeLessThan(portfolioAtRisk(branch).par30.ratio);
  });
});

describe('agingBuckets', () => {
  // M0: L1 100,000 | M1 (1-30): L2 + L3 + L4 = 120,000 | M2 (31-60): L5 20,000
  // M3 (61-90): L6 60,000 | M4-6 (91-180): L7 10,000 | M6+: nothing (L8 is closed)
  const aging = agingBuckets(branch, DEFAULT_BUCKETS);

  it('gives count, balance and share of the gross portfolio per bucket', () => {
    expect(aging.buckets.map((b) => [b.code, b.count, b.balanceFen])).toEqual([
      ['M0', 1, 100_000],
      ['M1', 3, 120_000],
      ['M2', 1, 20_000],
      ['M3', 1, 60_000],
      ['M4-6', 1, 10_000],
      ['M6+', 0, 0],
    ]);
    expect(aging.buckets[1]!.share).toBeCloseTo(120_000 / 310_000, 12);
    expect(aging.buckets[1]!.countShare).toBeCloseTo(3 / 7, 12);
    expect(aging.totals).toMatchObject({ count: 7, balanceFen: 310_000 });
    expect(aging.buckets.reduce((s, b) => s + b.share, 0)).toBeCloseTo(1, 12);
  });

  it('opens the cases behind each bucket', () => {
    expect(aging.buckets[1]!.caseIds).toEqual(['C2', 'C3']);
    expect(aging.buckets[1]!.loanIds).toEqual(['L2', 'L3', 'L4']);
    expect(aging.buckets[5]!.caseIds).toEqual([]);
  });

  it('buckets by days past due under the list given, not the stored code', () => {
    const stale = branch.map((s) => ({ ...s, bucket: 'OLD' }));
    expect(agingBuckets(stale, DEFAULT_BUCKETS).buckets[2]!.loanIds).toEqual(['L5']);
  });

  it('refuses a broken bucket list', () => {
    expect(() => agingBuckets(branch, [{ code: 'M0', minDays: 0, maxDays: 30 }])).toThrow(
      /open-ended/,
    );
  });
});

describe('an empty portfolio', () => {
  it('gives zeros, not NaN, and no cases', () => {
    const par = portfolioAtRisk([]);
    for (const level of par.levels) {
      expect(level).toMatchObject({ riskFen: 0, grossFen: 0, ratio: 0, count: 0, caseIds: [] });
    }
    expect(par.asOf).toBeNull();
    expect(arrearsRate([]).ratio).toBe(0);
    const aging = agingBuckets([], DEFAULT_BUCKETS);
    expect(aging.totals.balanceFen).toBe(0);
    expect(aging.buckets.every((b) => b.share === 0 && b.count === 0)).toBe(true);
  });

  it('only closed loans: the gross portfolio is 0 and PAR is 0', () => {
    const par = portfolioAtRisk([branch[7]!]);
    expect(par.par30).toMatchObject({ riskFen: 0, grossFen: 0, ratio: 0 });
  });
});

describe('snapshot sets', () => {
  it('refuse a mix of dates, which would count money twice', () => {
    const mixed = [...branch, snap('L9', '2026-11-29', { outstandingPrincipalFen: 1 })];
    expect(() => portfolioAtRisk(mixed)).toThrow(/mixes business dates/);
  });
  it('refuse a loan listed twice', () => {
    expect(() => agingBuckets([...branch, branch[0]!], DEFAULT_BUCKETS)).toThrow(/twice/);
  });
  it('refuse a negative DPD', () => {
    expect(() => agingBuckets([snap('X', D, { daysPastDue: -1 })], DEFAULT_BUCKETS)).toThrow(
      RangeError,
    );
  });
});
