// The branch manager's dashboard for one date: every figure computed in one call from
// plain rows, so the ledger (from SQLite) and the server (from PostgreSQL) give the same
// numbers.
//
// The summary carries numbers only: with 50,000 cases the id lists behind every figure
// would weigh megabytes over IPC for a screen that shows a few dozen numbers. When the
// manager opens a number, casesBehind() recomputes just that figure with its case ids.
import type { BucketDef } from '../buckets';
import { computeAging, type Aging } from './aging';
import { computeCollection, type PortfolioCollection } from './collection';
import { checkPeriod, snapshotSetDate, WITH_IDS, type Calc, type WithoutIds } from './common';
import {
  computeContactRecency,
  computePtpConversion,
  DEFAULT_RECENCY_DAYS,
  type ContactRecency,
  type PtpConversion,
} from './contacts';
import { computeOfficerActivity, type OfficerActivity } from './officer-activity';
import { computeOverrideFigures, type OverrideFigures } from './overrides';
import {
  computeArrearsRate,
  computePar,
  DEFAULT_PAR_THRESHOLDS,
  type ArrearsRate,
  type PortfolioAtRisk,
} from './par';
import { computePromiseMetrics, type PromiseMetrics } from './promises';
import { computeRollRates, type RollOutcome, type RollRates } from './roll-rates';
import type { ActivityFacts, CaseRow, CaseTally, LoanSnapshot, Period } from './types';

export interface DashboardInput {
  /** Usually the first of the month to the chosen date; period.to is the dashboard date. */
  period: Period;
  buckets: readonly BucketDef[];
  /** The policy pack's promiseGraceDays. */
  graceDays: number;
  /** Snapshots of the day before the period (the previous month end): roll-rate start. */
  startSnapshots: readonly LoanSnapshot[];
  /** Snapshots of period.to: aging, PAR, arrears, collection (month to date), roll-rate end. */
  endSnapshots: readonly LoanSnapshot[];
  /** Cases as of period.to, one row per case (contact recency, caseload). */
  cases: readonly CaseRow[];
  /** With `cases`, the cases contacted in the period counted instead of listed (summary only). */
  caseTally?: readonly CaseTally[];
  facts: ActivityFacts;
  rollBy?: 'balance' | 'count';
  workingDays?: number;
  officerIds?: readonly string[];
}

export interface PortfolioDashboard {
  period: Period;
  aging: Aging;
  par: PortfolioAtRisk<typeof DEFAULT_PAR_THRESHOLDS>;
  arrears: ArrearsRate;
  collection: PortfolioCollection;
  promises: PromiseMetrics;
  ptpConversion: PtpConversion;
  rolls: RollRates;
  contactRecency: ContactRecency<typeof DEFAULT_RECENCY_DAYS>;
  overrides: OverrideFigures;
  officers: OfficerActivity[];
}

/** The dashboard without any id list: what travels to the renderer. */
export type DashboardSummary = WithoutIds<PortfolioDashboard>;

/** The figures that follow from the two snapshot sets alone. */
export type SnapshotFigures = Pick<
  PortfolioDashboard,
  'aging' | 'par' | 'arrears' | 'collection' | 'rolls'
>;

function computeSnapshotFigures(input: DashboardInput, calc: Calc): SnapshotFigures {
  const { period, buckets, startSnapshots, endSnapshots } = input;
  // Each snapshot set is checked once here, not once per figure.
  const startDate = snapshotSetDate(startSnapshots);
  const endDate = snapshotSetDate(endSnapshots);
  if (endDate !== null && endDate !== period.to) {
    throw new RangeError(`end snapshots are of ${endDate}, the dashboard date is ${period.to}`);
  }
  const rollBy = input.rollBy ?? 'balance';
  return {
    aging: computeAging(endSnapshots, endDate, buckets, calc),
    par: computePar(endSnapshots, endDate, DEFAULT_PAR_THRESHOLDS, calc) as PortfolioAtRisk<
      typeof DEFAULT_PAR_THRESHOLDS
    >,
    arrears: computeArrearsRate(endSnapshots, endDate, calc),
    collection: computeCollection(endSnapshots, calc),
    rolls: computeRollRates(
      startSnapshots,
      startDate,
      endSnapshots,
      endDate,
      buckets,
      { by: rollBy },
      calc,
    ),
  };
}

