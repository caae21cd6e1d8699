// A field payment's receipt: everything the printed paper shows, in data (the renderer
// lays it out in zh or en). Arrears and outstanding are those right after the payment,
// computed from what was known when it was recorded, so a reprint matches the first print;
// a later reversal shows as its own block.
import type { Receipt } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { loanPosition } from '../../../shared/domain/schedule';
import type { PaymentMethod, UserRole } from '../../../shared/domain/types';
import type { PaymentPayload } from '../facts';
import type { Ledger } from '../ledger';
import { loanPaymentLines, loanSchedule } from '../loan-state';
import { stmt } from '../statements';
import { userOf } from './rows';

interface ReceiptRow {
  fact_id: string;
  case_id: string;
  loan_id: string;
  paid_on: string;
  amount_fen: number;
  method: PaymentMethod;
  receipt_no: string;
  occurred_at: string;
  payload: string;
  recorded_by: string;
  user_name: string | null;
  user_role: UserRole | null;
  loan_no: string;
  borrower_name: string;
  id_number_masked: string;
  village: string;
  township: string;
}

interface ReversalRow {
  fact_id: string;
  occurred_at: string;
  reason: string;
  recorded_by: string;
  user_name: string | null;
  user_role: UserRole | null;
}

export function receipt(ledger: Ledger, paymentFactId: string): Receipt {
  const { db } = ledger;
  const r = stmt<ReceiptRow>(
    db,
    `SELECT p.fact_id, p.case_id, p.loan_id, p.paid_on, p.amount_fen, p.method, p.receipt_no,
       f.occurred_at, f.payload, f.recorded_by, u.name AS user_name, u.role AS user_role,
       l.loan_no, b.name AS borrower_name, b.id_number_masked, b.village, b.township
     FROM payments p
       JOIN facts f ON f.id = p.fact_id
       JOIN loans l ON l.id = p.loan_id
       JOIN cases c ON c.id = p.case_id
       JOIN borrowers b ON b.id = c.borrower_id
       LEFT JOIN users u ON u.id = f.recorded_by
     WHERE p.fact_id = ?`,
  ).get(paymentFactId);
  if (!r) {
    throw new AppError('not_found', 'No such payment on this device', {
      entity: 'payment',
      id: paymentFactId,
    });
  }
  const payload = JSON.parse(r.payload) as PaymentPayload;
  const after = loanPosition(
    loanSchedule(db, r.loan_id),
    loanPaymentLines(
      db,
      { id: r.loan_id, caseId: r.case_id },
      {
        occurredAt: r.occurred_at,
        factId: r.fact_id,
        paidOn: r.paid_on,
      },
    ),
    r.paid_on,
  );
  const rev = stmt<ReversalRow>(
    db,
    `SELECT r.fact_id, f.occurred_at, r.reason, f.recorded_by, u.name AS user_name, u.role AS user_role
     FROM payment_reversals r JOIN facts f ON f.id = r.fact_id LEFT JOIN users u ON u.id = f.recorded_by
     WHERE r.reverses_fact_id = ?`,
  ).get(paymentFactId);
  return {
    receiptNo: r.receipt_no,
    paymentFactId: r.fact_id,
    branch: { name: ledger.branch.name, code: ledger.branch.code },
    borrower: {
      name: r.borrower_name,
      idNumberMasked: r.id_number_masked,
      village: r.village,
      township: r.township,
    },
    loanNo: r.loan_no,
    amountFen: r.amount_fen,
    method: r.method,
    reference: payload.reference ?? null,
    collectedAt: r.occurred_at,
    collectedBy: userOf(r.recorded_by, r.user_name ?? r.recorded_by, r.user_role ?? 'officer'),
    arrearsAfterFen: after.arrearsFen,
    outstandingAfterFen: after.outstandingPrincipalFen,
    reversal: rev
      ? {
          factId: rev.fact_id,
          at: rev.occurred_at,
          reason: rev.reason,
          by: userOf(rev.recorded_by, rev.user_name ?? rev.recorded_by, rev.user_role ?? 'officer'),
        }
      : null,
  };
}
