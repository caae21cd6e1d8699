// Takes a case and everything belonging to it off this device (the server moved it to
// another officer). Facts are append-only everywhere else: the purge permit in
// case_purge (migration 0003) opens the delete triggers for this one case, inside this
// transaction only. The outbox keeps its rows (a refused mutation on the case stays
// visible); the audit trail keeps its entries (they carry no borrower data); a refused
// fact's row waits in refused_facts_away for the case to come back (refusals.ts).
import type { LedgerDb } from '../db';
import { stmt } from '../statements';
import { keepRefusedFactsAway } from './refusals';

const KEEP = new Set([
  'outbox',
  'case_purge',
  'sync_case_removals',
  'sync_download_seen',
  'cases',
  'refused_facts_away',
]);

let caseTablesCache: WeakMap<LedgerDb, string[]> = new WeakMap();

/** Tables with a case_id column (discovered, so tables later migrations add are included). */
function caseTables(db: LedgerDb): string[] {
  let tables = caseTablesCache.get(db);
  if (!tables) {
    const names = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .pluck()
      .all() as string[];
    tables = names.filter(
      (t) =>
        !KEEP.has(t) &&
        (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).some(
          (c) => c.name === 'case_id',
        ),
    );
    caseTablesCache.set(db, tables);
  }
  return tables;
}

/** For tests that add tables after the first removal. */
export function forgetCaseTables(): void {
  caseTablesCache = new WeakMap();
}

/** Removes the case; the caller owns the transaction. Returns false if it was not here. */
export function removeCase(db: LedgerDb, caseId: string): boolean {
  if (!db.inTransaction) throw new Error('removeCase must run inside a transaction');
  const kase = stmt<{ borrower_id: string }>(db, 'SELECT borrower_id FROM cases WHERE id = ?').get(
    caseId,
  );
  stmt(db, 'DELETE FROM sync_case_removals WHERE case_id = ?').run(caseId);
  if (!kase) return false;
  keepRefusedFactsAway(db, caseId);
  // Rows reference each other (reversal → payment → fact → case); check once, at commit.
  db.pragma('defer_foreign_keys = ON');
  stmt(db, 'INSERT OR IGNORE INTO case_purge (case_id) VALUES (?)').run(caseId);
  stmt(db, 'DELETE FROM instalments WHERE loan_id IN (SELECT id FROM loans WHERE case_id = ?)').run(
    caseId,
  );
  for (const table of caseTables(db)) {
    stmt(db, `DELETE FROM ${table} WHERE case_id = ?`).run(caseId);
  }
  stmt(db, 'DELETE FROM cases WHERE id = ?').run(caseId);
  const borrowerStillUsed = stmt<number>(db, 'SELECT 1 FROM cases WHERE borrower_id = ? LIMIT 1')
    .pluck()
    .get(kase.borrower_id);
  if (!borrowerStillUsed) {
    stmt(db, 'DELETE FROM contact_points WHERE borrower_id = ?').run(kase.borrower_id);
    stmt(db, 'DELETE FROM borrowers WHERE id = ?').run(kase.borrower_id);
  }
  stmt(db, 'DELETE FROM case_purge WHERE case_id = ?').run(caseId);
  return true;
}

/** Pending (unsent) mutations on the case: while any remain, the case stays. */
export function hasPendingMutations(db: LedgerDb, caseId: string): boolean {
  return (
    stmt<number>(db, `SELECT 1 FROM outbox WHERE case_id = ? AND status = 'pending' LIMIT 1`)
      .pluck()
      .get(caseId) === 1
  );
}

/** Removes every deferred case whose pending mutations have all been pushed. */
export function removeDeferredCases(db: LedgerDb): string[] {
  const ids = stmt<string>(db, 'SELECT case_id FROM sync_case_removals ORDER BY case_id')
    .pluck()
    .all();
  const removed: string[] = [];
  for (const id of ids) {
    if (hasPendingMutations(db, id)) continue;
    removeCase(db, id);
    removed.push(id);
  }
  return removed;
}

/**
 * End of a full download: a case this device holds that the server did not list is no
 * longer this device's (a removal the device missed, e.g. the feed was compacted while it
 * was away). Only when the download speaks for everything the ledger holds: a manager's
 * (the whole branch), or the only user who syncs on this device; on a laptop shared by
 * officers, another officer's cases are not this download's to judge.
 */
export function removeCasesNotListed(
  db: LedgerDb,
  userId: string,
  role: string | null,
): { removed: number; deferred: number } {
  const others =
    stmt<number>(db, 'SELECT count(*) FROM sync_cursors WHERE user_id <> ?').pluck().get(userId) ??
    0;
  const out = { removed: 0, deferred: 0 };
  if (role === 'manager' || role === 'admin' || others === 0) {
    const missing = stmt<string>(
      db,
      'SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM sync_download_seen) ORDER BY id',
    )
      .pluck()
      .all();
    for (const id of missing) {
      if (hasPendingMutations(db, id)) {
        stmt(
          db,
          'INSERT OR IGNORE INTO sync_case_removals (case_id, requested_at) VALUES (?, ?)',
        ).run(id, new Date().toISOString());
        out.deferred++;
      } else if (removeCase(db, id)) {
        out.removed++;
      }
    }
  }
  stmt(db, 'DELETE FROM sync_download_seen').run();
  return out;
}
