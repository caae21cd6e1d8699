// Loans of a portfolio import the ledger already has (a re-import, the next day's file):
// their terms and snapshot date refreshed, the schedule rebuilt from the file, the
// core-banking line settled so the ledger shows the file's arrears, the borrower's details
// refreshed, new phone numbers added, the case reopened when the loan became delinquent
// (its officer is left alone: the manager may have reassigned it). Facts are never
// touched; a number an officer marked invalid stays invalid.
//
// A loan running on an approved restructuring plan (loan_restructurings, written by
// manager/plan-decision.ts) keeps the plan's schedule: core banking exports balances,
// arrears and days past due against the contract it knows, and rebuilding the schedule
// from them would silently undo the manager's decision (the officer would see the old
// arrears again the day after approving). For such a loan the import still refreshes the
// loan's terms and snapshot date and settles the money core banking has received (the
// same core-line stack as any loan), which the ledger then counts against the plan's
// instalments; the schedule the plan replaced stays in loan_original_schedules. The plan's
// own instalments change only through another plan decision.
import { v7 as uuidv7 } from 'uuid';
import type { Fen, IsoDate } from '../../../shared/domain/types';
import type { PortfolioRow } from '../../../shared/import/fields';
import type { LedgerDb } from '../db';
import { stmt } from '../statements';
import { BulkInsert } from './bulk-insert';
import { forEachInstalment, type PreparedRow } from './row-prep';
import { IMPORT_LINE_PREFIX, isDelinquent, maskIdNumber, phoneKind, rowPhones } from './row-values';

export interface KnownLoan {
  loan_no: string;
  id: string;
  case_id: string;
  borrower_id: string;
  /** 1 when an approved plan is the loan's schedule. */
  restructured: number;
}

export interface KnownLoanCounts {
  loansUpdated: number;
  casesReopened: number;
  schedulesKeptForPlan: number;
}

/** The loans of these numbers the ledger has, by loan number (one query per batch). */
export function findKnownLoans(db: LedgerDb, loanNos: readonly string[]): Map<string, KnownLoan> {
  const rows = stmt<KnownLoan>(
    db,
    `SELECT l.loan_no, l.id, l.case_id, l.borrower_id,
       EXISTS (SELECT 1 FROM loan_restructurings r WHERE r.loan_id = l.id) AS restructured
     FROM loans l WHERE l.loan_no IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(loanNos));
  return new Map(rows.map((r) => [r.loan_no, r]));
}

export class KnownLoanWriter {
  private readonly instalments: BulkInsert;

  constructor(
    private readonly db: LedgerDb,
    private readonly snapshotAt: string,
    private readonly counts: KnownLoanCounts,
  ) {
    this.instalments = new BulkInsert(
      db,
      'INSERT INTO instalments (loan_id, seq, due_date, principal_fen, interest_fen)',
      '(?, ?, ?, ?, ?)',
      5,
    );
  }

  /** Updates one loan; true when its borrower's search text must be rebuilt. */
  update(prepared: PreparedRow, loan: KnownLoan): boolean {
    const { row, plan, pinyin: py } = prepared;
    const db = this.db;
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
    if (loan.restructured === 1) {
      this.counts.schedulesKeptForPlan++;
    } else {
      stmt(db, 'DELETE FROM instalments WHERE loan_id = ?').run(loan.id);
      forEachInstalment(plan.schedule, (seq, due, principal, interest) =>
        this.instalments.add(loan.id, seq, due, principal, interest),
      );
      this.instalments.flush();
    }
    this.settleCoreLines(loan.case_id, loan.id, row.asOfDate, plan.paidFen);

    const masked = maskIdNumber(row.idNumber);
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
      masked,
      masked,
      row.county ?? '',
      row.township ?? '',
      row.village ?? '',
      row.address ?? '',
      loan.borrower_id,
      row.borrowerName,
      masked,
      masked,
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
    ).run(township, village, prepared.routeKey, loan.case_id, township, village);
    if (isDelinquent(row)) {
      const reopened = stmt(
        db,
        `UPDATE cases SET status = 'open' WHERE id = ? AND status = 'closed'`,
      ).run(loan.case_id);
      this.counts.casesReopened += reopened.changes;
    }
    const phonesAdded = this.addPhones(row, loan.borrower_id);
    this.counts.loansUpdated++;
    return borrowerChanged > 0 || phonesAdded > 0;
  }

  /** Numbers the borrower does not have yet; one an officer marked invalid stays invalid. */
  private addPhones(row: PortfolioRow, borrowerId: string): number {
    const has = stmt<number>(
      this.db,
      'SELECT 1 FROM contact_points WHERE borrower_id = ? AND value = ?',
    ).pluck();
    const insert = stmt(
      this.db,
      `INSERT INTO contact_points (id, borrower_id, kind, value, party, name, relation, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'active')`,
    );
    let added = 0;
    for (const p of rowPhones(row)) {
      if (has.get(borrowerId, p.value) !== undefined) continue;
      insert.run(
        uuidv7(),
        borrowerId,
        phoneKind(p.value),
        p.value,
        p.party,
        p.name,
        p.party === 'guarantor' ? '担保人' : null,
      );
      added++;
    }
    return added;
  }

  /**
   * Makes the money counted against the loan up to `asOf` equal what core banking has
   * received (`paidFen`): field payments not reversed from before the snapshot date (handed
   * over and posted by then; one taken on the snapshot date itself is not yet) and other
   * core lines count first; this import's own lines are a stack, topped up with a line
   * dated `asOf` or trimmed newest first, so a promise is never credited with money paid
   * before its snapshot.
   */
  private settleCoreLines(caseId: string, loanId: string, asOf: IsoDate, paidFen: Fen): void {
    const db = this.db;
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
    if (target > sum) {
      stmt(
        db,
        `INSERT INTO core_repayments (case_id, loan_id, id, paid_on, amount_fen, channel, field_receipt_no)
         VALUES (?, ?, ?, ?, ?, 'counter', NULL)
         ON CONFLICT (case_id, loan_id, id) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen`,
      ).run(caseId, loanId, `${IMPORT_LINE_PREFIX}${asOf}`, asOf, target - sum);
    }
  }
}
