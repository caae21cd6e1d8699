// Defers cases.search_text maintenance for the length of one bulk write (the portfolio
// import). The triggers of 0002 recompute a case's search text on every case, loan and
// contact point row written: four or more rewrites per new loan, each moving the case's
// entries in the worklist indexes that carry search_text. While search_text_deferred
// (0005) holds its row they do nothing; rebuild() then recomputes the cases of the
// borrowers a batch wrote, once each, with the very UPDATE of the trigger
// cases_search_on_borrower_change (its body, read from the schema, run for a batch of
// borrowers instead of one case), so there is one definition of the search text. Running
// the body directly rather than firing the trigger (a no-op UPDATE OF borrower_id) writes
// each case row once instead of twice and leaves the cases_borrower index alone. Should
// the trigger ever take another shape, rebuild() fires it as before. Rebuilding per
// batch, right after the batch is written, finds its pages still in the page cache
// (decrypted); at the end of a large import they would have to be read back and
// decrypted again.
//
// Must run inside the caller's transaction: the guard row is never committed (finish()
// deletes it before the caller commits; a rollback or a killed process removes it too).
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

const BY_BORROWERS = 'borrower_id IN (SELECT value FROM json_each(?))';

/**
 * The trigger's UPDATE, for the cases of a JSON array of borrower ids; null when the
 * trigger is not the one-statement `UPDATE cases SET search_text = ... WHERE id = NEW.id;`
 * this expects.
 */
function searchTextUpdateByBorrowers(db: LedgerDb): string | null {
  const sql = stmt<string>(
    db,
    `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cases_search_on_borrower_change'`,
  )
    .pluck()
    .get();
  if (sql === undefined) return null;
  const body =
    /\bBEGIN\s+(UPDATE cases SET search_text = [\s\S]*)\s+WHERE id = NEW\.id;\s*END\s*$/i.exec(sql);
  if (body === null || /\bNEW\./i.test(body[1]!) || body[1]!.includes(';')) return null;
  return `${body[1]} WHERE ${BY_BORROWERS}`;
}

export class SearchTextDeferral {
  private active = false;
  private update: string | null = null;

  constructor(private readonly db: LedgerDb) {}

  begin(): void {
    if (!this.db.inTransaction) throw new Error('SearchTextDeferral must run inside a transaction');
    stmt(this.db, 'INSERT INTO search_text_deferred (id) VALUES (1)').run();
    this.update = searchTextUpdateByBorrowers(this.db);
    this.active = true;
  }

  /** Rebuilds the search text of these borrowers' cases (new case, name, phones or loan); the guard stays. */
  rebuild(borrowerIds: readonly string[]): void {
    if (!this.active || borrowerIds.length === 0) return;
    const ids = JSON.stringify(borrowerIds);
    if (this.update !== null) {
      stmt(this.db, this.update).run(ids);
      return;
    }
    stmt(this.db, 'DELETE FROM search_text_deferred').run();
    stmt(this.db, `UPDATE cases SET borrower_id = borrower_id WHERE ${BY_BORROWERS}`).run(ids);
    stmt(this.db, 'INSERT INTO search_text_deferred (id) VALUES (1)').run();
  }

  /** Lifts the guard: the triggers keep the search text current again. */
  finish(): void {
    if (!this.active) return;
    stmt(this.db, 'DELETE FROM search_text_deferred').run();
    this.active = false;
  }
}
