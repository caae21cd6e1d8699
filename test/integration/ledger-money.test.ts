// Promises, field payments with receipts, reversals, hardship plans, notes, flags and the
// policy pack, through the API as the renderer calls them. The fixture's late case owes
// ¥1,000 a month from 15 Sep 2026 at 0 %: ¥3,000 in arrears and ¥12,000 outstanding on
// 28 Nov; the other case owes its 15 Nov instalment (13 days late).
import { afterEach, describe, expect, it } from 'vitest';
import type {
  CaseFile,
  Receipt,
  RecordedFact,
  RecordedPayment,
  WorklistPage,
} from '../../shared/api/contract';
import { W_PROMISE_BROKEN, W_VULNERABLE } from '../../shared/domain/priority';
import { FACT_KINDS } from '../../shared/domain/types';
import type { PolicyPack } from '../../shared/policy/pack';
import { factPayloadSchema } from '../../shared/sync/mutations';
import { getMeta, META } from '../../electron/ledger/meta';
import { pendingMutations } from '../../electron/ledger/outbox';
import { MAX_PLAN_MONTHS } from '../../electron/ledger/commands';
import { errOp, IDS, movableClock, okOp, openFixtureLedger } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function open() {
  const clock = movableClock('2026-11-28T10:00:00+08:00');
  return { ledger: openFixtureLedger(clock, cleanups), clock };
}

type Ledger = ReturnType<typeof open>['ledger'];

const caseFile = (ledger: Ledger, caseId: string = IDS.caseLate) =>
  okOp<CaseFile>(ledger, 'case.get', { caseId });

function expectSyncable(ledger: Ledger): void {
  for (const m of pendingMutations(ledger.db).filter((x) => x.kind === 'fact')) {
    const parsed = factPayloadSchema.safeParse(m.payload);
    expect(parsed.success, JSON.stringify(m.payload)).toBe(true);
  }
}

