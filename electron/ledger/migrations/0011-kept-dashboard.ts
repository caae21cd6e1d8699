// Schema v11: the manager's dashboard summary kept in the ledger across a restart.
//
// - dashboard_kept_summary: the summary of the ledger's business date for one scope (''
//   the branch, else an officer's id), with the policy and app version it was computed
//   under. Written by the morning refresh and when the ledger closes
//   (electron/ledger/manager/kept-summary.ts); the first dashboard after reopening the
//   same day reads it instead of reading 50,000 cases, 50,000 loan positions and the
//   month's promises again.
// - Invalidation: every table a summary figure is read from has triggers that empty the
//   kept table on any write to it, so a kept summary exists only while nothing it was
//   computed from has changed. The triggers do nothing while the table is empty (every
//   officer's device, and any ledger after its first change of the day). The loan
//   positions are the exception: their one writer (loan-positions.ts) empties it.
import type { LedgerDb } from '../db';

/**
 * The tables the summary of a business date is read from (dashboard-input.ts,
 * snapshot-figures.ts) and the writes that can change it. Facts and their side tables are
 * both listed: a side row is always written with its fact, but listing both costs nothing.
 */
export const KEPT_SUMMARY_SOURCES: readonly { table: string; events: readonly string[] }[] = [
  // Balances, buckets, PAR, collection, roll rates, officers of loans. The loan positions
  // themselves are written by loan-positions.ts alone, which forgets the kept summary
  // itself: a trigger on that table made INSERT OR REPLACE of its rows ~12 times slower.
  { table: 'dashboard_dirty_cases', events: ['INSERT'] },
  { table: 'loan_snapshots', events: ['INSERT', 'DELETE', 'UPDATE'] },
  { table: 'loan_snapshot_days', events: ['INSERT', 'DELETE', 'UPDATE'] },
  // Caseload, contact recency, untouched cases.
  {
    table: 'cases',
    events: ['INSERT', 'DELETE', 'UPDATE OF officer_id, status, last_contact_on, opened_on'],
  },
  // Activity of the month: contacts, promises (judged against payments), payments, overrides.
  { table: 'facts', events: ['INSERT', 'DELETE'] },
  { table: 'contacts', events: ['INSERT', 'DELETE'] },
  { table: 'dashboard_contact_tally', events: ['INSERT', 'DELETE', 'UPDATE'] },
  { table: 'promises', events: ['INSERT', 'DELETE'] },
  { table: 'payments', events: ['INSERT', 'DELETE'] },
  { table: 'payment_reversals', events: ['INSERT', 'DELETE'] },
  { table: 'core_repayments', events: ['INSERT', 'DELETE', 'UPDATE'] },
  { table: 'overrides', events: ['INSERT', 'DELETE'] },
  { table: 'override_reviews', events: ['INSERT', 'DELETE', 'UPDATE'] },
  // The officers listed side by side (not a password or sign-in change).
  { table: 'users', events: ['INSERT', 'DELETE', 'UPDATE OF id, role, active'] },
];

export function keptSummaryTriggerName(table: string, event: string): string {
  return `dashboard_kept_forget_${table}_${event.split(' ')[0]!.toLowerCase()}`;
}

function forgettingTriggers(): string {
  const out: string[] = [];
  for (const { table, events } of KEPT_SUMMARY_SOURCES) {
    for (const event of events) {
      out.push(`
        CREATE TRIGGER ${keptSummaryTriggerName(table, event)} AFTER ${event} ON ${table}
        WHEN EXISTS (SELECT 1 FROM dashboard_kept_summary)
        BEGIN
          DELETE FROM dashboard_kept_summary;
        END;`);
    }
  }
  return out.join('\n');
}

export const migration0011 = {
  version: 11,
  name: 'kept-dashboard',
  up(db: LedgerDb): void {
    db.exec(`
      CREATE TABLE dashboard_kept_summary (
        scope   TEXT NOT NULL PRIMARY KEY,
        as_of   TEXT NOT NULL,
        policy  TEXT NOT NULL,
        summary TEXT NOT NULL,
        kept_at TEXT NOT NULL
      ) WITHOUT ROWID;
      ${forgettingTriggers()}
    `);
  },
};
