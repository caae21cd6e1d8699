// A tiny hand-made branch for ledger tests: three cases whose numbers can be checked by
// hand, on a fixed clock (2026-11-28 10:00 in Asia/Shanghai).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispatch } from '../../shared/api/dispatch';
import type { OpName } from '../../shared/api/contract';
import { buildEqualInstalmentSchedule } from '../../shared/domain/schedule';
import type { WireError, WireResult } from '../../shared/errors';
import { openCaseLedger, type CaseLedger } from '../../electron/ledger/index';
import { fixedClock, type LedgerClock } from '../../electron/ledger/clock';
import { openLedger, type LedgerDb } from '../../electron/ledger/db';
import { refreshDerived } from '../../electron/ledger/derive';
import { bindLedger, type Ledger } from '../../electron/ledger/ledger';
import { migrate } from '../../electron/ledger/migrations';
import {
  initBranch,
  insertBorrower,
  insertCase,
  insertContactPoint,
  insertLoan,
} from '../../electron/ledger/seed';

export const TODAY = '2026-11-28';
export const NOW = '2026-11-28T02:00:00.000Z'; // 10:00 in Shanghai

export const IDS = {
  branch: 'branch-1',
  officer: 'user-officer-1',
  officer2: 'user-officer-2',
  manager: 'user-manager',
  caseLate: 'case-a-late',
  caseCurrent: 'case-b-current',
  caseOther: 'case-c-other',
  borrowerLate: 'borrower-a',
  borrowerCurrent: 'borrower-b',
  borrowerOther: 'borrower-c',
  loanLate: 'loan-a',
  loanCurrent: 'loan-b',
  loanOther: 'loan-c',
  mobileLate: 'cp-a-mobile',
  addressLate: 'cp-a-address',
  mobileCurrent: 'cp-b-mobile',
} as const;

export const LATE_BORROWER_NAME = '欧阳春燕';

export function tempDir(prefix = 'fieldbook-ledger-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A new encrypted ledger migrated up to `version` (a migration test fills it as that
 * version wrote it, then migrates on); closing and removing it is pushed to `cleanups`.
 */