describe('promises', () => {
  it('records a promise alone, or with the contact it was taken in, in one transaction', async () => {
    const { ledger } = open();
    const alone = await okOp<RecordedFact>(ledger, 'promise.record', {
      caseId: IDS.caseOther,
      amountFen: 80_000,
      dueDate: '2026-12-02',
      note: '月底工资到账',
    });
    expect(alone.kind).toBe('promise');
    const contact = await okOp<RecordedFact>(ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      contactPointId: IDS.mobileLate,
      outcome: 'promise_to_pay',
      promise: { amountFen: 150_000, dueDate: '2026-12-05' },
    });
    const file = await caseFile(ledger);
    expect(file.promises).toEqual([
      {
        factId: expect.any(String) as string,
        madeOn: '2026-11-28',
        dueDate: '2026-12-05',
        amountFen: 150_000,
        status: 'pending',
      },
    ]);
    const promiseEntry = file.timeline.find((t) => t.kind === 'promise');
    expect(promiseEntry?.details).toMatchObject({
      contactFactId: contact.factId,
      status: 'pending',
    });
    expect(file.timeline.map((t) => t.kind)).toEqual(['promise', 'contact']);
    expect((await caseFile(ledger, IDS.caseOther)).timeline[0]?.details).toMatchObject({
      note: '月底工资到账',
    });
    expectSyncable(ledger);
  });

  it('keeps neither the contact nor the promise when writing the promise fails', async () => {
    const { ledger } = open();
    const tables = ['facts', 'contacts', 'promises', 'outbox', 'audit'];
    const counts = () =>
      tables.map((t) => ledger.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number);
    const before = counts();
    ledger.db.exec(
      `CREATE TRIGGER promises_fail BEFORE INSERT ON promises BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END`,
    );
    const r = await errOp(ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      outcome: 'promise_to_pay',
      nextActionDate: '2026-12-01',
      promise: { amountFen: 10_000, dueDate: '2026-12-01' },
    });
    expect(r.code).toBe('internal');
    expect(counts()).toEqual(before);
    expect((await caseFile(ledger)).nextActionDate).toBeNull();
  });

  it('refuses a promise in the past, of nothing, or from nobody', async () => {
    const { ledger } = open();
    expect(
      await errOp(ledger, 'promise.record', {
        caseId: IDS.caseLate,
        amountFen: 100,
        dueDate: '2026-11-27',
      }),
    ).toMatchObject({ code: 'invalid_input', params: { field: 'dueDate', reason: 'in_the_past' } });
    expect(
      await errOp(ledger, 'promise.record', {
        caseId: IDS.caseLate,
        amountFen: 0,
        dueDate: '2026-12-01',
      }),
    ).toMatchObject({ code: 'invalid_input', params: { field: 'amountFen' } });
    const base = {
      caseId: IDS.caseLate,
      channel: 'call',
      contactPointId: IDS.mobileLate,
      outcome: 'promise_to_pay',
    } as const;
    expect(
      await errOp(ledger, 'contact.record', {
        ...base,
        party: 'nobody',
        promise: { amountFen: 100, dueDate: '2026-12-01' },
      }),
    ).toMatchObject({ params: { field: 'promise', reason: 'nobody_reached' } });
    expect(
      await errOp(ledger, 'contact.record', {
        ...base,
        party: 'borrower',
        promise: { amountFen: 100, dueDate: '2026-11-01' },
      }),
    ).toMatchObject({ params: { field: 'promise.dueDate', reason: 'in_the_past' } });
    // Nothing of the refused contacts was kept.
    expect((await caseFile(ledger)).timeline).toEqual([]);
  });

  it('is kept, partly kept or broken by the payments up to its date plus 3 grace days', async () => {
    const { ledger, clock } = open();
    const promise = (caseId: string) =>
      okOp(ledger, 'promise.record', { caseId, amountFen: 100_000, dueDate: '2026-11-30' });
    await promise(IDS.caseLate);
    await promise(IDS.caseOther);
    await promise(IDS.caseCurrent);
    await okOp(ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 40_000,
      method: 'cash',
    });
    const status = async (caseId: string) => (await caseFile(ledger, caseId)).promises[0]?.status;

    // The last day of grace: a full payment still keeps the promise.
    clock.set('2026-12-03T16:00:00+08:00');
    await okOp(ledger, 'payment.record', {
      caseId: IDS.caseCurrent,
      amountFen: 100_000,
      method: 'alipay',
    });
    expect(await status(IDS.caseCurrent)).toBe('kept');
    expect(await status(IDS.caseLate)).toBe('pending');
    expect(await status(IDS.caseOther)).toBe('pending');

    clock.set('2026-12-04T09:00:00+08:00');
    expect(await status(IDS.caseLate)).toBe('partly_kept');
    expect(await status(IDS.caseOther)).toBe('broken');
    expect(await status(IDS.caseCurrent)).toBe('kept');
    // A payment after the grace days does not mend a broken promise.
    await okOp(ledger, 'payment.record', {
      caseId: IDS.caseOther,
      amountFen: 100_000,
      method: 'cash',
    });
    expect(await status(IDS.caseOther)).toBe('broken');
  });

  it('a broken promise rises in the worklist', async () => {
    const a = open();
    const b = open();
    await okOp(a.ledger, 'promise.record', {
      caseId: IDS.caseOther,
      amountFen: 100_000,
      dueDate: '2026-11-30',
    });
    for (const x of [a, b]) x.clock.set('2026-12-04T09:00:00+08:00');
    const withBroken = await okOp<WorklistPage>(a.ledger, 'worklist.list', {});
    const without = await okOp<WorklistPage>(b.ledger, 'worklist.list', {});
    const row = (p: WorklistPage) => p.rows.find((r) => r.caseId === IDS.caseOther);
    expect(row(withBroken)?.reasons).toContainEqual({
      code: 'promise_broken',
      dueDate: '2026-11-30',
    });
    expect((row(withBroken)?.priorityScore ?? 0) - (row(without)?.priorityScore ?? 0)).toBe(
      W_PROMISE_BROKEN,
    );
    expect(
      await okOp<WorklistPage>(a.ledger, 'worklist.list', { promise: 'overdue' }),
    ).toMatchObject({
      total: 1,
      rows: [{ caseId: IDS.caseOther, promise: { status: 'broken' } }],
    });
  });
});

