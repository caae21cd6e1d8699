// New loans of a portfolio import, written a batch at a time: each new loan gets a
// borrower, its phone numbers, a case (open when the loan is delinquent, else closed until
// a later file shows it delinquent; its derived columns filled as it is written, see
// new-case-derived.ts, computed with the row in row-prep.ts), the loan, its rebuilt schedule and the core-banking line that
// carries the file's arrears (shared/import/loan-snapshot). Rows of a batch go in with
// multi-row INSERTs, parents first (borrowers, cases, contact points, loans, then
// instalments and core lines), so the foreign keys stay checked as they are written.
import { v7 as uuidv7 } from 'uuid';
import type { LedgerDb } from '../db';
import { BulkInsert } from './bulk-insert';
import { forEachInstalment, type PreparedRow } from './row-prep';
import { IMPORT_LINE_PREFIX, isDelinquent, maskIdNumber, phoneKind, rowPhones } from './row-values';

export interface NewLoanCounts {
  loansCreated: number;
  casesOpened: number;
  casesToFallbackOfficer: number;
}

export interface NewLoanContext {
  db: LedgerDb;
  branchId: string;
  /** Officer login -> user id, for the officer codes of the file. */
  officers: ReadonlyMap<string, string>;
  fallbackOfficerId: string;
  snapshotAt: string;
}

export class NewLoanWriter {
  private readonly borrowers: BulkInsert;
  private readonly cases: BulkInsert;
  private readonly contactPoints: BulkInsert;
  private readonly loans: BulkInsert;
  private readonly instalments: BulkInsert;
  private readonly coreLines: BulkInsert;
  /** Borrowers written since the last flush, whose cases' search text is still to build. */
  private borrowerIds: string[] = [];

  constructor(
    private readonly ctx: NewLoanContext,
    private readonly counts: NewLoanCounts,
  ) {
    const db = ctx.db;
    this.borrowers = new BulkInsert(
      db,
      `INSERT INTO borrowers (id, branch_id, name, name_initials, name_pinyin, gender, id_number_masked,
         county, township, village, address, time_zone)`,
      '(?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL)',
      10,
    );
    this.cases = new BulkInsert(
      db,
      `INSERT INTO cases (id, branch_id, borrower_id, township, village, route_key, opened_on, officer_id, status,
         dpd, bucket, arrears_fen, outstanding_fen, priority_score, priority_reasons)`,
      '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      15,
    );
    this.contactPoints = new BulkInsert(
      db,
      `INSERT INTO contact_points (id, borrower_id, kind, value, party, name, relation, status)`,
      `(?, ?, ?, ?, ?, ?, ?, 'active')`,
      7,
    );
    this.loans = new BulkInsert(
      db,
      `INSERT INTO loans (id, case_id, borrower_id, loan_no, product, principal_fen, disbursed_on, term_months,
         annual_rate_pct, snapshot_at, snapshot_as_of)`,
      '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      11,
    );
    this.instalments = new BulkInsert(
      db,
      'INSERT INTO instalments (loan_id, seq, due_date, principal_fen, interest_fen)',
      '(?, ?, ?, ?, ?)',
      5,
    );
    this.coreLines = new BulkInsert(
      db,
      'INSERT INTO core_repayments (case_id, loan_id, id, paid_on, amount_fen, channel, field_receipt_no)',
      `(?, ?, ?, ?, ?, 'counter', NULL)`,
      5,
    );
  }

  get pending(): number {
    return this.loans.pending;
  }

  add(prepared: PreparedRow): void {
    const { row, plan, pinyin: py, newCase: d } = prepared;
    const { branchId, snapshotAt } = this.ctx;
    const borrowerId = uuidv7();
    const caseId = uuidv7();
    const loanId = uuidv7();
    const township = row.township ?? '';
    const village = row.village ?? '';
    this.borrowers.add(
      borrowerId,
      branchId,
      row.borrowerName,
      py.initials,
      py.full,
      maskIdNumber(row.idNumber),
      row.county ?? '',
      township,
      village,
      row.address ?? '',
    );
    this.borrowerIds.push(borrowerId);

    let officerId = row.officerCode === null ? undefined : this.ctx.officers.get(row.officerCode);
    if (officerId === undefined) {
      officerId = this.ctx.fallbackOfficerId;
      this.counts.casesToFallbackOfficer++;
    }
    const delinquent = isDelinquent(row);
    if (delinquent) this.counts.casesOpened++;
    // A new loan has no payments and no core lines yet: the file's paid amount is the line
    // (as prepareRow counted it in the case's derived columns).
    const coreLine = plan.paidFen > 0 ? { paidOn: row.asOfDate, amountFen: plan.paidFen } : null;
    this.cases.add(
      caseId,
      branchId,
      borrowerId,
      township,
      village,
      prepared.routeKey,
      row.asOfDate,
      officerId,
      delinquent ? 'open' : 'closed',
      d.dpd,
      d.bucket,
      d.arrearsFen,
      d.outstandingFen,
      d.priorityScore,
      JSON.stringify(d.priorityReasons),
    );

    // A new borrower has no numbers in the ledger: only the row's own repeats are skipped.
    for (const p of rowPhones(row)) {
      this.contactPoints.add(
        uuidv7(),
        borrowerId,
        phoneKind(p.value),
        p.value,
        p.party,
        p.name,
        p.party === 'guarantor' ? '担保人' : null,
      );
    }

    this.loans.add(
      loanId,
      caseId,
      borrowerId,
      row.loanNo,
      row.product ?? '',
      row.principalFen,
      row.disbursedOn,
      row.termMonths,
      plan.annualRatePct,
      snapshotAt,
      row.asOfDate,
    );
    forEachInstalment(plan.schedule, (seq, due, principal, interest) =>
      this.instalments.add(loanId, seq, due, principal, interest),
    );
    if (coreLine !== null) {
      this.coreLines.add(
        caseId,
        loanId,
        `${IMPORT_LINE_PREFIX}${row.asOfDate}`,
        coreLine.paidOn,
        coreLine.amountFen,
      );
    }
    this.counts.loansCreated++;
  }

  /** Writes the batch, parents first; returns the borrowers written (their search text is due). */
  flush(): string[] {
    this.borrowers.flush();
    this.cases.flush();
    this.contactPoints.flush();
    this.loans.flush();
    this.instalments.flush();
    this.coreLines.flush();
    const written = this.borrowerIds;
    this.borrowerIds = [];
    return written;
  }
}
