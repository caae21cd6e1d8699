// Writes a previewed core-banking portfolio file into the desktop ledger (a manager or
// admin loading a branch with no server): ALL valid rows in ONE SQLite transaction, or
// nothing. Cancel (the signal), a file changed since the preview, any error, or the app
// being killed leave the ledger as it was: SQLite's journal undoes an uncommitted
// transaction on the next open.
//
// Per loan number, idempotently (reference rows only; facts are never touched):
// - a new loan gets a borrower, contact points, a case and its schedule (new-loans.ts);
// - a known loan gets its terms, schedule and snapshot date refreshed; a loan on an
//   approved restructuring plan keeps the plan's schedule (known-loans.ts);
// - full import: active loans the file does not list (not even on a rejected row) are
//   closed, and cases left with no active loan.
// The file's arrears and days past due are recorded as the rebuilt schedule plus a
// core-banking repayment line (shared/import/loan-snapshot): on the snapshot date the
// ledger's derived position is the file's, taking the field payments from before that date
// as posted in it; field payments from the snapshot date on count on top. Derived state is
// current for today before commit.
//
// Rows stream from the file and are written a batch (BATCH_ROWS) at a time with multi-row
// statements, so memory stays flat: nothing holds more than one batch of rows (and, for a
// large file, the few batches a worker thread has read, validated and prepared ahead of
// the writes: row-source.ts; this thread then does little but SQLite). The
// transaction is held open across the file's reads (BEGIN IMMEDIATE ... COMMIT): while it
// runs, nothing else may write through this connection (see importRunning), or that write
// would share the import's fate.
//
// Where a 100,000-row file's time went, and what this does about it (bench/import-write.ts):
// one statement per row and table (now multi-row INSERTs per batch), a second pass over
// every case for the derived state (now computed as each new case is written), the search
// text rebuilt per borrower at the end when its pages had left the page cache and had to be
// read back and decrypted (now per batch, while they are hot), random-order index inserts
// (now built once at the end, index-deferral.ts), a per-row loan lookup (now one query
// per batch), and a trigger program per inserted row (millions of instalment rows) whose
// WHEN guard is false throughout the import (now lifted while it writes,
// trigger-deferral.ts). The cipher is untouched: pages are encrypted as they leave the
// cache and decrypted as they come back, so the work is in not making SQLite read them back.
import type { ImportRunOutput, ImportRunPhase } from '../../../shared/api/import-contract';
import { AppError } from '../../../shared/errors';
import type { IsoDate } from '../../../shared/domain/types';
import type { PortfolioPreview } from '../../../shared/node/portfolio-import';
import { appendAudit } from '../audit';
import { deriveCase, refreshDerived } from '../derive';
import type { Ledger } from '../ledger';
import { ledgerToday } from '../ledger';
import { getMeta, META, setMeta } from '../meta';
import { stmt } from '../statements';
import { BulkInsert } from './bulk-insert';
import { CaseIndexDeferral } from './index-deferral';
import { findKnownLoans, KnownLoanWriter } from './known-loans';
import { NewLoanWriter } from './new-loans';
import type { PreparedRow } from './row-prep';
import { importRowSource } from './row-source';
import { SearchTextDeferral } from './search-deferral';
import { useRollbackJournal } from '../journal-mode';
import { InsertTriggerDeferral } from './trigger-deferral';

export interface LedgerImportOptions {
  /** Who is importing (a manager or admin of the ledger); recorded in the audit trail. */
  actorId: string;
  /** Close active loans the file does not list. */
  full?: boolean;
  /** Import the valid rows even when the preview rejected some (default: refuse). */
  validOnly?: boolean;
  /** Officer for a new case whose officer code maps to no user (default: the importer). */
  fallbackOfficerId?: string;
}

export interface LedgerImportProgress {
  phase: ImportRunPhase;
  rowsRead: number;
  totalRows: number;
  loansWritten: number;
}

export interface LedgerImportControl {
  signal?: AbortSignal;
  onProgress?: (progress: LedgerImportProgress) => void;
  /** Milliseconds spent per step of the run, when it ends (benchmarks). */
  onTimings?: (timings: Record<string, number>) => void;
  /**
   * Read, validate and prepare the rows in a worker thread (row-source.ts): true always,
   * false never; default for large files (FIELDBOOK_IMPORT_WORKER=0/1 overrides the default).
   */
  rowsInWorker?: boolean;
  /** How the rows were read, when the run ends (tests, benchmarks). */
  onRowSource?: (mode: 'worker' | 'same-thread') => void;
}

