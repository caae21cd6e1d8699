// Roll and cure rates between two snapshot dates (usually two month ends).
//
// Each loan active at the start is followed to the end date by loan id and lands in
// exactly one outcome, so the outcome shares of a start bucket sum to 1:
//   cured          back to the first bucket (current) from a delinquent bucket
//   improved       to an earlier delinquent bucket, not current
//   stayed         same bucket
//   rolledForward  the next later bucket ("roll rate")
//   rolledTwoPlus  two or more buckets later
//   closed         present at the end with status 'closed' (paid off, written off)
//   missing        no row at the end date: reported, never guessed
// Loans active at the end but not at the start are "new in the period" and kept out of
// every rate (they have no starting bucket).
// Weights: { by: 'count' } counts loans; { by: 'balance' } weighs each loan by its
// outstanding principal AT THE START, so a bucket's shares still sum to 1.
import type { BucketDef } from '../buckets';
import type { IsoDate } from '../types';
import {
  bucketIndexer,
  LoanGroupBuilder,
  safeRatio,
  snapshotSetDate,
  WITH_IDS,
  type Calc,
} from './common';
import type { LoanGroup, LoanSnapshot } from './types';

export const ROLL_OUTCOMES = [
  'cured',
  'improved',
  'stayed',
  'rolledForward',
  'rolledTwoPlus',
  'closed',
  'missing',
] as const;
export type RollOutcome = (typeof ROLL_OUTCOMES)[number];

export interface RollCell extends LoanGroup {
  /** This cell's weight ÷ the start bucket's weight (by count or by start balance). */
  rate: number;
}

export interface RollRow {
  code: string;
  /** Loans active in this bucket at the start; balanceFen is their start balance. */
  start: LoanGroup;
  /** Transition matrix row: where the loans sit at the end, aligned with the bucket list. */
  toBucket: RollCell[];
  outcomes: Record<RollOutcome, RollCell>;
  /** Share in the next later bucket (outcomes.rolledForward.rate). */
  rollRate: number;
  /** Share back to current; 0 for the current bucket itself, where cure does not apply. */
  cureRate: number;
}

export interface NewLoans extends LoanGroup {
  /** Where the new loans sit at the end date, aligned with the bucket list. */
  byBucket: LoanGroup[];
}

export interface RollRates {
  from: IsoDate | null;
  to: IsoDate | null;
  by: 'balance' | 'count';
  rows: RollRow[];
  /** Cured ÷ all delinquent loans at the start (every bucket after the first), by the same weight. */
  cureRate: number;
  cured: LoanGroup;
  delinquentAtStart: LoanGroup;
  newLoans: NewLoans;
}

export interface RollRateOptions {
  by: 'balance' | 'count';
}

function outcomeOf(fromIndex: number, toIndex: number): RollOutcome {
  if (toIndex === fromIndex) return 'stayed';
  if (toIndex === fromIndex + 1) return 'rolledForward';
  if (toIndex > fromIndex + 1) return 'rolledTwoPlus';
  return toIndex === 0 ? 'cured' : 'improved';
}

export function rollRates(
  startSnapshots: readonly LoanSnapshot[],
  endSnapshots: readonly LoanSnapshot[],
  buckets: readonly BucketDef[],
  options: RollRateOptions = { by: 'balance' },
): RollRates {
  const from = snapshotSetDate(startSnapshots);
  const to = snapshotSetDate(endSnapshots);
  return computeRollRates(startSnapshots, from, endSnapshots, to, buckets, options, WITH_IDS);
}

