// The worklist an officer plans a day with: search by name, phone digits, loan number
// and pinyin initials; filters for promises due or overdue, cases not contacted in N
// days, hardship and follow-ups due; and the list grouped by village for a route.
import { afterEach, describe, expect, it } from 'vitest';
import type { WorklistPage } from '../../shared/api/contract';
import { buildEqualInstalmentSchedule } from '../../shared/domain/schedule';
import type { LedgerDb } from '../../electron/ledger/db';
import { searchNeedle } from '../../electron/ledger/queries/worklist';
import {
  insertBorrower,
  insertCase,
  insertContactPoint,
  insertLoan,
} from '../../electron/ledger/seed';
import { IDS, movableClock, okOp, openFixtureLedger, errOp } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function open(prepare?: (db: LedgerDb) => void) {
  const clock = movableClock('2026-11-28T10:00:00+08:00');
  return { ledger: openFixtureLedger(clock, cleanups, prepare), clock };
}

type Ledger = ReturnType<typeof open>['ledger'];

async function ids(ledger: Ledger, q: object): Promise<string[]> {
  return (await okOp<WorklistPage>(ledger, 'worklist.list', q)).rows.map((r) => r.caseId);
}

const BAIMA = { caseId: 'case-d-baima', borrowerId: 'borrower-d', loanId: 'loan-d' };

/** A fourth case, in 白马镇 (baimazhen): before 城关镇 (chengguanzhen) in pinyin order. */
function addBaimaCase(db: LedgerDb): void {
  insertBorrower(db, {
    id: BAIMA.borrowerId,
    branchId: IDS.branch,
    name: '王德峰',
    gender: 'M',
    idNumberMasked: '630221********5678',
    county: '平安县',
    township: '白马镇',
    village: '河湾村',
    address: '平安县白马镇河湾村3组8号',
  });
  insertContactPoint(db, {
    id: 'cp-d-mobile',
    borrowerId: BAIMA.borrowerId,
    kind: 'mobile',
    value: '159 1234 5678',
    party: 'borrower',
    name: null,
    relation: null,
    status: 'active',
  });
  insertCase(db, {
    id: BAIMA.caseId,
    branchId: IDS.branch,
    borrowerId: BAIMA.borrowerId,
    township: '白马镇',
    village: '河湾村',
    openedOn: '2026-08-15',
    officerId: IDS.officer,
    flags: { hardship: false, vulnerable: false, dispute: false, doNotContact: false },
    nextActionDate: null,
  });
  insertLoan(db, {
    id: BAIMA.loanId,
    caseId: BAIMA.caseId,
    borrowerId: BAIMA.borrowerId,
    loanNo: 'PAXE2026000099',
    product: '小额信用贷款',
    principalFen: 600_000,
    disbursedOn: '2026-08-15',
    termMonths: 6,
    annualRatePct: 0,
    snapshotAt: '2026-11-27T18:00:00.000Z',
    snapshotAsOf: '2026-11-27',
    schedule: buildEqualInstalmentSchedule({
      principalFen: 600_000,
      annualRatePct: 0,
      termMonths: 6,
      firstDueDate: '2026-11-20',
    }),
  });
}

