// The daily portfolio snapshot (loan_snapshots, migration 0004): one LoanSnapshot row per
// loan per closed business date. snapshotPortfolio writes a day once; later calls for the
// same day write nothing (loan_snapshot_days). Today is never stored in loan_snapshots:
// its figures move with every payment, so the dashboard projects them from the loan
// positions kept up to date incrementally (loan-positions.ts), which also write the
// closed days cheaply.
import { addDays, monthStart } from '../../../shared/dates';
import type { IsoDate } from '../../../shared/domain/types';
import { loanSnapshot, type LoanSnapshot } from '../../../shared/domain/portfolio';
import type { LedgerDb } from '../db';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import {
  baseStamp,
  cached,
  cachedOrUpdated,
  keptGeneration,
  casesToPatch,
  positionsGeneration,
  positionsTransaction,
} from './dashboard-cache';
import { loadLoanInputs } from './loan-inputs';
import {
  positionSnapshots,
  positionsCurrent,
  positionsValidOn,
  refreshPositions,
  writeSnapshotFromPositions,
} from './loan-positions';

/** Every loan's row for `asOf`, computed from schedules and payments (nothing written). */
export function computeSnapshots(ledger: Ledger, asOf: IsoDate): LoanSnapshot[] {
  const buckets = ledger.policy.buckets;
  return loadLoanInputs(ledger.db, asOf).map((l) =>
    loanSnapshot(
      {
        loanId: l.loanId,
        caseId: l.caseId,
        officerId: l.officerId,
        restructured: l.restructured,
        status: l.status,
      },
      l.schedule,
      l.payments,
      asOf,
      buckets,
    ),
  );
}

export function snapshotDayWritten(db: LedgerDb, asOf: IsoDate): boolean {
  return (
    stmt<number>(db, 'SELECT 1 FROM loan_snapshot_days WHERE as_of = ?').pluck().get(asOf) === 1
  );
}

/**
 * Writes the snapshot of a closed business date (asOf before `today`), once. Returns the
 * number of rows written now (0 when the day was already there). Refuses today and
 * later: a day is snapshotted when it is over.
 */
