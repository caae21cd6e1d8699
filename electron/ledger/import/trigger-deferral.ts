// Lifts, for the length of a bulk write (the portfolio import), the AFTER INSERT triggers
// that can do nothing while it runs, so SQLite does not run one trigger program per row
// written for nothing: a 100,000-loan file writes millions of instalment rows alone.
//
// - The search-text insert triggers (0002) are no-ops while search_text_deferred holds its
//   row (search-deferral.ts), which it does whenever rows are inserted: their WHEN guard
//   is false for every row. The search text is rebuilt through the UPDATE OF borrower_id
//   trigger, which stays.
// - The dashboard's dirty-case insert triggers (0007) are no-ops while
//   dashboard_positions_state is empty (the dashboard has never been built on this
//   ledger): their WHEN guard is false, and nothing in the import fills that table. Once
//   it is built they stay, and mark each new case dirty as usual.
//
// Only triggers listed here by name are lifted: a trigger added later is kept (correct,
// if slower) until someone checks it can be lifted too. Must run inside the caller's
// transaction, with finish() before anything else writes the lifted tables and before
// COMMIT: SQLite's DDL is transactional, so a rollback (cancel, error, the app killed)
// restores the triggers.
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

/** Guarded by search_text_deferred, which the import holds while it inserts. */
const SEARCH_INSERT_TRIGGERS = [
  'cases_search_on_insert',
  'contact_points_search_on_insert',
  'loans_search_on_insert',
];
/** Guarded by a non-empty dashboard_positions_state. */
const DASHBOARD_INSERT_TRIGGERS = [
  'dashboard_dirty_loans_insert',
  'dashboard_dirty_instalments_insert',
  'dashboard_dirty_core_repayments_insert',
];

export class InsertTriggerDeferral {
  private lifted: { name: string; sql: string }[] = [];

  constructor(private readonly db: LedgerDb) {}

  /** Drops the triggers that are no-ops for this import. The search guard row must be held. */
  begin(): void {
    if (!this.db.inTransaction)
      throw new Error('InsertTriggerDeferral must run inside a transaction');
    const names = [...SEARCH_INSERT_TRIGGERS];
    const dashboardBuilt =
      stmt<number>(this.db, 'SELECT EXISTS (SELECT 1 FROM dashboard_positions_state)')
        .pluck()
        .get() === 1;
    if (!dashboardBuilt) names.push(...DASHBOARD_INSERT_TRIGGERS);
    const triggers = stmt<{ name: string; sql: string }>(
      this.db,
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (SELECT value FROM json_each(?))
         AND sql IS NOT NULL ORDER BY name`,
    ).all(JSON.stringify(names));
    for (const trigger of triggers) {
      this.db.exec(`DROP TRIGGER "${trigger.name.replaceAll('"', '""')}"`);
      this.lifted.push(trigger);
    }
  }

  /** Creates the lifted triggers again from their own definitions. */
  finish(): void {
    for (const trigger of this.lifted) this.db.exec(trigger.sql);
    this.lifted = [];
  }
}