export function ledgerAtVersion(version: number, cleanups: (() => void)[]): LedgerDb {
  const dir = tempDir();
  const db = openLedger({ file: path.join(dir, 'ledger.db'), key: crypto.randomBytes(32) });
  cleanups.push(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  migrate(db, version);
  return db;
}

export interface Fixture {
  dir: string;
  file: string;
  key: Buffer;
  db: LedgerDb;
  ledger: Ledger;
  cleanup(): void;
}

/** Builds the fixture ledger, derived for TODAY. */
export function buildFixture(clock: LedgerClock = fixedClock(NOW)): Fixture {
  const dir = tempDir();
  const file = path.join(dir, 'ledger.db');
  const key = crypto.randomBytes(32);
  const db = openLedger({ file, key });
  migrate(db);
  seedFixture(db);
  const ledger = bindLedger(db, clock);
  refreshDerived(db, TODAY, ledger.policy);
  return {
    dir,
    file,
    key,
    db,
    ledger,
    cleanup: () => {
      if (db.open) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const noFlags = { hardship: false, vulnerable: false, dispute: false, doNotContact: false };

export function seedFixture(db: LedgerDb): void {
  db.transaction(() => {
    initBranch(db, {
      branch: {
        id: IDS.branch,
        code: 'T-01',
        name: '测试支行',
        county: '平安县',
        timezone: 'Asia/Shanghai',
        policyPackId: 'cn-default',
      },
      users: [
        { id: IDS.officer, login: 'officer01', name: '李建国', role: 'officer' },
        { id: IDS.officer2, login: 'officer02', name: '王秀英', role: 'officer' },
        { id: IDS.manager, login: 'manager01', name: '赵德明', role: 'manager' },
      ],
      currentUserId: IDS.officer,
      demo: false,
    });
    const borrower = (id: string, name: string, village: string) =>
      insertBorrower(db, {
        id,
        branchId: IDS.branch,
        name,
        gender: 'F',
        idNumberMasked: '630221********1234',
        county: '平安县',
        township: '城关镇',
        village,
        address: `平安县城关镇${village}1组1号`,
      });
    borrower(IDS.borrowerLate, LATE_BORROWER_NAME, '东关村');
    borrower(IDS.borrowerCurrent, '张桂兰', '东关村');
    borrower(IDS.borrowerOther, '陈志强', '西关村');
    insertContactPoint(db, {
      id: IDS.mobileLate,
      borrowerId: IDS.borrowerLate,
      kind: 'mobile',
      value: '13800000001',
      party: 'borrower',
      name: null,
      relation: null,
      status: 'active',
    });
    insertContactPoint(db, {
      id: IDS.addressLate,
      borrowerId: IDS.borrowerLate,
      kind: 'address',
      value: '平安县城关镇东关村1组1号',
      party: 'borrower',
      name: null,
      relation: null,
      status: 'active',
    });
    insertContactPoint(db, {
      id: IDS.mobileCurrent,
      borrowerId: IDS.borrowerCurrent,
      kind: 'mobile',
      value: '13800000002',
      party: 'borrower',
      name: null,
      relation: null,
      status: 'active',
    });

    const kase = (id: string, borrowerId: string, village: string, officerId: string) =>
      insertCase(db, {
        id,
        branchId: IDS.branch,
        borrowerId,
        township: '城关镇',
        village,
        openedOn: '2026-08-15',
        officerId,
        flags: noFlags,
        nextActionDate: null,
      });
    kase(IDS.caseLate, IDS.borrowerLate, '东关村', IDS.officer);
    kase(IDS.caseCurrent, IDS.borrowerCurrent, '东关村', IDS.officer);
    kase(IDS.caseOther, IDS.borrowerOther, '西关村', IDS.officer2);

    // ¥12,000 over 12 months at 0 %: ¥1,000 a month on the 15th from 15 Sep 2026.
    // Nothing paid: instalments of 15 Sep, 15 Oct, 15 Nov are overdue on 28 Nov: 74 days, ¥3,000.
    const loan = (
      id: string,
      caseId: string,
      borrowerId: string,
      loanNo: string,
      firstDueDate: string,
    ) =>
      insertLoan(db, {
        id,
        caseId,
        borrowerId,
        loanNo,
        product: '小额信用贷款',
        principalFen: 1_200_000,
        disbursedOn: '2026-08-15',
        termMonths: 12,
        annualRatePct: 0,
        snapshotAt: '2026-11-27T18:00:00.000Z',
        snapshotAsOf: '2026-11-27',
        schedule: buildEqualInstalmentSchedule({
          principalFen: 1_200_000,
          annualRatePct: 0,
          termMonths: 12,
          firstDueDate,
        }),
      });
    loan(IDS.loanLate, IDS.caseLate, IDS.borrowerLate, 'PAXE2026000001', '2026-09-15');
    // First due in the future: current.
    loan(IDS.loanCurrent, IDS.caseCurrent, IDS.borrowerCurrent, 'PAXE2026000002', '2026-12-15');
    // Due 15 Nov, unpaid: 13 days.
    loan(IDS.loanOther, IDS.caseOther, IDS.borrowerOther, 'PAXE2026000003', '2026-11-15');
  })();
}

/** Every row of every table, in key order: two ledgers with equal snapshots hold the same data. */
export function snapshotTables(db: LedgerDb, tables: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const columns = (db.prepare(`PRAGMA table_info(${t})`).all() as { cid: number }[]).map(
      (c) => c.cid + 1,
    );
    out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY ${columns.join(', ')}`).all();
  }
  return out;
}

/** A test clock the test moves by hand ('2026-11-28T22:30:00+08:00' and the like). */
export interface MovableClock extends LedgerClock {
  set(instant: string): void;
}

export function movableClock(instant: string = NOW): MovableClock {
  let ms = new Date(instant).getTime();
  return {
    now: () => new Date(ms),
    set: (next) => {
      ms = new Date(next).getTime();
      if (Number.isNaN(ms)) throw new RangeError(`bad instant ${next}`);
    },
  };
}

/** The fixture reopened through the facade the app uses (openCaseLedger), on `clock`. */
export function openFixtureLedger(
  clock: LedgerClock,
  cleanups: (() => void)[],
  prepare?: (db: LedgerDb) => void,
): CaseLedger {
  const f = buildFixture();
  if (prepare) {
    prepare(f.db);
    // Whatever was changed is derived again when the ledger opens.
    f.db.prepare(`DELETE FROM meta WHERE key = 'derived_as_of'`).run();
  }
  f.db.close();
  cleanups.push(f.cleanup);
  const ledger = openCaseLedger({ file: f.file, key: f.key, keyStorage: 'test', clock });
  cleanups.unshift(() => ledger.close());
  return ledger;
}

/** Calls an operation through dispatch() as the transports do; as the signed-in officer by default. */
export async function callOp<T>(
  ledger: CaseLedger,
  op: OpName,
  input: unknown,
  userId: string = ledger.currentUserId,
): Promise<WireResult<T>> {
  return (await dispatch(ledger.handlers, op, input, { userId })) as WireResult<T>;
}

/** Like callOp, but the value, or a thrown Error naming the refusal. */
export async function okOp<T>(
  ledger: CaseLedger,
  op: OpName,
  input: unknown,
  userId?: string,
): Promise<T> {
  const r = await callOp<T>(ledger, op, input, userId);
  if (!r.ok)
    throw new Error(`${op}: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.params)}`);
  return r.value;
}

/** The refusal of an operation that must fail. */
export async function errOp(
  ledger: CaseLedger,
  op: OpName,
  input: unknown,
  userId?: string,
): Promise<WireError> {
  const r = await callOp(ledger, op, input, userId);
  if (r.ok) throw new Error(`${op} succeeded but was expected to fail`);
  return r.error;
}
