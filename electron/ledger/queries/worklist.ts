// The worklist: open cases ordered by priority (score DESC, then id for a stable order
// between equal scores), filtered by officer / place / bucket, one page at a time.
// Each filter combination is one fixed SQL text (values always bound), and every
// combination is served by a partial index over open cases (see migration 0001).
import type { OpParsedInput, WorklistPage, WorklistRow } from '../../../shared/api/contract';
import type {
  ContactChannel,
  ContactOutcome,
  IsoDate,
  PromiseStatus,
  UserRole,
} from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import { stmt } from '../statements';
import { flagsOf, reasonsOf, userOf } from './rows';

export type WorklistQuery = OpParsedInput<'worklist.list'>;

interface WorklistDbRow {
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

const FILTERS = [
  ['officerId', 'c.officer_id'],
  ['township', 'c.township'],
  ['village', 'c.village'],
  ['bucket', 'c.bucket'],
] as const;

function whereClause(q: WorklistQuery): { sql: string; params: string[] } {
  // `c.status = 'open'` must appear literally: it is what lets SQLite use the partial indexes.
  const parts = [`c.status = 'open'`];
  const params: string[] = [];
  for (const [key, column] of FILTERS) {
    const value = q[key];
    if (value !== undefined) {
      parts.push(`${column} = ?`);
      params.push(value);
    }
  }
  return { sql: parts.join(' AND '), params };
}

export function worklistPageSql(q: WorklistQuery): { sql: string; params: string[] } {
  const where = whereClause(q);
  // The page's ids are chosen first from the index alone (ORDER BY + LIMIT inside), so
  // the per-row lookups (borrower, officer, phone, loan number) run for the page's rows
  // only, never for every case that matches the filter.
  const sql = `
    WITH page AS (
      SELECT c.id, c.priority_score FROM cases c
      WHERE ${where.sql}
      ORDER BY c.priority_score DESC, c.id
      LIMIT ? OFFSET ?
    )
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
    FROM page p
      CROSS JOIN cases c ON c.id = p.id
      CROSS JOIN borrowers b ON b.id = c.borrower_id
      CROSS JOIN users u ON u.id = c.officer_id
    ORDER BY p.priority_score DESC, p.id`;
  return { sql, params: where.params };
}

export function worklistCountSql(q: WorklistQuery): { sql: string; params: string[] } {
  const where = whereClause(q);
  return { sql: `SELECT count(*) FROM cases c WHERE ${where.sql}`, params: where.params };
}

function toRow(r: WorklistDbRow): WorklistRow {
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

export function worklistPage(db: LedgerDb, q: WorklistQuery, asOf: IsoDate): WorklistPage {
  const page = worklistPageSql(q);
  const count = worklistCountSql(q);
  const rows = stmt<WorklistDbRow>(db, page.sql).all(...page.params, q.limit, q.offset);
  const total =
    stmt<number>(db, count.sql)
      .pluck()
      .get(...count.params) ?? 0;
  return { rows: rows.map(toRow), total, asOf };
}
