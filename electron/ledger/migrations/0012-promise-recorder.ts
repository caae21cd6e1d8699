// Schema v12: who recorded each promise, on the promise row.
//
// The dashboard counts promises per officer by who recorded them (facts.recorded_by). It
// looked each of the month's ~45,000 promises up in the promise facts' index, about a
// third of the time of a dashboard computed with nothing in memory; the covering indexes
// of the month's promises now carry the recorder. Gone: the promise facts' index of 0008,
// which only served that lookup, and the plain date indexes of 0004, the first columns of
// the covering indexes.
import type { LedgerDb } from '../db';

export const migration0012 = {
  version: 12,
  name: 'promise-recorder',
  up(db: LedgerDb): void {
    // Promises are append-only: the guard is lifted for the one-time fill, then restored
    // from its own SQL.
    const guard = db
      .prepare(
        `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'promises_no_update'`,
      )
      .pluck()
      .get() as string | undefined;
    db.exec(`
      ALTER TABLE promises ADD COLUMN recorded_by TEXT;
      DROP TRIGGER IF EXISTS promises_no_update;
      UPDATE promises SET recorded_by = (SELECT f.recorded_by FROM facts f WHERE f.id = promises.fact_id);
      DROP INDEX IF EXISTS facts_promise_date;
      DROP INDEX IF EXISTS promises_made_on;
      DROP INDEX IF EXISTS promises_due_date;
      DROP INDEX IF EXISTS promises_made_on_cover;
      DROP INDEX IF EXISTS promises_due_date_cover;
      CREATE INDEX promises_made_on_cover
        ON promises (made_on, due_date, case_id, fact_id, amount_fen, recorded_by);
      CREATE INDEX promises_due_date_cover
        ON promises (due_date, made_on, case_id, fact_id, amount_fen, recorded_by);
    `);
    if (guard !== undefined) db.exec(guard);
  },
};
