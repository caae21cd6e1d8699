// Defers cases.search_text maintenance for the length of one bulk write (the portfolio
// import). The triggers of 0002 recompute a case's search text on every case, loan and
// contact point row written: four or more rewrites per new loan, each moving the case's
// entries in the worklist indexes that carry search_text. While search_text_deferred
// (0005) holds its row they do nothing; finish() then rebuilds each touched borrower's
// cases once, through the same trigger SQL (a no-op UPDATE OF borrower_id fires
// cases_search_on_borrower_change), so there is one definition of the search text.
//
// Must run inside the caller's transaction: the guard row is never committed (finish()
// deletes it before the caller commits; a rollback or a killed process removes it too).
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

export class SearchTextDeferral {
  private readonly borrowers = new Set<string>();
  private active = false;

  constructor(private readonly db: LedgerDb) {}

  begin(): void {
    if (!this.db.inTransaction) throw new Error('SearchTextDeferral must run inside a transaction');
    stmt(this.db, 'INSERT INTO search_text_deferred (id) VALUES (1)').run();
    this.active = true;
  }

  /** The search text of this borrower's cases must be rebuilt (new case, name, phones or loan). */
  touch(borrowerId: string): void {
    if (this.active) this.borrowers.add(borrowerId);
  }

  /** Rebuilds every touched borrower's cases once and lifts the guard. Returns the borrowers rebuilt. */
  finish(): number {
    if (!this.active) return 0;
    stmt(this.db, 'DELETE FROM search_text_deferred').run();
    this.active = false;
    const rebuild = stmt(
      this.db,
      'UPDATE cases SET borrower_id = borrower_id WHERE borrower_id = ?',
    );
    for (const id of this.borrowers) rebuild.run(id);
    const rebuilt = this.borrowers.size;
    this.borrowers.clear();
    return rebuilt;
  }
}
