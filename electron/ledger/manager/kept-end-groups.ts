// The branch's end groups (snapshot-figures.ts) kept in the ledger (migration 0015) and
// maintained as the loan positions are written, so the dashboard's snapshot figures after
// a restart sum ~600 kept groups instead of every loan's position again (~150 ms on a
// branch of 50,000 cases).
//
// The groups are a sum of the present position rows of the month (rows computed this
// month and earlier apart) joined with the stored month-end snapshot the roll rates start
// from. A kept row is therefore valid for one month, one stored start day (its written_at)
// and one app version (another build's groups may have another shape). It stays valid
// across a contact, a promise or a new day of the same month, which leave the positions
// as they are; when a few cases' positions are rewritten (a payment, a reassignment, a
// core-banking update), their old groups are taken out and their new ones put in, in the
// same transaction (patchKeptEndGroups); a rebuild of the positions forgets it.
import { monthStart } from '../../../shared/dates';
import type { IsoDate } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import { stmt } from '../statements';
import { keptAppVersion } from './kept-summary';
import {
  mergeEndGroups,
  negated,
  readEndGroups,
  type EndGroupRaw,
  type FigureScope,
} from './snapshot-figures';

/** Past this many cases a rewrite forgets the kept groups (summing them again is as cheap). */
const PATCH_CASES = 2000;

interface KeptRow {
  month_start: string;
  start_date: string;
  start_written_at: string;
  app_version: string;
  groups: string;
}

/** When the stored snapshot of `date` was written; '' while it is not. */
function writtenAt(db: LedgerDb, date: IsoDate): string {
  return (
    stmt<string>(db, 'SELECT written_at FROM loan_snapshot_days WHERE as_of = ?')
      .pluck()
      .get(date) ?? ''
  );
}

function keptRow(db: LedgerDb): KeptRow | undefined {
  return stmt<KeptRow>(
    db,
    `SELECT month_start, start_date, start_written_at, app_version, groups
     FROM dashboard_kept_end_groups WHERE id = 1`,
  ).get();
}

function validFor(db: LedgerDb, row: KeptRow, asOf: IsoDate, startDate: IsoDate): boolean {
  return (
    row.month_start === monthStart(asOf) &&
    row.start_date === startDate &&
    row.start_written_at === writtenAt(db, startDate) &&
    row.app_version === keptAppVersion(db)
  );
}

/** Forgets the kept groups (the positions are rebuilt: the next dashboard sums them). */
export function forgetKeptEndGroups(db: LedgerDb): void {
  stmt(db, 'DELETE FROM dashboard_kept_end_groups').run();
}

function keep(
  db: LedgerDb,
  asOf: IsoDate,
  startDate: IsoDate,
  groups: readonly EndGroupRaw[],
): void {
  stmt(
    db,
    `INSERT INTO dashboard_kept_end_groups
       (id, month_start, start_date, start_written_at, app_version, groups)
     VALUES (1, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET month_start = excluded.month_start,
       start_date = excluded.start_date, start_written_at = excluded.start_written_at,
       app_version = excluded.app_version, groups = excluded.groups`,
  ).run(
    monthStart(asOf),
    startDate,
    writtenAt(db, startDate),
    keptAppVersion(db),
    JSON.stringify(groups),
  );
}

/**
 * The branch's end groups of `scope` (no officer; positions current on scope.asOf): the
 * kept ones when valid, else read whole (readEndGroups) and kept. Equal, as figures, to
 * readEndGroups(db, scope) (test/manager/kept-sums.test.ts).
 */
export function branchEndGroups(db: LedgerDb, scope: FigureScope): EndGroupRaw[] {
  if (scope.officerId !== undefined) throw new Error('only the branch end groups are kept');
  const row = keptRow(db);
  if (row !== undefined && validFor(db, row, scope.asOf, scope.startDate)) {
    return JSON.parse(row.groups) as EndGroupRaw[];
  }
  const groups = readEndGroups(db, scope);
  if (!db.readonly) keep(db, scope.asOf, scope.startDate, groups);
  return groups;
}

/**
 * Called by loan-positions.ts before it rewrites the positions of `caseIds` on `asOf`, in
 * the rewrite's transaction: returns what to call after the rewrite to patch the kept
 * groups with those cases' new rows (null when nothing is kept). Kept groups of another
 * month or start day, or a rewrite of many cases, are forgotten instead.
 */
export function patchKeptEndGroups(
  db: LedgerDb,
  asOf: IsoDate,
  caseIds: readonly string[],
): (() => void) | null {
  const row = keptRow(db);
  if (row === undefined) return null;
  if (caseIds.length > PATCH_CASES || !validFor(db, row, asOf, row.start_date)) {
    forgetKeptEndGroups(db);
    return null;
  }
  // readEndGroups reads only the month of asOf and the start day from the scope.
  const scope: FigureScope = { asOf, startDate: row.start_date, buckets: [], rollBy: 'balance' };
  const before = readEndGroups(db, scope, caseIds);
  return () => {
    const after = readEndGroups(db, scope, caseIds);
    const kept = JSON.parse(row.groups) as EndGroupRaw[];
    keep(db, asOf, row.start_date, mergeEndGroups([...kept, ...negated(before), ...after]));
  };
}
