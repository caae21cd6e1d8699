// Collection rate: amount paid ÷ amount due in a period. Read it beside PAR: a 97 %
// collection rate can still lose a third of the portfolio a year (CGAP 1999).
//
// "Due in the period" for one loan = what the borrower had to pay during [from, to] to be
// current at the end of `to`: the unpaid amount (principal + interest) of every instalment
// due on or before `to`, after the payments dated before `from`. So it includes arrears
// brought into the period and nets off prepayments made before it.
// "Paid in the period" = payments dated from `from` to `to` inclusive.
// The branch rate caps each loan's payment at its due (paidTowardDueFen), so one early
// payoff cannot hide another borrower's shortfall; the raw total is kept beside it.
import { addDays } from '../../dates';
import { loanPosition } from '../schedule';
import type { Fen, Instalment, PaymentLine } from '../types';
import {
  checkPeriod,
  IdArray,
  IdList,
  idsField,
  safeRatio,
  snapshotSetDate,
  WITH_IDS,
  type Calc,
} from './common';
import type { LoanSnapshot, LoansBehind, Period } from './types';

export interface CollectionRate {
  dueFen: Fen;
  paidFen: Fen;
  /** paidFen ÷ dueFen; 0 when nothing was due. May exceed 1 for uncapped amounts. */
  ratio: number;
}

/** paid ÷ due, with its components; 0 when nothing was due. */
export function collectionRate(dueFen: Fen, paidFen: Fen): CollectionRate {
  for (const [name, v] of [
    ['dueFen', dueFen],
    ['paidFen', paidFen],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`collectionRate: ${name} must be a non-negative integer, got ${v}`);
    }
  }
  return { dueFen, paidFen, ratio: safeRatio(paidFen, dueFen) };
}

export interface LoanDueAndPaid {
  /** arrearsBroughtForwardFen + fallingDueFen. */
  dueFen: Fen;
  /** Unpaid on instalments due before `from`, after payments dated before `from`. */
  arrearsBroughtForwardFen: Fen;
  /** Unpaid on instalments due from `from` to `to`, after payments dated before `from`. */
  fallingDueFen: Fen;
  /** Payments dated inside the period. */
  paidFen: Fen;
  /** min(paidFen, dueFen): the part of the payments that met what was due. */
  paidTowardDueFen: Fen;
}

/** Due and paid for one loan over an inclusive period (see the file comment). */
export function dueAndPaidInPeriod(
  schedule: readonly Instalment[],
  payments: readonly PaymentLine[],
  period: Period,
): LoanDueAndPaid {
  checkPeriod(period);
  // Position at the end of the day before the period: its allocation says how much of
  // each instalment was already paid when the period began.
  const before = loanPosition(schedule, payments, addDays(period.from, -1));
  let arrearsBroughtForwardFen = 0;
  let fallingDueFen = 0;
  for (const inst of before.instalments) {
    if (inst.dueDate > period.to) continue;
    const unpaid = inst.principalFen + inst.interestFen - inst.paidFen;
    if (inst.dueDate < period.from) arrearsBroughtForwardFen += unpaid;
    else fallingDueFen += unpaid;
  }
  let paidFen = 0;
  for (const p of payments) {
    if (p.paidOn >= period.from && p.paidOn <= period.to) paidFen += p.amountFen;
  }
  const dueFen = arrearsBroughtForwardFen + fallingDueFen;
  return {
    dueFen,
    arrearsBroughtForwardFen,
    fallingDueFen,
    paidFen,
    paidTowardDueFen: Math.min(paidFen, dueFen),
  };
}

export interface PortfolioCollection extends CollectionRate, LoansBehind {
  /** Raw payments in the period, uncapped (early payoffs included). */
  paidTotalFen: Fen;
  /** ratio is paidFen (capped per loan) ÷ dueFen; this is paidTotalFen ÷ dueFen. */
  uncappedRatio: number;
  /** Loans that had something due (caseIds/loanIds above). */
  count: number;
  /** Loans that paid less than they owed in the period: the list a manager chases. */
  short: LoansBehind & { count: number; shortfallFen: Fen };
}

/**
 * Branch collection rate from snapshot rows carrying dueInPeriodFen / paidInPeriodFen
 * (month to date on the snapshot's date). Rows without them count as nothing due.
 * Closed loans count too: a loan paid off this month collected money.
 */
export function collectionFromSnapshots(snapshots: readonly LoanSnapshot[]): PortfolioCollection {
  snapshotSetDate(snapshots);
  return computeCollection(snapshots, WITH_IDS);
}

/** collectionFromSnapshots on a snapshot set already checked by snapshotSetDate. */
export function computeCollection(
  snapshots: readonly LoanSnapshot[],
  calc: Calc,
): PortfolioCollection {
  let dueFen = 0;
  let paidTowardDueFen = 0;
  let paidTotalFen = 0;
  let shortfallFen = 0;
  let count = 0;
  let shortCount = 0;
  const cases = new IdList(calc);
  const loans = new IdArray(calc);
  const shortCases = new IdList(calc);
  const shortLoans = new IdArray(calc);
  for (const s of snapshots) {
    const due = s.dueInPeriodFen ?? 0;
    const paid = s.paidInPeriodFen ?? 0;
    paidTotalFen += paid;
    if (due <= 0) continue;
    dueFen += due;
    paidTowardDueFen += Math.min(paid, due);
    count += 1;
    cases.add(s.caseId);
    loans.add(s.loanId);
    if (paid < due) {
      shortCount += 1;
      shortfallFen += due - paid;
      shortCases.add(s.caseId);
      shortLoans.add(s.loanId);
    }
  }
  return {
    dueFen,
    paidFen: paidTowardDueFen,
    ratio: safeRatio(paidTowardDueFen, dueFen),
    paidTotalFen,
    uncappedRatio: safeRatio(paidTotalFen, dueFen),
    count,
    ...idsField(calc, 'caseIds', () => cases.toArray()),
    ...idsField(calc, 'loanIds', () => loans.ids ?? []),
    short: {
      count: shortCount,
      shortfallFen,
      ...idsField(calc, 'caseIds', () => shortCases.toArray()),
      ...idsField(calc, 'loanIds', () => shortLoans.ids ?? []),
    },
  };
}