export type LedgerImportResult = ImportRunOutput;

export { maskIdNumber } from './row-values';

const running = new WeakSet<object>();

/** True while an import holds this ledger's transaction: other writers must wait (refuse with 'import_running'). */
export function importRunning(ledger: Ledger): boolean {
  return running.has(ledger.db);
}

const PROGRESS_EVERY = 2_000;
/** Rows written per batch: enough to make multi-row statements pay, few enough to keep memory flat. */
const BATCH_ROWS = 250;
/**
 * Existing cases an import re-derives one by one (deriveCase); above this many, one
 * refreshDerived pass over the ledger (range scans) is cheaper, and the ids are not kept.
 */
const DERIVE_EACH_LIMIT = 2_000;
/**
 * Page cache while an import runs (negative: KiB; unset: the ledger's own, db.ts). A
 * larger cache (256 MB tried) showed no measurable gain on a loaded machine and raised
 * peak RSS from ~430 to ~590 MB at 100,000 rows, so by default it is left alone.
 */
const IMPORT_CACHE_SIZE: number | null =
  process.env.FIELDBOOK_IMPORT_CACHE !== undefined
    ? Number(process.env.FIELDBOOK_IMPORT_CACHE)
    : null;

class LedgerImportRun {
  readonly result: LedgerImportResult = {
    rowsRead: 0,
    loansCreated: 0,
    loansUpdated: 0,
    rowsLeftOut: 0,
    loansClosed: 0,
    casesOpened: 0,
    casesReopened: 0,
    casesClosed: 0,
    casesToFallbackOfficer: 0,
    snapshotsApproximate: 0,
    ms: 0,
  };
  readonly known = { loansUpdated: 0, casesReopened: 0, schedulesKeptForPlan: 0 };
  readonly search: SearchTextDeferral;
  private readonly snapshotAt: string;
  private readonly today: IsoDate;
  private readonly newLoans: NewLoanWriter;
  private readonly knownLoans: KnownLoanWriter;
  private readonly seen: BulkInsert;
  private batch: PreparedRow[] = [];
  /** Existing cases whose derived state must be recomputed; null once there are too many to list. */
  private touchedCases: Set<string> | null = new Set();
  private readonly casesBefore: number;

  constructor(
    private readonly ledger: Ledger,
    fallbackOfficerId: string,
    /** Full import: the loan numbers the file lists are kept, to close the others. */
    private readonly full: boolean,
  ) {
    const db = ledger.db;
    const officers = new Map<string, string>();
    for (const u of stmt<{ id: string; login: string }>(
      db,
      `SELECT id, login FROM users WHERE role = 'officer' AND active = 1`,
    ).all())
      officers.set(u.login, u.id);
    this.snapshotAt = ledger.clock.now().toISOString();
    this.today = ledgerToday(ledger);
    this.casesBefore = stmt<number>(db, 'SELECT count(*) FROM cases').pluck().get() ?? 0;
    this.search = new SearchTextDeferral(db);
    this.newLoans = new NewLoanWriter(
      {
        db,
        branchId: ledger.branch.id,
        officers,
        fallbackOfficerId,
        snapshotAt: this.snapshotAt,
      },
      this.result,
    );
    this.knownLoans = new KnownLoanWriter(db, this.snapshotAt, this.known);
    // The loan numbers the file lists (valid rows or not), for a full import's closing.
    this.seen = new BulkInsert(db, 'INSERT OR IGNORE INTO temp.import_seen (loan_no)', '(?)', 1);
  }

  /** Inside the transaction: scratch table of the loan numbers seen (rolled back with it). */
  begin(): void {
    const db = this.ledger.db;
    db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS import_seen (loan_no TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.import_seen;',
    );
    this.search.begin();
  }

  /** A row of the file: its loan number is listed; a valid row is queued for writing. */
  add(loanNo: string | null, prepared: PreparedRow | null): void {
    if (loanNo !== null && this.full) this.seen.add(loanNo);
    if (prepared === null) return;
    if (!prepared.plan.exact) this.result.snapshotsApproximate++;
    this.batch.push(prepared);
    if (this.batch.length >= BATCH_ROWS) this.flush();
  }