export function snapshotPortfolio(ledger: Ledger, asOf: IsoDate, today: IsoDate): number {
  if (asOf >= today) {
    throw new RangeError(
      `only a closed business date is snapshotted: ${asOf} is not before ${today}`,
    );
  }
  const { db } = ledger;
  return db
    .transaction((): number => {
      if (snapshotDayWritten(db, asOf)) return 0;
      const rows = computeSnapshots(ledger, asOf);
      const insert = stmt(
        db,
        `INSERT INTO loan_snapshots (as_of, loan_id, case_id, officer_id, outstanding_principal_fen,
           overdue_principal_fen, arrears_fen, days_past_due, bucket, restructured, status,
           due_in_period_fen, paid_in_period_fen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const s of rows) {
        insert.run(
          s.asOf,
          s.loanId,
          s.caseId,
          s.officerId,
          s.outstandingPrincipalFen,
          s.overduePrincipalFen,
          s.arrearsFen,
          s.daysPastDue,
          s.bucket,
          s.restructured ? 1 : 0,
          s.status,
          s.dueInPeriodFen ?? null,
          s.paidInPeriodFen ?? null,
        );
      }
      stmt(db, 'INSERT INTO loan_snapshot_days (as_of, written_at, loans) VALUES (?, ?, ?)').run(
        asOf,
        ledger.clock.now().toISOString(),
        rows.length,
      );
      return rows.length;
    })
    .immediate();
}

type SnapshotRaw = [
  string,
  string,
  string,
  number,
  number,
  number,
  number,
  string,
  number,
  'active' | 'closed',
  number | null,
  number | null,
];

/** The stored rows of one day (empty when the day was never written). */
export function readSnapshots(db: LedgerDb, asOf: IsoDate): LoanSnapshot[] {
  const rows = stmt<SnapshotRaw>(
    db,
    `SELECT loan_id, case_id, officer_id, outstanding_principal_fen, overdue_principal_fen, arrears_fen,
       days_past_due, bucket, restructured, status, due_in_period_fen, paid_in_period_fen
     FROM loan_snapshots WHERE as_of = ?`,
  )
    .raw()
    .all(asOf);
  // One object shape for every row (no conditional spreads): 50,000 rows a call.
  return rows.map(
    ([loanId, caseId, officerId, out, overdue, arrears, dpd, bucket, r, status, due, paid]) => {
      const s: LoanSnapshot = {
        loanId,
        caseId,
        officerId,
        asOf,
        outstandingPrincipalFen: out,
        overduePrincipalFen: overdue,
        arrearsFen: arrears,
        daysPastDue: dpd,
        bucket,
        restructured: r === 1,
        status,
      };
      if (due !== null) s.dueInPeriodFen = due;
      if (paid !== null) s.paidInPeriodFen = paid;
      return s;
    },
  );
}

/**
 * The snapshot set of `asOf` as the dashboard needs it: a closed day is written once
 * (backfilled from schedules and payments when the ledger was not open that day) and read
 * back; today (or a later date) is computed live and not stored.
 */
export function snapshotsFor(
  ledger: Ledger,
  asOf: IsoDate,
  today: IsoDate,
): readonly LoanSnapshot[] {
  if (asOf > today) return computeSnapshots(ledger, asOf);
  const { db } = ledger;
  // Kept between calls (dashboard-cache.ts): the same array while nothing it shows changed.
  if (asOf === today) {
    if (!positionsCurrent(db, today)) refreshPositions(ledger, today);
    const fixed = `${baseStamp(db)}:${positionsValidOn(db) ?? ''}`;
    const generation = positionsGeneration(db);
    // After a payment or a reassignment, only the rewritten cases' rows are read again.
    return cachedOrUpdated<readonly LoanSnapshot[]>(
      db,
      `positions:${today}`,
      `${fixed}|${generation}`,
      () => positionSnapshots(ledger, today),
      (previous, previousStamp) => {
        const changed = casesToPatch(db, keptGeneration(previousStamp, fixed));
        if (changed === null) return null;
        if (changed.size === 0) return previous;
        return previous
          .filter((s) => !changed.has(s.caseId))
          .concat(positionSnapshots(ledger, today, [...changed]));
      },
    );
  }
  snapshotPortfolio(ledger, asOf, today);
  const writtenAt =
    stmt<string>(db, 'SELECT written_at FROM loan_snapshot_days WHERE as_of = ?')
      .pluck()
      .get(asOf) ?? '';
  return cached(db, `snapshots:${asOf}`, `${baseStamp(db)}:${writtenAt}`, () =>
    readSnapshots(db, asOf),
  );
}

/** Daily rows are kept this long; month-end rows are kept for ever (types.ts sizing note). */
export const DAILY_SNAPSHOT_KEEP_DAYS = 62;

/**
 * The days a new business day closes: yesterday (the daily snapshot) and the last day of
 * the previous month (what this month's roll and cure rates start from), each written at
 * most once, then the loan positions brought to today. A closed day the positions can
 * still reach (not before the date they are valid on) is written from them after
 * recomputing only what changed; an older one is computed from schedules and payments.
 * Daily rows older than DAILY_SNAPSHOT_KEEP_DAYS are pruned, except month ends. One
 * transaction; nothing is written when everything is already in place.
 */
export function ensureClosedDaySnapshots(ledger: Ledger, today: IsoDate): void {
  const { db } = ledger;
  const yesterday = addDays(today, -1);
  const previousMonthEnd = addDays(monthStart(today), -1);
  const missing = [...new Set([previousMonthEnd, yesterday])]
    .filter((day) => !snapshotDayWritten(db, day))
    .sort();
  const cutoff = addDays(today, -DAILY_SNAPSHOT_KEEP_DAYS);
  const prunable = stmt<string>(db, 'SELECT as_of FROM loan_snapshot_days WHERE as_of < ?')
    .pluck()
    .all(cutoff)
    .filter((d) => addDays(d, 1).slice(8) !== '01');
  if (missing.length === 0 && prunable.length === 0 && positionsCurrent(db, today)) return;
  positionsTransaction(db, () => {
    for (const day of missing) {
      const validOn = positionsValidOn(db);
      // First use: build the positions on the earliest closed day, then move them forward.
      if (validOn === null || validOn <= day) {
        refreshPositions(ledger, day);
        const rows = writeSnapshotFromPositions(ledger, day);
        stmt(db, 'INSERT INTO loan_snapshot_days (as_of, written_at, loans) VALUES (?, ?, ?)').run(
          day,
          ledger.clock.now().toISOString(),
          rows,
        );
      } else {
        snapshotPortfolio(ledger, day, today);
      }
    }
    refreshPositions(ledger, today);
    for (const d of prunable) {
      stmt(db, 'DELETE FROM loan_snapshots WHERE as_of = ?').run(d);
      stmt(db, 'DELETE FROM loan_snapshot_days WHERE as_of = ?').run(d);
    }
  });
}
