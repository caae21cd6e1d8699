// The dashboard summary's snapshot figures (aging, PAR, arrears rate, collection rate, roll
// and cure rates) for the ledger's business date, summed by SQLite from the loan positions
// and the stored snapshot of the previous month end, without a row per loan reaching
// JavaScript. The first dashboard after opening the ledger would otherwise turn ~110,000
// snapshot rows into objects (most of its time), only to add them up.
//
// The figures are the ones shared/domain/portfolio computes from the two snapshot sets
// (summarySnapshotFigures): the same definitions, applied to groups of loans that no figure
// tells apart (one group per oldest unpaid due date, end status and start bucket), with
// every sum an integer of fen so the order of additions cannot change a result. Tested
// equal to the computation from rows (test/manager/snapshot-figures.test.ts). The groups
// add up, so the dashboard keeps them and, after a payment, takes the paying cases' old
// groups out and their new ones in (patchedEndGroups) instead of summing every loan again
// (test/manager/dashboard-cache.test.ts).
import { daysBetween, monthStart } from '../../../shared/dates';
import type { BucketDef } from '../../../shared/domain/buckets';
import {
  DEFAULT_PAR_THRESHOLDS,
  ROLL_OUTCOMES,
  rollRows,
  safeRatio,
  type SnapshotFigures,
  type RollOutcome,
  type WithoutIds,
} from '../../../shared/domain/portfolio';
import { bucketIndexer } from '../../../shared/domain/portfolio/common';
import type { IsoDate } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import { onPositionsRewrite, positionsGeneration } from './dashboard-cache';
import { positionsCurrent } from './loan-positions';

export type SummaryFigures = WithoutIds<SnapshotFigures>;

/** One group of end rows (present positions) with the start row of the same loan. */
export type EndGroupRaw = [
  oldestUnpaidDue: string | null,
  endActive: number,
  /** 0: no start row; 1: closed at the start; 2: active at the start. */
  startState: number,
  /** The start row's days past due when active at the start, else -1. */
  startDpd: number,
  count: number,
  outstandingFen: number,
  overdueFen: number,
  overdueCount: number,
  restructuredFen: number,
  startFen: number,
  dueFen: number,
  paidTowardDueFen: number,
  paidTotalFen: number,
  dueCount: number,
  shortCount: number,
  shortfallFen: number,
];

/** One group of start rows whose loan has no end row. */
type StartOnlyRaw = [startActive: number, startDpd: number, count: number, startFen: number];

// The end set is every present position row (positionSnapshots); the month-to-date due
// and paid of a row computed in an earlier month are the arrears brought in and 0. The
// start row of a loan is matched within the same scope (an officer's rows on each date).
// Rows computed this month and earlier are summed apart, so that each sum names plain
// columns (SQLite would evaluate a CASE per reference, eight times a row).
function endGroupsSql(
  due: string,
  paid: string,
  computed: string,
  scoped: boolean,
  cased = false,
): string {
  return `
  SELECT p.oldest_unpaid_due, p.status = 'active',
    CASE WHEN s.loan_id IS NULL THEN 0 WHEN s.status = 'active' THEN 2 ELSE 1 END,
    CASE WHEN s.status = 'active' THEN s.days_past_due ELSE -1 END,
    count(*),
    sum(p.outstanding_principal_fen),
    sum(p.overdue_principal_fen),
    sum(p.overdue_principal_fen > 0),
    sum(CASE WHEN p.restructured = 1 THEN p.outstanding_principal_fen ELSE 0 END),
    sum(CASE WHEN s.status = 'active' THEN s.outstanding_principal_fen ELSE 0 END),
    sum(CASE WHEN ${due} > 0 THEN ${due} ELSE 0 END),
    sum(CASE WHEN ${due} > 0 THEN min(${paid}, ${due}) ELSE 0 END),
    sum(${paid}),
    sum(${due} > 0),
    sum(${due} > 0 AND ${paid} < ${due}),
    sum(CASE WHEN ${due} > 0 AND ${paid} < ${due} THEN ${due} - ${paid} ELSE 0 END)
  FROM dashboard_loan_positions p
    LEFT JOIN loan_snapshots s
      ON s.as_of = @start AND s.loan_id = p.loan_id${scoped ? ' AND s.officer_id = @officer' : ''}
  WHERE p.present = 1 AND p.computed_for ${computed} @monthStart${scoped ? ' AND p.officer_id = @officer' : ''}${cased ? ' AND p.case_id IN (SELECT value FROM json_each(@cases))' : ''}
  GROUP BY 1, 2, 3, 4`;
}
/** [branch, one officer] */
const END_GROUPS_THIS_MONTH = [false, true].map((scoped) =>
  endGroupsSql('p.due_in_period_fen', 'p.paid_in_period_fen', '>=', scoped),
);
const END_GROUPS_EARLIER = [false, true].map((scoped) =>
  endGroupsSql('p.arrears_fen', '0', '<', scoped),
);
/** The same, of a few cases' rows (@cases: a JSON array of case ids). */
const CASES_END_GROUPS_THIS_MONTH = [false, true].map((scoped) =>
  endGroupsSql('p.due_in_period_fen', 'p.paid_in_period_fen', '>=', scoped, true),
);
const CASES_END_GROUPS_EARLIER = [false, true].map((scoped) =>
  endGroupsSql('p.arrears_fen', '0', '<', scoped, true),
);