  /** Writes the queued rows: known loans updated, new ones inserted, then their search text. */
  flush(): void {
    this.seen.flush();
    if (this.batch.length === 0) return;
    const db = this.ledger.db;
    const known = findKnownLoans(
      db,
      this.batch.map((b) => b.row.loanNo),
    );
    const searchFor: string[] = [];
    for (const prepared of this.batch) {
      const loan = known.get(prepared.row.loanNo);
      if (loan === undefined) {
        this.newLoans.add(prepared);
        continue;
      }
      if (this.knownLoans.update(prepared, loan)) searchFor.push(loan.borrower_id);
      this.touchCase(loan.case_id);
    }
    this.batch = [];
    for (const id of this.newLoans.flush()) searchFor.push(id);
    // Built while the batch's pages are still in the page cache.
    this.search.rebuild(searchFor);
    this.result.loansUpdated = this.known.loansUpdated;
    this.result.casesReopened = this.known.casesReopened;
  }

  private touchCase(caseId: string): void {
    if (this.touchedCases === null) return;
    this.touchedCases.add(caseId);
    if (this.touchedCases.size > DERIVE_EACH_LIMIT) this.touchedCases = null;
  }

  /** Full import: active loans the file does not list are closed, and cases left with no active loan. */
  closeMissing(): void {
    const db = this.ledger.db;
    const closed = stmt<string>(
      db,
      `UPDATE loans SET status = 'closed', snapshot_at = ?, snapshot_seq = snapshot_seq + 1
       WHERE status = 'active' AND loan_no NOT IN (SELECT loan_no FROM temp.import_seen)
       RETURNING case_id`,
    )
      .pluck()
      .all(this.snapshotAt);
    this.result.loansClosed = closed.length;
    const cases = [...new Set(closed)];
    for (const id of cases) this.touchCase(id);
    this.result.casesClosed = stmt(
      db,
      `UPDATE cases SET status = 'closed'
       WHERE id IN (SELECT value FROM json_each(?)) AND status = 'open'
         AND NOT EXISTS (SELECT 1 FROM loans WHERE case_id = cases.id AND status = 'active')`,
    ).run(JSON.stringify(cases)).changes;
  }

  audit(actorId: string, preview: PortfolioPreview, full: boolean): void {
    const { ms: _ms, ...counts } = this.result;
    appendAudit(this.ledger.db, {
      at: this.ledger.clock.now().toISOString(),
      actorId,
      deviceId: this.ledger.deviceId,
      action: 'portfolio.import',
      entity: 'portfolio',
      entityId: preview.contentHash,
      payload: {
        fileName: preview.meta.fileName,
        contentHash: preview.contentHash,
        asOfDate: preview.context.asOfDate,
        full,
        counts: { ...counts, schedulesKeptForPlan: this.known.schedulesKeptForPlan },
      },
    });
  }

  /**
   * Derived state for today, as ensureDerivedCurrent keeps it (the worklist reads it next).
   * New cases got theirs as they were written; existing cases the import touched are
   * re-derived, one by one when few, else with the whole ledger. A ledger whose derived
   * state is not for today (or had none) is refreshed whole, unless every case in it is
   * one this import has just written.
   */
  derive(): void {
    const db = this.ledger.db;
    const current = getMeta(db, META.derivedAsOf) === this.today;
    if (this.touchedCases !== null && (current || this.casesBefore === 0)) {
      for (const id of this.touchedCases) deriveCase(db, id, this.today, this.ledger.policy);
      if (!current) setMeta(db, META.derivedAsOf, this.today);
      return;
    }
    refreshDerived(db, this.today, this.ledger.policy);
  }
}

/** Milliseconds per named step of a run, summed over laps. */
class Stopwatch {
  private last = performance.now();
  private readonly spent = new Map<string, number>();

  lap(step: string): void {
    const now = performance.now();
    this.spent.set(step, (this.spent.get(step) ?? 0) + now - this.last);
    this.last = now;
  }

  totals(): Record<string, number> {
    return Object.fromEntries([...this.spent].map(([k, v]) => [k, Math.round(v)]));
  }
}

/**
 * Copies the import's pages from the WAL into the ledger file now and truncates the WAL.
 * SQLite's automatic checkpoint would copy them too (the commit's, or worse, the next
 * officer command's), but leaves the -wal file at its high-water mark: after 100,000 loans
 * that is the size of the ledger again, kept on disk for good. The import is committed
 * (durable in the WAL) whatever happens here; a checkpoint that cannot finish now is
 * completed by a later one.
 */
function checkpointAfterImport(db: Ledger['db']): void {
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Committed already; the next automatic checkpoint copies what this one could not.
  }
}

function requireImporter(ledger: Ledger, actorId: string): void {
  const role = stmt<string>(ledger.db, `SELECT role FROM users WHERE id = ? AND active = 1`)
    .pluck()
    .get(actorId);
  if (role !== 'manager' && role !== 'admin') {
    throw new AppError('forbidden', 'Only a manager or an admin may import a portfolio', {
      reason: 'role_required',
    });
  }
}