function compute(
  input: DashboardInput,
  calc: Calc,
  snapshotFigures?: SnapshotFigures,
): PortfolioDashboard {
  const { period, graceDays, cases, facts } = input;
  checkPeriod(period);
  const fromSnapshots = snapshotFigures ?? computeSnapshotFigures(input, calc);
  return {
    period,
    aging: fromSnapshots.aging,
    par: fromSnapshots.par,
    arrears: fromSnapshots.arrears,
    collection: fromSnapshots.collection,
    promises: computePromiseMetrics(
      facts.promises,
      period,
      { graceDays },
      calc,
      facts.promiseTally,
    ),
    ptpConversion: computePtpConversion(facts.contacts, period, calc, facts.contactTally),
    rolls: fromSnapshots.rolls,
    contactRecency: computeContactRecency(
      cases,
      period.to,
      DEFAULT_RECENCY_DAYS,
      calc,
      input.caseTally,
    ) as ContactRecency<typeof DEFAULT_RECENCY_DAYS>,
    overrides: computeOverrideFigures(facts.overrides, period, calc),
    officers: computeOfficerActivity(
      facts,
      cases,
      period,
      {
        graceDays,
        ...(input.workingDays !== undefined ? { workingDays: input.workingDays } : {}),
        ...(input.officerIds !== undefined ? { officerIds: input.officerIds } : {}),
      },
      calc,
      input.caseTally,
    ),
  };
}

/**
 * The snapshot figures of the summary (no ids), for a caller that keeps them while the
 * snapshot sets stay the same: pass them to dashboardSummaryWith.
 */
export function summarySnapshotFigures(input: DashboardInput): WithoutIds<SnapshotFigures> {
  checkPeriod(input.period);
  return computeSnapshotFigures(input, { ids: false });
}

/**
 * portfolioDashboard(input) with the snapshot figures already computed by
 * summarySnapshotFigures on the same period, buckets, roll weight and snapshot sets.
 */
export function dashboardSummaryWith(
  input: DashboardInput,
  snapshotFigures: WithoutIds<SnapshotFigures>,
): DashboardSummary {
  return compute(input, { ids: false }, snapshotFigures as SnapshotFigures);
}

/** Every dashboard figure, numbers only (see casesBehind for the lists). */
export function portfolioDashboard(input: DashboardInput): DashboardSummary;
/** Every figure with the ids behind it (heavy: for exports and tests, not for IPC). */
export function portfolioDashboard(
  input: DashboardInput,
  options: { withIds: true },
): PortfolioDashboard;
export function portfolioDashboard(
  input: DashboardInput,
  options: { withIds: boolean } = { withIds: false },
): PortfolioDashboard | DashboardSummary {
  return compute(input, { ids: options.withIds });
}

/** A number on the dashboard, named so the cases behind it can be listed. */
export type DashboardFigure =
  | { figure: 'aging'; bucket: string }
  | { figure: 'portfolio' }
  | { figure: 'par'; days: 1 | 30 | 90 }
  | { figure: 'arrears' }
  | { figure: 'collection'; group: 'due' | 'short' }
  | {
      figure: 'promises';
      group: 'made' | 'fallingDue' | 'kept' | 'partlyKept' | 'broken' | 'pending' | 'matured';
    }
  | { figure: 'ptp'; group: 'effective' | 'promised' }
  | { figure: 'roll'; bucket: string; outcome: RollOutcome | 'start' }
  | { figure: 'rollMatrix'; fromBucket: string; toBucket: string }
  | { figure: 'cured' }
  | { figure: 'newLoans' }
  | { figure: 'noContact'; days: 7 | 14 | 30 }
  | { figure: 'neverContacted' }
  | { figure: 'overrides'; group: 'inPeriod' | 'toReview' }
  | {
      figure: 'officer';
      officerId: string;
      measure:
        | 'caseload'
        | 'contacts'
        | 'effectiveContacts'
        | 'rightPartyContacts'
        | 'promisesMade'
        | 'keptRateBase'
        | 'collected'
        | 'overrides'
        | 'untouched';
    };

