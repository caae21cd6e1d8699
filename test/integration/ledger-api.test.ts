// The ledger's API handlers through dispatch(), as the renderer reaches them over IPC or
// the dev bridge: worklist order and filters, facets, the case file, recording a contact,
// and derived state following the business date.
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api/dispatch';
import type {
  AppInfo,
  CaseFile,
  OpName,
  WorklistFacets,
  WorklistPage,
} from '../../shared/api/contract';
import type { WireResult } from '../../shared/errors';
import { openCaseLedger, type CaseLedger } from '../../electron/ledger/index';
import { fixedClock, type LedgerClock } from '../../electron/ledger/clock';
import { recordPromise } from '../../electron/ledger/commands';
import { openLedger } from '../../electron/ledger/db';
import { LEDGER_SCHEMA_VERSION, migrate } from '../../electron/ledger/migrations';
import { refreshDerived } from '../../electron/ledger/derive';
import { buildFixture, IDS, LATE_BORROWER_NAME, NOW, tempDir } from './ledger-fixture';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The fixture, closed and reopened through the facade the app uses. */
function open(clock?: LedgerClock, extra: { today?: string } = {}): CaseLedger {
  const f = buildFixture();
  f.db.close();
  cleanups.push(f.cleanup);
  const ledger = openCaseLedger({
    file: f.file,
    key: f.key,
    keyStorage: 'test',
    ...(clock && { clock }),
    ...extra,
  });
  cleanups.unshift(() => ledger.close());
  return ledger;
}

async function call<T>(
  ledger: CaseLedger,
  op: string,
  input: unknown,
  userId = ledger.currentUserId,
): Promise<WireResult<T>> {
  return (await dispatch(ledger.handlers, op, input, { userId })) as WireResult<T>;
}

