// Schema v13: secondary indexes set aside during a first download.
//
// A first download into an empty ledger drops the explicit secondary indexes of the tables
// it fills most (facts, their side tables, contact points, cases) and builds each once at
// the end, in the last page's transaction, instead of moving ~60,000 rows through them one
// by one (sync/index-deferral.ts). Each dropped index's CREATE statement waits here, in the
// same transaction as the DROP, so a device killed mid-download can always rebuild them:
// the sync client does so when the ledger is next opened and at the start of any pull
// that does not continue that download. Empty whenever no download is running.
import type { LedgerDb } from '../db';

export const migration0013 = {
  version: 13,
  name: 'download-indexes',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE sync_deferred_indexes (
        name       TEXT PRIMARY KEY,
        table_name TEXT NOT NULL,
        sql        TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
