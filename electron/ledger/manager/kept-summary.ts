// The branch dashboard's summary kept in the ledger (migration 0011), so the first
// dashboard after the app restarts on the same day is read, not computed again from
// 50,000 cases, their loan positions and the month's promises.
//
// A kept row is valid by construction: triggers on every table the summary is read from
// delete it on any write (0011-kept-dashboard.ts), and so does every write of the loan
// positions (loan-positions.ts, forgetKeptSummary). It is also tied to the business date,
// the policy (buckets, grace days) and the app version it was computed under (another
// build's summary may have another shape). It is written by the
// morning refresh (warmDashboard) and when the ledger closes, if the summary in memory is
// still that of the ledger as it is (nothing written since it was computed).
import type { DashboardSummary, Period } from '../../../shared/domain/portfolio';
import type { IsoDate } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import { ledgerChangeStamp } from './dashboard-cache';

export interface ScopedSummary {
  period: Period;
  summary: DashboardSummary;
}

/** The scope of the whole branch ('' in the table; an officer's id otherwise). */
const BRANCH = '';

const appVersions = new WeakMap<LedgerDb, string>();

/** The app version this ledger connection keeps and reads summaries under (openCaseLedger). */
export function keepSummariesAs(db: LedgerDb, appVersion: string): void {
  appVersions.set(db, appVersion);
}

/** The app version set by keepSummariesAs ('unknown' when none was). */
export function keptAppVersion(db: LedgerDb): string {
  return appVersions.get(db) ?? 'unknown';
}

/** What a summary was computed under: read back only under the same. */
function policyKey(ledger: Ledger): string {
  const { buckets, promiseGraceDays } = ledger.policy;
  return JSON.stringify({
    app: keptAppVersion(ledger.db),
    buckets,
    promiseGraceDays,
  });
}

const KEPT_SQL = `SELECT summary FROM dashboard_kept_summary
   WHERE scope = ? AND as_of = ? AND policy = ?`;

/** The branch summary of `asOf` kept in the ledger, or null when none is valid. */
export function readKeptSummary(ledger: Ledger, asOf: IsoDate): ScopedSummary | null {
  const text = stmt<string>(ledger.db, KEPT_SQL).pluck().get(BRANCH, asOf, policyKey(ledger));
  return text === undefined ? null : (JSON.parse(text) as ScopedSummary);
}

function isKept(ledger: Ledger, asOf: IsoDate): boolean {
  return (
    stmt<string>(ledger.db, KEPT_SQL).pluck().get(BRANCH, asOf, policyKey(ledger)) !== undefined
  );
}

/** Keeps the branch summary of `asOf` in the ledger (replacing any other). */
export function keepSummary(
  ledger: Ledger,
  asOf: IsoDate,
  value: ScopedSummary,
  now: Date = new Date(),
): void {
  const { db } = ledger;
  const write = (): void => {
    forgetKeptSummary(db);
    stmt(
      db,
      `INSERT INTO dashboard_kept_summary (scope, as_of, policy, summary, kept_at)
       VALUES (?, ?, ?, ?, ?)`,
    ).run(BRANCH, asOf, policyKey(ledger), JSON.stringify(value), now.toISOString());
  };
  if (db.inTransaction) write();
  else db.transaction(write).immediate();
}

/**
 * Forgets any kept summary: called by loan-positions.ts whenever it writes the positions
 * (the one table the summary reads that has no forgetting trigger, migration 0011).
 */
export function forgetKeptSummary(db: LedgerDb): void {
  stmt(db, 'DELETE FROM dashboard_kept_summary').run();
}

interface Computed {
  asOf: IsoDate;
  stamp: string;
  value: ScopedSummary;
}

/** Per ledger connection: the branch summary of the business date last computed. */
const lastComputed = new WeakMap<LedgerDb, Computed>();

/** Called when the branch summary of the business date was computed (or read back). */
export function noteBranchSummary(ledger: Ledger, asOf: IsoDate, value: ScopedSummary): void {
  if (ledger.db.inTransaction) return;
  lastComputed.set(ledger.db, { asOf, stamp: ledgerChangeStamp(ledger.db), value });
}

/**
 * Before the ledger closes: keeps the branch summary computed last, if nothing was written
 * to the ledger since (the same change stamp) and it is not kept already. Never throws: a
 * summary not kept only means the next first dashboard is computed.
 */
export function keepSummaryOnClose(ledger: Ledger): void {
  const { db } = ledger;
  const last = lastComputed.get(db);
  lastComputed.delete(db);
  if (last === undefined || !db.open || db.inTransaction || db.readonly) return;
  try {
    if (ledgerChangeStamp(db) !== last.stamp) return;
    if (isKept(ledger, last.asOf)) return;
    keepSummary(ledger, last.asOf, last.value);
  } catch {
    // Closing must not fail for a cache.
  }
}
