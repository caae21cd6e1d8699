// Every loan's schedule in force and the money that counts against it, read in bulk for
// snapshots (the same rules as derive.ts: reversed field payments are dropped, and a
// core-banking repayment that is a posted field receipt this device holds counts once).
// A restructured loan's schedule is the approved plan's from its effective date; for an
// earlier date the schedule the plan replaced (loan_original_schedules) is used.
import type { Instalment, IsoDate, PaymentLine } from '../../../shared/domain/types';
import type { LoanStatus } from '../../../shared/domain/portfolio';
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

export interface LoanInputs {
  loanId: string;
  caseId: string;
  /** The case's officer on asOf (before any later reassignment). */
  officerId: string;
  status: LoanStatus;
  restructured: boolean;
  schedule: Instalment[];
  payments: PaymentLine[];
}

type LoanRaw = [string, string, string, LoanStatus, string | null, string | null];

/** 'seq,due,principal,interest;...' as built by SQLite. */
function parseSchedule(packed: string | null): Instalment[] {
  if (!packed) return [];
  return packed.split(';').map((part) => {
    const [seq, dueDate, principal, interest] = part.split(',');
    return {
      seq: Number(seq),
      dueDate: dueDate as string,
      principalFen: Number(principal),
      interestFen: Number(interest),
    };
  });
}

const PACK = `group_concat(i.seq || ',' || i.due_date || ',' || i.principal_fen || ',' || i.interest_fen, ';')`;

/**
 * Loans disbursed on or before asOf, with their schedule in force on asOf and payments
 * dated up to asOf.
 */
export function loadLoanInputs(db: LedgerDb, asOf: IsoDate): LoanInputs[] {
  const rows = stmt<LoanRaw>(
    db,
    `SELECT l.id, l.case_id,
       coalesce((SELECT r.from_officer_id FROM case_reassignments r
                 WHERE r.case_id = l.case_id AND r.business_date > @asOf ORDER BY r.at, r.fact_id LIMIT 1),
                c.officer_id),
       l.status,
       rs.effective_on,
       CASE WHEN rs.effective_on IS NOT NULL AND rs.effective_on > @asOf
         THEN (SELECT ${PACK} FROM loan_original_schedules i WHERE i.loan_id = l.id)
         ELSE (SELECT ${PACK} FROM instalments i WHERE i.loan_id = l.id) END
     FROM loans l JOIN cases c ON c.id = l.case_id
       LEFT JOIN loan_restructurings rs ON rs.loan_id = l.id
     WHERE l.disbursed_on <= @asOf
     ORDER BY l.case_id, l.id`,
  )
    .raw()
    .all({ asOf });
  const byLoan = new Map<string, LoanInputs>();
  const out: LoanInputs[] = [];
  for (const [loanId, caseId, officerId, status, effectiveOn, packed] of rows) {
    const loan: LoanInputs = {
      loanId,
      caseId,
      officerId,
      status,
      restructured: effectiveOn !== null && effectiveOn <= asOf,
      schedule: parseSchedule(packed),
      payments: [],
    };
    byLoan.set(loanId, loan);
    out.push(loan);
  }
  const field = stmt<[string, string, number]>(
    db,
    `SELECT p.loan_id, p.paid_on, p.amount_fen FROM payments p
     WHERE p.paid_on <= ?
       AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)`,
  )
    .raw()
    .all(asOf);
  for (const [loanId, paidOn, amountFen] of field)
    byLoan.get(loanId)?.payments.push({ paidOn, amountFen });
  const core = stmt<[string, string, number]>(
    db,
    `SELECT r.loan_id, r.paid_on, r.amount_fen FROM core_repayments r
     WHERE r.paid_on <= ?
       AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
  )
    .raw()
    .all(asOf);
  for (const [loanId, paidOn, amountFen] of core)
    byLoan.get(loanId)?.payments.push({ paidOn, amountFen });
  return out;
}
