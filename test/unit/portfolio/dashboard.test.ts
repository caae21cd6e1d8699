import { describe, expect, it } from 'vitest';
import { DEFAULT_BUCKETS } from '../../../shared/domain/buckets';
import {
  casesBehind,
  portfolioDashboard,
  type DashboardInput,
} from '../../../shared/domain/portfolio';
import { caseRow, contact, snap } from './rows';

// A two-loan branch, 31 Oct -> 30 Nov:
// X: M1 (10 DPD, 40,000) on 31 Oct -> 0 DPD on 30 Nov (cured; due 12,000, paid 12,000)
// Y: M0 (0 DPD, 60,000) on 31 Oct -> 35 DPD on 30 Nov (rolled two buckets: M0 -> M2;
//    due 8,000, paid 0; restructured, so it stays in PAR30)
// gross on 30 Nov = 30,000 + 60,000 = 90,000; PAR30 = 60,000 (Y) -> 2/3
// collection = 12,000 ÷ 20,000 = 60 %
const S = '2026-10-31';
const E = '2026-11-30';
const input: DashboardInput = {
  period: { from: '2026-11-01', to: E },
  buckets: DEFAULT_BUCKETS,
  graceDays: 3,
  startSnapshots: [
    snap('X', S, { caseId: 'CX', daysPastDue: 10, outstandingPrincipalFen: 40_000 }),
    snap('Y', S, { caseId: 'CY', daysPastDue: 0, outstandingPrincipalFen: 60_000 }),
  ],
  endSnapshots: [
    snap('X', E, {
      caseId: 'CX',
      outstandingPrincipalFen: 30_000,
      dueInPeriodFen: 12_000,
      paidInPeriodFen: 12_000,
    }),
    snap('Y', E, {
      caseId: 'CY',
      daysPastDue: 35,
      outstandingPrincipalFen: 60_000,
      overduePrincipalFen: 7_000,
      restructured: true,
      dueInPeriodFen: 8_000,
      paidInPeriodFen: 0,
    }),
  ],
  cases: [
    caseRow('CX', { balanceFen: 30_000, lastContactOn: '2026-11-20' }),
    caseRow('CY', { balanceFen: 60_000, lastContactOn: '2026-10-25' }),
  ],
  facts: {
    contacts: [contact('k1', '2026-11-20', { caseId: 'CX', outcome: 'promise_to_pay' })],
    promises: [],
    payments: [],
    overrides: [],
  },
};

describe('portfolioDashboard', () => {
  const d = portfolioDashboard(input, { withIds: true });

  it('gives every headline figure of the date with the cases behind it', () => {
    expect(d.par.par30).toMatchObject({ riskFen: 60_000, grossFen: 90_000, caseIds: ['CY'] });
    expect(d.par.par30.ratio).toBeCloseTo(2 / 3, 12);
    expect(d.par.par30.restructuredRiskFen).toBe(60_000);
    expect(d.collection).toMatchObject({ dueFen: 20_000, paidFen: 12_000, ratio: 0.6 });
    expect(d.collection.short.caseIds).toEqual(['CY']);
    expect(d.aging.buckets.map((b) => b.count)).toEqual([1, 0, 1, 0, 0, 0]);
    expect(d.rolls.rows[1]!.cureRate).toBe(1);
    expect(d.rolls.rows[0]!.outcomes.rolledTwoPlus.caseIds).toEqual(['CY']);
    expect(d.ptpConversion.ratio).toBe(1);
    // CY last contacted 25 Oct: 36 days
    expect(d.contactRecency.noContact30.caseIds).toEqual(['CY']);
    expect(d.officers.map((o) => o.officerId)).toEqual(['officer-1']);
    expect(d.officers[0]!.untouched.caseIds).toEqual(['CY']);
  });

  it('sends numbers only by default, the same numbers, with no id list anywhere', () => {
    const summary = portfolioDashboard(input);
    expect(summary.par.par30.ratio).toBe(d.par.par30.ratio);
    expect(summary.collection.short.count).toBe(1);
    expect(summary.officers[0]!.untouched.count).toBe(1);
    expect(JSON.stringify(summary)).not.toMatch(
      /caseIds|loanIds|promiseIds|contactIds|paymentIds|factIds/,
    );
  });

  it('refuses end snapshots of another date than the dashboard date', () => {
    expect(() =>
      portfolioDashboard({ ...input, period: { from: '2026-11-01', to: '2026-11-29' } }),
    ).toThrow(/end snapshots are of 2026-11-30/);
  });

  it('works on an empty branch', () => {
    const empty = portfolioDashboard({
      ...input,
      startSnapshots: [],
      endSnapshots: [],
      cases: [],
      facts: { contacts: [], promises: [], payments: [], overrides: [] },
    });
    expect(empty.par.par1.ratio).toBe(0);
    expect(empty.collection.ratio).toBe(0);
    expect(empty.rolls.cureRate).toBe(0);
    expect(empty.officers).toEqual([]);
  });
});

describe('casesBehind', () => {
  it('opens the cases behind any number, matching the full dashboard', () => {
    const d = portfolioDashboard(input, { withIds: true });
    expect(casesBehind(input, { figure: 'par', days: 30 })).toEqual(d.par.par30.caseIds);
    expect(casesBehind(input, { figure: 'par', days: 1 })).toEqual(['CY']);
    expect(casesBehind(input, { figure: 'aging', bucket: 'M2' })).toEqual(['CY']);
    expect(casesBehind(input, { figure: 'portfolio' })).toEqual(['CX', 'CY']);
    expect(casesBehind(input, { figure: 'arrears' })).toEqual(['CY']);
    expect(casesBehind(input, { figure: 'collection', group: 'due' })).toEqual(['CX', 'CY']);
    expect(casesBehind(input, { figure: 'collection', group: 'short' })).toEqual(['CY']);
    expect(casesBehind(input, { figure: 'roll', bucket: 'M1', outcome: 'cured' })).toEqual(['CX']);
    expect(casesBehind(input, { figure: 'roll', bucket: 'M0', outcome: 'start' })).toEqual(['CY']);
    expect(casesBehind(input, { figure: 'rollMatrix', fromBucket: 'M0', toBucket: 'M2' })).toEqual([
      'CY',
    ]);
    expect(casesBehind(input, { figure: 'cured' })).toEqual(['CX']);
    expect(casesBehind(input, { figure: 'newLoans' })).toEqual([]);
    expect(casesBehind(input, { figure: 'noContact', days: 7 })).toEqual(['CX', 'CY']);
    expect(casesBehind(input, { figure: 'neverContacted' })).toEqual([]);
    expect(casesBehind(input, { figure: 'ptp', group: 'promised' })).toEqual(['CX']);
    expect(casesBehind(input, { figure: 'promises', group: 'made' })).toEqual([]);
    expect(casesBehind(input, { figure: 'overrides', group: 'toReview' })).toEqual([]);
    expect(
      casesBehind(input, { figure: 'officer', officerId: 'officer-1', measure: 'untouched' }),
    ).toEqual(['CY']);
    expect(
      casesBehind(input, { figure: 'officer', officerId: 'officer-1', measure: 'caseload' }),
    ).toEqual(['CX', 'CY']);
    expect(
      casesBehind(input, { figure: 'officer', officerId: 'nobody-here', measure: 'contacts' }),
    ).toEqual([]);
  });

  it('refuses a bucket the list does not have', () => {
    expect(() => casesBehind(input, { figure: 'aging', bucket: 'M9' })).toThrow(/no bucket M9/);
  });
});
