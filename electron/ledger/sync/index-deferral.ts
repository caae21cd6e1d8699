// A first download into an empty ledger writes ~60,000 rows; every secondary index of the
// tables it fills is moved row by row, page after page (cases alone have twelve, and the
// final re-derivation moves each case through them again). Instead the download drops the
// indexes named in DEFERRED_INDEXES in its first page's transaction and builds each once,
// from sorted rows, in its last page's transaction, after the re-derivation.
//
// Invariants:
// - Only named, non-UNIQUE `CREATE INDEX` indexes are dropped: primary keys and UNIQUE
//   constraints stay, so every uniqueness check and every lookup by id the download makes
//   is the same. Queries give the same answers without the others, only slower (a scan of
//   tables the download is filling), unless they name an index (INDEXED BY): see below.
// - Each dropped index's CREATE statement is stored (sync_deferred_indexes, migration
//   0013) in the same transaction as its DROP, and removed in the same transaction as its
//   rebuild: a device killed at any point has either every index or their statements.
// - An abandoned download (killed, wiped, re-enrolled, another user) gets them back: the
//   ledger's next open rebuilds them (ensureSyncSchema), and so does any pull that does
//   not continue the download that set them aside.
//
// The same download holds the AFTER INSERT triggers of DEFERRED_TRIGGERS (the dashboard's:
// some 60,000 trigger programs run per first download, ~1 µs each for a guard that is
// false on a new ledger, and the contact tally's upsert for each of ~8,000 contacts) and
// puts their effect back at once when it creates them again (restoreHeldTriggers):
// - dashboard_contact_tally_insert: the tally is counted again from contacts and facts,
//   the same figures the trigger would have left (the migration's own fill, 0007);
// - dashboard_dirty_*_insert (guard: the loan positions are built): when the positions
//   were built meanwhile (a manager opened the dashboard mid-download), every case is
//   marked dirty, so the next dashboard recomputes them all;
// - dashboard_kept_forget_*_insert (guard: a kept summary exists): the kept summary is
//   forgotten, which is always allowed (the next dashboard computes it).
// Their statements wait in the same table as the indexes', with the same self-heal. While
// the download runs the dashboard sees a ledger still filling: the contacts already in it
// are tallied, and a summary kept meanwhile is forgotten, when the download ends.
// The portfolio import defers indexes too (import/index-deferral.ts), but inside its one
// transaction: a rollback brings them back, so it keeps their statements in memory. A
// download spans a transaction per page, hence the table here.
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

/**
 * The indexes set aside, by name: secondary indexes of the tables a first download fills
 * most (facts and their side tables, contact points, cases). Named one by one, so an index
 * added later is never dropped by surprise. Left out on purpose:
 * - cases_borrower, contact_points_borrower: each page builds its borrowers' search text
 *   through them (search-deferral.ts); without them it scans every case and phone once
 *   per borrower, page after page.
 * - indexes a query names with INDEXED BY (the dashboard's promises_*_cover,
 *   core_repayments_paid_on): without them that query fails instead of running slower.
 *   test/sync/download-indexes.test.ts checks the sources for INDEXED BY.
 * Primary keys and UNIQUE constraints (autoindexes) are never touched.
 */
export const DEFERRED_INDEXES: readonly string[] = [
  'facts_case_time',
  'facts_payment_date',
  'facts_recorded_by',
  'contacts_business_date',
  'contact_points_value',
  'payments_case',
  'payments_paid_on',
  'cases_dashboard',
  'cases_dashboard_by_id',
  'cases_places',
  'cases_worklist',
  'cases_worklist_bucket',
  'cases_worklist_filters',
  'cases_worklist_officer',
  'cases_worklist_officer_route',
  'cases_worklist_route',
  'cases_worklist_township',
  'cases_worklist_village',
];

/**
 * AFTER INSERT triggers held for a download into an empty ledger, by name (a trigger added
 * later is never held by surprise; test/sync/download-indexes.test.ts checks each one's
 * guard, on which its compensation in restoreHeldTriggers relies). UPDATE and DELETE
 * triggers all stay.
 */
export const DEFERRED_TRIGGERS: readonly string[] = [
  'dashboard_contact_tally_insert',
  'dashboard_dirty_case_reassignments_insert',
  'dashboard_dirty_core_repayments_insert',
  'dashboard_dirty_instalments_insert',
  'dashboard_dirty_loan_original_schedules_insert',
  'dashboard_dirty_loan_restructurings_insert',
  'dashboard_dirty_loans_insert',
  'dashboard_dirty_payment_reversals_insert',
  'dashboard_dirty_payments_insert',
  'dashboard_dirty_promises_insert',
  'dashboard_kept_forget_cases_insert',
  'dashboard_kept_forget_contacts_insert',
  'dashboard_kept_forget_core_repayments_insert',
  'dashboard_kept_forget_facts_insert',
  'dashboard_kept_forget_loan_snapshot_days_insert',
  'dashboard_kept_forget_loan_snapshots_insert',
  'dashboard_kept_forget_override_reviews_insert',
  'dashboard_kept_forget_overrides_insert',
  'dashboard_kept_forget_payment_reversals_insert',
  'dashboard_kept_forget_payments_insert',
  'dashboard_kept_forget_promises_insert',
  'dashboard_kept_forget_users_insert',
];

function deferralTableExists(db: LedgerDb): boolean {
  return (
    stmt<number>(
      db,
      `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_deferred_indexes'`,
    )
      .pluck()
      .get() === 1
  );
}

/** True when some index is set aside (a download has not finished, or was abandoned). */
export function indexesDeferred(db: LedgerDb): boolean {
  return (
    deferralTableExists(db) &&
    stmt<number>(db, 'SELECT 1 FROM sync_deferred_indexes LIMIT 1').pluck().get() === 1
  );
}