describe('payments and receipts', () => {
  it('numbers receipts uniquely and in sequence, storing the reference and note', async () => {
    const { ledger } = open();
    const prefix = getMeta(ledger.db, META.receiptPrefix) as string;
    const receipts: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await okOp<RecordedPayment>(ledger, 'payment.record', {
        caseId: i % 2 === 0 ? IDS.caseLate : IDS.caseOther,
        amountFen: 1_000 + i,
        method: 'wechat_pay',
        reference: `4200001234${i}`,
        note: '微信转账',
      });
      receipts.push(p.receiptNo);
      if (i === 1)
        await okOp(ledger, 'payment.reverse', {
          paymentFactId: p.factId,
          reason: '重复录入同一笔',
        });
    }
    // A reversal takes no receipt number: the sequence simply continues.
    expect(receipts).toEqual([1, 2, 3, 4, 5].map((n) => `${prefix}-00000${n}`));
    const r = await okOp<Receipt>(ledger, 'receipt.get', {
      paymentFactId: (await caseFile(ledger)).payments[0]?.factId,
    });
    expect(r).toMatchObject({
      method: 'wechat_pay',
      reference: '42000012344',
      receiptNo: receipts[4],
    });
    expectSyncable(ledger);
  });

  it('shows arrears and outstanding right after each payment, and a reversal puts them back', async () => {
    const { ledger } = open();
    const first = await okOp<RecordedPayment>(ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 50_000,
      method: 'cash',
    });
    const second = await okOp<RecordedPayment>(ledger, 'payment.record', {
      caseId: IDS.caseLate,
      loanId: IDS.loanLate,
      amountFen: 100_000,
      method: 'cash',
    });
    const r1 = await okOp<Receipt>(ledger, 'receipt.get', { paymentFactId: first.factId });
    expect(r1).toEqual({
      receiptNo: first.receiptNo,
      paymentFactId: first.factId,
      branch: { name: '测试支行', code: 'T-01' },
      borrower: {
        name: '欧阳春燕',
        idNumberMasked: '630221********1234',
        village: '东关村',
        township: '城关镇',
      },
      loanNo: 'PAXE2026000001',
      amountFen: 50_000,
      method: 'cash',
      reference: null,
      collectedAt: '2026-11-28T02:00:00.000Z',
      collectedBy: { id: IDS.officer, name: '李建国', role: 'officer' },
      arrearsAfterFen: 250_000,
      outstandingAfterFen: 1_150_000,
      reversal: null,
    });
    expect(
      await okOp<Receipt>(ledger, 'receipt.get', { paymentFactId: second.factId }),
    ).toMatchObject({
      arrearsAfterFen: 150_000,
      outstandingAfterFen: 1_050_000,
    });

    await okOp(ledger, 'payment.reverse', {
      paymentFactId: first.factId,
      reason: '收据金额录入错误',
    });
    const file = await caseFile(ledger);
    expect(file.loans[0]).toMatchObject({ arrearsFen: 200_000, outstandingFen: 1_100_000 });
    expect(file.payments.map((p) => [p.receiptNo, p.reversed])).toEqual([
      [second.receiptNo, false],
      [first.receiptNo, true],
    ]);
    // A reprint shows what the first print showed, and the reversal beneath it.
    expect(
      await okOp<Receipt>(ledger, 'receipt.get', { paymentFactId: first.factId }),
    ).toMatchObject({
      arrearsAfterFen: 250_000,
      reversal: { reason: '收据金额录入错误', by: { id: IDS.officer } },
    });
    expect(
      await okOp<Receipt>(ledger, 'receipt.get', { paymentFactId: second.factId }),
    ).toMatchObject({
      arrearsAfterFen: 150_000,
      reversal: null,
    });
  });

  it('refuses a second reversal, a reversal of a reversal, and a reversal by another officer', async () => {
    const { ledger } = open();
    const paid = await okOp<RecordedPayment>(ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 10_000,
      method: 'cash',
    });
    expect(
      await errOp(
        ledger,
        'payment.reverse',
        { paymentFactId: paid.factId, reason: '录错了借款人' },
        IDS.officer2,
      ),
    ).toMatchObject({ code: 'forbidden', params: { reason: 'not_collector' } });
    const reversal = await okOp<RecordedFact>(
      ledger,
      'payment.reverse',
      { paymentFactId: paid.factId, reason: '录错了借款人' },
      IDS.manager,
    );
    expect(
      await errOp(ledger, 'payment.reverse', {
        paymentFactId: paid.factId,
        reason: '再次冲正这笔款',
      }),
    ).toMatchObject({ code: 'conflict', params: { reason: 'already_reversed' } });
    expect(
      await errOp(ledger, 'payment.reverse', {
        paymentFactId: reversal.factId,
        reason: '冲正上一笔冲正',
      }),
    ).toMatchObject({ code: 'conflict', params: { reason: 'is_a_reversal' } });
    expect(
      await errOp(ledger, 'payment.reverse', { paymentFactId: paid.factId, reason: 'x' }),
    ).toMatchObject({ code: 'invalid_input', params: { field: 'reason' } });
    expect(await errOp(ledger, 'receipt.get', { paymentFactId: reversal.factId })).toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses more than is owed, a loan of another case, and nothing at all', async () => {
    const { ledger } = open();
    expect(
      await errOp(ledger, 'payment.record', {
        caseId: IDS.caseLate,
        amountFen: 1_200_001,
        method: 'cash',
      }),
    ).toMatchObject({
      code: 'invalid_input',
      params: { field: 'amountFen', reason: 'exceeds_balance', maxFen: 1_200_000 },
    });
    await okOp(ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 1_200_000,
      method: 'bank_transfer',
    });
    expect(
      await errOp(ledger, 'payment.record', {
        caseId: IDS.caseLate,
        loanId: IDS.loanOther,
        amountFen: 100,
        method: 'cash',
      }),
    ).toMatchObject({ params: { field: 'loanId', reason: 'not_on_case' } });
    expect(
      await errOp(ledger, 'payment.record', { caseId: IDS.caseLate, amountFen: 0, method: 'cash' }),
    ).toMatchObject({ code: 'invalid_input', params: { field: 'amountFen' } });
    expect((await caseFile(ledger)).loans[0]).toMatchObject({ arrearsFen: 0, outstandingFen: 0 });
  });
});

