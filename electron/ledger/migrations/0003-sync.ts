// Schema v3: what the sync client keeps beside the ledger.
//
// - sync_state: enrolment (server URL, device token — the ledger is encrypted at rest),
//   last successful sync, first-download progress. One row per key.
// - sync_cursors: the pull cursor per signed-in user (the server issues cursors per user).
//   A cursor is written in the same transaction as the page it follows, so an
//   interrupted pull resumes after the last page that was applied.
// - sync_case_removals: cases the server took off this device while it still had pending
//   mutations on them; removed once those are pushed.
// - sync_download_seen: the cases a full download (first sync, resync) has listed so far.
// - sign_in_attempts: offline sign-in failures and lockout per user (survives a restart).
// - case_purge: while a case id is listed here, the append-only tables accept DELETEs of
//   that case's rows. Only the sync client's case removal writes it, inside the
//   transaction that removes the case, and empties it again before commit.
import type { LedgerDb } from '../db';

export const migration0003 = {
  version: 3,
  name: 'sync',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE sync_cursors (
        user_id    TEXT PRIMARY KEY,
        cursor     TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE sync_case_removals (
        case_id      TEXT PRIMARY KEY,
        requested_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE sign_in_attempts (
        user_id      TEXT PRIMARY KEY,
        failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
        locked_until TEXT
      ) WITHOUT ROWID;

      -- Cases listed by the full download running now (first sync or resync), so that at
      -- its end the cases the server no longer lists for this device can be taken off.
      CREATE TABLE sync_download_seen (
        case_id TEXT PRIMARY KEY
      ) WITHOUT ROWID;

      CREATE TABLE case_purge (
        case_id TEXT PRIMARY KEY
      ) WITHOUT ROWID;
    `);
    // Every append-only table that belongs to a case may be purged for a case listed in
    // case_purge; updates stay forbidden, and tables without a case (audit) stay whole.
    const triggers = db
      .prepare(
        `SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_delete' ESCAPE '\\'`,
      )
      .all() as { name: string; tbl_name: string }[];
    for (const t of triggers) {
      const columns = db.prepare(`PRAGMA table_info(${t.tbl_name})`).all() as { name: string }[];
      if (!columns.some((c) => c.name === 'case_id')) continue;
      db.exec(`
        DROP TRIGGER ${t.name};
        CREATE TRIGGER ${t.name} BEFORE DELETE ON ${t.tbl_name}
        WHEN NOT EXISTS (SELECT 1 FROM case_purge WHERE case_id = OLD.case_id)
        BEGIN SELECT RAISE(ABORT, '${t.tbl_name} is append-only: record a correcting fact instead'); END;
      `);
    }
  },
};