function bucketIndex(buckets: readonly BucketDef[], code: string): number {
  const i = buckets.findIndex((b) => b.code === code);
  if (i < 0) throw new RangeError(`no bucket ${code} in the bucket list`);
  return i;
}

/**
 * The case ids behind one dashboard number, in the order the rows came. Computes only the
 * metric that figure belongs to.
 */
export function casesBehind(input: DashboardInput, ref: DashboardFigure): string[] {
  const { period, buckets, graceDays, startSnapshots, endSnapshots, cases, facts } = input;
  checkPeriod(period);
  const calc = WITH_IDS;
  const end = (): string | null => snapshotSetDate(endSnapshots);
  const rolls = (): RollRates =>
    computeRollRates(
      startSnapshots,
      snapshotSetDate(startSnapshots),
      endSnapshots,
      end(),
      buckets,
      { by: input.rollBy ?? 'balance' },
      calc,
    );
  switch (ref.figure) {
    case 'aging':
      return computeAging(endSnapshots, end(), buckets, calc).buckets[
        bucketIndex(buckets, ref.bucket)
      ]!.caseIds;
    case 'portfolio':
      return computeAging(endSnapshots, end(), buckets, calc).totals.caseIds;
    case 'par':
      return computePar(endSnapshots, end(), [ref.days], calc).levels[0]!.caseIds;
    case 'arrears':
      return computeArrearsRate(endSnapshots, end(), calc).caseIds;
    case 'collection': {
      end();
      const c = computeCollection(endSnapshots, calc);
      return ref.group === 'due' ? c.caseIds : c.short.caseIds;
    }
    case 'promises': {
      const m = computePromiseMetrics(facts.promises, period, { graceDays }, calc);
      return ref.group === 'matured' ? m.keptRate.caseIds : m[ref.group].caseIds;
    }
    case 'ptp':
      return computePtpConversion(facts.contacts, period, calc)[ref.group].caseIds;
    case 'roll': {
      const row = rolls().rows[bucketIndex(buckets, ref.bucket)]!;
      return ref.outcome === 'start' ? row.start.caseIds : row.outcomes[ref.outcome].caseIds;
    }
    case 'rollMatrix':
      return rolls().rows[bucketIndex(buckets, ref.fromBucket)]!.toBucket[
        bucketIndex(buckets, ref.toBucket)
      ]!.caseIds;
    case 'cured':
      return rolls().cured.caseIds;
    case 'newLoans':
      return rolls().newLoans.caseIds;
    case 'noContact':
      return computeContactRecency(cases, period.to, [ref.days], calc).levels[0]!.caseIds;
    case 'neverContacted':
      return computeContactRecency(cases, period.to, [], calc).never.caseIds;
    case 'overrides':
      return computeOverrideFigures(facts.overrides, period, calc)[ref.group].caseIds;
    case 'officer': {
      const row = computeOfficerActivity(
        facts,
        cases,
        period,
        { graceDays, officerIds: [ref.officerId] },
        calc,
      ).find((o) => o.officerId === ref.officerId)!;
      switch (ref.measure) {
        case 'keptRateBase':
          return row.keptRate.caseIds;
        case 'promisesMade':
          return row.promisesMade.caseIds;
        default:
          return row[ref.measure].caseIds;
      }
    }
  }
}