describe('hardship plans', () => {
  const plan = {
    caseId: IDS.caseLate,
    loanId: IDS.loanLate,
    hardshipReasons: ['illness_or_injury', 'crop_or_livestock_loss'],
    monthlyIncomeFen: 500_000,
    essentialExpensesFen: 300_000,
    otherDebtPaymentsFen: 0,
    monthlyFen: 70_000,
    startDate: '2026-12-10',
  };

  it('stores a proposal with its cash flow and a schedule that settles the debt exactly', async () => {
    const { ledger } = open();
    const recorded = await okOp<RecordedFact>(ledger, 'plan.propose', plan);
    expect(recorded.kind).toBe('plan_proposal');
    const file = await caseFile(ledger);
    expect(file.plans).toHaveLength(1);
    const p = file.plans[0];
    expect(p).toMatchObject({
      factId: recorded.factId,
      loanNo: 'PAXE2026000001',
      status: 'proposed',
      hardshipReasons: ['illness_or_injury', 'crop_or_livestock_loss'],
      monthlyIncomeFen: 500_000,
      essentialExpensesFen: 300_000,
      otherDebtPaymentsFen: 0,
      // Half of ¥2,000 left over each month.
      affordableFen: 100_000,
      // ¥12,000 over 18 months at up to ¥700, evened out and rounded to whole yuan.
      monthlyFen: 66_700,
      proposedBy: { id: IDS.officer },
      decision: null,
    });
    expect(p?.instalments).toHaveLength(18);
    expect(p?.instalments.reduce((s, i) => s + i.amountFen, 0)).toBe(1_200_000);
    expect(p?.instalments[0]).toEqual({ seq: 1, dueDate: '2026-12-10', amountFen: 66_700 });
    expect(p?.instalments[17]).toEqual({ seq: 18, dueDate: '2028-05-10', amountFen: 66_100 });
    // Proposing a plan flags the case as hardship, by a fact of its own.
    expect(file.flags.hardship).toBe(true);
    expect(file.timeline.map((t) => t.kind)).toEqual(['flag_change', 'plan_proposal']);
    expect(file.timeline[0]?.details).toEqual({
      flag: 'hardship',
      value: true,
      reason: 'plan_proposed',
    });
    expect(file.timeline[1]?.details).toMatchObject({
      status: 'proposed',
      months: 18,
      totalFen: 1_200_000,
    });
    expectSyncable(ledger);
    const pushed = pendingMutations(ledger.db).find(
      (m) => m.kind === 'fact' && m.payload.factKind === 'plan_proposal',
    );
    expect(pushed?.payload).toMatchObject({
      hardshipReason: 'illness_or_injury',
      monthlyIncomeFen: 500_000,
      monthlyEssentialExpensesFen: 300_000,
    });
  });

  it('refuses a plan above what the household can afford unless the note explains it', async () => {
    const { ledger } = open();
    expect(await errOp(ledger, 'plan.propose', { ...plan, monthlyFen: 150_000 })).toMatchObject({
      code: 'invalid_input',
      params: { field: 'monthlyFen', reason: 'above_affordable', affordableFen: 100_000 },
    });
    await okOp(ledger, 'plan.propose', {
      ...plan,
      monthlyFen: 150_000,
      note: '儿子外出务工每月另寄回一千五百元',
    });
  });

  it('turns a plan that cannot fit into a refusal the officer can act on', async () => {
    const { ledger } = open();
    expect(await errOp(ledger, 'plan.propose', { ...plan, monthlyFen: 20_000 })).toMatchObject({
      code: 'invalid_input',
      params: {
        field: 'monthlyFen',
        reason: 'exceeds_max_months',
        monthsNeeded: 60,
        maxMonths: MAX_PLAN_MONTHS,
        minMonthlyFen: 33_334,
        affordableFen: 100_000,
      },
    });
    expect(await errOp(ledger, 'plan.propose', { ...plan, startDate: '2026-11-01' })).toMatchObject(
      {
        params: { field: 'startDate', reason: 'in_the_past' },
      },
    );
    expect(await errOp(ledger, 'plan.propose', { ...plan, loanId: IDS.loanOther })).toMatchObject({
      params: { field: 'loanId', reason: 'not_on_case' },
    });
    expect(await errOp(ledger, 'plan.propose', { ...plan, hardshipReasons: [] })).toMatchObject({
      code: 'invalid_input',
      params: { field: 'hardshipReasons' },
    });
    await okOp(ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 1_200_000,
      method: 'cash',
    });
    expect(await errOp(ledger, 'plan.propose', plan)).toMatchObject({
      params: { field: 'loanId', reason: 'nothing_to_repay' },
    });
    expect((await caseFile(ledger)).plans).toEqual([]);
  });
});