describe('search', () => {
  it('finds a borrower by name, pinyin initials, full pinyin, phone digits and loan number', async () => {
    const { ledger } = open(addBaimaCase);
    expect(await ids(ledger, { search: '欧阳' })).toEqual([IDS.caseLate]);
    expect(await ids(ledger, { search: '张桂兰' })).toEqual([IDS.caseCurrent]);
    // Pinyin initials, as typed on a laptop keyboard: 'wdf' → 王德峰.
    expect(await ids(ledger, { search: 'wdf' })).toEqual([BAIMA.caseId]);
    expect(await ids(ledger, { search: 'WDF' })).toEqual([BAIMA.caseId]);
    expect(await ids(ledger, { search: 'oycy' })).toEqual([IDS.caseLate]);
    expect(await ids(ledger, { search: 'chen zhi qiang' })).toEqual([IDS.caseOther]);
    // Any part of a phone number, however it is spaced or stored.
    expect(await ids(ledger, { search: '0000001' })).toEqual([IDS.caseLate]);
    expect(await ids(ledger, { search: '138-0000-0002' })).toEqual([IDS.caseCurrent]);
    expect(await ids(ledger, { search: '12345678' })).toEqual([BAIMA.caseId]);
    expect(await ids(ledger, { search: '1380000' })).toEqual([IDS.caseLate, IDS.caseCurrent]);
    // Loan numbers, in either case, in part.
    expect(await ids(ledger, { search: 'paxe2026000003' })).toEqual([IDS.caseOther]);
    expect(await ids(ledger, { search: '000099' })).toEqual([BAIMA.caseId]);
    const none = await okOp<WorklistPage>(ledger, 'worklist.list', { search: '赵' });
    expect(none).toMatchObject({ rows: [], total: 0 });
    // Wildcards are only characters.
    expect(await ids(ledger, { search: '%' })).toEqual([]);
    expect(await ids(ledger, { search: 'paxe_026' })).toEqual([]);
    // Blank search is no search.
    expect(await ids(ledger, { search: '   ' })).toHaveLength(4);
  });

  it('combines with the filters and counts only what matches', async () => {
    const { ledger } = open(addBaimaCase);
    const page = await okOp<WorklistPage>(ledger, 'worklist.list', {
      search: '138',
      village: '东关村',
      limit: 1,
    });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.caseId)).toEqual([IDS.caseLate]);
    expect(await ids(ledger, { search: '138', officerId: IDS.officer2 })).toEqual([]);
  });

  it('keeps up with new phone numbers and renamed borrowers', async () => {
    const { ledger } = open();
    expect(await ids(ledger, { search: '13912345678' })).toEqual([]);
    insertContactPoint(ledger.db, {
      id: 'cp-c-new',
      borrowerId: IDS.borrowerOther,
      kind: 'mobile',
      value: '13912345678',
      party: 'borrower',
      name: null,
      relation: null,
      status: 'active',
    });
    expect(await ids(ledger, { search: '2345' })).toEqual([IDS.caseOther]);
    ledger.db
      .prepare('UPDATE borrowers SET name = ?, name_initials = ?, name_pinyin = ? WHERE id = ?')
      .run('陈志刚', 'czg', 'chenzhigang', IDS.borrowerOther);
    expect(await ids(ledger, { search: 'czg' })).toEqual([IDS.caseOther]);
    expect(await ids(ledger, { search: 'czq' })).toEqual([]);
  });

  it('normalises what is typed', () => {
    expect(searchNeedle(' Wang De ')).toBe('wangde');
    expect(searchNeedle('+86 (138) 0000-0001')).toBe('8613800000001');
    expect(searchNeedle('PAXE-2026')).toBe('paxe-2026');
    expect(searchNeedle(' | ')).toBeNull();
  });
});