const START_ONLY_GROUPS = [false, true].map(
  (scoped) => `
  SELECT s.status = 'active', s.days_past_due, count(*), sum(s.outstanding_principal_fen)
  FROM loan_snapshots s
  WHERE s.as_of = @start${scoped ? ' AND s.officer_id = @officer' : ''}
    AND NOT EXISTS (SELECT 1 FROM dashboard_loan_positions p
                    WHERE p.loan_id = s.loan_id AND p.present = 1${scoped ? ' AND p.officer_id = @officer' : ''})
  GROUP BY 1, 2`,
);

const START_ROWS = [false, true].map(
  (scoped) =>
    `SELECT count(*) FROM loan_snapshots WHERE as_of = @start${scoped ? ' AND officer_id = @officer' : ''}`,
);

/** count and balance of a group of loans (a LoanGroup without its ids). */
class Tally {
  count = 0;
  balanceFen = 0;
  add(count: number, balanceFen: number): void {
    this.count += count;
    this.balanceFen += balanceFen;
  }
  build(): { count: number; balanceFen: number } {
    return { count: this.count, balanceFen: this.balanceFen };
  }
}

export interface FigureScope {
  /** The ledger's business date: the positions must be current on it. */
  asOf: IsoDate;
  /** The stored closed day the roll rates start from (the previous month end). */
  startDate: IsoDate;
  buckets: readonly BucketDef[];
  rollBy: 'balance' | 'count';
  officerId?: string | undefined;
}

function scopeParams(scope: FigureScope): Record<string, string> {
  return {
    monthStart: monthStart(scope.asOf),
    start: scope.startDate,
    ...(scope.officerId !== undefined && { officer: scope.officerId }),
  };
}

/**
 * The end groups of the scope (present position rows with their start rows), of every
 * case or only of `caseIds`. Additive: the groups of all cases are those of any split of
 * the cases put together.
 */
export function readEndGroups(
  db: LedgerDb,
  scope: FigureScope,
  caseIds?: readonly string[],
): EndGroupRaw[] {
  const scoped = scope.officerId === undefined ? 0 : 1;
  const params = scopeParams(scope);
  if (caseIds === undefined) {
    return [
      ...stmt<EndGroupRaw>(db, END_GROUPS_THIS_MONTH[scoped]!).raw().all(params),
      ...stmt<EndGroupRaw>(db, END_GROUPS_EARLIER[scoped]!).raw().all(params),
    ];
  }
  const cased = { ...params, cases: JSON.stringify(caseIds) };
  return [
    ...stmt<EndGroupRaw>(db, CASES_END_GROUPS_THIS_MONTH[scoped]!).raw().all(cased),
    ...stmt<EndGroupRaw>(db, CASES_END_GROUPS_EARLIER[scoped]!).raw().all(cased),
  ];
}