async function ok<T>(ledger: CaseLedger, op: OpName, input: unknown): Promise<T> {
  const r = await call<T>(ledger, op, input);
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

describe('app.info', () => {
  it('describes the branch, the business date and who is signed in', async () => {
    const ledger = open(fixedClock(NOW));
    const info = await ok<AppInfo>(ledger, 'app.info', {});
    expect(info).toMatchObject({
      schemaVersion: LEDGER_SCHEMA_VERSION,
      branch: { id: IDS.branch, name: '测试支行', timezone: 'Asia/Shanghai' },
      today: '2026-11-28',
      currentUser: { id: IDS.officer, name: '李建国', role: 'officer' },
      demo: false,
      keyStorage: 'test',
      caseCount: 3,
    });
    expect(info.officers.map((o) => o.name)).toEqual(['李建国', '王秀英']);
  });

  it('answers nobody who is not a user of the branch', async () => {
    const ledger = open(fixedClock(NOW));
    const r = await call(ledger, 'app.info', {}, 'stranger');
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('worklist', () => {
  it('puts the most urgent case first and says why', async () => {
    const ledger = open(fixedClock(NOW));
    const page = await ok<WorklistPage>(ledger, 'worklist.list', {});
    expect(page.total).toBe(3);
    expect(page.asOf).toBe('2026-11-28');
    expect(page.rows.map((r) => r.caseId)).toEqual([IDS.caseLate, IDS.caseOther, IDS.caseCurrent]);
    const scores = page.rows.map((r) => r.priorityScore);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const first = page.rows[0];
    expect(first).toMatchObject({
      borrowerName: LATE_BORROWER_NAME,
      phone: '13800000001',
      village: '东关村',
      loanNo: 'PAXE2026000001',
      daysPastDue: 74,
      bucket: 'M3',
      arrearsFen: 300_000,
      outstandingFen: 1_200_000,
      promise: null,
      lastContact: null,
      officer: { id: IDS.officer, name: '李建国' },
    });
    expect(first?.reasons[0]).toEqual({ code: 'days_past_due', days: 74 });
    expect(first?.reasons).toContainEqual({ code: 'never_contacted' });
    expect(page.rows[2]).toMatchObject({ daysPastDue: 0, bucket: 'M0', reasons: [] });
  });

  it('filters by officer, village and bucket, and pages without overlap', async () => {
    const ledger = open(fixedClock(NOW));
    const ids = async (q: object) =>
      (await ok<WorklistPage>(ledger, 'worklist.list', q)).rows.map((r) => r.caseId);
    expect(await ids({ village: '东关村', bucket: 'M3' })).toEqual([IDS.caseLate]);
    expect(await ids({ village: '东关村', bucket: 'M1' })).toEqual([]);
    expect(await ids({ officerId: IDS.officer2 })).toEqual([IDS.caseOther]);
    expect(await ids({ township: '城关镇', village: '东关村' })).toEqual([
      IDS.caseLate,
      IDS.caseCurrent,
    ]);
    const p1 = await ok<WorklistPage>(ledger, 'worklist.list', { limit: 2, offset: 0 });
    const p2 = await ok<WorklistPage>(ledger, 'worklist.list', { limit: 2, offset: 2 });
    expect([...p1.rows, ...p2.rows].map((r) => r.caseId)).toEqual([
      IDS.caseLate,
      IDS.caseOther,
      IDS.caseCurrent,
    ]);
    expect(p2.total).toBe(3);
    expect(await call(ledger, 'worklist.list', { limit: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('offers the places with open cases in pinyin order, and the policy buckets', async () => {
    const ledger = open(fixedClock(NOW));
    const facets = await ok<WorklistFacets>(ledger, 'worklist.facets', {});
    expect(facets.townships).toEqual([{ name: '城关镇', villages: ['东关村', '西关村'] }]);
    expect(facets.buckets.map((b) => b.code)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4-6', 'M6+']);
  });
});

describe('case file and recording a contact', () => {
  it('shows borrower, contact points, the schedule as paid, and a timeline that grows', async () => {
    const ledger = open(fixedClock(NOW));
    const before = await ok<CaseFile>(ledger, 'case.get', { caseId: IDS.caseLate });
    expect(before.borrower).toMatchObject({
      name: LATE_BORROWER_NAME,
      village: '东关村',
      idNumberMasked: '630221********1234',
    });
    expect(before.contactPoints.map((c) => c.kind)).toEqual(['mobile', 'address']);
    expect(before.loans).toHaveLength(1);
    const loan = before.loans[0];
    expect(loan).toMatchObject({
      loanNo: 'PAXE2026000001',
      daysPastDue: 74,
      bucket: 'M3',
      arrearsFen: 300_000,
      outstandingFen: 1_200_000,
    });
    expect(loan?.schedule.map((i) => i.status).slice(0, 4)).toEqual([
      'overdue',
      'overdue',
      'overdue',
      'future',
    ]);
    expect(before.timeline).toEqual([]);

    const recorded = await call<{ factId: string }>(ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'visit',
      party: 'borrower',
      contactPointId: IDS.addressLate,
      outcome: 'promise_to_pay',
      note: '  称卖完粮食后还款  ',
      secondCollectorId: IDS.officer2,
      nextActionDate: '2026-12-03',
    });
    expect(recorded.ok).toBe(true);
    const after = await ok<CaseFile>(ledger, 'case.get', { caseId: IDS.caseLate });
    expect(after.nextActionDate).toBe('2026-12-03');
    expect(after.timeline).toHaveLength(1);
    expect(after.timeline[0]).toMatchObject({
      kind: 'contact',
      occurredAt: NOW,
      recordedBy: { id: IDS.officer, name: '李建国' },
      details: {
        channel: 'visit',
        outcome: 'promise_to_pay',
        note: '称卖完粮食后还款',
        secondCollectorName: '王秀英',
        contactPointValue: '平安县城关镇东关村1组1号',
      },
    });
    const row = (
      await ok<WorklistPage>(ledger, 'worklist.list', { village: '东关村', bucket: 'M3' })
    ).rows[0];
    expect(row?.lastContact).toEqual({ at: NOW, channel: 'visit', outcome: 'promise_to_pay' });
    expect(row?.reasons).not.toContainEqual({ code: 'never_contacted' });
  });

  it('answers not_found for an unknown case and invalid_input for a bad contact', async () => {
    const ledger = open(fixedClock(NOW));
    expect(await call(ledger, 'case.get', { caseId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(
      await call(ledger, 'contact.record', {
        caseId: IDS.caseLate,
        channel: 'call',
        party: 'borrower',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', params: { field: 'outcome' } },
    });
    expect(
      await call(ledger, 'contact.record', {
        caseId: IDS.caseLate,
        channel: 'call',
        party: 'borrower',
        outcome: 'refused',
        contactPointId: IDS.mobileCurrent,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', params: { field: 'contactPointId' } },
    });
  });
});

describe('derived state follows the business date', () => {
  it('recomputes every case on the first call of a new day, and a broken promise rises', async () => {
    let now = new Date(NOW);
    const clock: LedgerClock = { now: () => now };
    const ledger = open(clock);
    recordPromise(ledger.ledger, IDS.officer, {
      caseId: IDS.caseOther,
      amountFen: 100_000,
      dueDate: '2026-11-30',
    });
    const first = await ok<WorklistPage>(ledger, 'worklist.list', {});
    expect(first.rows.find((r) => r.caseId === IDS.caseOther)?.promise?.status).toBe('pending');

    // Five days on (grace is 3 days after 30 Nov): still unpaid.
    now = new Date('2026-12-04T01:00:00.000Z');
    const later = await ok<WorklistPage>(ledger, 'worklist.list', {});
    expect(later.asOf).toBe('2026-12-04');
    const other = later.rows.find((r) => r.caseId === IDS.caseOther);
    expect(other).toMatchObject({
      daysPastDue: 19,
      promise: { status: 'broken', dueDate: '2026-11-30' },
    });
    expect(other?.reasons).toContainEqual({ code: 'promise_broken', dueDate: '2026-11-30' });
    expect(later.rows.find((r) => r.caseId === IDS.caseLate)?.daysPastDue).toBe(80);
    // The 15 Dec instalment of the current case is not due yet.
    expect(later.rows.find((r) => r.caseId === IDS.caseCurrent)?.daysPastDue).toBe(0);
  });

  it('pins the business date for deterministic runs (option or FIELDBOOK_TODAY)', async () => {
    const pinned = open(undefined, { today: '2026-12-01' });
    expect((await ok<AppInfo>(pinned, 'app.info', {})).today).toBe('2026-12-01');
    // A note: unlike a contact it is allowed at any time of day the test happens to run.
    const fact = await ok<{ factId: string; occurredAt: string }>(pinned, 'note.record', {
      caseId: IDS.caseLate,
      text: '核实家庭住址',
    });
    expect(
      pinned.db.prepare('SELECT business_date FROM facts WHERE id = ?').pluck().get(fact.factId),
    ).toBe('2026-12-01');

    const previous = process.env.FIELDBOOK_TODAY;
    process.env.FIELDBOOK_TODAY = '2026-12-02';
    try {
      const fromEnv = open();
      expect(fromEnv.today()).toBe('2026-12-02');
    } finally {
      if (previous === undefined) delete process.env.FIELDBOOK_TODAY;
      else process.env.FIELDBOOK_TODAY = previous;
    }
    expect(() => open(undefined, { today: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
  });

  it('says so when a ledger has no branch yet', () => {
    const dir = tempDir();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'ledger.db');
    const key = crypto.randomBytes(32);
    const db = openLedger({ file, key });
    migrate(db);
    db.close();
    expect(() => openCaseLedger({ file, key, keyStorage: 'test' })).toThrow(/no branch yet/);
  });
});

describe('refreshDerived', () => {
  it('rewrites only the cases whose derived state changed', () => {
    const f = buildFixture();
    cleanups.push(f.cleanup);
    // Same date again: nothing to rewrite.
    expect(refreshDerived(f.db, '2026-11-28', f.ledger.policy)).toMatchObject({
      cases: 3,
      rewritten: 0,
    });
    // Next day: the two late cases age by a day; the current one is untouched.
    expect(refreshDerived(f.db, '2026-11-29', f.ledger.policy)).toMatchObject({
      cases: 3,
      rewritten: 2,
    });
    expect(f.db.prepare('SELECT dpd FROM cases WHERE id = ?').pluck().get(IDS.caseLate)).toBe(75);
  });
});