describe('filters for the day', () => {
  it('promise due today, overdue, or either', async () => {
    const { ledger, clock } = open();
    await okOp(ledger, 'promise.record', {
      caseId: IDS.caseLate,
      amountFen: 50_000,
      dueDate: '2026-11-28',
    });
    await okOp(ledger, 'promise.record', {
      caseId: IDS.caseOther,
      amountFen: 50_000,
      dueDate: '2026-11-30',
    });
    expect(await ids(ledger, { promise: 'due_today' })).toEqual([IDS.caseLate]);
    expect(await ids(ledger, { promise: 'overdue' })).toEqual([]);
    clock.set('2026-11-30T10:00:00+08:00');
    expect(await ids(ledger, { promise: 'due_today' })).toEqual([IDS.caseOther]);
    expect(await ids(ledger, { promise: 'overdue' })).toEqual([IDS.caseLate]);
    expect(await ids(ledger, { promise: 'due_today_or_overdue' })).toEqual([
      IDS.caseLate,
      IDS.caseOther,
    ]);
    // A kept promise is no longer overdue.
    await okOp(ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 50_000,
      method: 'cash',
    });
    expect(await ids(ledger, { promise: 'overdue' })).toEqual([]);
  });

  it('not contacted in N days, never-contacted cases included', async () => {
    const { ledger, clock } = open();
    expect(await ids(ledger, { notContactedDays: 7 })).toHaveLength(3);
    await okOp(ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'nobody',
      outcome: 'no_answer',
    });
    expect(await ids(ledger, { notContactedDays: 1 })).toEqual([IDS.caseOther, IDS.caseCurrent]);
    clock.set('2026-12-04T10:00:00+08:00');
    expect(await ids(ledger, { notContactedDays: 7 })).toEqual([IDS.caseOther, IDS.caseCurrent]);
    clock.set('2026-12-05T10:00:00+08:00');
    expect(await ids(ledger, { notContactedDays: 7 })).toEqual([
      IDS.caseLate,
      IDS.caseOther,
      IDS.caseCurrent,
    ]);
    expect(await errOp(ledger, 'worklist.list', { notContactedDays: 0 })).toMatchObject({
      code: 'invalid_input',
      params: { field: 'notContactedDays' },
    });
  });

  it('hardship, and follow-ups whose date has come', async () => {
    const { ledger, clock } = open();
    const total = async (q: object) =>
      (await okOp<WorklistPage>(ledger, 'worklist.list', { ...q, limit: 1 })).total;
    // Asked twice (as when scrolling), then again after a change: the count follows the change.
    expect(await total({ hardship: true })).toBe(0);
    expect(await total({ hardship: true })).toBe(0);
    await okOp(ledger, 'case.setFlags', {
      caseId: IDS.caseOther,
      flags: { hardship: true },
      reason: '家中有人住院',
    });
    expect(await total({ hardship: true })).toBe(1);
    expect(await ids(ledger, { hardship: true })).toEqual([IDS.caseOther]);
    expect(await ids(ledger, { hardship: false })).toEqual([IDS.caseLate, IDS.caseCurrent]);

    await okOp(ledger, 'contact.record', {
      caseId: IDS.caseCurrent,
      channel: 'call',
      party: 'borrower',
      outcome: 'refused',
      nextActionDate: '2026-12-01',
    });
    expect(await ids(ledger, { followUpDue: true })).toEqual([]);
    clock.set('2026-12-01T09:00:00+08:00');
    expect(await ids(ledger, { followUpDue: true })).toEqual([IDS.caseCurrent]);
    expect(await ids(ledger, { followUpDue: false })).toEqual([IDS.caseLate, IDS.caseOther]);
  });
});

describe('grouped by village', () => {
  it('orders township, then village (pinyin order), then priority within a village', async () => {
    const { ledger } = open(addBaimaCase);
    // By priority alone: the late case, the other, 王德峰's, the current one.
    expect(await ids(ledger, {})).toEqual([
      IDS.caseLate,
      IDS.caseOther,
      BAIMA.caseId,
      IDS.caseCurrent,
    ]);
    const page = await okOp<WorklistPage>(ledger, 'worklist.list', { groupBy: 'village' });
    expect(page.rows.map((r) => [r.township, r.village, r.caseId])).toEqual([
      ['白马镇', '河湾村', BAIMA.caseId],
      ['城关镇', '东关村', IDS.caseLate],
      ['城关镇', '东关村', IDS.caseCurrent],
      ['城关镇', '西关村', IDS.caseOther],
    ]);
    // Pages continue the same order.
    const second = await okOp<WorklistPage>(ledger, 'worklist.list', {
      groupBy: 'village',
      offset: 2,
      limit: 2,
    });
    expect(second.rows.map((r) => r.caseId)).toEqual([IDS.caseCurrent, IDS.caseOther]);
    expect(second.total).toBe(4);
    // Past the end: no rows, and still the right total.
    expect(
      await okOp<WorklistPage>(ledger, 'worklist.list', { groupBy: 'village', offset: 10 }),
    ).toMatchObject({ rows: [], total: 4 });
    // The facets list places in the same order.
    const facets = await okOp<{ townships: { name: string; villages: string[] }[] }>(
      ledger,
      'worklist.facets',
      {},
    );
    expect(facets.townships).toEqual([
      { name: '白马镇', villages: ['河湾村'] },
      { name: '城关镇', villages: ['东关村', '西关村'] },
    ]);
  });
});