/** rollRates on snapshot sets already checked by snapshotSetDate. */
export function computeRollRates(
  startSnapshots: readonly LoanSnapshot[],
  from: IsoDate | null,
  endSnapshots: readonly LoanSnapshot[],
  to: IsoDate | null,
  buckets: readonly BucketDef[],
  options: RollRateOptions,
  calc: Calc,
): RollRates {
  const indexOf = bucketIndexer(buckets);
  if (from !== null && to !== null && from >= to) {
    throw new RangeError(`roll rates need the start date (${from}) before the end date (${to})`);
  }
  const endIndexByLoan = new Map<string, number>();
  endSnapshots.forEach((e, k) => endIndexByLoan.set(e.loanId, k));
  // End rows whose loan was active at the start; the other active end rows are new.
  const followed = new Uint8Array(endSnapshots.length);

  const start = buckets.map(() => new LoanGroupBuilder(calc));
  const matrix = buckets.map(() => buckets.map(() => new LoanGroupBuilder(calc)));
  const outcomes = buckets.map(
    () =>
      Object.fromEntries(ROLL_OUTCOMES.map((o) => [o, new LoanGroupBuilder(calc)])) as Record<
        RollOutcome,
        LoanGroupBuilder
      >,
  );
  const cured = new LoanGroupBuilder(calc);
  const delinquent = new LoanGroupBuilder(calc);

  for (const s of startSnapshots) {
    if (s.status !== 'active') continue;
    const i = indexOf(s.daysPastDue);
    // The loan keeps its start balance as its weight in every cell it lands in.
    const weight = s.outstandingPrincipalFen;
    start[i]!.add(s, weight);
    if (i > 0) delinquent.add(s, weight);
    const k = endIndexByLoan.get(s.loanId);
    const end = k === undefined ? undefined : endSnapshots[k];
    if (k !== undefined) followed[k] = 1;
    let outcome: RollOutcome;
    if (end === undefined) outcome = 'missing';
    else if (end.status === 'closed') outcome = 'closed';
    else {
      const j = indexOf(end.daysPastDue);
      matrix[i]![j]!.add(s, weight);
      outcome = outcomeOf(i, j);
      if (outcome === 'cured') cured.add(s, weight);
    }
    outcomes[i]![outcome].add(s, weight);
  }

  const newTotal = new LoanGroupBuilder(calc);
  const newByBucket = buckets.map(() => new LoanGroupBuilder(calc));
  for (let k = 0; k < endSnapshots.length; k++) {
    const e = endSnapshots[k]!;
    if (e.status !== 'active' || followed[k] === 1) continue;
    newTotal.add(e, e.outstandingPrincipalFen);
    newByBucket[indexOf(e.daysPastDue)]!.add(e, e.outstandingPrincipalFen);
  }

  const weightOf = (g: LoanGroup): number => (options.by === 'count' ? g.count : g.balanceFen);
  const rows: RollRow[] = rollRows(
    buckets.map((b) => b.code),
    start,
    outcomes,
    matrix,
    options.by,
  );

  const curedGroup = cured.build();
  const delinquentGroup = delinquent.build();
  return {
    from,
    to,
    by: options.by,
    rows,
    cureRate: safeRatio(weightOf(curedGroup), weightOf(delinquentGroup)),
    cured: curedGroup,
    delinquentAtStart: delinquentGroup,
    newLoans: { ...newTotal.build(), byBucket: newByBucket.map((g) => g.build()) },
  };
}

/** A group of loans with at least a count and a balance (the ledger sums them without ids). */
interface Weighed {
  count: number;
  balanceFen: number;
}

/**
 * The rows of a roll-rate table from each start bucket's group, where its loans ended
 * (outcomes, and bucket by bucket) as builders, each cell's rate against its row's start
 * by the table's weight. computeRollRates uses it, and so do the ledger's SQL-summed
 * figures (electron/ledger/manager/snapshot-figures.ts), whose groups carry no ids.
 */
export function rollRows<G extends Weighed>(
  codes: readonly string[],
  start: readonly { build(): G }[],
  outcomes: readonly Record<RollOutcome, { build(): G }>[],
  matrix: readonly (readonly { build(): G }[])[],
  by: 'balance' | 'count',
): {
  code: string;
  start: G;
  toBucket: (G & { rate: number })[];
  outcomes: Record<RollOutcome, G & { rate: number }>;
  rollRate: number;
  cureRate: number;
}[] {
  const weightOf = (g: Weighed): number => (by === 'count' ? g.count : g.balanceFen);
  const cell = (b: { build(): G }, base: G): G & { rate: number } => {
    const g = b.build();
    return { ...g, rate: safeRatio(weightOf(g), weightOf(base)) };
  };
  const n = codes.length;
  return codes.map((code, i) => {
    const base = start[i]!.build();
    const rowOutcomes = Object.fromEntries(
      ROLL_OUTCOMES.map((o) => [o, cell(outcomes[i]![o], base)]),
    ) as Record<RollOutcome, G & { rate: number }>;
    return {
      code,
      start: base,
      toBucket: matrix[i]!.map((m) => cell(m, base)),
      outcomes: rowOutcomes,
      rollRate: i < n - 1 ? rowOutcomes.rolledForward.rate : 0,
      cureRate: i > 0 ? rowOutcomes.cured.rate : 0,
    };
  });
}