/** Groups with the same key summed into one; groups left with no loan dropped (they add nothing). */
export function mergeEndGroups(groups: readonly EndGroupRaw[]): EndGroupRaw[] {
  const byKey = new Map<string, EndGroupRaw>();
  for (const g of groups) {
    const key = `${g[0]}|${g[1]}|${g[2]}|${g[3]}`;
    const known = byKey.get(key);
    if (known === undefined) {
      byKey.set(key, [...g]);
      continue;
    }
    for (let i = 4; i < g.length; i++) (known[i] as number) += g[i] as number;
  }
  return [...byKey.values()].filter((g) => g[4] !== 0);
}

/** The groups taken away: every count and sum negated. */
export function negated(groups: readonly EndGroupRaw[]): EndGroupRaw[] {
  return groups.map((g) => g.map((v, i) => (i < 4 ? v : -(v as number))) as EndGroupRaw);
}

/**
 * summarySnapshotFigures of the snapshot sets `startDate` (stored) and `asOf` (the loan
 * positions), each narrowed to one officer's rows when officerId is given.
 */
export function snapshotFiguresFromPositions(ledger: Ledger, scope: FigureScope): SummaryFigures {
  if (!positionsCurrent(ledger.db, scope.asOf)) {
    throw new Error(`the loan positions are not current on ${scope.asOf}: refresh them first`);
  }
  return figuresFromGroups(ledger, scope, readEndGroups(ledger.db, scope));
}

/**
 * The figures of the scope from its end groups (readEndGroups, possibly kept and patched
 * with patchedEndGroups); the start rows without an end row are read here.
 */
