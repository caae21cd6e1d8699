// Small pieces every portfolio metric shares: ratios that never divide by zero, collectors
// of the ids behind a figure, and checks that refuse inputs that would silently mislead.
import { isIsoDate } from '../../dates';
import { bucketListProblems, type BucketDef } from '../buckets';
import type { IsoDate } from '../types';
import type { LoanGroup, LoanSnapshot, Period } from './types';

/**
 * numerator ÷ denominator, and 0 when the denominator is 0 (an empty portfolio has no
 * risk rather than NaN). Results always carry their components, so the UI can show '—'
 * instead of '0 %' when the denominator is 0.
 */
export function safeRatio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * How a metric runs inside this folder. Public functions always collect ids; the
 * dashboard summary does not (its numbers travel over IPC, and 50,000 ids per figure
 * would not), and then id keys are ABSENT from the results, never empty lists.
 */
export interface Calc {
  ids: boolean;
}
export const WITH_IDS: Calc = { ids: true };

/** Unique ids in first-seen order; collects nothing when ids are off. */
export class IdList {
  private readonly ids: Set<string> | null;
  constructor(calc: Calc = WITH_IDS) {
    this.ids = calc.ids ? new Set<string>() : null;
  }
  add(id: string): void {
    this.ids?.add(id);
  }
  toArray(): string[] {
    return this.ids === null ? [] : [...this.ids];
  }
}

/** Ids in arrival order (for rows unique by construction); collects nothing when ids are off. */
export class IdArray {
  readonly ids: string[] | null;
  constructor(calc: Calc = WITH_IDS) {
    this.ids = calc.ids ? [] : null;
  }
  add(id: string): void {
    this.ids?.push(id);
  }
}

/** `{ [key]: ids }` when ids are collected, `{}` otherwise: spread it into a result. */
export function idsField<K extends string>(
  calc: Calc,
  key: K,
  ids: () => string[],
): Record<K, string[]> {
  return (calc.ids ? { [key]: ids() } : {}) as Record<K, string[]>;
}

/** Collects the loans behind one figure: count, balance, unique case and loan ids. */
export class LoanGroupBuilder {
  count = 0;
  balanceFen = 0;
  private readonly cases: IdList;
  private readonly loans: IdArray;

  constructor(private readonly calc: Calc = WITH_IDS) {
    this.cases = new IdList(calc);
    // A loan enters a group at most once (snapshot sets have unique loan ids).
    this.loans = new IdArray(calc);
  }

  add(s: Pick<LoanSnapshot, 'caseId' | 'loanId'>, balanceFen: number): void {
    this.count += 1;
    this.balanceFen += balanceFen;
    this.cases.add(s.caseId);
    this.loans.add(s.loanId);
  }

  build(): LoanGroup {
    return {
      count: this.count,
      balanceFen: this.balanceFen,
      ...idsField(this.calc, 'caseIds', () => this.cases.toArray()),
      ...idsField(this.calc, 'loanIds', () => this.loans.ids ?? []),
    };
  }
}

/** The caseIds / loanIds of a group, or nothing when ids are off. */
export function loansBehind(calc: Calc, g: LoanGroup): { caseIds: string[]; loanIds: string[] } {
  return (calc.ids ? { caseIds: g.caseIds, loanIds: g.loanIds } : {}) as {
    caseIds: string[];
    loanIds: string[];
  };
}

/**
 * The business date shared by a snapshot set, or null when it is empty. Throws for a
 * mix of dates or a loan listed twice: either would count money twice.
 */
export function snapshotSetDate(snapshots: readonly LoanSnapshot[]): IsoDate | null {
  const first = snapshots[0];
  if (first === undefined) return null;
  const seen = new Set<string>();
  for (const s of snapshots) {
    if (s.asOf !== first.asOf) {
      throw new RangeError(
        `snapshot set mixes business dates ${first.asOf} and ${s.asOf}: pass one date at a time`,
      );
    }
    if (seen.has(s.loanId)) throw new RangeError(`loan ${s.loanId} appears twice on ${s.asOf}`);
    seen.add(s.loanId);
  }
  return first.asOf;
}

export function checkPeriod(period: Period): void {
  if (!isIsoDate(period.from) || !isIsoDate(period.to)) {
    throw new RangeError(`period dates must be YYYY-MM-DD, got ${period.from}..${period.to}`);
  }
  if (period.from > period.to) {
    throw new RangeError(`period starts after it ends: ${period.from}..${period.to}`);
  }
}

export function inPeriod(date: IsoDate, period: Period): boolean {
  // ISO dates compare correctly as strings.
  return date >= period.from && date <= period.to;
}

/** Day thresholds (PAR, contact recency): distinct non-negative integers. */
export function checkDayThresholds(thresholds: readonly number[], what: string): void {
  const seen = new Set<number>();
  for (const t of thresholds) {
    if (!Number.isInteger(t) || t < 0)
      throw new RangeError(`${what}: thresholds must be non-negative integers, got ${t}`);
    if (seen.has(t)) throw new RangeError(`${what}: threshold ${t} is listed twice`);
    seen.add(t);
  }
}

/**
 * Maps a DPD to the index of its bucket in a valid bucket list, in constant time.
 * Throws at construction for a list with gaps or overlaps (bucketListProblems).
 */
export function bucketIndexer(buckets: readonly BucketDef[]): (daysPastDue: number) => number {
  const problems = bucketListProblems(buckets);
  if (problems.length > 0) throw new RangeError(`unusable bucket list: ${problems.join('; ')}`);
  const last = buckets.length - 1;
  // The last bucket is open-ended, so everything from its minDays maps to `last`.
  const openFrom = buckets[last]!.minDays;
  const table = new Int32Array(openFrom);
  buckets.forEach((b, i) => {
    if (b.maxDays === null) return;
    for (let d = b.minDays; d <= b.maxDays; d++) table[d] = i;
  });
  return (daysPastDue: number): number => {
    if (!Number.isInteger(daysPastDue) || daysPastDue < 0) {
      throw new RangeError(`daysPastDue must be a non-negative integer, got ${daysPastDue}`);
    }
    return daysPastDue >= openFrom ? last : table[daysPastDue]!;
  };
}

/** Removes every id list from a result type: what the dashboard summary carries. */
export type WithoutIds<T> = T extends readonly (infer U)[]
  ? WithoutIds<U>[]
  : T extends object
    ? { [K in keyof T as K extends IdKey ? never : K]: WithoutIds<T[K]> }
    : T;
export type IdKey = 'caseIds' | 'loanIds' | 'promiseIds' | 'contactIds' | 'paymentIds' | 'factIds';
