// Every loan's position kept between dashboards (dashboard_loan_positions, migration
// 0007), so the dashboard of a new day recomputes a few loans instead of 50,000.
//
// A row is computed for business date A by loanSnapshot() and holds, unchanged, for every
// date X from A to valid_until, with two exceptions that follow from the date alone:
// - days past due: X - oldest_unpaid_due (the oldest unpaid instalment stays the oldest
//   while nothing is paid);
// - month to date: in a later month than A, due = the arrears brought in (no instalment
//   fell due between A and X, or the row would have run out) and paid = 0.
// valid_until is the day before the next date that can change anything else: the next
// instalment due date on or after A (it becomes due, then overdue), a plan taking effect,
// a reassignment dated later, a payment dated later; a loan not yet disbursed holds until
// the day before its disbursement. Anything recorded after the row was computed (money,
// schedules, officers) marks the case in dashboard_dirty_cases (triggers of 0007).
//
// dashboard_positions_state.valid_on is the date every row is valid on. refreshPositions
// moves it forward (never back) by recomputing the dirty cases and the rows that ran out.
import { addDays, daysBetween } from '../../../shared/dates';
import { bucketFor, type BucketDef } from '../../../shared/domain/buckets';
import { loanSnapshot, type LoanSnapshot } from '../../../shared/domain/portfolio';
import type { IsoDate } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import {
  bumpPositionsGeneration,
  positionsRewriting,
  positionsTransaction,
} from './dashboard-cache';
import { loadLoanInputs, type LoanInputs } from './loan-inputs';
import { forgetKeptEndGroups, patchKeptEndGroups } from './kept-end-groups';
import { forgetKeptSummary } from './kept-summary';
import { forgetPromisePaid, writeCasesPromisePaid } from './promise-paid';

const FAR_FUTURE = '9999-12-31';

/** A full rebuild is cheaper than recomputing this share of the cases one list at a time. */
const REBUILD_SHARE = 0.3;

type PositionRaw = [
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  number,
  number,
  string | null,
  number,
  'active' | 'closed',
  number,
  number,
];

interface PositionRow {
  loanId: string;
  caseId: string;
  computedFor: IsoDate;
  validUntil: IsoDate;
  present: boolean;
  officerId: string;
  outstandingPrincipalFen: number;
  overduePrincipalFen: number;
  arrearsFen: number;
  oldestUnpaidDue: IsoDate | null;
  restructured: boolean;
  status: 'active' | 'closed';
  dueInPeriodFen: number;
  paidInPeriodFen: number;
}

function earlier(a: IsoDate, b: IsoDate | null): IsoDate {
  return b !== null && b < a ? b : a;
}

/** The row of one loan for business date `asOf` (see the file comment for valid_until). */
function positionOf(loan: LoanInputs, asOf: IsoDate, buckets: readonly BucketDef[]): PositionRow {
  const base = {
    loanId: loan.loanId,
    caseId: loan.caseId,
    computedFor: asOf,
    officerId: loan.officerId,
    restructured: loan.restructured,
    status: loan.status,
  };
  if (loan.disbursedOn > asOf) {
    return {
      ...base,
      validUntil: addDays(loan.disbursedOn, -1),
      present: false,
      outstandingPrincipalFen: 0,
      overduePrincipalFen: 0,
      arrearsFen: 0,
      oldestUnpaidDue: null,
      dueInPeriodFen: 0,
      paidInPeriodFen: 0,
    };
  }
  const s = loanSnapshot(base, loan.schedule, loan.payments, asOf, buckets);
  let nextDue: IsoDate | null = null;
  for (const inst of loan.schedule) {
    if (inst.dueDate >= asOf && (nextDue === null || inst.dueDate < nextDue))
      nextDue = inst.dueDate;
  }
  let validUntil = FAR_FUTURE;
  if (nextDue !== null) validUntil = nextDue > asOf ? addDays(nextDue, -1) : asOf;
  // Every later change is after asOf, so the row holds at least for asOf itself.
  if (loan.nextChangeOn !== null) validUntil = earlier(validUntil, addDays(loan.nextChangeOn, -1));
  return {
    ...base,
    validUntil,
    present: true,
    outstandingPrincipalFen: s.outstandingPrincipalFen,
    overduePrincipalFen: s.overduePrincipalFen,
    arrearsFen: s.arrearsFen,
    oldestUnpaidDue: s.daysPastDue > 0 ? addDays(asOf, -s.daysPastDue) : null,
    dueInPeriodFen: s.dueInPeriodFen ?? 0,
    paidInPeriodFen: s.paidInPeriodFen ?? 0,
  };
}

