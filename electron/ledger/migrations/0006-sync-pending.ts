// Schema v6: pulled items the ledger could not apply yet.
//
// - sync_pending_items: an item of the change feed that arrived before what it needs (a
//   reversal before its payment, a plan decision before its proposal, a loan before its
//   case). Kept with the reason and retried at the end of every later page, in that page's
//   transaction; deleted once applied. A full download (first sync, resync) sends
//   everything again and starts the table afresh. case_id (null for items of no case) lets
//   the sync client's case removal take a removed case's items with it.
import type { LedgerDb } from '../db';

export const migration0006 = {
  version: 6,
  name: 'sync-pending',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE sync_pending_items (
        item_key      TEXT PRIMARY KEY,
        case_id       TEXT,
        item          TEXT NOT NULL,
        why           TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        attempts      INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1)
      ) WITHOUT ROWID;
      CREATE INDEX sync_pending_items_case ON sync_pending_items (case_id);
    `);
  },
};
