import { describe, expect, it } from 'vitest';
import { DEFAULT_BUCKETS } from '../../../shared/domain/buckets';
import { rollRates, type LoanSnapshot } from '../../../shared/domain/portfolio';
import { snap } from './rows';

// Month over month, 31 Oct -> 30 Nov 2026, default buckets (M0, M1 1-30, M2 31-60,
// M3 61-90, M4-6, M6+). Balances are the start (31 Oct) outstanding principal.
//
// loan  31 Oct        30 Nov             outcome         balance
// A     M0 (0)        M0 (0)             stayed          100,000
// B     M0 (0)        M1 (15)            rolledForward    50,000
// C     M1 (20)       M0 (0)             cured            40,000   paid up in November
// D     M1 (25)       M2 (55)            rolledForward    30,000
// E     M1 (16)       M3 (76)            rolledTwoPlus    20,000   a transfer that had paid the
//                                                                  Sep instalment bounced and was
//                                                                  reversed: DPD jumps two buckets
// F     M1 (5)        closed             closed           10,000   paid off
// G     M2 (40)       M1 (12)            improved         25,000
// H     M2 (45)       M0 (0)             cured            15,000
// I     M2 (50)       (no row)           missing           5,000
// J     (no row)      M0 (0)             new              80,000 at 30 Nov
// K     closed        closed             not in the portfolio at all
//
// By balance:
//   M0: start 150,000 -> stayed 100/150, rolledForward 50/150
//   M1: start 100,000 -> cured 0.4, rolledForward 0.3, rolledTwoPlus 0.2, closed 0.1
//   M2: start  45,000 -> improved 25/45, cured 15/45, missing 5/45
//   cure rate of the delinquent book = (C + H) ÷ (M1 + M2) = 55,000 ÷ 145,000
// By count:
//   M0: 2 loans -> 1/2 stayed, 1/2 rolled; M1: 4 loans -> 1/4 each of cured, rolled,
//   two-plus, closed; M2: 3 loans -> 1/3 each of improved, cured, missing; cure = 2 ÷ 7
const S = '2026-10-31';
const E = '2026-11-30';
const start: LoanSnapshot[] = [
  snap('A', S, { daysPastDue: 0, outstandingPrincipalFen: 100_000 }),
  snap('B', S, { daysPastDue: 0, outstandingPrincipalFen: 50_000 }),
  snap('C', S, { daysPastDue: 20, outstandingPrincipalFen: 40_000 }),
  snap('D', S, { daysPastDue: 25, outstandingPrincipalFen: 30_000 }),
  snap('E', S, { daysPastDue: 16, outstandingPrincipalFen: 20_000 }),
  snap('F', S, { daysPastDue: 5, outstandingPrincipalFen: 10_000 }),
  snap('G', S, { daysPastDue: 40, outstandingPrincipalFen: 25_000 }),
  snap('H', S, { daysPastDue: 45, outstandingPrincipalFen: 15_000 }),
  snap('I', S, { daysPastDue: 50, outstandingPrincipalFen: 5_000 }),
  snap('K', S, { status: 'closed' }),
];
// End balances differ from start ones on purpose: rates must weigh by the start balance.
const end: LoanSnapshot[] = [
  snap('A', E, { daysPastDue: 0, outstandingPrincipalFen: 95_000 }),
  snap('B', E, { daysPastDue: 15, outstandingPrincipalFen: 50_000 }),
  snap('C', E, { daysPastDue: 0, outstandingPrincipalFen: 30_000 }),
  snap('D', E, { daysPastDue: 55, outstandingPrincipalFen: 30_000 }),
  snap('E', E, { daysPastDue: 76, outstandingPrincipalFen: 20_000 }),
  snap('F', E, { status: 'closed' }),
  snap('G', E, { daysPastDue: 12, outstandingPrincipalFen: 20_000 }),
  snap('H', E, { daysPastDue: 0, outstandingPrincipalFen: 10_000 }),
  snap('J', E, { daysPastDue: 0, outstandingPrincipalFen: 80_000 }),
  snap('K', E, { status: 'closed' }),
];

