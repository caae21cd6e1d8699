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
  const indexes = stmt<{ name: string; tbl_name: string; sql: string }>(
    db,
    `SELECT name, tbl_name, sql FROM sqlite_master
      WHERE type = 'index' AND sql IS NOT NULL AND name IN (SELECT value FROM json_each(?))
      ORDER BY tbl_name, name`,
  )
    .all(JSON.stringify(DEFERRED_INDEXES))
    .filter((i) => !/^\s*CREATE\s+UNIQUE\b/i.test(i.sql));
  for (const i of indexes) {
    stmt(db, 'INSERT INTO sync_deferred_indexes (name, table_name, sql) VALUES (?, ?, ?)').run(
      i.name,
      i.tbl_name,
      i.sql,
    );
    db.exec(`DROP INDEX "${i.name.replaceAll('"', '""')}"`);
  }
  return indexes.length;
}

/**
 * Builds every index set aside and forgets their statements, in the caller's transaction
 * or in one of its own. Returns how many were built. An index that exists already (built
 * by hand, or by a migration) is left as it is.
 */
export function restoreDeferredIndexes(db: LedgerDb): number {
  if (!indexesDeferred(db)) return 0;
  const restore = (): number => {
    // An index whose table a later migration removed has nothing left to index.
    const rows = stmt<{ name: string; sql: string }>(
      db,
      `SELECT d.name, d.sql FROM sync_deferred_indexes d
        WHERE EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'table' AND m.name = d.table_name)
        ORDER BY d.table_name, d.name`,
    ).all();
    let built = 0;
    for (const r of rows) {
      const exists = stmt<number>(
        db,
        `SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`,
      )
        .pluck()
        .get(r.name);
      if (exists !== 1) {
        db.exec(r.sql);
        built++;
      }
    }
    stmt(db, 'DELETE FROM sync_deferred_indexes').run();
    return built;
  };
  return db.inTransaction ? restore() : db.transaction(restore).immediate();
}
