// Small hand-made branches for the manager's operations, on the ledger fixture of
// test/integration (three cases, 2026-11-28 in Asia/Shanghai, officer / officer2 / manager).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ManagerDashboard } from '../../shared/api/manager-contract';
import { portfolioDashboard, type DashboardSummary } from '../../shared/domain/portfolio';
import { buildEqualInstalmentSchedule } from '../../shared/domain/schedule';
import { withoutDashboardCache } from '../../electron/ledger/manager/dashboard-cache';
import { readDashboardInput } from '../../electron/ledger/manager/dashboard-input';
import { openCaseLedger, type CaseLedger } from '../../electron/ledger/index';
import type { LedgerDb } from '../../electron/ledger/db';
import { writeDemoLedgerFile } from '../../electron/ledger/demo/ensure-demo';
import { insertBorrower, insertCase, insertLoan } from '../../electron/ledger/seed';
import {
  IDS,
  movableClock,
  okOp,
  openFixtureLedger,
  tempDir,
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

/** A generated branch with its manager and (active) officers, and close() removing it. */
export interface DemoBranch extends Branch {
  managerId: string;
  officerIds: string[];
  /** Closes the ledger and opens its file again on the same clock (an app restart). */
  reopen(): CaseLedger;
  close(): void;
}

/**
 * A generated demo branch of `cases` cases (three officers, 2026-11-28, the manager signed
 * in) in a temp dir, open on a movable clock at 2026-11-28 10:00 Shanghai.
 */
export function openDemoBranch(name: string, cases: number, seed: number): DemoBranch {
  const dir = tempDir(`fieldbook-${name}-`);
  const file = path.join(dir, 'ledger.db');
  const key = crypto.randomBytes(32);
  writeDemoLedgerFile({
    file,
    key,
    cases,
    seed,
    officers: 3,
    activity: 1.6,
    today: '2026-11-28',
    signedInAs: 'manager',
  });
  const clock = movableClock('2026-11-28T10:00:00+08:00');
  const ledger = openCaseLedger({ file, key, keyStorage: 'test', clock });
  const managerId = ledger.db
    .prepare(`SELECT id FROM users WHERE role = 'manager' AND active = 1 LIMIT 1`)
    .pluck()
    .get() as string;
  const officerIds = ledger.db
    .prepare(`SELECT id FROM users WHERE role = 'officer' AND active = 1 ORDER BY id`)
    .pluck()
    .all() as string[];
  const branch: DemoBranch = {
    ledger,
    clock,
    managerId,
    officerIds,
    reopen() {
      branch.ledger.close();
      branch.ledger = openCaseLedger({ file, key, keyStorage: 'test', clock });
      return branch.ledger;
    },
    close() {
      branch.ledger.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return branch;
}

/** The manager's dashboard of the branch, through the API as the screen asks for it. */
export async function branchDashboard(branch: DemoBranch): Promise<ManagerDashboard> {
  return okOp<ManagerDashboard>(branch.ledger, 'manager.dashboard', {}, branch.managerId);
}

/** The branch summary computed afresh from the ledger's rows, nothing kept anywhere. */
export function freshSummary(branch: DemoBranch): DashboardSummary {
  const { ledger } = branch;
  const today = ledger.today();
  return withoutDashboardCache(ledger.db, () =>
    portfolioDashboard(readDashboardInput(ledger.ledger, { asOf: today, today })),
  );
}

export interface CaseOfOfficer {
  id: string;
  officer_id: string;
}

/** The first `limit` open cases in arrears, by id. */
export function casesInArrears(ledger: CaseLedger, limit: number): CaseOfOfficer[] {
  return ledger.db
    .prepare(
      `SELECT id, officer_id FROM cases WHERE status = 'open' AND arrears_fen > 0
       ORDER BY id LIMIT ?`,
    )
    .all(limit) as CaseOfOfficer[];
}

/**
 * The `i`th change of a day-by-day run: a payment of `amountFen` on case `c`, reversed when
 * i % 3 === 1, and the case reassigned to another officer when i is even.
 */
export async function payReverseReassign(
  branch: DemoBranch,
  c: CaseOfOfficer,
  i: number,
  amountFen: number,
): Promise<void> {
  const { ledger } = branch;
  const paid = await okOp<{ factId: string }>(
    ledger,
    'payment.record',
    { caseId: c.id, amountFen, method: 'cash' },
    c.officer_id,
  );
  if (i % 3 === 1) {
    await okOp(
      ledger,
      'payment.reverse',
      { paymentFactId: paid.factId, reason: 'wrong case' },
      c.officer_id,
    );
  }
  if (i % 2 === 0) {
    const to = branch.officerIds.find((o) => o !== c.officer_id)!;
    await okOp(
      ledger,
      'cases.reassign',
      { caseIds: [c.id], toOfficerId: to, reason: 'route change' },
      branch.managerId,
    );
  }
}
