// One loan's schedule and the money that counts against it, for the commands and
// queries that look at a single loan (payment guard, receipt, plan proposal). The worklist
// columns are derived for every case at once in derive.ts from the same rules.
import { loanPosition, type LoanPosition } from '../../shared/domain/schedule';
import type { Instalment, IsoDate, PaymentLine } from '../../shared/domain/types';
import type { LedgerDb } from './db';
import { stmt } from './statements';

export interface LoanRef {
  id: string;
  caseId: string;
}

export function loanSchedule(db: LedgerDb, loanId: string): Instalment[] {
  return stmt<Instalment>(
    db,
    `SELECT seq, due_date AS dueDate, principal_fen AS principalFen, interest_fen AS interestFen
     FROM instalments WHERE loan_id = ? ORDER BY seq`,
  ).all(loanId);
}

/**
 * Payments that count against the loan: core-banking repayments (except posted field
 * receipts this device holds as facts) and this device's field payments not reversed.
 *
 * With `asAt` (a payment's instant and id) the lines are those known right after that
 * payment was recorded: field payments recorded up to it, reversals made before it, and
 * core repayments dated up to its business date. A reprinted receipt then shows what
 * the first print showed.
 */
export function loanPaymentLines(
  db: LedgerDb,
  loan: LoanRef,
  asAt?: { occurredAt: string; factId: string; paidOn: IsoDate },
): PaymentLine[] {
  // Every money table is keyed or indexed by case first: the case id keeps these lookups
  // to the case's own rows.
  const core = stmt<PaymentLine>(
    db,
    `SELECT r.paid_on AS paidOn, r.amount_fen AS amountFen FROM core_repayments r
     WHERE r.case_id = ? AND r.loan_id = ? AND r.paid_on <= ?
       AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
  ).all(loan.caseId, loan.id, asAt?.paidOn ?? '9999-12-31');
  const field = asAt
    ? stmt<PaymentLine>(
        db,
        `SELECT p.paid_on AS paidOn, p.amount_fen AS amountFen FROM payments p JOIN facts f ON f.id = p.fact_id
         WHERE p.case_id = @caseId AND p.loan_id = @loanId
           AND (f.occurred_at < @at OR (f.occurred_at = @at AND f.id <= @id))
           AND NOT EXISTS (SELECT 1 FROM payment_reversals r JOIN facts rf ON rf.id = r.fact_id
                           WHERE r.reverses_fact_id = p.fact_id AND rf.occurred_at < @at)`,
      ).all({ caseId: loan.caseId, loanId: loan.id, at: asAt.occurredAt, id: asAt.factId })
    : stmt<PaymentLine>(
        db,
        `SELECT p.paid_on AS paidOn, p.amount_fen AS amountFen FROM payments p
         WHERE p.case_id = ? AND p.loan_id = ?
           AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)`,
      ).all(loan.caseId, loan.id);
  return [...core, ...field];
}

/** Where the loan stands on `asOf` with every payment that counts now. */
export function currentLoanPosition(db: LedgerDb, loan: LoanRef, asOf: IsoDate): LoanPosition {
  return loanPosition(loanSchedule(db, loan.id), loanPaymentLines(db, loan), asOf);
}

/** Principal and interest of the whole schedule not yet paid (what a payment may at most settle). */
export function remainingOwed(position: LoanPosition): number {
  return position.instalments.reduce(
    (sum, i) => sum + i.principalFen + i.interestFen - i.paidFen,
    0,
  );
}

/** Interest of instalments already overdue and still unpaid (interest is paid first in each). */
export function overdueUnpaidInterest(position: LoanPosition): number {
  return position.instalments
    .filter((i) => i.status === 'overdue')
    .reduce((sum, i) => sum + i.interestFen - Math.min(i.paidFen, i.interestFen), 0);
}
