// Aging (账龄分布): count and outstanding principal of active loans per delinquency bucket.
import type { BucketDef } from '../buckets';
import type { Fen, IsoDate } from '../types';
import {
  bucketIndexer,
  LoanGroupBuilder,
  safeRatio,
  snapshotSetDate,
  WITH_IDS,
  type Calc,
} from './common';
import type { LoanGroup, LoanSnapshot } from './types';

export interface AgingBucket extends LoanGroup {
  code: string;
  minDays: number;
  maxDays: number | null;
  /** balanceFen ÷ the total balance of active loans. */
  share: number;
  /** count ÷ the number of active loans. */
  countShare: number;
}

export interface Aging {
  /** The snapshots' business date; null for an empty set. */
  asOf: IsoDate | null;
  /** One entry per bucket of the list, in its order, empty buckets included. */
  buckets: AgingBucket[];
  /** All active loans; balanceFen is the gross loan portfolio. */
  totals: LoanGroup & { balanceFen: Fen };
}

/**
 * Buckets active loans by daysPastDue under `buckets` (not by the stored bucket code, so
 * a changed policy pack re-buckets history consistently). Closed loans are not in the
 * portfolio and appear nowhere.
 */
export function agingBuckets(
  snapshots: readonly LoanSnapshot[],
  buckets: readonly BucketDef[],
): Aging {
  return computeAging(snapshots, snapshotSetDate(snapshots), buckets, WITH_IDS);
}

/** agingBuckets on a snapshot set already checked by snapshotSetDate. */
export function computeAging(
  snapshots: readonly LoanSnapshot[],
  asOf: IsoDate | null,
  buckets: readonly BucketDef[],
  calc: Calc,
): Aging {
  const indexOf = bucketIndexer(buckets);
  const groups = buckets.map(() => new LoanGroupBuilder(calc));
  const total = new LoanGroupBuilder(calc);
  for (const s of snapshots) {
    if (s.status !== 'active') continue;
    groups[indexOf(s.daysPastDue)]!.add(s, s.outstandingPrincipalFen);
    total.add(s, s.outstandingPrincipalFen);
  }
  return {
    asOf,
    buckets: buckets.map((b, i) => {
      const g = groups[i]!.build();
      return {
        code: b.code,
        minDays: b.minDays,
        maxDays: b.maxDays,
        ...g,
        share: safeRatio(g.balanceFen, total.balanceFen),
        countShare: safeRatio(g.count, total.count),
      };
    }),
    totals: total.build(),
  };
}
