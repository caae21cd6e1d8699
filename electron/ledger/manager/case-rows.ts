// Worklist rows for a given list of case ids (the cases behind a dashboard number), in
// the worklist's order (priority, then id), one page at a time. Same columns and mapping
// as queries/worklist.ts.
import type { WorklistRow } from '../../../shared/api/contract';
import type {
  ContactChannel,
  ContactOutcome,
  PromiseStatus,
  UserRole,
} from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import { flagsOf, reasonsOf, userOf } from '../queries/rows';
import { stmt } from '../statements';

export interface RowRaw {
  id: string;
  borrower_name: string;
  phone: string | null;
  township: string;
  village: string;
  loan_no: string | null;
  officer_id: string;
  officer_name: string;
  officer_role: UserRole;
  dpd: number;
  bucket: string;
  arrears_fen: number;
  outstanding_fen: number;
  promise_due_date: string | null;
  promise_amount_fen: number | null;
  promise_status: PromiseStatus | null;
  last_contact_at: string | null;
  last_contact_channel: ContactChannel | null;
  last_contact_outcome: ContactOutcome | null;
  next_action_date: string | null;
  flag_hardship: number;
  flag_vulnerable: number;
  flag_dispute: number;
  flag_do_not_contact: number;
  priority_score: number;
  priority_reasons: string;
}

const SELECT_ROWS = `
  SELECT c.id, b.name AS borrower_name, c.township, c.village,
    c.officer_id, u.name AS officer_name, u.role AS officer_role,
    c.dpd, c.bucket, c.arrears_fen, c.outstanding_fen,
    c.promise_due_date, c.promise_amount_fen, c.promise_status,
    c.last_contact_at, c.last_contact_channel, c.last_contact_outcome, c.next_action_date,
    c.flag_hardship, c.flag_vulnerable, c.flag_dispute, c.flag_do_not_contact,
    c.priority_score, c.priority_reasons,
    (SELECT cp.value FROM contact_points cp
      WHERE cp.borrower_id = c.borrower_id AND cp.party = 'borrower' AND cp.kind = 'mobile' AND cp.status = 'active'
      ORDER BY cp.id LIMIT 1) AS phone,
    (SELECT l.loan_no FROM loans l WHERE l.case_id = c.id ORDER BY l.disbursed_on, l.loan_no LIMIT 1) AS loan_no
  FROM json_each(?) j
    CROSS JOIN cases c ON c.id = j.value
    CROSS JOIN borrowers b ON b.id = c.borrower_id
    CROSS JOIN users u ON u.id = c.officer_id`;

export function toRow(r: RowRaw): WorklistRow {
  return {
    caseId: r.id,
    borrowerName: r.borrower_name,
    phone: r.phone,
    township: r.township,
    village: r.village,
    loanNo: r.loan_no ?? '',
    officer: userOf(r.officer_id, r.officer_name, r.officer_role),
    daysPastDue: r.dpd,
    bucket: r.bucket,
    arrearsFen: r.arrears_fen,
    outstandingFen: r.outstanding_fen,
    promise:
      r.promise_due_date !== null && r.promise_amount_fen !== null && r.promise_status !== null
        ? { dueDate: r.promise_due_date, amountFen: r.promise_amount_fen, status: r.promise_status }
        : null,
    lastContact:
      r.last_contact_at !== null &&
      r.last_contact_channel !== null &&
      r.last_contact_outcome !== null
        ? {
            at: r.last_contact_at,
            channel: r.last_contact_channel,
            outcome: r.last_contact_outcome,
          }
        : null,
    nextActionDate: r.next_action_date,
    flags: flagsOf(r),
    priorityScore: r.priority_score,
    reasons: reasonsOf(r.priority_reasons),
  };
}

/** Ordered ids: by priority (highest first), then id, like the worklist. */
export function orderCaseIds(db: LedgerDb, caseIds: readonly string[]): string[] {
  return stmt<string>(
    db,
    `SELECT c.id FROM json_each(?) j CROSS JOIN cases c ON c.id = j.value
     ORDER BY c.priority_score DESC, c.id`,
  )
    .pluck()
    .all(JSON.stringify([...new Set(caseIds)]));
}

/** The rows of these case ids, in the order given (ids not on this device are skipped). */
export function worklistRowsByIds(db: LedgerDb, orderedIds: readonly string[]): WorklistRow[] {
  const rows = stmt<RowRaw>(db, SELECT_ROWS).all(JSON.stringify(orderedIds));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: WorklistRow[] = [];
  for (const id of orderedIds) {
    const r = byId.get(id);
    if (r) out.push(toRow(r));
  }
  return out;
}
