// Schema v4: what the branch manager's review needs.
//
// - loan_snapshots: one row per loan per CLOSED business date (LoanSnapshot in
//   shared/domain/portfolio/types.ts), the history roll and cure rates compare. A day is
//   snapshotted once it is over (the end of a business date), and at most once:
//   loan_snapshot_days lists the days written, so a second call for a day writes nothing.
//   Today's figures are computed live and never stored (they change with every payment).
// - case_reassignments: the typed side row of a 'reassignment' fact (who had the case,
//   who has it now, from which business date, why), so the officer of a case on any past
//   date can be answered.
// - loan_restructurings: a loan whose repayment plan was approved; from effective_on the
//   plan's instalments are the loan's schedule. loan_original_schedules keeps the
//   schedule the plan replaced, so snapshots of earlier dates still use it.
// - override_reviews: a manager has looked at a conduct override (one review each).
// - Date indexes on contacts, promises and payments: the dashboard reads a month of the
//   branch's activity by date.
// Every table that belongs to a case has a case_id column, so the sync client's case
// removal (which discovers such tables) takes their rows with the case. No foreign keys
// to facts: a case removal deletes tables in creation order.
import type { LedgerDb } from '../db';

const APPEND_ONLY_TABLES = [
  'case_reassignments',
  'loan_restructurings',
  'override_reviews',
] as const;

export const migration0004 = {
  version: 4,
  name: 'manager',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE loan_snapshots (
        as_of                     TEXT    NOT NULL,
        loan_id                   TEXT    NOT NULL,
        case_id                   TEXT    NOT NULL,
        officer_id                TEXT    NOT NULL,
        outstanding_principal_fen INTEGER NOT NULL CHECK (outstanding_principal_fen >= 0),
        overdue_principal_fen     INTEGER NOT NULL CHECK (overdue_principal_fen >= 0),
        arrears_fen               INTEGER NOT NULL CHECK (arrears_fen >= 0),
        days_past_due             INTEGER NOT NULL CHECK (days_past_due >= 0),
        bucket                    TEXT    NOT NULL,
        restructured              INTEGER NOT NULL CHECK (restructured IN (0, 1)),
        status                    TEXT    NOT NULL CHECK (status IN ('active', 'closed')),
        due_in_period_fen         INTEGER,
        paid_in_period_fen        INTEGER,
        PRIMARY KEY (as_of, loan_id)
      ) WITHOUT ROWID;
      CREATE INDEX loan_snapshots_case ON loan_snapshots (case_id);

      CREATE TABLE loan_snapshot_days (
        as_of      TEXT PRIMARY KEY,
        written_at TEXT NOT NULL,
        loans      INTEGER NOT NULL CHECK (loans >= 0)
      ) WITHOUT ROWID;

      CREATE TABLE case_reassignments (
        fact_id         TEXT PRIMARY KEY,
        case_id         TEXT NOT NULL REFERENCES cases(id),
        from_officer_id TEXT NOT NULL,
        to_officer_id   TEXT NOT NULL,
        business_date   TEXT NOT NULL,
        at              TEXT NOT NULL,
        reason          TEXT NOT NULL
      );
      CREATE INDEX case_reassignments_case ON case_reassignments (case_id, at);

      CREATE TABLE loan_restructurings (
        loan_id          TEXT PRIMARY KEY REFERENCES loans(id),
        case_id          TEXT NOT NULL REFERENCES cases(id),
        proposal_fact_id TEXT NOT NULL UNIQUE,
        decision_fact_id TEXT NOT NULL UNIQUE,
        effective_on     TEXT NOT NULL
      );
      CREATE INDEX loan_restructurings_case ON loan_restructurings (case_id);

      CREATE TABLE loan_original_schedules (
        case_id       TEXT NOT NULL,
        loan_id       TEXT NOT NULL,
        seq           INTEGER NOT NULL CHECK (seq >= 1),
        due_date      TEXT NOT NULL,
        principal_fen INTEGER NOT NULL CHECK (principal_fen >= 0),
        interest_fen  INTEGER NOT NULL CHECK (interest_fen >= 0),
        PRIMARY KEY (loan_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE override_reviews (
        override_fact_id TEXT PRIMARY KEY,
        case_id          TEXT NOT NULL REFERENCES cases(id),
        reviewed_at      TEXT NOT NULL,
        reviewed_on      TEXT NOT NULL,
        reviewed_by      TEXT NOT NULL REFERENCES users(id),
        comment          TEXT
      );

      -- The dashboard reads a month of activity by date across the whole branch.
      CREATE INDEX contacts_business_date ON contacts (business_date);
      CREATE INDEX promises_due_date ON promises (due_date);
      CREATE INDEX promises_made_on ON promises (made_on);
      CREATE INDEX payments_paid_on ON payments (paid_on);
    `);
    // Append-only like the other fact side tables; a case listed in case_purge (the sync
    // client's case removal, see 0003) may still be deleted whole.
    for (const table of APPEND_ONLY_TABLES) {
      db.exec(`
        CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correcting fact instead'); END;
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
        WHEN NOT EXISTS (SELECT 1 FROM case_purge WHERE case_id = OLD.case_id)
        BEGIN SELECT RAISE(ABORT, '${table} is append-only: record a correcting fact instead'); END;
      `);
    }
  },
};