describe('notes, flags and the policy pack', () => {
  it('keeps the wording check with a note, for the manager to see, and never refuses it', async () => {
    const { ledger } = open();
    await okOp(ledger, 'note.record', { caseId: IDS.caseLate, text: '再不还钱就让你好看' });
    await okOp(ledger, 'note.record', {
      caseId: IDS.caseLate,
      text: 'Borrower called me an idiot',
    });
    await okOp(ledger, 'note.record', { caseId: IDS.caseLate, text: '借款人态度良好' });
    const file = await caseFile(ledger);
    expect(file.timeline.map((t) => t.details)).toEqual([
      { text: '借款人态度良好', flaggedTerms: null },
      { text: 'Borrower called me an idiot', flaggedTerms: 'idiot' },
      { text: '再不还钱就让你好看', flaggedTerms: '让你好看' },
    ]);
    expect(await errOp(ledger, 'note.record', { caseId: IDS.caseLate, text: '   ' })).toMatchObject(
      {
        code: 'invalid_input',
      },
    );
    expectSyncable(ledger);
  });

  it('changes flags by facts with a reason, one per flag, and the priority follows', async () => {
    const { ledger } = open();
    const before = (await caseFile(ledger)).priority.score;
    const recorded = await okOp<RecordedFact>(ledger, 'case.setFlags', {
      caseId: IDS.caseLate,
      flags: { vulnerable: true, dispute: false, hardship: true },
      reason: '借款人年过七十，独居',
    });
    const file = await caseFile(ledger);
    expect(file.flags).toEqual({
      hardship: true,
      vulnerable: true,
      dispute: false,
      doNotContact: false,
    });
    const flagFacts = file.timeline.filter((t) => t.kind === 'flag_change');
    expect(flagFacts.map((t) => t.details.flag).sort()).toEqual(['hardship', 'vulnerable']);
    expect(flagFacts.map((t) => t.factId)).toContain(recorded.factId);
    expect(file.priority.reasons).toContainEqual({ code: 'vulnerable' });
    expect(file.priority.score).toBe(before + W_VULNERABLE + 5);
    const clocks = JSON.parse(
      ledger.db
        .prepare('SELECT field_clocks FROM cases WHERE id = ?')
        .pluck()
        .get(IDS.caseLate) as string,
    ) as Record<string, string>;
    expect(Object.keys(clocks).sort()).toEqual(['flags.hardship', 'flags.vulnerable']);
    expect(
      await errOp(ledger, 'case.setFlags', {
        caseId: IDS.caseLate,
        flags: { vulnerable: true },
        reason: '再次',
      }),
    ).toMatchObject({ code: 'conflict', params: { reason: 'flags_unchanged' } });
    expect(
      await errOp(ledger, 'case.setFlags', { caseId: IDS.caseLate, flags: {}, reason: 'x' }),
    ).toMatchObject({ code: 'invalid_input' });
    expectSyncable(ledger);
  });

  it("gives the branch's pack", async () => {
    const { ledger } = open();
    const pack = await okOp<PolicyPack>(ledger, 'policy.get', {});
    expect(pack).toMatchObject({
      id: 'cn-default',
      contactWindow: { start: '08:00', end: '22:00' },
      promiseGraceDays: 3,
    });
  });
});

