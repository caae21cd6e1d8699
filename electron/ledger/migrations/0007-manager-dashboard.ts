// Schema v7: what keeps the manager's dashboard of a 50,000-case branch under 500 ms.
//
// - dashboard_loan_positions: every loan's position (the LoanSnapshot figures) computed
//   for one business date `computed_for`, valid without change up to `valid_until` (the
//   day before an instalment falls due, a plan takes effect, a reassignment or a dated
//   payment applies). Between the two only the days past due move, and they follow from
//   oldest_unpaid_due; a new month only re-bases the month-to-date due and paid. So the
//   dashboard of a new day recomputes only the loans whose row ran out, not 50,000 loans
//   from their schedules and payments (electron/ledger/manager/loan-positions.ts).
// - dashboard_positions_state: the date every row is valid on (one row; absent until the
//   table is first built).
// - dashboard_dirty_cases: cases whose money, schedule or officer changed since their
//   rows were computed, marked by the triggers below (only once the table is built), and
//   recomputed at the next dashboard.
// - dashboard_contact_tally: contacts counted by business date, officer (facts.recorded_by),
//   party and outcome, kept by triggers: a month of a branch's contacts is ~180,000 rows,
//   while every contact figure of the dashboard is a count of this tally. The rows behind
//   a figure are still read from contacts when the manager opens it.
// - Covering indexes for the month's reads: who recorded a fact (facts id → recorded_by,
//   without touching the payload), core-banking repayments by date (promise statuses),
//   promises by made / due date, and the cases columns the dashboard reads.
// Every table that belongs to a case has a case_id column (the sync client's case removal).
import type { LedgerDb } from '../db';

/** Tables whose rows change a loan's position, with the case id of the changed row. */
const DIRTYING: readonly { table: string; events: readonly string[]; caseOf: string }[] = [
  { table: 'payments', events: ['INSERT', 'DELETE'], caseOf: 'case_id' },
  { table: 'payment_reversals', events: ['INSERT', 'DELETE'], caseOf: 'case_id' },
  { table: 'core_repayments', events: ['INSERT', 'DELETE', 'UPDATE'], caseOf: 'case_id' },
  { table: 'loans', events: ['INSERT', 'DELETE'], caseOf: 'case_id' },
  {
    table: 'loans',
    events: ['UPDATE OF status, case_id, disbursed_on, principal_fen'],
    caseOf: 'case_id',
  },
  {
    table: 'instalments',
    events: ['INSERT', 'DELETE', 'UPDATE'],
    caseOf: '(SELECT l.case_id FROM loans l WHERE l.id = ROW.loan_id)',
  },
  { table: 'loan_restructurings', events: ['INSERT', 'DELETE'], caseOf: 'case_id' },
  { table: 'loan_original_schedules', events: ['INSERT', 'DELETE'], caseOf: 'case_id' },
  { table: 'case_reassignments', events: ['INSERT', 'DELETE'], caseOf: 'case_id' },
  { table: 'cases', events: ['UPDATE OF officer_id'], caseOf: 'id' },
];

function dirtyingTriggers(): string {
  const out: string[] = [];
  for (const { table, events, caseOf } of DIRTYING) {
    for (const event of events) {
      const row = event === 'DELETE' ? 'OLD' : 'NEW';
      const caseExpr = caseOf.startsWith('(')
        ? caseOf.replace('ROW.', `${row}.`)
        : `${row}.${caseOf}`;
      const name = `dashboard_dirty_${table}_${event.split(' ')[0]!.toLowerCase()}${event.includes('OF') ? '_of' : ''}`;
      out.push(`
        CREATE TRIGGER ${name} AFTER ${event} ON ${table}
        WHEN EXISTS (SELECT 1 FROM dashboard_positions_state)
        BEGIN
          INSERT OR IGNORE INTO dashboard_dirty_cases (case_id) SELECT ${caseExpr} WHERE ${caseExpr} IS NOT NULL;
        END;`);
    }
  }
  return out.join('\n');
}

