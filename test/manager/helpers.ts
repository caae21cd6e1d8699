// Small hand-made branches for the manager's operations, on the ledger fixture of
// test/integration (three cases, 2026-11-28 in Asia/Shanghai, officer / officer2 / manager).
import { buildEqualInstalmentSchedule } from '../../shared/domain/schedule';
import type { CaseLedger } from '../../electron/ledger/index';
import type { LedgerDb } from '../../electron/ledger/db';
import { insertBorrower, insertCase, insertLoan } from '../../electron/ledger/seed';
import {
  IDS,
  movableClock,
  openFixtureLedger,
  type MovableClock,
} from '../integration/ledger-fixture';

export { IDS };

export interface Branch {
  ledger: CaseLedger;
  clock: MovableClock;
}

/** The fixture ledger on a movable clock set to `instant` (default 2026-11-28 10:00 Shanghai). */
export function openBranch(
  cleanups: (() => void)[],
  instant = '2026-11-28T10:00:00+08:00',
  prepare?: (db: LedgerDb) => void,
): Branch {
  const clock = movableClock(instant);
  const ledger = openFixtureLedger(clock, cleanups, prepare);
  return { ledger, clock };
}

const noFlags = { hardship: false, vulnerable: false, dispute: false, doNotContact: false };

/** Adds a case with one ¥12,000 / 12 month, 0 % loan whose first instalment is due `firstDueDate`. */
export function addCaseWithLoan(
  db: LedgerDb,
  n: number,
  officerId: string,
  firstDueDate: string,
  disbursedOn = '2026-08-15',
): { caseId: string; loanId: string } {
  const caseId = `case-x-${String(n).padStart(4, '0')}`;
  const borrowerId = `borrower-x-${n}`;
  const loanId = `loan-x-${n}`;
  insertBorrower(db, {
    id: borrowerId,
    branchId: IDS.branch,
    name: `测试户${n}`,
    gender: 'M',
    idNumberMasked: '630221********0000',
    county: '平安县',
    township: '城关镇',
    village: '南关村',
    address: `平安县城关镇南关村${n}号`,
  });
  insertCase(db, {
    id: caseId,
    branchId: IDS.branch,
    borrowerId,
    township: '城关镇',
    village: '南关村',
    openedOn: disbursedOn,
    officerId,
    flags: noFlags,
    nextActionDate: null,
  });
  insertLoan(db, {
    id: loanId,
    caseId,
    borrowerId,
    loanNo: `PAXE2026X${String(n).padStart(5, '0')}`,
    product: '小额信用贷款',
    principalFen: 1_200_000,
    disbursedOn,
    termMonths: 12,
    annualRatePct: 0,
    snapshotAt: '2026-08-15T00:00:00.000Z',
    snapshotAsOf: '2026-08-15',
    schedule: buildEqualInstalmentSchedule({
      principalFen: 1_200_000,
      annualRatePct: 0,
      termMonths: 12,
      firstDueDate,
    }),
  });
  return { caseId, loanId };
}
