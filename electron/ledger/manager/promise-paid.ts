// What was paid toward each promise of the month inside its window (promise-judge.ts),
// kept in the ledger (migration 0015), so the month's promise statuses are read with the
// promises instead of being judged again against every payment line after a restart.
//
// A row holds the sum up to the promise's last counting day (due date + grace days). The
// status on the business date follows from it alone while no payment line is dated after
// that date (a device whose clock ran ahead can record one): otherwise the statuses are
// judged from the lines as before (noLineAfter, checked by the dashboard's reads).
//
// The rows are written for every promise of a month at once (made in it, or falling due
// from its first day on; the state row records the month and the grace days), and from
// then on for the promises of every case whose loan positions are rewritten: a payment, a
// reversal or a core-banking repayment marks its case (0007), and so does a new promise
// (0015), so the positions, and these rows, are brought up to date before the dashboard
// reads them. A new month, other grace days or a rebuild of the positions write them all
// again.
import { monthStart } from '../../../shared/dates';
import type { IsoDate } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import { paidInWindows } from './promise-judge';

interface PromiseDates {
  factId: string;
  caseId: string;
  madeOn: IsoDate;
  dueDate: IsoDate;
}

/** True when every promise of `asOf`'s month has its row under these grace days. */
export function promisePaidKept(db: LedgerDb, asOf: IsoDate, graceDays: number): boolean {
  const state = stmt<{ month_start: string; grace_days: number }>(
    db,
    'SELECT month_start, grace_days FROM dashboard_promise_paid_state WHERE id = 1',
  ).get();
  return state?.month_start === monthStart(asOf) && state.grace_days === graceDays;
}

/** No payment line is dated after `asOf`, so a kept sum is also the sum up to `asOf`. */
export function noLineAfter(db: LedgerDb, asOf: IsoDate): boolean {
  return (
    stmt<number>(
      db,
      `SELECT EXISTS (SELECT 1 FROM payments WHERE paid_on > @asOf)
           OR EXISTS (SELECT 1 FROM core_repayments INDEXED BY core_repayments_paid_on
                      WHERE paid_on > @asOf)`,
    )
      .pluck()
      .get({ asOf }) === 0
  );
}

function readDates(rows: Iterable<[string, string, string, string]>): PromiseDates[] {
  const out: PromiseDates[] = [];
  for (const [factId, caseId, madeOn, dueDate] of rows)
    out.push({ factId, caseId, madeOn, dueDate });
  return out;
}

function write(
  ledger: Ledger,
  promises: readonly PromiseDates[],
  from: IsoDate,
  caseIds: readonly string[] | null,
): void {
  const graceDays = ledger.policy.promiseGraceDays;
  const { paid, lastDays } = paidInWindows(ledger, promises, from, null, graceDays, caseIds);
  const insert = stmt(
    ledger.db,
    `INSERT OR REPLACE INTO dashboard_promise_paid (fact_id, last_day, paid_fen) VALUES (?, ?, ?)`,
  );
  for (let i = 0; i < promises.length; i++) insert.run(promises[i]!.factId, lastDays[i]!, paid[i]!);
}

/**
 * Writes the row of every promise of `asOf`'s month, replacing whatever was kept, and
 * records the month and grace days. In the caller's transaction, or its own.
 */
export function writeMonthPromisePaid(ledger: Ledger, asOf: IsoDate): void {
  const { db } = ledger;
  const from = monthStart(asOf);
  const run = (): void => {
    const promises = readDates(
      stmt<[string, string, string, string]>(
        db,
        `SELECT fact_id, case_id, made_on, due_date FROM promises INDEXED BY promises_made_on_cover
         WHERE made_on >= @from
         UNION ALL
         SELECT fact_id, case_id, made_on, due_date FROM promises INDEXED BY promises_due_date_cover
         WHERE due_date >= @from AND made_on < @from`,
      )
        .raw()
        .iterate({ from }),
    );
    stmt(db, 'DELETE FROM dashboard_promise_paid').run();
    write(ledger, promises, from, null);
    stmt(
      db,
      `INSERT INTO dashboard_promise_paid_state (id, month_start, grace_days) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET month_start = excluded.month_start, grace_days = excluded.grace_days`,
    ).run(from, ledger.policy.promiseGraceDays);
  };
  if (db.inTransaction) run();
  else db.transaction(run).immediate();
}

/**
 * Called by loan-positions.ts when it rewrote the positions of `caseIds` on `asOf` (their
 * money changed, or a promise arrived): their promises' rows written again. Nothing when
 * the month's rows are not kept (the next dashboard writes them all).
 */
export function writeCasesPromisePaid(
  ledger: Ledger,
  asOf: IsoDate,
  caseIds: readonly string[],
): void {
  const { db } = ledger;
  if (caseIds.length === 0 || !promisePaidKept(db, asOf, ledger.policy.promiseGraceDays)) return;
  const from = monthStart(asOf);
  const promises = readDates(
    stmt<[string, string, string, string]>(
      db,
      `SELECT fact_id, case_id, made_on, due_date FROM promises
       WHERE case_id IN (SELECT value FROM json_each(@ids)) AND (made_on >= @from OR due_date >= @from)`,
    )
      .raw()
      .iterate({ ids: JSON.stringify(caseIds), from }),
  );
  write(ledger, promises, from, caseIds);
}

/** Forgets every kept row (the positions are rebuilt: the month's rows are written again). */
export function forgetPromisePaid(db: LedgerDb): void {
  stmt(db, 'DELETE FROM dashboard_promise_paid_state').run();
  stmt(db, 'DELETE FROM dashboard_promise_paid').run();
}
