// Defers cases.search_text maintenance for the length of one bulk write (the portfolio
// import). The triggers of 0002 recompute a case's search text on every case, loan and
// contact point row written: four or more rewrites per new loan, each moving the case's
// entries in the worklist indexes that carry search_text. While search_text_deferred
// (0005) holds its row they do nothing; rebuild() then recomputes the cases of the
// borrowers a batch wrote, once each, through the same trigger SQL (a no-op UPDATE OF
// borrower_id fires cases_search_on_borrower_change), so there is one definition of the
// search text. Rebuilding per batch, right after the batch is written, finds its pages
// still in the page cache (decrypted); at the end of a large import they would have to be
// read back and decrypted again.
//
// Must run inside the caller's transaction: the guard row is never committed (finish()
// deletes it before the caller commits; a rollback or a killed process removes it too).
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

export class SearchTextDeferral {
  private active = false;

  constructor(private readonly db: LedgerDb) {}

  begin(): void {
    if (!this.db.inTransaction) throw new Error('SearchTextDeferral must run inside a transaction');
    stmt(this.db, 'INSERT INTO search_text_deferred (id) VALUES (1)').run();
    this.active = true;
  }

  /** Rebuilds the search text of these borrowers' cases (new case, name, phones or loan); the guard stays. */
  rebuild(borrowerIds: readonly string[]): void {
    if (!this.active || borrowerIds.length === 0) return;
    stmt(this.db, 'DELETE FROM search_text_deferred').run();
    stmt(
      this.db,
      'UPDATE cases SET borrower_id = borrower_id WHERE borrower_id IN (SELECT value FROM json_each(?))',
    ).run(JSON.stringify(borrowerIds));
    stmt(this.db, 'INSERT INTO search_text_deferred (id) VALUES (1)').run();
  }

  /** Lifts the guard: the triggers keep the search text current again. */
  finish(): void {
    if (!this.active) return;
    stmt(this.db, 'DELETE FROM search_text_deferred').run();
    this.active = false;
  }
}
