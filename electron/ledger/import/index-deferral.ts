// Builds the worklist indexes on `cases` once, after a large import, instead of moving
// every case's entries in them row by row. A new case is inserted into each of them, then
// moved again when its derived columns (priority, bucket, search text) are written: for a
// file that brings most of the ledger's cases, dropping them and building them from the
// finished rows (a sort each) is several times cheaper. A small import into a big ledger
// keeps them: rebuilding costs a pass over every case.
//
// Must run inside the caller's transaction, with finish() before its COMMIT: SQLite's DDL
// is transactional, so a rollback (cancel, error, the app killed) restores the indexes.
// cases_borrower stays: the import and the search rebuild look cases up by borrower.
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

/** Below this many rows an import never drops indexes (rebuilding has a fixed cost). */
const MIN_ROWS = 5_000;
const KEEP = new Set(['cases_borrower']);
const TABLES = ['cases'];

export class CaseIndexDeferral {
  private dropped: { name: string; sql: string }[] = [];

  constructor(private readonly db: LedgerDb) {}

  /** Drops the worklist indexes when `rows` is large against the cases the ledger holds. */
  begin(rows: number): boolean {
    if (!this.db.inTransaction) throw new Error('CaseIndexDeferral must run inside a transaction');
    if (rows < MIN_ROWS) return false;
    const cases = stmt<number>(this.db, 'SELECT count(*) FROM cases').pluck().get() ?? 0;
    if (rows < cases) return false;
    const indexes = stmt<{ name: string; sql: string }>(
      this.db,
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (${TABLES.map((t) => `'${t}'`).join(', ')})
         AND sql IS NOT NULL ORDER BY name`,
    ).all();
    for (const index of indexes) {
      if (KEEP.has(index.name)) continue;
      this.db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
      this.dropped.push(index);
    }
    return this.dropped.length > 0;
  }

  /** Creates the dropped indexes again from their own definitions. */
  finish(): void {
    for (const index of this.dropped) this.db.exec(index.sql);
    this.dropped = [];
  }
}
