// A page remembers the borrowers and loans it wrote or read (apply-pull.ts, PageContext)
// instead of looking each up again for every case, phone, snapshot and payment. These
// check that what it remembers never outlives the rows: a borrower moved within the page,
// a loan's second snapshot in the same page and in a later one, a case removed under it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type LedgerDb } from '../../electron/ledger/db';
import { applyPullPage, type PageOutcome } from '../../electron/ledger/sync/apply-pull';
import { ensureSyncSchema } from '../../electron/ledger/sync/sync-schema';
import type { CaseRecord, LoanSnapshotRecord, PullItem } from '../../shared/sync/records';

const BRANCH = '01a22533-d84b-716d-9d5e-ad1d465b0504';
const OFFICER = '01a22533-d867-763d-a1e2-21fc5fe02a88';
const BORROWER = '01a22533-d8a4-7124-9ce8-93bd341f4c3e';
const CASE = '01a22533-d8a4-7124-9ce8-96460696976d';
const LOAN = '01a22533-d8a4-7124-9ce8-a490f4d0b1be';
const STAMP = '2026-11-20T02:00:00.000Z-0000-ffffffffffffffff';
const AT = '2026-11-20T02:00:00.000Z';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function ledger(): LedgerDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-page-cache-'));
  const db = openLedger({ file: path.join(dir, 'ledger.db'), key: crypto.randomBytes(32) });
  cleanups.push(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  ensureSyncSchema(db);
  return db;
}

function page(db: LedgerDb, items: PullItem[]): PageOutcome {
  return db.transaction(() => applyPullPage(db, items, Date.parse(AT)))();
}

const base: PullItem[] = [
  {
    type: 'branch',
    branch: { id: BRANCH, code: 'GZ01', name: '从化支行', timezone: 'Asia/Shanghai' },
  },
  {
    type: 'borrower',
    borrower: {
      id: BORROWER,
      branchId: BRANCH,
      name: '吴秀英',
      gender: 'F',
      idNumberMasked: '440***********901X',
      township: '石门镇',
      village: '西坪村',
      county: '从化区',
      address: '石门镇西坪村37号',
    },
  },
];

function caseItem(over: Partial<CaseRecord> = {}): PullItem {
  return {
    type: 'case',
    case: {
      id: CASE,
      branchId: BRANCH,
      borrowerId: BORROWER,
      officerId: OFFICER,
      status: 'open',
      nextActionDate: null,
      flags: { dispute: false, hardship: false, vulnerable: false, doNotContact: false },
      clocks: { officerId: STAMP },
      updatedAt: AT,
      ...over,
    },
  };
}

const loanItem: PullItem = {
  type: 'loan',
  loan: {
    id: LOAN,
    caseId: CASE,
    borrowerId: BORROWER,
    loanNo: 'BN-L000126',
    product: '农户小额信用贷款',
    principalFen: 60_000_00,
    disbursedOn: '2026-07-27',
    termMonths: 3,
    status: 'active',
  },
};

function snapshot(id: string, paid: number[], principal = 20_000_00): PullItem {
  const s: LoanSnapshotRecord = {
    id,
    loanId: LOAN,
    asOf: '2026-11-19',
    status: 'active',
    outstandingPrincipalFen: 60_000_00,
    schedule: paid.map((paidFen, i) => ({
      seq: i + 1,
      dueDate: `2026-${String(8 + i).padStart(2, '0')}-27`,
      principalFen: principal,
      interestFen: 120_00,
      paidFen,
    })),
    receivedAt: AT,
  };
  return { type: 'loan_snapshot', snapshot: s };
}

const rows = (db: LedgerDb, sql: string, ...params: unknown[]): unknown[] =>
  db
    .prepare(sql)
    .raw()
    .all(...params);

describe('a page remembers borrowers and loans only while they hold', () => {
  it('writes a new case with its status and clocks in one row', () => {
    const db = ledger();
    const clocks = { officerId: STAMP, nextActionDate: STAMP };
    page(db, [...base, caseItem({ status: 'closed', clocks })]);
    const [status, stored] = rows(db, 'SELECT status, field_clocks FROM cases')[0] as string[];
    expect(status).toBe('closed');
    expect(JSON.parse(stored as string)).toEqual(clocks);
  });

  it('gives a case the place its borrower has after a move in the same page', () => {
    const db = ledger();
    page(db, base);
    const moved = structuredClone(base[1]) as Extract<PullItem, { type: 'borrower' }>;
    moved.borrower.township = '温泉镇';
    moved.borrower.village = '南平村';
    // The phone reads the borrower (and its place) before the move arrives.
    const phone: PullItem = {
      type: 'contact_point',
      contactPoint: {
        id: '01a22533-d8a4-7124-9ce8-9e2058781fc3',
        borrowerId: BORROWER,
        kind: 'mobile',
        value: '13724846927',
        party: 'borrower',
        name: null,
        relation: null,
        status: 'active',
        hlc: STAMP,
      },
    };
    page(db, [phone, moved, caseItem()]);
    expect(rows(db, 'SELECT township, village FROM cases')).toEqual([['温泉镇', '南平村']]);
  });

  it("replaces a loan's schedule and core repayments with its next snapshot, in the same page or a later one", () => {
    const db = ledger();
    const schedule = () =>
      rows(db, 'SELECT seq, principal_fen FROM instalments WHERE loan_id = ? ORDER BY seq', LOAN);
    const repaid = () =>
      rows(db, 'SELECT id, amount_fen FROM core_repayments WHERE loan_id = ? ORDER BY id', LOAN);

    page(db, [
      ...base,
      caseItem(),
      loanItem,
      snapshot('s1', [20_120_00, 0, 0]),
      snapshot('s2', [20_120_00, 5_000_00, 0], 19_000_00),
    ]);
    expect(schedule()).toEqual([
      [1, 19_000_00],
      [2, 19_000_00],
      [3, 19_000_00],
    ]);
    expect(repaid()).toEqual([
      ['s2:1', 20_120_00],
      ['s2:2', 5_000_00],
    ]);
    expect(rows(db, 'SELECT snapshot_seq FROM loans')).toEqual([[2]]);

    page(db, [snapshot('s3', [20_120_00, 20_120_00])]);
    expect(schedule()).toEqual([
      [1, 20_000_00],
      [2, 20_000_00],
    ]);
    expect(repaid()).toEqual([
      ['s3:1', 20_120_00],
      ['s3:2', 20_120_00],
    ]);
    expect(rows(db, 'SELECT snapshot_seq FROM loans')).toEqual([[3]]);
  });

  it('parks what arrives for a loan after its case left in the same page', () => {
    const db = ledger();
    page(db, [...base, caseItem(), loanItem, snapshot('s1', [0, 0, 0])]);
    const out = page(db, [
      snapshot('s2', [20_120_00, 0, 0]),
      { type: 'case_removed', caseId: CASE },
      snapshot('s3', [20_120_00, 20_120_00, 0]),
    ]);
    expect(out.casesRemoved).toBe(1);
    expect(out.unapplied).toEqual([{ type: 'loan_snapshot', id: 's3', why: 'loan missing' }]);
    expect(rows(db, 'SELECT count(*) FROM loans')).toEqual([[0]]);
    expect(rows(db, 'SELECT count(*) FROM instalments')).toEqual([[0]]);
    expect(rows(db, 'SELECT count(*) FROM core_repayments')).toEqual([[0]]);
  });
});
