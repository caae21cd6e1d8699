// Promise-to-pay figures for a period, from promise rows whose status was evaluated on
// the period's last day (promiseStatus with the policy's grace days).
//
// - made: promises taken in the period (madeOn inside it).
// - kept / partlyKept / broken / pending: the promises FALLING DUE in the period (dueDate
//   inside it), by status; the four add up to fallingDue.
// - keptRate (DOMAIN.md): kept promises ÷ promises whose date (+ grace) has passed, among
//   those falling due in the period. "Passed" means period.to is after dueDate + grace,
//   the day promiseStatus stops calling a promise pending. A promise kept early whose
//   grace has not run out yet is in `kept` but not in the rate, so the rate never
//   exceeds 1 and does not jump as early payers arrive.
import { addDays } from '../../dates';
import type { Fen } from '../types';
import {
  checkPeriod,
  IdArray,
  IdList,
  idsField,
  inPeriod,
  safeRatio,
  WITH_IDS,
  type Calc,
} from './common';
import type { PromiseRow, PromiseTally, Period } from './types';

export interface PromiseGroup {
  count: number;
  amountFen: Fen;
  caseIds: string[];
  promiseIds: string[];
}

export interface KeptRate {
  /** Kept promises whose date + grace has passed. */
  kept: number;
  /** Promises whose date + grace has passed. */
  matured: number;
  /** kept ÷ matured; 0 when none matured. */
  ratio: number;
  /** The matured promises (kept and not) behind the denominator. */
  caseIds: string[];
  promiseIds: string[];
}

export interface PromiseMetrics {
  made: PromiseGroup;
  fallingDue: PromiseGroup;
  kept: PromiseGroup;
  partlyKept: PromiseGroup;
  broken: PromiseGroup;
  pending: PromiseGroup;
  keptRate: KeptRate;
}

export interface PromiseMetricOptions {
  /** The policy pack's promiseGraceDays, the same the statuses were computed with. */
  graceDays: number;
}

class PromiseGroupBuilder {
  count = 0;
  private amountFen = 0;
  private readonly cases: IdList;
  private readonly promises: IdArray;
  constructor(private readonly calc: Calc) {
    this.cases = new IdList(calc);
    this.promises = new IdArray(calc);
  }
  add(p: PromiseRow): void {
    this.count += 1;
    this.amountFen += p.amountFen;
    this.cases.add(p.caseId);
    this.promises.add(p.promiseId);
  }
  /** `t.promises` promises of a tally: counted, with no ids (summary only). */
  addTallied(t: PromiseTally): void {
    if (this.calc.ids) throw new RangeError('a promise tally has no ids: pass promise rows');
    this.count += t.promises;
    this.amountFen += t.amountFen;
  }
  build(): PromiseGroup {
    return {
      count: this.count,
      amountFen: this.amountFen,
      ...idsField(this.calc, 'caseIds', () => this.cases.toArray()),
      ...idsField(this.calc, 'promiseIds', () => this.promises.ids ?? []),
    };
  }
}

export function promiseMetrics(
  promises: readonly PromiseRow[],
  period: Period,
  options: PromiseMetricOptions,
): PromiseMetrics {
  return computePromiseMetrics(promises, period, options, WITH_IDS);
}

export function computePromiseMetrics(
  promises: readonly PromiseRow[],
  period: Period,
  options: PromiseMetricOptions,
  calc: Calc,
  tally?: readonly PromiseTally[],
): PromiseMetrics {
  checkPeriod(period);
  const { graceDays } = options;
  if (!Number.isInteger(graceDays) || graceDays < 0) {
    throw new RangeError(
      `promiseMetrics: graceDays must be a non-negative integer, got ${graceDays}`,
    );
  }
  // dueDate + grace < period.to  <=>  dueDate < period.to - grace
  const maturedBefore = addDays(period.to, -graceDays);
  const made = new PromiseGroupBuilder(calc);
  const fallingDue = new PromiseGroupBuilder(calc);
  const byStatus = {
    kept: new PromiseGroupBuilder(calc),
    partly_kept: new PromiseGroupBuilder(calc),
    broken: new PromiseGroupBuilder(calc),
    pending: new PromiseGroupBuilder(calc),
  };
  let kept = 0;
  const matured = new PromiseGroupBuilder(calc);
  for (const p of promises) {
    if (inPeriod(p.madeOn, period)) made.add(p);
    if (!inPeriod(p.dueDate, period)) continue;
    fallingDue.add(p);
    byStatus[p.status].add(p);
    if (p.dueDate < maturedBefore) {
      // A matured promise still marked pending was judged on another day: it counts as
      // not kept rather than being dropped from the denominator.
      matured.add(p);
      if (p.status === 'kept') kept += 1;
    }
  }
  if (tally !== undefined && promises.length > 0) {
    throw new RangeError('promiseMetrics: pass promise rows or a promise tally, not both');
  }
  for (const t of tally ?? []) {
    if (inPeriod(t.madeOn, period)) made.addTallied(t);
    if (!inPeriod(t.dueDate, period)) continue;
    fallingDue.addTallied(t);
    byStatus[t.status].addTallied(t);
    if (t.dueDate < maturedBefore) {
      matured.addTallied(t);
      if (t.status === 'kept') kept += t.promises;
    }
  }
  const maturedGroup = matured.build();
  return {
    made: made.build(),
    fallingDue: fallingDue.build(),
    kept: byStatus.kept.build(),
    partlyKept: byStatus.partly_kept.build(),
    broken: byStatus.broken.build(),
    pending: byStatus.pending.build(),
    keptRate: {
      kept,
      matured: maturedGroup.count,
      ratio: safeRatio(kept, maturedGroup.count),
      ...idsField(calc, 'caseIds', () => maturedGroup.caseIds),
      ...idsField(calc, 'promiseIds', () => maturedGroup.promiseIds),
    },
  };
}