/** The date every position row is valid on; null before the table is first built. */
export function positionsValidOn(db: LedgerDb): IsoDate | null {
  return (
    stmt<string>(db, 'SELECT valid_on FROM dashboard_positions_state WHERE id = 1').pluck().get() ??
    null
  );
}

/**
 * Writes rows (after the caller deleted what they replace) and tells the dashboard cache
 * which cases' rows were rewritten.
 */
function writePositions(
  db: LedgerDb,
  rows: readonly PositionRow[],
  changed: readonly string[] | 'all',
): void {
  bumpPositionsGeneration(db, changed);
  forgetKeptSummary(db);
  const insert = stmt(
    db,
    `INSERT OR REPLACE INTO dashboard_loan_positions (loan_id, case_id, computed_for, valid_until, present,
       officer_id, outstanding_principal_fen, overdue_principal_fen, arrears_fen, oldest_unpaid_due,
       restructured, status, due_in_period_fen, paid_in_period_fen)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) {
    insert.run(
      r.loanId,
      r.caseId,
      r.computedFor,
      r.validUntil,
      r.present ? 1 : 0,
      r.officerId,
      r.outstandingPrincipalFen,
      r.overduePrincipalFen,
      r.arrearsFen,
      r.oldestUnpaidDue,
      r.restructured ? 1 : 0,
      r.status,
      r.dueInPeriodFen,
      r.paidInPeriodFen,
    );
  }
  writeCaseSums(db, changed);
}

const CASE_SUMS_SELECT = `SELECT case_id, max(officer_id),
    sum(CASE WHEN status = 'active' THEN outstanding_principal_fen ELSE 0 END)
  FROM dashboard_loan_positions WHERE present = 1`;

/**
 * Each rewritten case's officer and balance (its active loans' outstanding principal)
 * summed again from its present rows into dashboard_case_sums (migration 0015), which
 * the dashboard reads per case. Every loan of a case is recomputed together, so its rows
 * share one officer.
 */
function writeCaseSums(db: LedgerDb, changed: readonly string[] | 'all'): void {
  const columns = 'INSERT INTO dashboard_case_sums (case_id, officer_id, balance_fen)';
  if (changed === 'all') {
    stmt(db, 'DELETE FROM dashboard_case_sums').run();
    stmt(db, `${columns} ${CASE_SUMS_SELECT} GROUP BY case_id`).run();
    return;
  }
  const ids = JSON.stringify(changed);
  stmt(db, 'DELETE FROM dashboard_case_sums WHERE case_id IN (SELECT value FROM json_each(?))').run(
    ids,
  );
  stmt(
    db,
    `${columns} ${CASE_SUMS_SELECT} AND case_id IN (SELECT value FROM json_each(?)) GROUP BY case_id`,
  ).run(ids);
}

function setValidOn(db: LedgerDb, date: IsoDate): void {
  forgetKeptSummary(db);
  stmt(
    db,
    `INSERT INTO dashboard_positions_state (id, valid_on) VALUES (1, ?)
     ON CONFLICT (id) DO UPDATE SET valid_on = excluded.valid_on`,
  ).run(date);
}

function rebuild(ledger: Ledger, asOf: IsoDate): number {
  const { db } = ledger;
  const buckets = ledger.policy.buckets;
  const rows = loadLoanInputs(db, asOf, { undisbursed: true, withLater: true }).map((l) =>
    positionOf(l, asOf, buckets),
  );
  stmt(db, 'DELETE FROM dashboard_loan_positions').run();
  forgetKeptEndGroups(db);
  forgetPromisePaid(db);
  writePositions(db, rows, 'all');
  stmt(db, 'DELETE FROM dashboard_dirty_cases').run();
  setValidOn(db, asOf);
  return rows.length;
}

export interface PositionsRefresh {
  /** 'rebuilt': every loan computed afresh; 'updated': only these cases; 'current': nothing to do. */
  kind: 'rebuilt' | 'updated' | 'current';
  cases: number;
}

/**
 * Brings every position row to `asOf`: rebuilds the table when it was never built or is
 * ahead of asOf (the clock went back), else recomputes the dirty cases and those with a
 * row that ran out before asOf. Runs in the caller's transaction, or its own.
 */
export function refreshPositions(ledger: Ledger, asOf: IsoDate): PositionsRefresh {
  const { db } = ledger;
  const run = (): PositionsRefresh => {
    const validOn = positionsValidOn(db);
    if (validOn === null || validOn > asOf) {
      return { kind: 'rebuilt', cases: rebuild(ledger, asOf) };
    }
    // Two reads merged here: as one UNION, SQLite merged two lists in case order and
    // walked every position row for it (~30 ms on 55,000 loans) instead of the few
    // expired ones in the expiry index.
    const caseIds = [
      ...new Set([
        ...stmt<string>(db, 'SELECT case_id FROM dashboard_dirty_cases').pluck().all(),
        ...stmt<string>(db, 'SELECT case_id FROM dashboard_loan_positions WHERE valid_until < ?')
          .pluck()
          .all(asOf),
      ]),
    ];
    if (caseIds.length === 0) {
      if (validOn !== asOf) setValidOn(db, asOf);
      return { kind: 'current', cases: 0 };
    }
    const total = stmt<number>(db, 'SELECT count(*) FROM cases').pluck().get() ?? 0;
    if (caseIds.length > total * REBUILD_SHARE) {
      return { kind: 'rebuilt', cases: rebuild(ledger, asOf) };
    }
    const buckets = ledger.policy.buckets;
    const rows = loadLoanInputs(db, asOf, { caseIds, undisbursed: true, withLater: true }).map(
      (l) => positionOf(l, asOf, buckets),
    );
    const ids = JSON.stringify(caseIds);
    positionsRewriting('before', db, asOf, caseIds);
    const patchKept = patchKeptEndGroups(db, asOf, caseIds);
    // A case's loans are replaced whole: a loan that left the case leaves no row behind.
    stmt(
      db,
      'DELETE FROM dashboard_loan_positions WHERE case_id IN (SELECT value FROM json_each(?))',
    ).run(ids);
    writePositions(db, rows, caseIds);
    patchKept?.();
    writeCasesPromisePaid(ledger, asOf, caseIds);
    positionsRewriting('after', db, asOf, caseIds);
    stmt(
      db,
      'DELETE FROM dashboard_dirty_cases WHERE case_id IN (SELECT value FROM json_each(?))',
    ).run(ids);
    setValidOn(db, asOf);
    return { kind: 'updated', cases: caseIds.length };
  };
  return positionsTransaction(db, run);
}

/** True when refreshPositions(asOf) would write nothing (no transaction needed). */
export function positionsCurrent(db: LedgerDb, asOf: IsoDate): boolean {
  if (positionsValidOn(db) !== asOf) return false;
  return (
    stmt<number>(
      db,
      `SELECT EXISTS (SELECT 1 FROM dashboard_dirty_cases)
           OR EXISTS (SELECT 1 FROM dashboard_loan_positions WHERE valid_until < ?)`,
    )
      .pluck()
      .get(asOf) === 0
  );
}

const POSITION_COLUMNS = `loan_id, case_id, computed_for, valid_until, present, officer_id,
  outstanding_principal_fen, overdue_principal_fen, arrears_fen, oldest_unpaid_due, restructured,
  status, due_in_period_fen, paid_in_period_fen`;

/**
 * Every loan's snapshot on `asOf` from the position rows (call refreshPositions(asOf)
 * first); with `caseIds`, only those cases' loans.
 */
export function positionSnapshots(
  ledger: Ledger,
  asOf: IsoDate,
  caseIds?: readonly string[],
): LoanSnapshot[] {
  const buckets = ledger.policy.buckets;
  const rows =
    caseIds === undefined
      ? stmt<PositionRaw>(
          ledger.db,
          `SELECT ${POSITION_COLUMNS} FROM dashboard_loan_positions WHERE present = 1`,
        )
          .raw()
          .all()
      : stmt<PositionRaw>(
          ledger.db,
          `SELECT ${POSITION_COLUMNS} FROM dashboard_loan_positions
           WHERE present = 1 AND case_id IN (SELECT value FROM json_each(?))`,
        )
          .raw()
          .all(JSON.stringify(caseIds));
  const out: LoanSnapshot[] = [];
  const month = asOf.slice(0, 7);
  const bucketOf = new Map<number, string>();
  const dpdOf = new Map<string, number>();
  for (const [
    loanId,
    caseId,
    computedFor,
    validUntil,
    present,
    officerId,
    outstanding,
    overdue,
    arrears,
    oldest,
    restructured,
    status,
    due,
    paid,
  ] of rows) {
    if (present !== 1) continue;
    if (computedFor > asOf || validUntil < asOf) {
      throw new Error(`position of loan ${loanId} is not valid on ${asOf}: refresh first`);
    }
    // The projection of the file comment; dates and buckets repeat, so each is computed once.
    let daysPastDue = 0;
    if (oldest !== null) {
      const known = dpdOf.get(oldest);
      if (known === undefined) dpdOf.set(oldest, (daysPastDue = daysBetween(oldest, asOf)));
      else daysPastDue = known;
    }
    let bucket = bucketOf.get(daysPastDue);
    if (bucket === undefined) bucketOf.set(daysPastDue, (bucket = bucketFor(daysPastDue, buckets)));
    const sameMonth = computedFor.slice(0, 7) === month;
    out.push({
      loanId,
      caseId,
      officerId,
      asOf,
      outstandingPrincipalFen: outstanding,
      overduePrincipalFen: overdue,
      arrearsFen: arrears,
      daysPastDue,
      bucket,
      restructured: restructured === 1,
      status,
      dueInPeriodFen: sameMonth ? due : arrears,
      paidInPeriodFen: sameMonth ? paid : 0,
    });
  }
  return out;
}

/**
 * Writes the closed day `asOf` into loan_snapshots straight from the position rows, in SQL
 * (the same projection as positionSnapshots). Call refreshPositions(asOf) first, in the
 * same transaction. Returns the rows written.
 */
export function writeSnapshotFromPositions(ledger: Ledger, asOf: IsoDate): number {
  const buckets = ledger.policy.buckets;
  const params: (string | number)[] = [asOf];
  const bucketCase = buckets
    .map((b) => {
      params.push(b.minDays);
      if (b.maxDays === null) {
        params.push(b.code);
        return 'WHEN dpd >= ? THEN ?';
      }
      params.push(b.maxDays, b.code);
      return 'WHEN dpd >= ? AND dpd <= ? THEN ?';
    })
    .join(' ');
  params.push(asOf, asOf, asOf, asOf);
  const info = stmt(
    ledger.db,
    `INSERT INTO loan_snapshots (as_of, loan_id, case_id, officer_id, outstanding_principal_fen,
       overdue_principal_fen, arrears_fen, days_past_due, bucket, restructured, status,
       due_in_period_fen, paid_in_period_fen)
     SELECT ?, loan_id, case_id, officer_id, outstanding_principal_fen, overdue_principal_fen,
       arrears_fen, dpd, CASE ${bucketCase} ELSE '' END, restructured, status,
       CASE WHEN same_month THEN due_in_period_fen ELSE arrears_fen END,
       CASE WHEN same_month THEN paid_in_period_fen ELSE 0 END
     FROM (SELECT *,
             CASE WHEN oldest_unpaid_due IS NULL THEN 0
               ELSE CAST(round(julianday(?) - julianday(oldest_unpaid_due)) AS INTEGER) END AS dpd,
             substr(computed_for, 1, 7) = substr(?, 1, 7) AS same_month
           FROM dashboard_loan_positions
           WHERE present = 1 AND computed_for <= ? AND valid_until >= ?)`,
  ).run(...params);
  const present =
    stmt<number>(ledger.db, 'SELECT count(*) FROM dashboard_loan_positions WHERE present = 1')
      .pluck()
      .get() ?? 0;
  if (info.changes !== present) {
    throw new Error(`positions are not all valid on ${asOf}: refresh them before the snapshot`);
  }
  return info.changes;
}
