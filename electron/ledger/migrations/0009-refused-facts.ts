// Schema v9: refused facts that outlive their case's stay on this device, and refusals
// someone has acted on.
//
// - refused_facts_away: the `facts` row of a fact the server refused, kept while its case
//   is off this device (reassigned away). The server never stores a refused fact, so when
//   the case comes back with the server's history it would be missing from the timeline;
//   the sync client puts this row back into `facts` (and nothing into the side tables: a
//   refused fact never counts) as soon as the case is here again, then deletes it. No
//   foreign keys: its case and facts rows are gone while it waits.
// - outbox.handled_at / handled_by: a user dismissed the refusal ("I have dealt with it").
//   The row stays (the device's record of what it sent and why it was refused) but leaves
//   the sync status's list; the refused fact stays on its case's timeline, marked refused.
import type { LedgerDb } from '../db';

export const migration0009 = {
  version: 9,
  name: 'refused-facts',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE refused_facts_away (
        fact_id       TEXT PRIMARY KEY,
        case_id       TEXT NOT NULL,
        kind          TEXT NOT NULL,
        occurred_at   TEXT NOT NULL,
        business_date TEXT NOT NULL,
        recorded_by   TEXT NOT NULL,
        device_id     TEXT NOT NULL,
        hlc           TEXT NOT NULL,
        payload       TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX refused_facts_away_case ON refused_facts_away (case_id);

      ALTER TABLE outbox ADD COLUMN handled_at TEXT;
      ALTER TABLE outbox ADD COLUMN handled_by TEXT;
    `);
  },
};