describe('rollRates by balance', () => {
  const r = rollRates(start, end, DEFAULT_BUCKETS, { by: 'balance' });
  const [m0, m1, m2] = r.rows;

  it('weighs each loan by its start balance', () => {
    expect(m0!.start).toMatchObject({ count: 2, balanceFen: 150_000 });
    expect(m0!.outcomes.stayed.rate).toBeCloseTo(100 / 150, 12);
    expect(m0!.rollRate).toBeCloseTo(50 / 150, 12);
    expect(m0!.cureRate).toBe(0);
  });

  it('splits M1 into cured, rolled, rolled two buckets and closed', () => {
    expect(m1!.start.balanceFen).toBe(100_000);
    expect(m1!.outcomes.cured).toMatchObject({ rate: 0.4, loanIds: ['C'], balanceFen: 40_000 });
    expect(m1!.outcomes.rolledForward).toMatchObject({ rate: 0.3, loanIds: ['D'] });
    expect(m1!.outcomes.rolledTwoPlus).toMatchObject({ rate: 0.2, loanIds: ['E'] });
    expect(m1!.outcomes.closed).toMatchObject({ rate: 0.1, loanIds: ['F'] });
    expect(m1!.outcomes.stayed.rate).toBe(0);
    expect(m1!.rollRate).toBe(0.3);
    expect(m1!.cureRate).toBe(0.4);
  });

  it('does not count a two-bucket roll as the roll rate to the next bucket', () => {
    expect(m1!.outcomes.rolledForward.loanIds).not.toContain('E');
    // the matrix shows where E landed: M3
    expect(m1!.toBucket.map((c) => c.loanIds)).toEqual([['C'], [], ['D'], ['E'], [], []]);
  });

  it('reports improved, cured and missing loans of M2 apart', () => {
    expect(m2!.outcomes.improved.rate).toBeCloseTo(25 / 45, 12);
    expect(m2!.outcomes.cured.rate).toBeCloseTo(15 / 45, 12);
    expect(m2!.outcomes.missing).toMatchObject({ loanIds: ['I'], caseIds: ['case-I'] });
    expect(m2!.outcomes.missing.rate).toBeCloseTo(5 / 45, 12);
  });

  it("has each bucket's outcome shares add up to 1", () => {
    for (const row of r.rows) {
      const total = Object.values(row.outcomes).reduce((s, c) => s + c.rate, 0);
      expect(total).toBeCloseTo(row.start.count === 0 ? 0 : 1, 12);
    }
  });

  it('gives the cure rate of the delinquent book', () => {
    expect(r.cured.loanIds).toEqual(['C', 'H']);
    expect(r.delinquentAtStart.balanceFen).toBe(145_000);
    expect(r.cureRate).toBeCloseTo(55 / 145, 12);
  });

  it('reports loans new in the period separately, outside every rate', () => {
    expect(r.newLoans).toMatchObject({ count: 1, balanceFen: 80_000, loanIds: ['J'] });
    expect(r.newLoans.byBucket[0]!.loanIds).toEqual(['J']);
    expect(r.rows.flatMap((row) => row.start.loanIds)).not.toContain('J');
    // K was closed on both dates: in no row and not new
    expect(r.rows.flatMap((row) => row.start.loanIds)).not.toContain('K');
    expect(r.newLoans.loanIds).not.toContain('K');
    expect(r).toMatchObject({ from: S, to: E, by: 'balance' });
  });
});

describe('rollRates by count', () => {
  const r = rollRates(start, end, DEFAULT_BUCKETS, { by: 'count' });
  it('counts loans instead of money', () => {
    expect(r.rows[0]!.rollRate).toBe(0.5);
    expect(r.rows[1]!.cureRate).toBe(0.25);
    expect(r.rows[1]!.outcomes.rolledTwoPlus.rate).toBe(0.25);
    expect(r.rows[2]!.outcomes.improved.rate).toBeCloseTo(1 / 3, 12);
    expect(r.cureRate).toBeCloseTo(2 / 7, 12);
  });
});

describe('rollRates edge cases', () => {
  it('gives zero rates for empty sets and empty buckets', () => {
    const r = rollRates([], [], DEFAULT_BUCKETS, { by: 'balance' });
    expect(r.cureRate).toBe(0);
    expect(r.rows.every((row) => row.rollRate === 0 && row.start.count === 0)).toBe(true);
    expect(r.newLoans.count).toBe(0);
  });

  it('does not roll forward out of the last bucket', () => {
    const r = rollRates(
      [snap('Z', S, { daysPastDue: 300, outstandingPrincipalFen: 1_000 })],
      [snap('Z', E, { daysPastDue: 330, outstandingPrincipalFen: 1_000 })],
      DEFAULT_BUCKETS,
      { by: 'balance' },
    );
    const last = r.rows[5]!;
    expect(last.outcomes.stayed.rate).toBe(1);
    expect(last.rollRate).toBe(0);
  });

  it('refuses an end date not after the start date', () => {
    expect(() => rollRates(end, start, DEFAULT_BUCKETS, { by: 'count' })).toThrow(/before/);
  });
});
