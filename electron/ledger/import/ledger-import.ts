// Writes a previewed core-banking portfolio file into the desktop ledger (a manager or
// admin loading a branch with no server): ALL valid rows in ONE SQLite transaction, or
// nothing. Cancel (the signal), a file changed since the preview, any error, or the app
// being killed leave the ledger as it was: SQLite's journal undoes an uncommitted
// transaction on the next open.
//
// Per loan number, idempotently (reference rows only; facts are never touched):
// - a new loan gets a borrower, contact points, a case (open when the loan is delinquent,
//   else closed until a later file shows it delinquent), the loan and its schedule;
// - a known loan gets its terms, schedule and snapshot date refreshed, new phone numbers
//   added, its case reopened when it became delinquent (its officer is left alone: the
//   manager may have reassigned it);
// - full import: active loans the file does not list (not even on a rejected row) are
//   closed, and cases left with no active loan.
// The file's arrears and days past due are recorded as the rebuilt schedule plus a
// core-banking repayment line (shared/import/loan-snapshot): on the snapshot date the
// ledger's derived position is the file's, taking the field payments from before that date
// as posted in it; field payments from the snapshot date on count on top. Derived state is refreshed before commit.
//
// Rows are written as they stream from the file, so memory stays flat. The transaction is
// held open across the file's reads (BEGIN IMMEDIATE ... COMMIT): while it runs, nothing
// else may write through this connection (see importRunning), or that write would share
// the import's fate.
import { v7 as uuidv7 } from 'uuid';
import type { ImportRunOutput, ImportRunPhase } from '../../../shared/api/import-contract';
import { AppError } from '../../../shared/errors';
import type { Fen, IsoDate } from '../../../shared/domain/types';
import type { PortfolioRow } from '../../../shared/import/fields';
import { planLoanSnapshot } from '../../../shared/import/loan-snapshot';
import { importPortfolioRows, type PortfolioPreview } from '../../../shared/node/portfolio-import';
import { appendAudit } from '../audit';
import { refreshDerived } from '../derive';
import type { Ledger } from '../ledger';
import { ledgerToday } from '../ledger';
import { namePinyin, routeKey } from '../pinyin';
import { insertBorrower, insertContactPoint } from '../seed';
import { stmt } from '../statements';
import { CaseIndexDeferral } from './index-deferral';
import { SearchTextDeferral } from './search-deferral';

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
}

export type LedgerImportResult = ImportRunOutput;

const running = new WeakSet<object>();

const INSTALMENTS_PER_INSERT = 60;
const instalmentSql = new Map<number, string>();
function insertInstalmentsSql(rows: number): string {
  let sql = instalmentSql.get(rows);
  if (sql === undefined) {
    sql = `INSERT INTO instalments (loan_id, seq, due_date, principal_fen, interest_fen) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}`;
    instalmentSql.set(rows, sql);
  }
  return sql;
}

/** True while an import holds this ledger's transaction: other writers must wait (refuse with 'import_running'). */
export function importRunning(ledger: Ledger): boolean {
  return running.has(ledger.db);
}

const PROGRESS_EVERY = 2_000;
/**
 * Page cache while an import runs (negative: KiB; unset: the ledger's own, db.ts). A
 * larger cache (256 MB tried) showed no measurable gain on a loaded machine and raised
 * peak RSS from ~430 to ~590 MB at 100,000 rows, so by default it is left alone.
 */
const IMPORT_CACHE_SIZE: number | null =
  process.env.FIELDBOOK_IMPORT_CACHE !== undefined
    ? Number(process.env.FIELDBOOK_IMPORT_CACHE)
    : null;
/** Core-banking lines this import writes carry this id prefix; other core lines are left alone. */
const IMPORT_LINE_PREFIX = 'import:';

function isDelinquent(row: PortfolioRow): boolean {
  return row.daysPastDue > 0 || row.arrearsFen > 0;
}