/**
 * Drops the DEFERRED_INDEXES when the ledger holds no case yet
 * (a download into a ledger with data would rebuild indexes over everything it had).
 * Inside the page's transaction. Returns how many were set aside.
 */
export function deferDownloadIndexes(db: LedgerDb): number {
  if (!db.inTransaction) throw new Error('deferDownloadIndexes must run inside a transaction');
  if (!deferralTableExists(db) || indexesDeferred(db)) return 0;
  if (stmt(db, 'SELECT 1 FROM cases LIMIT 1').get() !== undefined) return 0;
  const indexes = schemaObjects(db, 'index', DEFERRED_INDEXES).filter(
    (i) => !/^\s*CREATE\s+UNIQUE\b/i.test(i.sql),
  );
  const triggers = schemaObjects(db, 'trigger', DEFERRED_TRIGGERS);
  for (const [type, objects] of [
    ['INDEX', indexes],
    ['TRIGGER', triggers],
  ] as const) {
    for (const o of objects) {
      stmt(db, 'INSERT INTO sync_deferred_indexes (name, table_name, sql) VALUES (?, ?, ?)').run(
        o.name,
        o.tbl_name,
        o.sql,
      );
      db.exec(`DROP ${type} "${o.name.replaceAll('"', '""')}"`);
    }
  }
  return indexes.length + triggers.length;
}

/** The named indexes or triggers of the ledger with their SQL, in table and name order. */
function schemaObjects(
  db: LedgerDb,
  type: 'index' | 'trigger',
  names: readonly string[],
): { name: string; tbl_name: string; sql: string }[] {
  return stmt<{ name: string; tbl_name: string; sql: string }>(
    db,
    `SELECT name, tbl_name, sql FROM sqlite_master
      WHERE type = ? AND sql IS NOT NULL AND name IN (SELECT value FROM json_each(?))
      ORDER BY tbl_name, name`,
  ).all(type, JSON.stringify(names));
}

function schemaHas(db: LedgerDb, type: 'index' | 'trigger', name: string): boolean {
  return (
    stmt<number>(db, 'SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?')
      .pluck()
      .get(type, name) === 1
  );
}

const HELD_TRIGGERS = `SELECT d.name, d.sql,
    EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'table' AND m.name = d.table_name) AS table_exists
  FROM sync_deferred_indexes d WHERE d.sql LIKE 'CREATE TRIGGER%' ORDER BY d.table_name, d.name`;

/**
 * Creates the held triggers again and puts back what they would have done (see the top of
 * the file), in the caller's transaction. A download's last page calls it before removing
 * the cases the download did not list, so their contacts come off the tally through its
 * delete triggers, as always. Returns how many triggers were held.
 */
export function restoreHeldTriggers(db: LedgerDb): number {
  if (!db.inTransaction) throw new Error('restoreHeldTriggers must run inside a transaction');
  if (!indexesDeferred(db)) return 0;
  const held = stmt<{ name: string; sql: string; table_exists: number }>(db, HELD_TRIGGERS).all();
  if (held.length === 0) return 0;
  for (const t of held) {
    // One created meanwhile (a migration) is left as it is; one whose table is gone has nothing to watch.
    if (!schemaHas(db, 'trigger', t.name) && t.table_exists === 1) db.exec(t.sql);
    stmt(db, 'DELETE FROM sync_deferred_indexes WHERE name = ?').run(t.name);
  }
  // What the held triggers would have left.
  const names = new Set(held.map((t) => t.name));
  if (names.has('dashboard_contact_tally_insert')) {
    stmt(db, 'DELETE FROM dashboard_contact_tally').run();
    // The trigger's own figures: officer '' for a contact whose fact is missing.
    stmt(
      db,
      `INSERT INTO dashboard_contact_tally (business_date, officer_id, party, outcome, contacts)
       SELECT c.business_date, coalesce(f.recorded_by, ''), c.party, c.outcome, count(*)
         FROM contacts c LEFT JOIN facts f ON f.id = c.fact_id
        GROUP BY c.business_date, coalesce(f.recorded_by, ''), c.party, c.outcome`,
    ).run();
  }
  if (held.some((t) => t.name.startsWith('dashboard_dirty_'))) {
    stmt(
      db,
      `INSERT OR IGNORE INTO dashboard_dirty_cases (case_id)
       SELECT id FROM cases WHERE EXISTS (SELECT 1 FROM dashboard_positions_state)`,
    ).run();
  }
  if (held.some((t) => t.name.startsWith('dashboard_kept_forget_'))) {
    stmt(db, 'DELETE FROM dashboard_kept_summary').run();
  }
  return held.length;
}

/**
 * Creates the held triggers again (restoreHeldTriggers), builds every index set aside and
 * forgets their statements, in the caller's transaction or in one of its own. Returns how
 * many indexes were built. An index that exists already (built by hand, or by a
 * migration) is left as it is.
 */
export function restoreDeferredIndexes(db: LedgerDb): number {
  if (!indexesDeferred(db)) return 0;
  const restore = (): number => {
    restoreHeldTriggers(db);
    // An index whose table a later migration removed has nothing left to index.
    const rows = stmt<{ name: string; sql: string }>(
      db,
      `SELECT d.name, d.sql FROM sync_deferred_indexes d
        WHERE EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'table' AND m.name = d.table_name)
        ORDER BY d.table_name, d.name`,
    ).all();
    let built = 0;
    for (const r of rows) {
      if (!schemaHas(db, 'index', r.name)) {
        db.exec(r.sql);
        built++;
      }
    }
    stmt(db, 'DELETE FROM sync_deferred_indexes').run();
    return built;
  };
  return db.inTransaction ? restore() : db.transaction(restore).immediate();
}