export const migration0007 = {
  version: 7,
  name: 'manager-dashboard',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE dashboard_loan_positions (
        loan_id                   TEXT    NOT NULL PRIMARY KEY,
        case_id                   TEXT    NOT NULL,
        computed_for              TEXT    NOT NULL,
        valid_until               TEXT    NOT NULL,
        -- 0 while the loan is not disbursed on computed_for (not in that day's portfolio)
        present                   INTEGER NOT NULL CHECK (present IN (0, 1)),
        officer_id                TEXT    NOT NULL,
        outstanding_principal_fen INTEGER NOT NULL,
        overdue_principal_fen     INTEGER NOT NULL,
        arrears_fen               INTEGER NOT NULL,
        oldest_unpaid_due         TEXT,
        restructured              INTEGER NOT NULL CHECK (restructured IN (0, 1)),
        status                    TEXT    NOT NULL CHECK (status IN ('active', 'closed')),
        due_in_period_fen         INTEGER NOT NULL,
        paid_in_period_fen        INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX dashboard_loan_positions_case ON dashboard_loan_positions (case_id);
      CREATE INDEX dashboard_loan_positions_expiry ON dashboard_loan_positions (valid_until, case_id);

      CREATE TABLE dashboard_positions_state (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        valid_on TEXT NOT NULL
      );

      CREATE TABLE dashboard_dirty_cases (
        case_id TEXT PRIMARY KEY
      ) WITHOUT ROWID;

      CREATE TABLE dashboard_contact_tally (
        business_date TEXT    NOT NULL,
        officer_id    TEXT    NOT NULL,
        party         TEXT    NOT NULL,
        outcome       TEXT    NOT NULL,
        contacts      INTEGER NOT NULL CHECK (contacts >= 0),
        PRIMARY KEY (business_date, officer_id, party, outcome)
      ) WITHOUT ROWID;

      INSERT INTO dashboard_contact_tally (business_date, officer_id, party, outcome, contacts)
        SELECT c.business_date, f.recorded_by, c.party, c.outcome, count(*)
        FROM contacts c JOIN facts f ON f.id = c.fact_id
        GROUP BY c.business_date, f.recorded_by, c.party, c.outcome;

      CREATE TRIGGER dashboard_contact_tally_insert AFTER INSERT ON contacts
      BEGIN
        INSERT INTO dashboard_contact_tally (business_date, officer_id, party, outcome, contacts)
        VALUES (NEW.business_date, coalesce((SELECT f.recorded_by FROM facts f WHERE f.id = NEW.fact_id), ''),
                NEW.party, NEW.outcome, 1)
        ON CONFLICT (business_date, officer_id, party, outcome) DO UPDATE SET contacts = contacts + 1;
      END;
      -- Contacts are append-only; only a case removal (sync) deletes them, with their
      -- facts, in either order: whichever row goes second finds the other one gone, so
      -- each contact is taken off the tally exactly once.
      CREATE TRIGGER dashboard_contact_tally_delete AFTER DELETE ON contacts
      WHEN EXISTS (SELECT 1 FROM facts f WHERE f.id = OLD.fact_id)
      BEGIN
        UPDATE dashboard_contact_tally SET contacts = contacts - 1
        WHERE business_date = OLD.business_date
          AND officer_id = (SELECT f.recorded_by FROM facts f WHERE f.id = OLD.fact_id)
          AND party = OLD.party AND outcome = OLD.outcome AND contacts > 0;
      END;
      CREATE TRIGGER dashboard_contact_tally_delete_fact AFTER DELETE ON facts
      WHEN OLD.kind = 'contact'
      BEGIN
        UPDATE dashboard_contact_tally SET contacts = contacts - 1
        WHERE (business_date, officer_id, party, outcome) IN
          (SELECT c.business_date, OLD.recorded_by, c.party, c.outcome FROM contacts c
           WHERE c.case_id = OLD.case_id AND c.fact_id = OLD.id)
          AND contacts > 0;
      END;

      CREATE INDEX facts_recorded_by ON facts (id, recorded_by);
      CREATE INDEX core_repayments_paid_on ON core_repayments (paid_on, case_id, loan_id, amount_fen, field_receipt_no);
      CREATE INDEX promises_made_on_cover ON promises (made_on, due_date, case_id, fact_id, amount_fen);
      CREATE INDEX promises_due_date_cover ON promises (due_date, made_on, case_id, fact_id, amount_fen);
      CREATE INDEX cases_dashboard ON cases (opened_on, id, officer_id, status, last_contact_on);
    `);
    db.exec(dirtyingTriggers());
  },
};