/** Devices keep '110***********1234', never a whole identity number (as the server sends it). */
export function maskIdNumber(idNumber: string | null): string {
  if (!idNumber) return '';
  if (idNumber.length <= 7) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

function phoneKind(phone: string): 'mobile' | 'landline' {
  return /^1\d{10}$/.test(phone) ? 'mobile' : 'landline';
}

interface KnownLoan {
  id: string;
  case_id: string;
  borrower_id: string;
}

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
  readonly seen = new Set<string>();
  readonly search: SearchTextDeferral;
  private readonly officers = new Map<string, string>();
  private readonly snapshotAt: string;
  private readonly today: IsoDate;

  constructor(
    private readonly ledger: Ledger,
    private readonly fallbackOfficerId: string,
  ) {
    for (const u of stmt<{ id: string; login: string }>(
      ledger.db,
      `SELECT id, login FROM users WHERE role = 'officer' AND active = 1`,
    ).all())
      this.officers.set(u.login, u.id);
    this.snapshotAt = ledger.clock.now().toISOString();
    this.today = ledgerToday(ledger);
    this.search = new SearchTextDeferral(ledger.db);
  }

  write(row: PortfolioRow): void {
    const db = this.ledger.db;
    const known = stmt<KnownLoan>(
      db,
      'SELECT id, case_id, borrower_id FROM loans WHERE loan_no = ?',
    ).get(row.loanNo);
    const plan = planLoanSnapshot(row);
    if (!plan.exact) this.result.snapshotsApproximate++;
    if (known) this.update(row, known, plan);
    else this.create(row, plan);
  }

  private create(row: PortfolioRow, plan: ReturnType<typeof planLoanSnapshot>): void {
    const db = this.ledger.db;
    const branchId = this.ledger.branch.id;
    const borrowerId = uuidv7();
    const caseId = uuidv7();
    const loanId = uuidv7();
    const township = row.township ?? '';
    const village = row.village ?? '';
    insertBorrower(db, {
      id: borrowerId,
      branchId,
      name: row.borrowerName,
      gender: null,
      idNumberMasked: maskIdNumber(row.idNumber),
      county: row.county ?? '',
      township,
      village,
      address: row.address ?? '',
    });
    let officerId = row.officerCode === null ? undefined : this.officers.get(row.officerCode);
    if (officerId === undefined) {
      officerId = this.fallbackOfficerId;
      this.result.casesToFallbackOfficer++;
    }
    const delinquent = isDelinquent(row);
    stmt(
      db,
      `INSERT INTO cases (id, branch_id, borrower_id, township, village, route_key, opened_on, officer_id, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      caseId,
      branchId,
      borrowerId,
      township,
      village,
      routeKey(township, village),
      row.asOfDate,
      officerId,
      delinquent ? 'open' : 'closed',
    );
    if (delinquent) this.result.casesOpened++;
    this.search.touch(borrowerId);
    this.addPhones(row, borrowerId, true);
    stmt(
      db,
      `INSERT INTO loans (id, case_id, borrower_id, loan_no, product, principal_fen, disbursed_on, term_months,
         annual_rate_pct, snapshot_at, snapshot_as_of)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      loanId,
      caseId,
      borrowerId,
      row.loanNo,
      row.product ?? '',
      row.principalFen,
      row.disbursedOn,
      row.termMonths,
      plan.annualRatePct,
      this.snapshotAt,
      row.asOfDate,
    );
    this.writeSchedule(loanId, plan.schedule);
    // A new loan has no payments and no core lines yet: the file's paid amount is the line.
    if (plan.paidFen > 0) this.insertCoreLine(caseId, loanId, row.asOfDate, plan.paidFen);
    this.result.loansCreated++;
  }

  private update(
    row: PortfolioRow,
    loan: KnownLoan,
    plan: ReturnType<typeof planLoanSnapshot>,
  ): void {
    const db = this.ledger.db;
    stmt(
      db,
      `UPDATE loans SET product = ?, principal_fen = ?, disbursed_on = ?, term_months = ?, annual_rate_pct = ?,
         status = 'active', snapshot_at = ?, snapshot_as_of = ?, snapshot_seq = snapshot_seq + 1
       WHERE id = ?`,
    ).run(
      row.product ?? '',
      row.principalFen,
      row.disbursedOn,
      row.termMonths,
      plan.annualRatePct,
      this.snapshotAt,
      row.asOfDate,
      loan.id,
    );
    stmt(db, 'DELETE FROM instalments WHERE loan_id = ?').run(loan.id);
    this.writeSchedule(loan.id, plan.schedule);
    this.settleCoreLines(loan.case_id, loan.id, row.asOfDate, plan.paidFen);

    const py = namePinyin(row.borrowerName);
    const borrowerChanged = stmt(
      db,
      `UPDATE borrowers SET name = ?, name_initials = ?, name_pinyin = ?,
         id_number_masked = CASE WHEN ? = '' THEN id_number_masked ELSE ? END,
         county = ?, township = ?, village = ?, address = ?
       WHERE id = ? AND (name, id_number_masked, county, township, village, address) IS NOT (?, CASE WHEN ? = '' THEN id_number_masked ELSE ? END, ?, ?, ?, ?)`,
    ).run(
      row.borrowerName,
      py.initials,
      py.full,
      maskIdNumber(row.idNumber),
      maskIdNumber(row.idNumber),
      row.county ?? '',
      row.township ?? '',
      row.village ?? '',
      row.address ?? '',
      loan.borrower_id,
      row.borrowerName,
      maskIdNumber(row.idNumber),
      maskIdNumber(row.idNumber),
      row.county ?? '',
      row.township ?? '',
      row.village ?? '',
      row.address ?? '',
    ).changes;
    const township = row.township ?? '';
    const village = row.village ?? '';
    stmt(
      db,
      `UPDATE cases SET township = ?, village = ?, route_key = ? WHERE id = ? AND (township, village) IS NOT (?, ?)`,
    ).run(township, village, routeKey(township, village), loan.case_id, township, village);
    if (isDelinquent(row)) {
      const reopened = stmt(
        db,
        `UPDATE cases SET status = 'open' WHERE id = ? AND status = 'closed'`,
      ).run(loan.case_id);
      this.result.casesReopened += reopened.changes;
    }
    const phonesAdded = this.addPhones(row, loan.borrower_id);
    if (borrowerChanged > 0 || phonesAdded > 0) this.search.touch(loan.borrower_id);
    this.result.loansUpdated++;
  }

  /** Numbers the borrower does not have yet; one an officer marked invalid stays invalid. */
  private addPhones(row: PortfolioRow, borrowerId: string, newBorrower = false): number {
    const db = this.ledger.db;
    const numbers: [string, 'borrower' | 'guarantor', string | null][] = [];
    for (const p of [row.phone, ...row.otherPhones]) if (p) numbers.push([p, 'borrower', null]);
    if (row.guarantorPhone) numbers.push([row.guarantorPhone, 'guarantor', row.guarantorName]);
    const has = stmt<number>(
      db,
      'SELECT 1 FROM contact_points WHERE borrower_id = ? AND value = ?',
    ).pluck();
    // A new borrower has no numbers in the ledger: only the row's own repeats are skipped.
    const written = new Set<string>();
    let added = 0;
    for (const [value, party, name] of numbers) {
      if (written.has(value)) continue;
      if (!newBorrower && has.get(borrowerId, value) !== undefined) continue;
      written.add(value);
      added++;
      insertContactPoint(db, {
        id: uuidv7(),
        borrowerId,
        kind: phoneKind(value),
        value,
        party,
        name,
        relation: party === 'guarantor' ? '担保人' : null,
        status: 'active',
      });
    }
    return added;
  }

  private writeSchedule(
    loanId: string,
    schedule: ReturnType<typeof planLoanSnapshot>['schedule'],
  ): void {
    // Up to INSTALMENTS_PER_INSERT rows per statement: one call into SQLite per loan, not per row.
    for (let from = 0; from < schedule.length; from += INSTALMENTS_PER_INSERT) {
      const part = schedule.slice(from, from + INSTALMENTS_PER_INSERT);
      const args: (string | number)[] = [];
      for (const i of part) args.push(loanId, i.seq, i.dueDate, i.principalFen, i.interestFen);
      stmt(this.ledger.db, insertInstalmentsSql(part.length)).run(args);
    }
  }

  private insertCoreLine(caseId: string, loanId: string, asOf: IsoDate, amountFen: Fen): void {
    stmt(
      this.ledger.db,
      `INSERT INTO core_repayments (case_id, loan_id, id, paid_on, amount_fen, channel, field_receipt_no)
       VALUES (?, ?, ?, ?, ?, 'counter', NULL)
       ON CONFLICT (case_id, loan_id, id) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen`,
    ).run(caseId, loanId, `${IMPORT_LINE_PREFIX}${asOf}`, asOf, amountFen);
  }

  /**
   * Makes the money counted against the loan up to `asOf` equal what core banking has
   * received (`paidFen`): field payments not reversed from before the snapshot date (handed
   * over and posted by then; one taken on the snapshot date itself is not yet) and other
   * core lines count first;
   * this import's own lines are a stack, topped up with a line dated `asOf` or trimmed
   * newest first, so a promise is never credited with money paid before its snapshot.
   */
  private settleCoreLines(caseId: string, loanId: string, asOf: IsoDate, paidFen: Fen): void {
    const db = this.ledger.db;
    const field =
      stmt<number>(
        db,
        `SELECT ifnull(sum(p.amount_fen), 0) FROM payments p WHERE p.case_id = ? AND p.loan_id = ? AND p.paid_on < ?
           AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)`,
      )
        .pluck()
        .get(caseId, loanId, asOf) ?? 0;
    const other =
      stmt<number>(
        db,
        `SELECT ifnull(sum(amount_fen), 0) FROM core_repayments
         WHERE case_id = ? AND loan_id = ? AND paid_on <= ? AND id NOT LIKE 'import:%'
           AND (field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = field_receipt_no))`,
      )
        .pluck()
        .get(caseId, loanId, asOf) ?? 0;
    const target = Math.max(0, paidFen - field - other);
    const lines = stmt<{ id: string; amount_fen: number }>(
      db,
      `SELECT id, amount_fen FROM core_repayments WHERE case_id = ? AND loan_id = ? AND id LIKE 'import:%' ORDER BY paid_on, id`,
    ).all(caseId, loanId);
    let sum = lines.reduce((s, l) => s + l.amount_fen, 0);
    while (sum > target && lines.length > 0) {
      const last = lines.pop() as { id: string; amount_fen: number };
      stmt(db, 'DELETE FROM core_repayments WHERE case_id = ? AND loan_id = ? AND id = ?').run(
        caseId,
        loanId,
        last.id,
      );
      sum -= last.amount_fen;
    }
    if (target > sum) this.insertCoreLine(caseId, loanId, asOf, target - sum);
  }

  closeMissing(): void {
    const db = this.ledger.db;
    const active = stmt<{ id: string; loan_no: string; case_id: string }>(
      db,
      `SELECT id, loan_no, case_id FROM loans WHERE status = 'active'`,
    ).all();
    const closeLoan = stmt(
      db,
      `UPDATE loans SET status = 'closed', snapshot_at = ?, snapshot_seq = snapshot_seq + 1 WHERE id = ?`,
    );
    const cases = new Set<string>();
    for (const l of active) {
      if (this.seen.has(l.loan_no)) continue;
      closeLoan.run(this.snapshotAt, l.id);
      cases.add(l.case_id);
      this.result.loansClosed++;
    }
    const closeCase = stmt(
      db,
      `UPDATE cases SET status = 'closed' WHERE id = ? AND status = 'open'
         AND NOT EXISTS (SELECT 1 FROM loans WHERE case_id = cases.id AND status = 'active')`,
    );
    for (const id of cases) this.result.casesClosed += closeCase.run(id).changes;
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
        counts,
      },
    });
  }

  /** Derived state for today, as ensureDerivedCurrent keeps it (the worklist reads it next). */
  derive(): void {
    refreshDerived(this.ledger.db, this.today, this.ledger.policy);
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
  const run = new LedgerImportRun(ledger, options.fallbackOfficerId ?? options.actorId);
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
  db.exec('BEGIN IMMEDIATE');
  try {
    run.search.begin();
    const indexes = new CaseIndexDeferral(db);
    indexes.begin(totalRows);
    for await (const checked of importPortfolioRows(
      file,
      preview,
      control.signal ? { signal: control.signal } : {},
    )) {
      run.result.rowsRead++;
      if (checked.loanNo !== null) run.seen.add(checked.loanNo);
      if (checked.row) run.write(checked.row);
      else run.result.rowsLeftOut++;
      if (run.result.rowsRead % PROGRESS_EVERY === 0) progress('writing');
    }
    progress('writing');
    control.signal?.throwIfAborted();
    if (options.full === true) {
      progress('closing');
      run.closeMissing();
    }
    progress('deriving');
    run.search.finish();
    run.derive();
    indexes.finish();
    control.signal?.throwIfAborted();
    run.result.ms = Math.round(performance.now() - started);
    run.audit(options.actorId, preview, options.full === true);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    running.delete(db);
  }
  progress('done');
  return run.result;
}
