// Migration 0015: each case's officer and balance summed from the loan positions a ledger
// already holds; the kept end groups start empty (the next dashboard sums them).
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerDb } from '../../electron/ledger/db';
import { migrate } from '../../electron/ledger/migrations';
import { ledgerAtVersion } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function ledgerAt(version: number): LedgerDb {
  return ledgerAtVersion(version, cleanups);
}

function addPosition(
  db: LedgerDb,
  loanId: string,
  caseId: string,
  officerId: string,
  present: 0 | 1,
  status: 'active' | 'closed',
  outstandingFen: number,
): void {
  db.prepare(
    `INSERT INTO dashboard_loan_positions (loan_id, case_id, computed_for, valid_until, present,
       officer_id, outstanding_principal_fen, overdue_principal_fen, arrears_fen, oldest_unpaid_due,
       restructured, status, due_in_period_fen, paid_in_period_fen)
     VALUES (?, ?, '2026-11-20', '2026-12-01', ?, ?, ?, 0, 0, NULL, 0, ?, 0, 0)`,
  ).run(loanId, caseId, present, officerId, outstandingFen, status);
}

describe('migration 0015 (dashboard sums)', () => {
  it('sums each case’s present positions: officer and active balance', () => {
    const db = ledgerAt(13);
    addPosition(db, 'loan-1', 'case-a', 'officer-1', 1, 'active', 100_000);
    addPosition(db, 'loan-2', 'case-a', 'officer-1', 1, 'active', 25_050);
    addPosition(db, 'loan-3', 'case-a', 'officer-1', 1, 'closed', 0);
    addPosition(db, 'loan-4', 'case-b', 'officer-2', 1, 'closed', 0);
    // Not disbursed yet on its computed day: not in the portfolio, no sum.
    addPosition(db, 'loan-5', 'case-c', 'officer-2', 0, 'active', 70_000);
    expect(migrate(db, 15)).toEqual([15]);

    expect(
      db
        .prepare(
          'SELECT case_id, officer_id, balance_fen FROM dashboard_case_sums ORDER BY case_id',
        )
        .raw()
        .all(),
    ).toEqual([
      ['case-a', 'officer-1', 125_050],
      ['case-b', 'officer-2', 0],
    ]);
    expect(db.prepare('SELECT count(*) FROM dashboard_kept_end_groups').pluck().get()).toBe(0);
    expect(() =>
      db
        .prepare(
          `INSERT INTO dashboard_kept_end_groups (id, month_start, start_date, start_written_at, app_version, groups)
           VALUES (2, '2026-11-01', '2026-10-31', '', 'dev', '[]')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
