// The worklist: open cases ordered by priority (score DESC, then id for a stable order
// between equal scores), or grouped by township and village (pinyin order) for planning
// a day's route; filtered by officer / place / bucket / promise due or overdue / not
// contacted in N days / hardship / follow-up due, and searched by name, pinyin initials,
// phone digits or loan number; one page at a time. Each filter combination is one fixed
// SQL text (values always bound), served by the partial indexes over open cases of
// migrations 0001 and 0002.
import type { OpParsedInput, WorklistPage, WorklistRow } from '../../../shared/api/contract';
import type {
  ContactChannel,
  ContactOutcome,
  IsoDate,
  PromiseStatus,
  UserRole,
} from '../../../shared/domain/types';
import { addDays } from '../../../shared/dates';
import type { LedgerDb } from '../db';
import { stmt } from '../statements';
import { flagsOf, reasonsOf, userOf } from './rows';

export type WorklistQuery = OpParsedInput<'worklist.list'>;

/** A worklist row as SQL returns it (the row query here and the manager's rows-by-id). */
export interface WorklistDbRow {
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

/** Promise statuses that still want money (a kept promise is done). */
const OPEN_PROMISE = `c.promise_status IN ('pending', 'partly_kept', 'broken')`;

/**
 * What a search box entry is looked for as in cases.search_text (see migration 0002): lower case, without spaces; a phone-like entry ('138 0013-8000') as its digits.
 * Null when nothing is left to look for.
 */
export function searchNeedle(raw: string): string | null {
  const t = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s|]+/g, '');
  if (!t) return null;
  if (/^[\d\-+()]+$/.test(t) && /\d/.test(t)) return t.replace(/\D/g, '');
  return t;
}

type Param = string | number;

function whereClause(q: WorklistQuery, asOf: IsoDate): { sql: string; params: Param[] } {
  // `c.status = 'open'` must appear literally: it is what lets SQLite use the partial indexes.
  const parts = [`c.status = 'open'`];
  const params: Param[] = [];
  for (const [key, column] of FILTERS) {
    const value = q[key];
    if (value !== undefined) {
      parts.push(`${column} = ?`);
      params.push(value);
    }
  }
  const needle = q.search !== undefined ? searchNeedle(q.search) : null;
  if (needle !== null) {
    // LIKE (ASCII case-insensitive; the text and the needle are lower case already) scans
    // the index's search_text faster than instr(), which counts characters.
    parts.push(`c.search_text LIKE ? ESCAPE '\\'`);
    params.push(`%${needle.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  }
  switch (q.promise) {
    case 'due_today':
      parts.push(`c.promise_status = 'pending' AND c.promise_due_date = ?`);
      params.push(asOf);
      break;
    case 'overdue':
      parts.push(`c.promise_due_date < ? AND ${OPEN_PROMISE}`);
      params.push(asOf);
      break;
    case 'due_today_or_overdue':
      parts.push(`c.promise_due_date <= ? AND ${OPEN_PROMISE}`);
      params.push(asOf);
      break;
    case undefined:
      break;
  }
  if (q.notContactedDays !== undefined) {
    parts.push(`(c.last_contact_on IS NULL OR c.last_contact_on <= ?)`);
    params.push(addDays(asOf, -q.notContactedDays));
  }
  if (q.hardship !== undefined) {
    parts.push(`c.flag_hardship = ?`);
    params.push(q.hardship ? 1 : 0);
  }
  if (q.followUpDue === true) {
    parts.push(`c.next_action_date <= ?`);
    params.push(asOf);
  } else if (q.followUpDue === false) {
    parts.push(`(c.next_action_date IS NULL OR c.next_action_date > ?)`);
    params.push(asOf);
  }
  return { sql: parts.join(' AND '), params };
}

export function worklistPageSql(q: WorklistQuery, asOf: IsoDate): { sql: string; params: Param[] } {
  const where = whereClause(q, asOf);
  const byVillage = q.groupBy === 'village';
  const order = byVillage
    ? 'route_key, %.priority_score DESC, %.id'
    : '%.priority_score DESC, %.id';
  // The page's ids are chosen first from an index alone (ORDER BY + LIMIT inside), so
  // the per-row lookups (borrower, officer, phone, loan number) run for the page's rows
  // only, never for every case that matches the filter.
  const sql = `
    WITH page AS (
      SELECT c.id, c.priority_score${byVillage ? ', c.route_key' : ''} FROM cases c
      WHERE ${where.sql}
      ORDER BY ${order.replaceAll('%', 'c').replace('route_key', 'c.route_key')}
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
    ORDER BY ${order.replaceAll('%', 'p').replace('route_key', 'p.route_key')}`;
  return { sql, params: where.params };
}

export function worklistCountSql(
  q: WorklistQuery,
  asOf: IsoDate,
): { sql: string; params: Param[] } {
  const where = whereClause(q, asOf);
  return { sql: `SELECT count(*) FROM cases c WHERE ${where.sql}`, params: where.params };
}

export function toRow(r: WorklistDbRow): WorklistRow {
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

/**
 * Totals of recent queries, valid while nothing in the ledger has changed: scrolling a
 * long list asks for page after page of the same query, and a filtered count reads the
 * whole index while a page stops after its rows. The stamp is this connection's count of
 * changed rows plus SQLite's data_version (bumped by any other connection's commit).
 */
const totalCaches = new WeakMap<LedgerDb, Map<string, { stamp: string; total: number }>>();
const TOTAL_CACHE_SIZE = 32;

function changeStamp(db: LedgerDb): string {
  const changes = stmt<number>(db, 'SELECT total_changes()').pluck().get();
  return `${changes}:${String(db.pragma('data_version', { simple: true }))}`;
}

function countMatching(db: LedgerDb, count: { sql: string; params: Param[] }): number {
  let cache = totalCaches.get(db);
  if (!cache) {
    cache = new Map();
    totalCaches.set(db, cache);
  }
  const key = JSON.stringify([count.sql, count.params]);
  const stamp = changeStamp(db);
  const hit = cache.get(key);
  if (hit?.stamp === stamp) return hit.total;
  const total =
    stmt<number>(db, count.sql)
      .pluck()
      .get(...count.params) ?? 0;
  cache.delete(key);
  cache.set(key, { stamp, total });
  if (cache.size > TOTAL_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return total;
}

export function worklistPage(db: LedgerDb, q: WorklistQuery, asOf: IsoDate): WorklistPage {
  const page = worklistPageSql(q, asOf);
  const rows = stmt<WorklistDbRow>(db, page.sql).all(...page.params, q.limit, q.offset);
  // A short page is the end of the list: the total is known without counting (a search
  // for a name or a phone number usually fits on one page).
  const total =
    rows.length < q.limit && (rows.length > 0 || q.offset === 0)
      ? q.offset + rows.length
      : countMatching(db, worklistCountSql(q, asOf));
  return { rows: rows.map(toRow), total, asOf };
}
