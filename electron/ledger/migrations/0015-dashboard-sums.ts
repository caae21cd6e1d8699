// Schema v15: sums of the loan positions the manager's dashboard reads, kept as the
// positions are written, so a dashboard computed after a restart reads them instead of
// summing 55,000 positions again.
//
// - dashboard_case_sums: each case's officer and the outstanding principal of its active
//   loans, from its present position rows (the same aggregate the dashboard read per
//   case). Rewritten with the rows of the cases whose positions are rewritten
//   (loan-positions.ts); a case with no present position has no row.
// - dashboard_kept_end_groups: the branch's end groups (snapshot-figures.ts: the loan
//   positions summed by oldest unpaid due date, end status and start bucket, ~600 rows)
//   for one month and one stored month-end snapshot. Written when a dashboard first
//   computes them, patched in the same transaction whenever a few cases' positions are
//   rewritten, and emptied when the positions are rebuilt (kept-end-groups.ts).
// - dashboard_promise_paid: what was paid toward each promise of the month in its window
//   (from the day it was made to its due date + grace days), so the month's promise
//   statuses are read, not judged again against every payment line (promise-paid.ts).
//   Written for every promise of the month once (its state row records the month and the
//   grace days), then for the promises of each case whose money changed, when the loan
//   positions are brought up to date: a new promise marks its case for that (trigger
//   below), as a payment does (0007).
import type { LedgerDb } from '../db';

export const migration0015 = {
  version: 15,
  name: 'dashboard-sums',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE dashboard_case_sums (
        case_id     TEXT    NOT NULL PRIMARY KEY,
        officer_id  TEXT    NOT NULL,
        balance_fen INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO dashboard_case_sums (case_id, officer_id, balance_fen)
        SELECT case_id, max(officer_id),
          sum(CASE WHEN status = 'active' THEN outstanding_principal_fen ELSE 0 END)
        FROM dashboard_loan_positions WHERE present = 1 GROUP BY case_id;
      CREATE TABLE dashboard_kept_end_groups (
        id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        month_start      TEXT    NOT NULL,
        start_date       TEXT    NOT NULL,
        start_written_at TEXT    NOT NULL,
        app_version      TEXT    NOT NULL,
        groups           TEXT    NOT NULL
      );
      CREATE TABLE dashboard_promise_paid (
        fact_id  TEXT    NOT NULL PRIMARY KEY,
        last_day TEXT    NOT NULL,
        paid_fen INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE dashboard_promise_paid_state (
        id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        month_start TEXT    NOT NULL,
        grace_days  INTEGER NOT NULL
      );
      CREATE TRIGGER dashboard_dirty_promises_insert AFTER INSERT ON promises
      WHEN EXISTS (SELECT 1 FROM dashboard_positions_state)
      BEGIN
        INSERT OR IGNORE INTO dashboard_dirty_cases (case_id) VALUES (NEW.case_id);
      END;
    `);
  },
};
