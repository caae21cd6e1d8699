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

describe('a promise tally instead of promise rows', () => {
  // A seeded branch of 60 cases and 200 promises around November, statuses of every kind.
  let seed = 11;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const day = (offset: number): string => {
    const d = new Date(Date.UTC(2026, 10, 1 + offset));
    return d.toISOString().slice(0, 10);
  };
  const officers = ['wang', 'li', 'zhao'];
  const statuses = ['kept', 'partly_kept', 'broken', 'pending'] as const;
  const cases = Array.from({ length: 60 }, (_, i) =>
    caseRow(`C${i}`, {
      officerId: officers[i % 3]!,
      status: i % 17 === 0 ? 'closed' : 'open',
      balanceFen: 10_000 * (1 + next(9)),
      lastContactOn: i % 4 === 0 ? null : day(next(50) - 30),
    }),
  );
  const promises = Array.from({ length: 200 }, (_, i) => {
    const madeOn = day(next(40) - 15);
    return {
      promiseId: `P${i}`,
      caseId: `C${next(60)}`,
      officerId: officers[next(3)]!,
      madeOn,
      dueDate: day(Number(madeOn.slice(8)) - 1 + next(12) + (madeOn < '2026-11-01' ? -31 : 0)),
      amountFen: 1_000 * (1 + next(20)),
      status: statuses[next(4)]!,
    };
  });
  const period = { from: '2026-11-01', to: '2026-11-20' };
  const rowsInput: DashboardInput = {
    ...input,
    period,
    startSnapshots: [],
    endSnapshots: [],
    cases,
    facts: { contacts: [], contactTally: [], promises, payments: [], overrides: [] },
  };
  const tally = new Map<
    string,
    {
      officerId: string;
      madeOn: string;
      dueDate: string;
      status: (typeof statuses)[number];
      promises: number;
      amountFen: number;
    }
  >();
  for (const p of promises) {
    const key = [p.officerId, p.madeOn, p.dueDate, p.status].join('|');
    const t = tally.get(key) ?? {
      officerId: p.officerId,
      madeOn: p.madeOn,
      dueDate: p.dueDate,
      status: p.status,
      promises: 0,
      amountFen: 0,
    };
    t.promises += 1;
    t.amountFen += p.amountFen;
    tally.set(key, t);
  }
  const tallyInput: DashboardInput = {
    ...rowsInput,
    facts: {
      ...rowsInput.facts,
      promises: [],
      promiseTally: [...tally.values()],
      promisedCases: promises
        .filter((p) => p.madeOn >= period.from && p.madeOn <= period.to)
        .map((p) => p.caseId),
    },
  };

  it('gives the same summary, officers and untouched cases included', () => {
    const fromRows = portfolioDashboard(rowsInput);
    expect(fromRows.promises.made.count).toBeGreaterThan(50);
    expect(fromRows.promises.keptRate.matured).toBeGreaterThan(10);
    expect(fromRows.officers.some((o) => o.untouched.count > 0)).toBe(true);
    expect(portfolioDashboard(tallyInput)).toEqual(fromRows);
  });

  it('touches the promised cases only through promisedCases', () => {
    const without = portfolioDashboard({
      ...tallyInput,
      facts: { ...tallyInput.facts, promisedCases: [] },
    });
    const untouched = (d: typeof without): number =>
      d.officers.reduce((n, o) => n + o.untouched.count, 0);
    expect(untouched(without)).toBeGreaterThan(untouched(portfolioDashboard(rowsInput)));
  });

  it('gives the same summary with the cases contacted in the period counted', () => {
    const contacted = (c: (typeof cases)[number]): boolean =>
      c.lastContactOn !== null && c.lastContactOn >= period.from && c.lastContactOn <= period.to;
    const caseTally = new Map<string, NonNullable<DashboardInput['caseTally']>[number]>();
    for (const c of cases.filter(contacted)) {
      const key = [c.officerId, c.status, c.lastContactOn].join('|');
      const t = caseTally.get(key) ?? {
        officerId: c.officerId,
        status: c.status,
        lastContactOn: c.lastContactOn!,
        cases: 0,
        balanceFen: 0,
      };
      t.cases += 1;
      t.balanceFen += c.balanceFen;
      caseTally.set(key, t);
    }
    expect(caseTally.size).toBeGreaterThan(5);
    const counted: DashboardInput = {
      ...tallyInput,
      cases: cases.filter((c) => !contacted(c)),
      caseTally: [...caseTally.values()],
    };
    const fromRows = portfolioDashboard(rowsInput);
    expect(fromRows.contactRecency.noContact7.count).toBeGreaterThan(0);
    expect(portfolioDashboard(counted)).toEqual(fromRows);
    // A counted case must have been contacted in the period (it could be untouched else).
    const stale = { ...[...caseTally.values()][0]!, lastContactOn: '2026-10-15' };
    expect(() => portfolioDashboard({ ...counted, caseTally: [stale] })).toThrow(
      /only cases contacted in the period/,
    );
    expect(() => portfolioDashboard(counted, { withIds: true })).toThrow(/no ids/);
  });

  it('refuses rows and a tally together, and a tally where ids are wanted', () => {
    expect(() =>
      portfolioDashboard({ ...tallyInput, facts: { ...tallyInput.facts, promises } }),
    ).toThrow(/rows or a promise tally/);
    expect(() => portfolioDashboard(tallyInput, { withIds: true })).toThrow(/no ids/);
  });
});
