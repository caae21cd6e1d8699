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
  disbursedOn: IsoDate;
  schedule: Instalment[];
  /** Payments dated up to asOf, and with `withLater` those dated after it too. */
  payments: PaymentLine[];
  /** When the loan's inputs change by date alone after asOf: a plan taking effect, a
   * reassignment dated later, a payment dated later (null when none is known). */
  nextChangeOn: IsoDate | null;
}

type LoanRaw = [
  string,
  string,
  string,
  LoanStatus,
  string,
  string | null,
  string | null,
  string | null,
];

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

export interface LoanInputOptions {
  /** Only the loans of these cases (default: every case). */
  caseIds?: readonly string[];
  /** Loans disbursed after asOf too (default: only those disbursed on or before it). */
  undisbursed?: boolean;
  /** Payments dated after asOf too, and nextChangeOn (default: payments up to asOf only). */
  withLater?: boolean;
}

function earlier(a: IsoDate | null, b: IsoDate | null): IsoDate | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * Loans disbursed on or before asOf (see options), with their schedule in force on asOf
 * and payments dated up to asOf.
 */
export function loadLoanInputs(
  db: LedgerDb,
  asOf: IsoDate,
  options: LoanInputOptions = {},
): LoanInputs[] {
  const { caseIds, undisbursed = false, withLater = false } = options;
  // One case list as JSON: the case filter walks loans / payments by their case index.
  const ids = caseIds === undefined ? null : JSON.stringify(caseIds);
  const loansFrom =
    ids === null
      ? 'loans l JOIN cases c ON c.id = l.case_id'
      : 'json_each(@ids) j CROSS JOIN loans l ON l.case_id = j.value JOIN cases c ON c.id = l.case_id';
  const rows = stmt<LoanRaw>(
    db,
    `SELECT l.id, l.case_id,
       coalesce((SELECT r.from_officer_id FROM case_reassignments r
                 WHERE r.case_id = l.case_id AND r.business_date > @asOf ORDER BY r.at, r.fact_id LIMIT 1),
                c.officer_id),
       l.status,
       l.disbursed_on,
       rs.effective_on,
       CASE WHEN rs.effective_on IS NOT NULL AND rs.effective_on > @asOf
         THEN (SELECT ${PACK} FROM loan_original_schedules i WHERE i.loan_id = l.id)
         ELSE (SELECT ${PACK} FROM instalments i WHERE i.loan_id = l.id) END,
       ${
         withLater
           ? `(SELECT min(r.business_date) FROM case_reassignments r
               WHERE r.case_id = l.case_id AND r.business_date > @asOf)`
           : 'NULL'
       }
     FROM ${loansFrom}
       LEFT JOIN loan_restructurings rs ON rs.loan_id = l.id
     WHERE (@undisbursed = 1 OR l.disbursed_on <= @asOf)
     ORDER BY l.case_id, l.id`,
  )
    .raw()
    .all({ asOf, ids, undisbursed: undisbursed ? 1 : 0 });
  const byLoan = new Map<string, LoanInputs>();
  const out: LoanInputs[] = [];
  for (const [
    loanId,
    caseId,
    officerId,
    status,
    disbursedOn,
    effectiveOn,
    packed,
    nextOfficer,
  ] of rows) {
    const planLater = effectiveOn !== null && effectiveOn > asOf ? effectiveOn : null;
    const loan: LoanInputs = {
      loanId,
      caseId,
      officerId,
      status,
      restructured: effectiveOn !== null && effectiveOn <= asOf,
      disbursedOn,
      schedule: parseSchedule(packed),
      payments: [],
      nextChangeOn: withLater ? earlier(planLater, nextOfficer) : null,
    };
    byLoan.set(loanId, loan);
    out.push(loan);
  }
  const add = (loanId: string, paidOn: IsoDate, amountFen: number): void => {
    const loan = byLoan.get(loanId);
    if (!loan) return;
    if (paidOn > asOf) loan.nextChangeOn = earlier(loan.nextChangeOn, paidOn);
    loan.payments.push({ paidOn, amountFen });
  };
  const until = withLater ? '9999-12-31' : asOf;
  const field = stmt<[string, string, number]>(
    db,
    `SELECT p.loan_id, p.paid_on, p.amount_fen
     FROM ${ids === null ? 'payments p' : 'json_each(@ids) j CROSS JOIN payments p ON p.case_id = j.value'}
     WHERE p.paid_on <= @until
       AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)`,
  )
    .raw()
    .all({ until, ids });
  for (const [loanId, paidOn, amountFen] of field) add(loanId, paidOn, amountFen);
  const core = stmt<[string, string, number]>(
    db,
    `SELECT r.loan_id, r.paid_on, r.amount_fen
     FROM ${ids === null ? 'core_repayments r' : 'json_each(@ids) j CROSS JOIN core_repayments r ON r.case_id = j.value'}
     WHERE r.paid_on <= @until
       AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
  )
    .raw()
    .all({ until, ids });
  for (const [loanId, paidOn, amountFen] of core) add(loanId, paidOn, amountFen);
  return out;
}