/**
 * Imports the previewed file. Refuses (nothing written) when the preview found file issues,
 * or rejected rows without options.validOnly. Throws the signal's reason on cancel.
 */
export async function importPortfolioIntoLedger(
  ledger: Ledger,
  file: string,
  preview: PortfolioPreview,
  options: LedgerImportOptions,
  control: LedgerImportControl = {},
): Promise<LedgerImportResult> {
  const started = performance.now();
  requireImporter(ledger, options.actorId);
  if (!preview.canImport) {
    throw new AppError('invalid_input', 'This file cannot be imported: see the preview', {
      reason: 'file_not_importable',
    });
  }
  if (preview.report.rejectedRows > 0 && options.validOnly !== true) {
    throw new AppError(
      'invalid_input',
      'Some rows are rejected: import the valid rows only, or fix the file',
      {
        reason: 'rows_rejected',
        rejectedRows: preview.report.rejectedRows,
      },
    );
  }
  const db = ledger.db;
  if (running.has(db) || db.inTransaction) {
    throw new AppError('conflict', 'Another import or write is running on this ledger', {
      reason: 'import_running',
    });
  }
  const run = new LedgerImportRun(
    ledger,
    options.fallbackOfficerId ?? options.actorId,
    options.full === true,
  );
  const totalRows = preview.report.totalRows;
  const progress = (phase: LedgerImportProgress['phase']): void =>
    control.onProgress?.({
      phase,
      rowsRead: run.result.rowsRead,
      totalRows,
      loansWritten: run.result.loansCreated + run.result.loansUpdated,
    });
  running.add(db);
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  if (IMPORT_CACHE_SIZE !== null) db.pragma(`cache_size = ${IMPORT_CACHE_SIZE}`);
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  const watch = new Stopwatch();
  // New pages go straight into the ledger file, not through the WAL and a checkpoint.
  const journal = useRollbackJournal(db);
  db.exec('BEGIN IMMEDIATE');
  try {
    run.begin();
    const indexes = new CaseIndexDeferral(db);
    indexes.begin(totalRows);
    // After run.begin(): the search guard row is held from here to run.search.finish().
    const triggers = new InsertTriggerDeferral(db);
    triggers.begin();
    watch.lap('begin');
    const rows = importRowSource(file, preview, {
      ...(control.signal ? { signal: control.signal } : {}),
      prep: { today: ledgerToday(ledger), buckets: ledger.policy.buckets },
      ...(control.rowsInWorker !== undefined ? { worker: control.rowsInWorker } : {}),
    });
    for await (const items of rows) {
      watch.lap('read');
      for (const item of items) {
        run.result.rowsRead++;
        if (item.prepared === null) run.result.rowsLeftOut++;
        run.add(item.loanNo, item.prepared);
        if (run.result.rowsRead % PROGRESS_EVERY === 0) {
          run.flush();
          progress('writing');
          // Rows from the worker can queue up faster than they are written, and then this
          // loop would only ever await settled promises: let the event loop in (a cancel,
          // the screen polling progress) at every report.
          await new Promise((resolve) => setImmediate(resolve));
          control.signal?.throwIfAborted();
        }
      }
      watch.lap('write');
    }
    control.onRowSource?.(rows.mode);
    watch.lap('read');
    run.flush();
    // Every row is written: the lifted insert triggers are back before anything else writes.
    triggers.finish();
    watch.lap('write');
    progress('writing');
    control.signal?.throwIfAborted();
    if (options.full === true) {
      progress('closing');
      run.closeMissing();
      watch.lap('close');
    }
    progress('deriving');
    run.search.finish();
    run.derive();
    watch.lap('derive');
    indexes.finish();
    watch.lap('indexes');
    control.signal?.throwIfAborted();
    run.result.ms = Math.round(performance.now() - started);
    run.audit(options.actorId, preview, options.full === true);
    // The checkpoint is run below, explicitly, rather than inside COMMIT (see checkpointAfterImport).
    db.pragma('wal_autocheckpoint = 0');
    db.exec('COMMIT');
    watch.lap('commit');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    db.pragma(`cache_size = ${cacheSize}`);
    journal.restore();
    running.delete(db);
  }
  // Only reached once COMMIT succeeded: every failure above rolled back and threw.
  if (!journal.switched) checkpointAfterImport(db);
  watch.lap('checkpoint');
  control.onTimings?.(watch.totals());
  progress('done');
  return run.result;
}
