// Plan decisions, reassignment, override reviews, exports and the manager-only rule,
// end to end through dispatch() as the transports call them.
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseFile, OpName, RecordedFact, WorklistPage } from '../../shared/api/contract';
import type {
  CasesReassigned,
  ExportWritten,
  ManagerDashboard,
  OverrideForReview,
  PlanDecided,
  PlanForDecision,
} from '../../shared/api/manager-contract';
import { managerOps } from '../../shared/api/manager-contract';
import { errOp, okOp } from '../integration/ledger-fixture';
import { addCaseWithLoan, IDS, openBranch } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

const proposal = {
  caseId: IDS.caseLate,
  loanId: IDS.loanLate,
  hardshipReasons: ['illness_or_injury'],
  monthlyIncomeFen: 300_000,
  essentialExpensesFen: 150_000,
  otherDebtPaymentsFen: 0,
  monthlyFen: 100_000,
  startDate: '2026-12-05',
  note: '住院两个月，出院后可按月还款',
};

describe('plan.decide', () => {
  it('approval makes the plan the loan schedule: expected payments, DPD and arrears follow it', async () => {
    const b = openBranch(cleanups);
    const before = await okOp<CaseFile>(b.ledger, 'case.get', { caseId: IDS.caseLate });
    expect(before.loans[0]!.daysPastDue).toBe(74);
    expect(before.loans[0]!.arrearsFen).toBe(300_000);
    const plan = await okOp<RecordedFact>(b.ledger, 'plan.propose', proposal);
    const waiting = await okOp<PlanForDecision[]>(b.ledger, 'manager.plans', {}, IDS.manager);
    expect(waiting.map((p) => p.factId)).toEqual([plan.factId]);
    expect(waiting[0]!.totalFen).toBe(1_200_000);

    const decided = await okOp<PlanDecided>(
      b.ledger,
      'plan.decide',
      { planFactId: plan.factId, decision: 'approved', comment: '同意，按计划执行' },
      IDS.manager,
    );
    expect(decided.effectiveOn).toBe('2026-11-28');
    const after = await okOp<CaseFile>(b.ledger, 'case.get', { caseId: IDS.caseLate });
    const loan = after.loans[0]!;
    // Nothing was paid: the schedule is the plan's 12 × ¥1,000 from 5 Dec.
    expect(loan.schedule.map((i) => [i.dueDate, i.principalFen + i.interestFen])).toEqual(
      Array.from({ length: 12 }, (_, k) => [
        `${k < 1 ? '2026' : '2027'}-${String(((11 + k) % 12) + 1).padStart(2, '0')}-05`,
        100_000,
      ]),
    );
    expect(loan.daysPastDue).toBe(0);
    expect(loan.arrearsFen).toBe(0);
    expect(loan.outstandingFen).toBe(1_200_000);
    expect(after.plans[0]!.status).toBe('approved');
    expect(after.plans[0]!.decision?.comment).toBe('同意，按计划执行');
    expect(await okOp<PlanForDecision[]>(b.ledger, 'manager.plans', {}, IDS.manager)).toEqual([]);
    const outbox = b.ledger.db
      .prepare(`SELECT payload FROM outbox WHERE kind = 'fact' ORDER BY mutation_id DESC LIMIT 1`)
      .pluck()
      .get() as string;
    expect(JSON.parse(outbox)).toMatchObject({ factKind: 'plan_decision', decision: 'approved' });
    const again = await errOp(
      b.ledger,
      'plan.decide',
      { planFactId: plan.factId, decision: 'rejected', comment: '重复' },
      IDS.manager,
    );
    expect(again.params.reason).toBe('plan_already_decided');
  });

  it('a restructured loan stays inside PAR30 once a plan instalment is 30+ days late', async () => {
    const b = openBranch(cleanups);
    const plan = await okOp<RecordedFact>(b.ledger, 'plan.propose', proposal);
    await okOp(
      b.ledger,
      'plan.decide',
      { planFactId: plan.factId, decision: 'approved', comment: '同意' },
      IDS.manager,
    );
    // 10 Jan: the plan's 5 Dec instalment is 36 days late. B (first due 15 Dec) is 26 days
    // late, C (15 Nov) 56 days.
    b.clock.set('2027-01-10T10:00:00+08:00');
    const d = await okOp<ManagerDashboard>(b.ledger, 'manager.dashboard', {}, IDS.manager);
    expect(d.dashboard.par.par30.riskFen).toBe(2_400_000);
    expect(d.dashboard.par.par30.restructuredRiskFen).toBe(1_200_000);
    expect(d.dashboard.par.par30.ratio).toBeCloseTo(2 / 3, 10);
    const snap = b.ledger.db
      .prepare(
        `SELECT restructured, days_past_due FROM loan_snapshots WHERE as_of = '2026-12-31' AND loan_id = ?`,
      )
      .get(IDS.loanLate);
    expect(snap).toEqual({ restructured: 1, days_past_due: 26 });
  });

  it('a rejection leaves the schedule as it was', async () => {
    const b = openBranch(cleanups);
    const plan = await okOp<RecordedFact>(b.ledger, 'plan.propose', proposal);
    await okOp(
      b.ledger,
      'plan.decide',
      { planFactId: plan.factId, decision: 'rejected', comment: '收入证明不足' },
      IDS.manager,
    );
    const after = await okOp<CaseFile>(b.ledger, 'case.get', { caseId: IDS.caseLate });
    expect(after.loans[0]!.daysPastDue).toBe(74);
    expect(after.plans[0]!.status).toBe('rejected');
  });
});

