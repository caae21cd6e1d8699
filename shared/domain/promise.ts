// Promise to pay (承诺还款) status from payments. A promise is judged on the business
// date `asOf` with the policy's grace days: only payments made from the day the promise
// was taken up to its due date plus grace count, and never payments after asOf.
import { addDays } from '../dates';
import type { Fen, IsoDate, PaymentLine, PromiseStatus, PromiseToPay } from './types';

export interface PromiseEvaluation {
  status: PromiseStatus;
  /** Fen counted towards the promise (capped by nothing: an overpayment shows in full). */
  paidFen: Fen;
}

/**
 * kept: counted payments reach the amount (even before the due date);
 * pending: not yet kept and asOf is on or before due + grace;
 * partly_kept: past due + grace with 0 < paid < amount;
 * broken: past due + grace with nothing paid.
 */
export function promiseStatus(
  promise: PromiseToPay,
  payments: readonly PaymentLine[],
  asOf: IsoDate,
  graceDays: number,
): PromiseEvaluation {
  if (!Number.isInteger(graceDays) || graceDays < 0) {
    throw new RangeError(
      `promiseStatus: graceDays must be a non-negative integer, got ${graceDays}`,
    );
  }
  const lastCountingDay = addDays(promise.dueDate, graceDays);
  // ISO dates compare correctly as strings.
  const windowEnd = asOf < lastCountingDay ? asOf : lastCountingDay;
  let paidFen = 0;
  for (const p of payments) {
    if (p.paidOn >= promise.madeOn && p.paidOn <= windowEnd) paidFen += p.amountFen;
  }
  if (paidFen >= promise.amountFen) return { status: 'kept', paidFen };
  if (asOf <= lastCountingDay) return { status: 'pending', paidFen };
  return { status: paidFen > 0 ? 'partly_kept' : 'broken', paidFen };
}
