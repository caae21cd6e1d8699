// Worklist rows for a given list of case ids (the cases behind a dashboard number), in
// the worklist's order (priority, then id), one page at a time. Same columns and mapping
// as queries/worklist.ts.
import type { WorklistRow } from '../../../shared/api/contract';
import type { LedgerDb } from '../db';
import { toRow, type WorklistDbRow } from '../queries/worklist';
import { stmt } from '../statements';

export type RowRaw = WorklistDbRow;

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

export { toRow };

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