describe('the case file timeline', () => {
  it('shows every kind of fact recorded on the case, newest first, with who recorded it', async () => {
    const { ledger, clock } = open();
    const at = (hhmm: string) => clock.set(`2026-11-28T${hhmm}:00+08:00`);
    at('09:00');
    await okOp(ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'visit',
      party: 'borrower',
      contactPointId: IDS.addressLate,
      outcome: 'partial_payment',
      secondCollectorId: IDS.officer2,
    });
    at('09:05');
    await okOp(ledger, 'promise.record', {
      caseId: IDS.caseLate,
      amountFen: 10_000,
      dueDate: '2026-12-01',
    });
    at('09:10');
    const paid = await okOp<RecordedPayment>(ledger, 'payment.record', {
      caseId: IDS.caseLate,
      amountFen: 10_000,
      method: 'cash',
    });
    at('09:15');
    await okOp(ledger, 'payment.reverse', { paymentFactId: paid.factId, reason: '金额录入错误了' });
    at('09:20');
    await okOp(ledger, 'note.record', { caseId: IDS.caseLate, text: '下周再访' });
    at('09:25');
    await okOp(ledger, 'case.setFlags', {
      caseId: IDS.caseLate,
      flags: { dispute: true },
      reason: '对利息有异议',
    });
    at('09:30');
    await okOp(ledger, 'plan.propose', {
      caseId: IDS.caseLate,
      loanId: IDS.loanLate,
      hardshipReasons: ['other'],
      monthlyIncomeFen: 400_000,
      essentialExpensesFen: 200_000,
      otherDebtPaymentsFen: 0,
      monthlyFen: 100_000,
      startDate: '2026-12-15',
    });
    const file = await caseFile(ledger);
    const kinds = file.timeline.map((t) => t.kind);
    expect(kinds).toEqual([
      'flag_change',
      'plan_proposal',
      'flag_change',
      'note',
      'payment_reversal',
      'payment',
      'promise',
      'contact',
    ]);
    for (const k of kinds) expect(FACT_KINDS).toContain(k);
    for (const t of file.timeline) {
      expect(t.recordedBy).toEqual({ id: IDS.officer, name: '李建国', role: 'officer' });
      for (const v of Object.values(t.details))
        expect(v === null || ['string', 'number', 'boolean'].includes(typeof v)).toBe(true);
    }
    expect(file.timeline[5]?.details).toMatchObject({
      receiptNo: paid.receiptNo,
      reversed: true,
      loanNo: 'PAXE2026000001',
    });
    expect(file.timeline[7]?.details).toMatchObject({
      secondCollectorName: '王秀英',
      outcome: 'partial_payment',
    });
  });
});