describe('manager.dashboard officers', () => {
  it('names everyone who holds open cases, a manager holding cases included', async () => {
    const b = openBranch(cleanups, undefined, (db) => {
      addCaseWithLoan(db, 1, IDS.manager, '2026-12-15');
    });
    const d = await okOp<ManagerDashboard>(b.ledger, 'manager.dashboard', {}, IDS.manager);
    const ids = d.officers.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([IDS.officer, IDS.officer2, IDS.manager]));
    const holders = d.dashboard.officers.map((o) => o.officerId);
    for (const id of holders) expect(ids).toContain(id);
  });
});

describe('cases.reassign', () => {
  it('moves 150 cases in one call, one fact each with the reason', async () => {
    const ids: string[] = [];
    const b = openBranch(cleanups, undefined, (db) => {
      for (let n = 1; n <= 148; n++)
        ids.push(addCaseWithLoan(db, n, IDS.officer, '2026-12-15').caseId);
    });
    const caseIds = [...ids, IDS.caseLate, IDS.caseOther];
    const r = await okOp<CasesReassigned>(
      b.ledger,
      'cases.reassign',
      { caseIds, toOfficerId: IDS.officer2, reason: '李建国休产假，案件移交' },
      IDS.manager,
    );
    expect(r.reassigned).toBe(149);
    expect(r.unchanged).toEqual([IDS.caseOther]);
    const db = b.ledger.db;
    expect(
      db.prepare(`SELECT count(*) FROM cases WHERE officer_id = ?`).pluck().get(IDS.officer2),
    ).toBe(150);
    expect(
      db
        .prepare(
          `SELECT count(*) FROM case_reassignments WHERE reason = '李建国休产假，案件移交' AND from_officer_id = ?`,
        )
        .pluck()
        .get(IDS.officer),
    ).toBe(149);
    expect(db.prepare(`SELECT count(*) FROM facts WHERE kind = 'reassignment'`).pluck().get()).toBe(
      149,
    );
    expect(
      db.prepare(`SELECT count(*) FROM outbox WHERE payload LIKE '%"reassignment"%'`).pluck().get(),
    ).toBe(149);
    const page = await okOp<WorklistPage>(b.ledger, 'worklist.list', {
      officerId: IDS.officer,
      limit: 500,
    });
    expect(page.rows.map((x) => x.caseId)).toEqual([IDS.caseCurrent]);
    // The snapshot of an earlier day keeps the officer of that day.
    await okOp(b.ledger, 'manager.dashboard', {}, IDS.manager);
    expect(
      db
        .prepare(`SELECT officer_id FROM loan_snapshots WHERE as_of = '2026-11-27' AND loan_id = ?`)
        .pluck()
        .get(IDS.loanLate),
    ).toBe(IDS.officer);
  });

  it('moves nothing when one case cannot be moved, and refuses a non-officer', async () => {
    const b = openBranch(cleanups);
    const e = await errOp(
      b.ledger,
      'cases.reassign',
      { caseIds: [IDS.caseLate, 'no-such-case'], toOfficerId: IDS.officer2, reason: '调整片区' },
      IDS.manager,
    );
    expect(e.code).toBe('not_found');
    expect(
      b.ledger.db.prepare(`SELECT officer_id FROM cases WHERE id = ?`).pluck().get(IDS.caseLate),
    ).toBe(IDS.officer);
    const m = await errOp(
      b.ledger,
      'cases.reassign',
      { caseIds: [IDS.caseLate], toOfficerId: IDS.manager, reason: '调整片区' },
      IDS.manager,
    );
    expect(m.params.reason).toBe('not_an_officer');
  });
});

