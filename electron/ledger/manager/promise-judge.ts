// Promises judged against the case's money (as promiseStatus in shared/domain): what
// was paid toward each promise inside its window, from the day it was made to its last
// counting day (due date + grace days), and the status that follows on a date. Read
// together for many promises, each payment line is added to the promises of its case.
import { addDays } from '../../../shared/dates';
import type { PromiseRow } from '../../../shared/domain/portfolio';
import type { IsoDate, PaymentLine } from '../../../shared/domain/types';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';

/**
 * What was paid toward each promise inside its window: from the day it was made to its
 * last counting day (due date + grace days), or to `cap` when that comes first (null: no
 * cap). Only money that counts is read: field payments not reversed, and core-banking
 * repayments that are not a field payment's receipt already counted. Read by date
 * (`caseIds` null: the branch's), the lines are those dated from `from` for every case,
 * and the earlier ones only for the cases with a promise made before `from`; or read by
 * case.
 */
export function paidInWindows(
  ledger: Ledger,
  rows: readonly Pick<PromiseRow, 'caseId' | 'madeOn' | 'dueDate'>[],
  from: IsoDate,
  cap: IsoDate | null,
  graceDays: number,
  caseIds: readonly string[] | null,
): { paid: Float64Array; lastDays: IsoDate[] } {
  const paid = new Float64Array(rows.length);
  const lastDays: IsoDate[] = new Array<IsoDate>(rows.length);
  if (rows.length === 0) return { paid, lastDays };
  // Each case's promises by row index (one number for the usual single promise, no
  // array), so each payment line is added to the promises of its case whose window holds
  // it, without a list of lines. Each last counting day is computed once per due date.
  let since: IsoDate | null = null;
  let until: IsoDate | null = null;
  const early = new Set<string>();
  const byCase = new Map<string, number | number[]>();
  const windowEnds: IsoDate[] = new Array<IsoDate>(rows.length);
  const lastDayOf = new Map<string, IsoDate>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (since === null || r.madeOn < since) since = r.madeOn;
    if (r.madeOn < from) early.add(r.caseId);
    const known = byCase.get(r.caseId);
    if (known === undefined) byCase.set(r.caseId, i);
    else if (typeof known === 'number') byCase.set(r.caseId, [known, i]);
    else known.push(i);
    let lastDay = lastDayOf.get(r.dueDate);
    if (lastDay === undefined) lastDayOf.set(r.dueDate, (lastDay = addDays(r.dueDate, graceDays)));
    lastDays[i] = lastDay;
    const end = cap !== null && cap < lastDay ? cap : lastDay;
    windowEnds[i] = end;
    if (until === null || end > until) until = end;
  }
  const to = until!;
  const paymentRows =
    caseIds === null
      ? stmt<[string, string, number]>(
          ledger.db,
          `SELECT p.case_id, p.paid_on, p.amount_fen FROM payments p
           WHERE p.paid_on >= @since AND p.paid_on <= @to
             AND (p.paid_on >= @from OR p.case_id IN (SELECT value FROM json_each(@early)))
             AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)
           UNION ALL
           SELECT r.case_id, r.paid_on, r.amount_fen FROM core_repayments r INDEXED BY core_repayments_paid_on
           WHERE r.paid_on >= @since AND r.paid_on <= @to
             AND (r.paid_on >= @from OR r.case_id IN (SELECT value FROM json_each(@early)))
             AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
        )
          .raw()
          .iterate({ since, from, to, early: JSON.stringify([...early]) })
      : stmt<[string, string, number]>(
          ledger.db,
          `SELECT p.case_id, p.paid_on, p.amount_fen FROM payments p
           WHERE p.case_id IN (SELECT value FROM json_each(@ids))
             AND p.paid_on >= @since AND p.paid_on <= @to
             AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)
           UNION ALL
           SELECT r.case_id, r.paid_on, r.amount_fen FROM core_repayments r INDEXED BY core_repayments_paid_on
           WHERE r.paid_on >= @since AND r.paid_on <= @to
             AND r.case_id IN (SELECT value FROM json_each(@ids))
             AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
        )
          .raw()
          .iterate({ since, to, ids: JSON.stringify(caseIds) });
  const addTo = (i: number, paidOn: string, amountFen: number): void => {
    if (paidOn >= rows[i]!.madeOn && paidOn <= windowEnds[i]!) paid[i]! += amountFen;
  };
  for (const [caseId, paidOn, amountFen] of paymentRows) {
    const mine = byCase.get(caseId);
    if (mine === undefined) continue;
    if (typeof mine === 'number') addTo(mine, paidOn, amountFen);
    else for (const i of mine) addTo(i, paidOn, amountFen);
  }
  return { paid, lastDays };
}

/**
 * promiseStatus(promise, payments, asOf, graceDays).status, with the promise's last
 * counting day (due date + grace days) given (test/manager/snapshot-figures.test.ts).
 */
export function judgePromise(
  promise: Pick<PromiseRow, 'madeOn' | 'amountFen'>,
  payments: readonly PaymentLine[] | undefined,
  asOf: IsoDate,
  lastCountingDay: IsoDate,
): PromiseRow['status'] {
  const windowEnd = asOf < lastCountingDay ? asOf : lastCountingDay;
  let paidFen = 0;
  if (payments !== undefined) {
    for (const p of payments) {
      if (p.paidOn >= promise.madeOn && p.paidOn <= windowEnd) paidFen += p.amountFen;
    }
  }
  return statusOfPaid(paidFen, promise.amountFen, asOf, lastCountingDay);
}

/** A promise's status on `asOf` from what was paid toward it inside its window. */
export function statusOfPaid(
  paidFen: number,
  amountFen: number,
  asOf: IsoDate,
  lastCountingDay: IsoDate,
): PromiseRow['status'] {
  if (paidFen >= amountFen) return 'kept';
  if (asOf <= lastCountingDay) return 'pending';
  return paidFen > 0 ? 'partly_kept' : 'broken';
}
