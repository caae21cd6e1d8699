// Schema v5: what the desktop portfolio import needs.
//
// - search_text_deferred: while it holds its one row, the search_text triggers (0002) do
//   nothing. Only the portfolio import writes it, inside its own transaction, and empties
//   it again before commit after rebuilding the search text of every case it touched (so
//   no other connection ever sees the row, and a killed import's rollback removes it).
//   Without it a new loan recomputes its case's search text four or more times (case,
//   each phone, the loan), each rewrite moving the case's entries in the worklist indexes.
// - import_mappings: column mappings the user saved per source system (SavedMapping JSON,
//   shared/import/saved-mapping), so the next file from that system maps itself.
import type { LedgerDb } from '../db';

/** The guard the search triggers check; see ledger/import/search-deferral.ts. */
export const SEARCH_DEFERRED_GUARD = 'NOT EXISTS (SELECT 1 FROM search_text_deferred)';

export const migration0005 = {
  version: 5,
  name: 'import',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE search_text_deferred (
        id INTEGER PRIMARY KEY CHECK (id = 1)
      );

      CREATE TABLE import_mappings (
        source_system TEXT PRIMARY KEY,
        -- SavedMapping as JSON (validated by SavedMappingSchema when read and written)
        mapping       TEXT NOT NULL,
        saved_at      TEXT NOT NULL,
        saved_by      TEXT NOT NULL REFERENCES users(id)
      ) WITHOUT ROWID;
    `);
    // Every trigger that maintains cases.search_text (whatever migrations before this one
    // made of them) gets the guard as its WHEN clause; its body is unchanged.
    const triggers = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%SET search_text =%' ORDER BY name`,
      )
      .all() as { name: string; sql: string }[];
    for (const t of triggers) {
      const head = t.sql.split(/\sBEGIN\s/i)[0] ?? '';
      if (/\bWHEN\b/i.test(head)) {
        throw new Error(`Trigger ${t.name} already has a WHEN clause: extend 0005 to combine it`);
      }
      const guarded = t.sql.replace(/\sBEGIN\s/i, ` WHEN ${SEARCH_DEFERRED_GUARD} BEGIN `);
      if (guarded === t.sql) throw new Error(`Trigger ${t.name}: no BEGIN found`);
      db.exec(`DROP TRIGGER ${t.name}; ${guarded}`);
    }
  },
};
