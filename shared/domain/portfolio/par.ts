// Portfolio at risk (PAR, IRIS+ PI1) and, kept apart on purpose, the arrears rate.
//
// PAR N = the ENTIRE outstanding principal of every active loan with an instalment more
// than N days late (daysPastDue > N), restructured loans included, accrued interest
// excluded, ÷ the gross loan portfolio (outstanding principal of all active loans).
// "Overdue principal ÷ outstanding principal" is NOT PAR: it is arrearsRate below, and it
// reads far lower because it counts only the late instalments, not the whole loan.
import type { Fen, IsoDate } from '../types';
import {
  checkDayThresholds,
  LoanGroupBuilder,
  loansBehind,
  safeRatio,
  snapshotSetDate,
  WITH_IDS,
  type Calc,
} from './common';
import type { LoanSnapshot, LoansBehind } from './types';

export interface ParFigure extends LoansBehind {
  /** N: loans count when daysPastDue > N. */
  days: number;
  /** Whole outstanding principal of the loans at risk. */
  riskFen: Fen;
  /** The part of riskFen on restructured loans (already inside riskFen). */
  restructuredRiskFen: Fen;
  /** Gross loan portfolio: outstanding principal of all active loans. */
  grossFen: Fen;
  /** riskFen ÷ grossFen; 0 when grossFen is 0. */
  ratio: number;
  /** Number of loans at risk. */
  count: number;
}

export const DEFAULT_PAR_THRESHOLDS = [1, 30, 90] as const;

export type PortfolioAtRisk<T extends readonly number[]> = {
  [K in T[number] as `par${K}`]: ParFigure;
} & {
  asOf: IsoDate | null;
  grossFen: Fen;
  /** The same figures in the order of the thresholds, for charts and tables. */
  levels: ParFigure[];
};

export function portfolioAtRisk(
  snapshots: readonly LoanSnapshot[],
): PortfolioAtRisk<typeof DEFAULT_PAR_THRESHOLDS>;
export function portfolioAtRisk<const T extends readonly number[]>(
  snapshots: readonly LoanSnapshot[],
  thresholds: T,
): PortfolioAtRisk<T>;
export function portfolioAtRisk(
  snapshots: readonly LoanSnapshot[],
  thresholds: readonly number[] = DEFAULT_PAR_THRESHOLDS,
): PortfolioAtRisk<readonly number[]> {
  return computePar(snapshots, snapshotSetDate(snapshots), thresholds, WITH_IDS);
}

/** portfolioAtRisk on a snapshot set already checked by snapshotSetDate. */
export function computePar(
  snapshots: readonly LoanSnapshot[],
  asOf: IsoDate | null,
  thresholds: readonly number[],
  calc: Calc,
): PortfolioAtRisk<readonly number[]> {
  checkDayThresholds(thresholds, 'portfolioAtRisk');
  const risk = thresholds.map(() => new LoanGroupBuilder(calc));
  const restructuredRisk = thresholds.map(() => 0);
  let grossFen = 0;
  for (const s of snapshots) {
    if (s.status !== 'active') continue;
    grossFen += s.outstandingPrincipalFen;
    for (let i = 0; i < thresholds.length; i++) {
      if (s.daysPastDue > thresholds[i]!) {
        risk[i]!.add(s, s.outstandingPrincipalFen);
        if (s.restructured) restructuredRisk[i]! += s.outstandingPrincipalFen;
      }
    }
  }
  const levels: ParFigure[] = thresholds.map((days, i) => {
    const g = risk[i]!.build();
    return {
      days,
      riskFen: g.balanceFen,
      restructuredRiskFen: restructuredRisk[i]!,
      grossFen,
      ratio: safeRatio(g.balanceFen, grossFen),
      count: g.count,
      ...loansBehind(calc, g),
    };
  });
  const result: Record<string, ParFigure> = {};
  for (const level of levels) result[`par${level.days}`] = level;
  return Object.assign(result, { asOf, grossFen, levels }) as PortfolioAtRisk<readonly number[]>;
}

export interface ArrearsRate extends LoansBehind {
  asOf: IsoDate | null;
  /** Unpaid principal of instalments already due (not the whole loan: that is PAR). */
  overduePrincipalFen: Fen;
  /** Outstanding principal of active loans. */
  outstandingPrincipalFen: Fen;
  /** overduePrincipalFen ÷ outstandingPrincipalFen; 0 when nothing is outstanding. */
  ratio: number;
  /** Number of loans with overdue principal. */
  count: number;
}

/**
 * Arrears rate: overdue principal ÷ outstanding principal of active loans. Principal on
 * both sides, so it compares with PAR; it is the figure Fineract calls "portfolio at
 * risk", and it is not PAR.
 */
export function arrearsRate(snapshots: readonly LoanSnapshot[]): ArrearsRate {
  return computeArrearsRate(snapshots, snapshotSetDate(snapshots), WITH_IDS);
}

/** arrearsRate on a snapshot set already checked by snapshotSetDate. */
export function computeArrearsRate(
  snapshots: readonly LoanSnapshot[],
  asOf: IsoDate | null,
  calc: Calc,
): ArrearsRate {
  const late = new LoanGroupBuilder(calc);
  let outstandingPrincipalFen = 0;
  for (const s of snapshots) {
    if (s.status !== 'active') continue;
    outstandingPrincipalFen += s.outstandingPrincipalFen;
    if (s.overduePrincipalFen > 0) late.add(s, s.overduePrincipalFen);
  }
  const g = late.build();
  return {
    asOf,
    overduePrincipalFen: g.balanceFen,
    outstandingPrincipalFen,
    ratio: safeRatio(g.balanceFen, outstandingPrincipalFen),
    count: g.count,
    ...loansBehind(calc, g),
  };
}