export function figuresFromGroups(
  ledger: Ledger,
  scope: FigureScope,
  endGroups: readonly EndGroupRaw[],
): SummaryFigures {
  const { db } = ledger;
  const { asOf, startDate, buckets, rollBy } = scope;
  const scoped = scope.officerId === undefined ? 0 : 1;
  const params = scopeParams(scope);
  // Start rows without an end row are rare (a loan that left the ledger): looked for only
  // when the start rows matched above are fewer than the start rows of the scope.
  let matchedStart = 0;
  for (const g of endGroups) if (g[2] !== 0) matchedStart += g[4];
  const startTotal = stmt<number>(db, START_ROWS[scoped]!).pluck().get(params) ?? 0;
  const startOnly =
    startTotal > matchedStart
      ? stmt<StartOnlyRaw>(db, START_ONLY_GROUPS[scoped]!).raw().all(params)
      : [];

  const indexOf = bucketIndexer(buckets);
  const dpdOf = new Map<string, number>();
  const daysPastDue = (oldest: string | null): number => {
    if (oldest === null) return 0;
    let d = dpdOf.get(oldest);
    if (d === undefined) dpdOf.set(oldest, (d = daysBetween(oldest, asOf)));
    return d;
  };

  // Aging, PAR and the arrears rate: active end rows.
  const aging = buckets.map(() => new Tally());
  const agingTotal = new Tally();
  const risk = DEFAULT_PAR_THRESHOLDS.map(() => new Tally());
  const restructuredRisk = DEFAULT_PAR_THRESHOLDS.map(() => 0);
  const late = new Tally();
  // Collection: every end row.
  let dueFen = 0;
  let paidTowardDueFen = 0;
  let paidTotalFen = 0;
  let dueCount = 0;
  let shortCount = 0;
  let shortfallFen = 0;
  // Rolls: loans active at the start, by start bucket.
  const start = buckets.map(() => new Tally());
  const matrix = buckets.map(() => buckets.map(() => new Tally()));
  const outcomes = buckets.map(
    () =>
      Object.fromEntries(ROLL_OUTCOMES.map((o) => [o, new Tally()])) as Record<RollOutcome, Tally>,
  );
  const cured = new Tally();
  const delinquent = new Tally();
  const newTotal = new Tally();
  const newByBucket = buckets.map(() => new Tally());
  let endRows = 0;
  let startRows = 0;

  const startActive = (dpd: number, count: number, weight: number): number => {
    const i = indexOf(dpd);
    start[i]!.add(count, weight);
    if (i > 0) delinquent.add(count, weight);
    return i;
  };

  for (const g of endGroups) {
    const [oldest, endActive, startState, startDpd, count, outstanding, overdue, overdueCount] = g;
    const [
      ,
      ,
      ,
      ,
      ,
      ,
      ,
      ,
      restructuredFen,
      startFen,
      due,
      paidToward,
      paidTotal,
      dueN,
      shortN,
      shortfall,
    ] = g;
    endRows += count;
    if (startState !== 0) startRows += count;
    const dpd = daysPastDue(oldest);
    const j = indexOf(dpd);
    paidTotalFen += paidTotal;
    dueFen += due;
    paidTowardDueFen += paidToward;
    dueCount += dueN;
    shortCount += shortN;
    shortfallFen += shortfall;
    if (endActive === 1) {
      aging[j]!.add(count, outstanding);
      agingTotal.add(count, outstanding);
      DEFAULT_PAR_THRESHOLDS.forEach((days, k) => {
        if (dpd > days) {
          risk[k]!.add(count, outstanding);
          restructuredRisk[k]! += restructuredFen;
        }
      });
      late.add(overdueCount, overdue);
    }
    if (startState === 2) {
      const i = startActive(startDpd, count, startFen);
      if (endActive !== 1) {
        outcomes[i]!.closed.add(count, startFen);
      } else {
        matrix[i]![j]!.add(count, startFen);
        const outcome = outcomeOf(i, j);
        outcomes[i]![outcome].add(count, startFen);
        if (outcome === 'cured') cured.add(count, startFen);
      }
    } else if (endActive === 1) {
      newTotal.add(count, outstanding);
      newByBucket[j]!.add(count, outstanding);
    }
  }
  for (const [active, dpd, count, startFen] of startOnly) {
    startRows += count;
    if (active !== 1) continue;
    const i = startActive(dpd, count, startFen);
    outcomes[i]!.missing.add(count, startFen);
  }

  const endDate = endRows > 0 ? asOf : null;
  const grossFen = agingTotal.balanceFen;
  const totals = agingTotal.build();
  const levels = DEFAULT_PAR_THRESHOLDS.map((days, k) => {
    const g = risk[k]!;
    return {
      days,
      riskFen: g.balanceFen,
      restructuredRiskFen: restructuredRisk[k]!,
      grossFen,
      ratio: safeRatio(g.balanceFen, grossFen),
      count: g.count,
    };
  });
  const weightOf = (g: { count: number; balanceFen: number }): number =>
    rollBy === 'count' ? g.count : g.balanceFen;
  const curedGroup = cured.build();
  const delinquentGroup = delinquent.build();
  return {
    aging: {
      asOf: endDate,
      buckets: buckets.map((b, i) => {
        const g = aging[i]!.build();
        return {
          code: b.code,
          minDays: b.minDays,
          maxDays: b.maxDays,
          ...g,
          share: safeRatio(g.balanceFen, totals.balanceFen),
          countShare: safeRatio(g.count, totals.count),
        };
      }),
      totals,
    },
    par: {
      par1: levels[0]!,
      par30: levels[1]!,
      par90: levels[2]!,
      asOf: endDate,
      grossFen,
      levels,
    },
    arrears: {
      asOf: endDate,
      overduePrincipalFen: late.balanceFen,
      outstandingPrincipalFen: grossFen,
      ratio: safeRatio(late.balanceFen, grossFen),
      count: late.count,
    },
    collection: {
      dueFen,
      paidFen: paidTowardDueFen,
      ratio: safeRatio(paidTowardDueFen, dueFen),
      paidTotalFen,
      uncappedRatio: safeRatio(paidTotalFen, dueFen),
      count: dueCount,
      short: { count: shortCount, shortfallFen },
    },
    rolls: {
      from: startRows > 0 ? startDate : null,
      to: endDate,
      by: rollBy,
      rows: rollRows(
        buckets.map((b) => b.code),
        start,
        outcomes,
        matrix,
        rollBy,
      ),
      cureRate: safeRatio(weightOf(curedGroup), weightOf(delinquentGroup)),
      cured: curedGroup,
      delinquentAtStart: delinquentGroup,
      newLoans: { ...newTotal.build(), byBucket: newByBucket.map((g) => g.build()) },
    },
  };
}

/** As in shared/domain/portfolio/roll-rates.ts (not exported there). */
function outcomeOf(fromIndex: number, toIndex: number): RollOutcome {
  if (toIndex === fromIndex) return 'stayed';
  if (toIndex === fromIndex + 1) return 'rolledForward';
  if (toIndex > fromIndex + 1) return 'rolledTwoPlus';
  return toIndex === 0 ? 'cured' : 'improved';
}

