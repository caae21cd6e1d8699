// Schema v8: what the first dashboard after opening the ledger reads, cold (nothing kept
// in memory, SQLite's page cache empty), for a 50,000-case branch:
// - facts_promise_date, facts_payment_date: promise and payment facts with who recorded
//   them, by business date (partial: contacts and the other facts pay nothing for them).
//   The month's ~45,000 promises and its payments then find their officer in a small
//   index of that month's facts, its pages read once, instead of by seeks spread over the
//   index of every fact (each a cold page to decrypt on the first dashboard).
// - dashboard_loan_positions_case_cover replaces dashboard_loan_positions_case: each
//   case's balance and officer on the dashboard date are summed from the index alone, in
//   case order (no sort, no table lookups). It still serves every read by case.
// - cases_dashboard_by_id: the cases columns the dashboard reads, in id order, so the
//   cases merge with those sums in step (no sort, no map of 50,000 ids).
// Queries name no index: without these the same answers come, only slower.
import type { LedgerDb } from '../db';

export const migration0008 = {
  version: 8,
  name: 'dashboard-reads',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE INDEX facts_promise_date ON facts (business_date, id, recorded_by) WHERE kind = 'promise';
      CREATE INDEX facts_payment_date ON facts (business_date, id, recorded_by) WHERE kind = 'payment';
      CREATE INDEX dashboard_loan_positions_case_cover ON dashboard_loan_positions
        (case_id, present, status, outstanding_principal_fen, officer_id);
      DROP INDEX dashboard_loan_positions_case;
      CREATE INDEX cases_dashboard_by_id ON cases (id, opened_on, officer_id, status, last_contact_on);
    `);
  },
};