describe('overrides', () => {
  it('a contact against the rules waits for review until a manager reviews it', async () => {
    const b = openBranch(cleanups, '2026-11-28T22:30:00+08:00');
    const c = await okOp<RecordedFact>(b.ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      outcome: 'no_answer',
      override: { reason: '借款人白天务工，本人要求晚上联系' },
    });
    const list = await okOp<OverrideForReview[]>(
      b.ledger,
      'manager.overrides',
      { reviewed: false },
      IDS.manager,
    );
    expect(list.map((o) => o.factId)).toEqual([c.factId]);
    let d = await okOp<ManagerDashboard>(b.ledger, 'manager.dashboard', {}, IDS.manager);
    expect(d.dashboard.overrides.toReview.count).toBe(1);
    await okOp(
      b.ledger,
      'override.review',
      { overrideFactId: c.factId, comment: '已核实' },
      IDS.manager,
    );
    expect(
      await okOp<OverrideForReview[]>(
        b.ledger,
        'manager.overrides',
        { reviewed: false },
        IDS.manager,
      ),
    ).toEqual([]);
    const reviewed = await okOp<OverrideForReview[]>(
      b.ledger,
      'manager.overrides',
      { reviewed: true },
      IDS.manager,
    );
    expect(reviewed[0]!.review?.comment).toBe('已核实');
    d = await okOp<ManagerDashboard>(b.ledger, 'manager.dashboard', {}, IDS.manager);
    expect(d.dashboard.overrides.toReview.count).toBe(0);
    const twice = await errOp(
      b.ledger,
      'override.review',
      { overrideFactId: c.factId },
      IDS.manager,
    );
    expect(twice.params.reason).toBe('already_reviewed');
  });
});

describe('export.list', () => {
  it('CSV starts with the UTF-8 BOM and keeps Chinese text; XLSX reads back in exceljs', async () => {
    const b = openBranch(cleanups);
    const dir = fs.mkdtempSync(path.join(b.ledger.db.name, '..', 'export-'));
    const csv = path.join(dir, 'worklist.csv');
    const w = await okOp<ExportWritten>(
      b.ledger,
      'export.list',
      { kind: 'worklist', filters: {}, format: 'csv', file: csv, lang: 'zh-CN' },
      IDS.manager,
    );
    expect(w.rows).toBe(3);
    const bytes = fs.readFileSync(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('借款人');
    expect(text).toContain('欧阳春燕');

    const xlsx = path.join(dir, 'par30.xlsx');
    await okOp<ExportWritten>(
      b.ledger,
      'export.list',
      {
        kind: 'cases',
        figure: { figure: 'par', days: 30 },
        format: 'xlsx',
        file: xlsx,
        lang: 'en',
      },
      IDS.manager,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Borrower');
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(1).value).toBe('欧阳春燕');
    expect(sheet.getRow(2).getCell(9).value).toBe(3000);

    const dash = path.join(dir, 'dashboard.xlsx');
    await okOp(
      b.ledger,
      'export.list',
      { kind: 'dashboard', format: 'xlsx', file: dash, lang: 'zh-CN' },
      IDS.manager,
    );
    const book2 = new ExcelJS.Workbook();
    await book2.xlsx.readFile(dash);
    expect(book2.worksheets.map((s) => s.name)).toEqual(['组合质量', '客户经理']);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});

describe('manager-only operations', () => {
  const inputs: Record<keyof typeof managerOps, unknown> = {
    'manager.dashboard': {},
    'manager.casesBehind': { figure: { figure: 'portfolio' } },
    'manager.plans': {},
    'plan.decide': { planFactId: 'x', decision: 'approved', comment: '同意' },
    'cases.reassign': { caseIds: [IDS.caseLate], toOfficerId: IDS.officer2, reason: '调整片区' },
    'manager.overrides': {},
    'override.review': { overrideFactId: 'x' },
    'export.list': {
      kind: 'dashboard',
      format: 'csv',
      file: path.join(os.tmpdir(), `fieldbook-role-${process.pid}.csv`),
    },
  };
  for (const op of Object.keys(inputs) as (keyof typeof managerOps)[]) {
    it(`${op}: refused for an officer, served for the manager`, async () => {
      const b = openBranch(cleanups);
      const e = await errOp(b.ledger, op as OpName, inputs[op], IDS.officer);
      expect(e.code).toBe('forbidden');
      expect(e.params.reason).toBe('manager_only');
      const r = await (
        await import('../integration/ledger-fixture')
      ).callOp(b.ledger, op as OpName, inputs[op], IDS.manager);
      // The manager passes the role check (a made-up id may still be not_found).
      if (!r.ok) expect(r.error.code).toBe('not_found');
      fs.rmSync(path.join(os.tmpdir(), `fieldbook-role-${process.pid}.csv`), { force: true });
    });
  }
});