// End groups kept per scope between dashboards, patched after a rewrite of a few cases'
// positions: the old rows' groups taken out (read before the rewrite) and the new rows'
// put in (read after it), recorded per positions generation. A generation without a
// record (a rebuild, a rewrite of many cases, a scope not kept then) reads them whole.
const keptScopes = new WeakMap<LedgerDb, Map<string, FigureScope>>();
const deltaLogs = new WeakMap<LedgerDb, Map<number, Map<string, EndGroupRaw[]>>>();
const pendingOld = new WeakMap<LedgerDb, Map<string, EndGroupRaw[]>>();
const MAX_SCOPES = 16;
const MAX_DELTAS = 64;
/** Above this many cases a rewrite records no delta (reading everything is then as cheap). */
const DELTA_CASES = 2000;

function scopeKey(scope: FigureScope): string {
  return `${scope.asOf}|${scope.startDate}|${scope.officerId ?? ''}`;
}

const pendingDeltas = new WeakMap<LedgerDb, Map<number, Map<string, EndGroupRaw[]>>>();

onPositionsRewrite({
  transaction(db, phase) {
    const pending = pendingDeltas.get(db);
    pendingDeltas.delete(db);
    pendingOld.delete(db);
    // 'begin': whatever a transaction that rolled back left is dropped.
    if (phase !== 'commit' || pending === undefined) return;
    let log = deltaLogs.get(db);
    if (!log) deltaLogs.set(db, (log = new Map()));
    for (const [generation, deltas] of pending) log.set(generation, deltas);
    while (log.size > MAX_DELTAS) log.delete(log.keys().next().value as number);
  },
  before(db, asOf, caseIds) {
    pendingOld.delete(db);
    const scopes = keptScopes.get(db);
    if (scopes === undefined || caseIds.length > DELTA_CASES) return;
    const old = new Map<string, EndGroupRaw[]>();
    for (const [key, scope] of scopes) {
      if (scope.asOf === asOf) old.set(key, readEndGroups(db, scope, caseIds));
    }
    pendingOld.set(db, old);
  },
  after(db, asOf, caseIds, generation) {
    const old = pendingOld.get(db);
    pendingOld.delete(db);
    const scopes = keptScopes.get(db);
    if (old === undefined || scopes === undefined) return;
    const deltas = new Map<string, EndGroupRaw[]>();
    for (const [key, before] of old) {
      const scope = scopes.get(key);
      if (scope === undefined || scope.asOf !== asOf) continue;
      deltas.set(key, [...readEndGroups(db, scope, caseIds), ...negated(before)]);
    }
    let pending = pendingDeltas.get(db);
    if (!pending) pendingDeltas.set(db, (pending = new Map()));
    pending.set(generation, deltas);
  },
});

/**
 * The scope's end groups as readEndGroups(db, scope) gives them now, from `previous` (read
 * at positions generation `since`) and the deltas recorded since; null when a generation
 * since has none for this scope (then read them whole).
 */
export function patchedEndGroups(
  db: LedgerDb,
  scope: FigureScope,
  previous: readonly EndGroupRaw[],
  since: number,
): EndGroupRaw[] | null {
  const now = positionsGeneration(db);
  if (since > now) return null;
  if (since === now) return [...previous];
  const log = deltaLogs.get(db);
  const key = scopeKey(scope);
  const parts: EndGroupRaw[][] = [[...previous]];
  for (let g = since + 1; g <= now; g++) {
    const delta = log?.get(g)?.get(key);
    if (delta === undefined) return null;
    parts.push(delta);
  }
  return mergeEndGroups(parts.flat());
}

/** Remembers a scope whose groups are kept, so later rewrites record its deltas. */
export function keepScope(db: LedgerDb, scope: FigureScope): void {
  let scopes = keptScopes.get(db);
  if (!scopes) keptScopes.set(db, (scopes = new Map()));
  const key = scopeKey(scope);
  scopes.delete(key);
  scopes.set(key, scope);
  if (scopes.size > MAX_SCOPES) scopes.delete(scopes.keys().next().value as string);
}
