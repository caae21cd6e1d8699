// Builds the secondary indexes of cases, borrowers and contact points once, after a large
// import, instead of moving every row's entries in them one by one. A new case is inserted
// into each worklist index, then moved again when its search text is written; a new
// borrower's pinyin initials and a new phone number land at random places in their indexes
// (each insert touching, and on a ledger bigger than the page cache re-reading and
// decrypting, a page of its own). For a file that brings most of the ledger's rows,
// dropping them and building them from the finished rows (a sort each) is several times
// cheaper. A small import into a big ledger keeps them: rebuilding costs a pass over every row.
//
// Must run inside the caller's transaction, with finish() before its COMMIT: SQLite's DDL
// is transactional, so a rollback (cancel, error, the app killed) restores the indexes.
// Kept: cases_borrower and contact_points_borrower, which the import's own lookups, the
// search text and the re-derivation use while it runs.
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

/** Below this many rows an import never drops indexes (rebuilding has a fixed cost). */
const MIN_ROWS = 5_000;
const KEEP = new Set(['cases_borrower', 'contact_points_borrower']);
/**
 * Rows per case the ledger holds at which a table's indexes are dropped: the worklist
 * indexes move for every case a file touches (new or re-derived), so a re-import of the
 * whole book rebuilds them too; borrowers and phone numbers are only added for new loans,
 * so their indexes are rebuilt only when most of the file is new to the ledger.
 */
const TABLES: Record<string, number> = { cases: 1, borrowers: 2, contact_points: 2 };

export class CaseIndexDeferral {
  private dropped: { name: string; sql: string }[] = [];

  constructor(private readonly db: LedgerDb) {}

  /** Drops the indexes when `rows` is large against the cases the ledger holds. */
  begin(rows: number): boolean {
    if (!this.db.inTransaction) throw new Error('CaseIndexDeferral must run inside a transaction');
    if (rows < MIN_ROWS) return false;
    const cases = stmt<number>(this.db, 'SELECT count(*) FROM cases').pluck().get() ?? 0;
    const tables = Object.keys(TABLES).filter((t) => rows >= cases * (TABLES[t] ?? 1));
    if (tables.length === 0) return false;
    const indexes = stmt<{ name: string; sql: string }>(
      this.db,
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (SELECT value FROM json_each(?))
         AND sql IS NOT NULL ORDER BY name`,
    ).all(JSON.stringify(tables));
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
