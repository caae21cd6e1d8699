// Hardship: what a household can afford each month, and a repayment plan built from it.
// The rule is deliberately simple so an officer can explain it at the borrower's table:
// half of what is left after essential expenses and other debt payments, in whole yuan.
import { addMonthsClamped } from '../dates';
import type { Fen, Instalment, IsoDate } from './types';

/** Share (percent) of monthly disposable income a plan instalment may take. */
export const AFFORDABLE_SHARE_PCT = 50;
/** Affordable amounts are rounded down to whole yuan: officers and borrowers speak in yuan. */
const YUAN: Fen = 100;

export interface HouseholdCashFlow {
  monthlyIncomeFen: Fen;
  essentialExpensesFen: Fen;
  otherDebtPaymentsFen: Fen;
}

function assertAmount(name: string, value: Fen): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer number of fen, got ${value}`);
  }
}

/** Income left after essential expenses and other debt payments; negative when the household falls short. */
export function disposableIncome(cf: HouseholdCashFlow): Fen {
  assertAmount('monthlyIncomeFen', cf.monthlyIncomeFen);
  assertAmount('essentialExpensesFen', cf.essentialExpensesFen);
  assertAmount('otherDebtPaymentsFen', cf.otherDebtPaymentsFen);
  return cf.monthlyIncomeFen - cf.essentialExpensesFen - cf.otherDebtPaymentsFen;
}

/**
 * AFFORDABLE_SHARE_PCT of monthly disposable income, rounded down to whole yuan, never
 * below 0. The other half stays with the household for shocks (illness, a bad harvest).
 */
export function affordableInstalment(cf: HouseholdCashFlow): Fen {
  const disposable = disposableIncome(cf);
  if (disposable <= 0) return 0;
  const share = Math.floor((disposable * AFFORDABLE_SHARE_PCT) / 100);
  return Math.floor(share / YUAN) * YUAN;
}

export interface PlanRequest {
  /**
   * Everything the plan must settle: outstanding principal plus interest already due and
   * unpaid. The plan charges no further interest (a hardship plan freezes interest).
   */
  outstandingFen: Fen;
  /** The part of outstandingFen that is overdue now; the plan reports when it is cleared. */
  arrearsFen: Fen;
  /** The most the household can pay a month (see affordableInstalment). */
  affordableFen: Fen;
  /** The plan's first due date; later ones keep its day of month, clamped at month ends. */
  startDate: IsoDate;
  /** The longest plan the lender accepts. */
  maxMonths: number;
}

export type PlanRefusal =
  | { code: 'nothing_to_repay' }
  | { code: 'no_repayment_capacity'; affordableFen: Fen }
  | {
      code: 'exceeds_max_months';
      monthsNeeded: number;
      maxMonths: number;
      minMonthlyFen: Fen;
      affordableFen: Fen;
    };

export type PlanProposal =
  | {
      ok: true;
      instalments: Instalment[];
      /** The regular instalment (the last may be smaller). */
      monthlyFen: Fen;
      months: number;
      /** Due date of the instalment by which the current arrears are repaid; null with no arrears. */
      arrearsClearedOn: IsoDate | null;
    }
  | { ok: false; refusal: PlanRefusal };

/**
 * The shortest plan of equal monthly instalments no larger than affordableFen that repays
 * outstandingFen exactly (the last instalment takes the remainder), or a typed refusal when
 * no such plan fits in maxMonths. Instalments are evened out (12 000 over 3 months at up to
 * 5 000 is 4 000 × 3, not 5 000 + 5 000 + 2 000) and rounded up to whole yuan when that
 * still fits the affordable amount.
 */
export function proposePlanSchedule(req: PlanRequest): PlanProposal {
  assertAmount('outstandingFen', req.outstandingFen);
  assertAmount('arrearsFen', req.arrearsFen);
  assertAmount('affordableFen', req.affordableFen);
  if (req.arrearsFen > req.outstandingFen) {
    throw new RangeError(
      `arrearsFen ${req.arrearsFen} exceeds outstandingFen ${req.outstandingFen}`,
    );
  }
  if (!Number.isInteger(req.maxMonths) || req.maxMonths < 1) {
    throw new RangeError(`maxMonths must be a positive integer, got ${req.maxMonths}`);
  }
  const total = req.outstandingFen;
  if (total === 0) return { ok: false, refusal: { code: 'nothing_to_repay' } };
  if (req.affordableFen === 0) {
    return { ok: false, refusal: { code: 'no_repayment_capacity', affordableFen: 0 } };
  }
  const months = Math.ceil(total / req.affordableFen);
  if (months > req.maxMonths) {
    return {
      ok: false,
      refusal: {
        code: 'exceeds_max_months',
        monthsNeeded: months,
        maxMonths: req.maxMonths,
        minMonthlyFen: Math.ceil(total / req.maxMonths),
        affordableFen: req.affordableFen,
      },
    };
  }
  // Invariant: even ≤ affordable and affordable × (months - 1) < total, so the last
  // instalment is always positive.
  const even = Math.ceil(total / months);
  const roundYuan = Math.ceil(even / YUAN) * YUAN;
  const monthlyFen = months === 1 ? total : roundYuan <= req.affordableFen ? roundYuan : even;
  const anchorDay = Number(req.startDate.slice(8, 10));

  const instalments: Instalment[] = [];
  let paidSoFar = 0;
  let arrearsClearedOn: IsoDate | null = null;
  for (let i = 0; i < months; i++) {
    const amount = i === months - 1 ? total - monthlyFen * (months - 1) : monthlyFen;
    const dueDate = addMonthsClamped(req.startDate, i, anchorDay);
    instalments.push({ seq: i + 1, dueDate, principalFen: amount, interestFen: 0 });
    paidSoFar += amount;
    if (arrearsClearedOn === null && req.arrearsFen > 0 && paidSoFar >= req.arrearsFen)
      arrearsClearedOn = dueDate;
  }
  return { ok: true, instalments, monthlyFen, months, arrearsClearedOn };
}
