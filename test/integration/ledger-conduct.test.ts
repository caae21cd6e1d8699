// The conduct rules through the ledger (contact.check before the officer acts, and
// contact.record enforcing the same rules inside its transaction), at the boundaries the
// China default pack sets: contact hours 08:00-22:00 Shanghai, 3 effective calls per
// debtor per day, 6 attempts per number per day, third parties only after 3 failed
// attempts or an invalid number, and visits in twos. Overrides go through with a reason
// and are kept for the manager.
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseFile, RecordedFact, WorklistPage } from '../../shared/api/contract';
import type { ContactCheck, ConductViolation } from '../../shared/policy/conduct';
import { factPayloadSchema } from '../../shared/sync/mutations';
import { pendingMutations } from '../../electron/ledger/outbox';
import { insertContactPoint } from '../../electron/ledger/seed';
import type { LedgerDb } from '../../electron/ledger/db';
import { errOp, IDS, movableClock, okOp, openFixtureLedger } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const SPOUSE = 'cp-a-spouse';

function addSpouse(db: LedgerDb): void {
  insertContactPoint(db, {
    id: SPOUSE,
    borrowerId: IDS.borrowerLate,
    kind: 'mobile',
    value: '13900000009',
    party: 'spouse',
    name: '王大山',
    relation: '配偶',
    status: 'active',
  });
}

function open(at: string, prepare?: (db: LedgerDb) => void) {
  const clock = movableClock(at);
  const ledger = openFixtureLedger(clock, cleanups, prepare);
  return { ledger, clock };
}

const call = {
  caseId: IDS.caseLate,
  channel: 'call',
  party: 'borrower',
  contactPointId: IDS.mobileLate,
} as const;

function codes(check: ContactCheck): string[] {
  return check.violations.map((v) => v.code);
}

describe('contact hours (08:00-22:00 in Shanghai)', () => {
  it('refuses 07:59 and 22:00, allows 08:00 and 21:59, and says when it will be allowed', async () => {
    const { ledger, clock } = open('2026-11-28T07:59:00+08:00');
    const early = await okOp<ContactCheck>(ledger, 'contact.check', call);
    expect(early).toMatchObject({
      allowed: false,
      timeZone: 'Asia/Shanghai',
      nextAllowedLocal: { date: '2026-11-28', time: '08:00', timeZone: 'Asia/Shanghai' },
      nextAllowedAt: '2026-11-28T00:00:00.000Z',
    });
    expect(early.violations).toEqual([
      {
        code: 'outside_contact_hours',
        params: {
          localTime: '07:59',
          windowStart: '08:00',
          windowEnd: '22:00',
          timeZone: 'Asia/Shanghai',
        },
      },
    ]);
    const refused = await errOp(ledger, 'contact.record', { ...call, outcome: 'no_answer' });
    expect(refused).toMatchObject({
      code: 'forbidden',
      params: {
        reason: 'conduct',
        rule: 'outside_contact_hours',
        rules: 'outside_contact_hours',
        nextAllowedAt: '2026-11-28T00:00:00.000Z',
        nextAllowedDate: '2026-11-28',
        nextAllowedTime: '08:00',
        timeZone: 'Asia/Shanghai',
      },
    });
    expect(JSON.parse(String(refused.params.violations))).toEqual(early.violations);

    clock.set('2026-11-28T08:00:00+08:00');
    expect(await okOp<ContactCheck>(ledger, 'contact.check', call)).toMatchObject({
      allowed: true,
      violations: [],
      nextAllowedAt: null,
    });
    await okOp(ledger, 'contact.record', { ...call, outcome: 'no_answer' });

    clock.set('2026-11-28T21:59:00+08:00');
    await okOp(ledger, 'contact.record', { ...call, outcome: 'no_answer' });

    clock.set('2026-11-28T22:00:00+08:00');
    const late = await errOp(ledger, 'contact.record', { ...call, outcome: 'no_answer' });
    expect(late.params).toMatchObject({
      rule: 'outside_contact_hours',
      nextAllowedDate: '2026-11-29',
      nextAllowedTime: '08:00',
    });
    const file = await okOp<CaseFile>(ledger, 'case.get', { caseId: IDS.caseLate });
    expect(file.timeline.filter((t) => t.kind === 'contact')).toHaveLength(2);
  });

  it("uses the borrower's own time zone when the ledger knows one", async () => {
    // 08:30 in Shanghai is 06:30 in Urumqi (UTC+6): too early for a borrower who lives there.
    const { ledger } = open('2026-11-28T08:30:00+08:00', (db) =>
      db
        .prepare('UPDATE borrowers SET time_zone = ? WHERE id = ?')
        .run('Asia/Urumqi', IDS.borrowerLate),
    );
    const check = await okOp<ContactCheck>(ledger, 'contact.check', call);
    expect(check).toMatchObject({
      allowed: false,
      timeZone: 'Asia/Urumqi',
      nextAllowedLocal: { time: '08:00', timeZone: 'Asia/Urumqi' },
    });
    const other = await okOp<ContactCheck>(ledger, 'contact.check', {
      caseId: IDS.caseOther,
      channel: 'call',
      party: 'borrower',
    });
    expect(other).toMatchObject({ allowed: true, timeZone: 'Asia/Shanghai' });
  });

  it('lets a letter through at night (the pack does not hold letters to the window)', async () => {
    const { ledger } = open('2026-11-28T23:00:00+08:00');
    await okOp(ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'letter',
      party: 'nobody',
      contactPointId: IDS.addressLate,
      outcome: 'unreachable',
    });
  });
});

describe('call caps', () => {
  it('allows the 3rd effective call of the day and refuses the 4th until tomorrow', async () => {
    const { ledger, clock } = open('2026-11-28T10:00:00+08:00');
    for (const minute of ['10:00', '10:05', '10:10']) {
      clock.set(`2026-11-28T${minute}:00+08:00`);
      // 'refused' is still an effective contact: the borrower was reached.
      await okOp(ledger, 'contact.record', { ...call, outcome: 'refused' });
    }
    clock.set('2026-11-28T10:15:00+08:00');
    const fourth = await okOp<ContactCheck>(ledger, 'contact.check', call);
    expect(fourth.violations).toEqual([
      { code: 'effective_call_cap', params: { limit: 3, count: 3 } },
    ]);
    expect(fourth.nextAllowedLocal).toEqual({
      date: '2026-11-29',
      time: '08:00',
      timeZone: 'Asia/Shanghai',
    });
    expect(
      await errOp(ledger, 'contact.record', { ...call, outcome: 'promise_to_pay' }),
    ).toMatchObject({ code: 'forbidden', params: { rule: 'effective_call_cap' } });
    // An SMS is not a call.
    await okOp(ledger, 'contact.record', {
      caseId: IDS.caseLate,
      channel: 'sms',
      party: 'nobody',
      contactPointId: IDS.mobileLate,
      outcome: 'no_answer',
    });
    clock.set('2026-11-29T08:00:00+08:00');
    await okOp(ledger, 'contact.record', { ...call, outcome: 'refused' });
  });

  it('counts unanswered calls only towards the 6 attempts per number', async () => {
    const { ledger, clock } = open('2026-11-28T09:00:00+08:00');
    for (let i = 0; i < 6; i++) {
      clock.set(`2026-11-28T09:${String(i * 5).padStart(2, '0')}:00+08:00`);
      await okOp(ledger, 'contact.record', { ...call, outcome: 'no_answer' });
    }
    clock.set('2026-11-28T10:00:00+08:00');
    const check = await okOp<ContactCheck>(ledger, 'contact.check', call);
    expect(codes(check)).toEqual(['number_attempt_cap']);
    // A call to the borrower without naming the number is not held by the per-number cap.
    const unnamed = await okOp<ContactCheck>(ledger, 'contact.check', {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
    });
    expect(unnamed.allowed).toBe(true);
  });
});

describe('third parties', () => {
  const spouseCall = {
    caseId: IDS.caseLate,
    channel: 'call',
    party: 'spouse',
    contactPointId: SPOUSE,
  } as const;

  it('refuses a third party after 2 failed attempts and allows one after 3, never to be told of the debt', async () => {
    const { ledger, clock } = open('2026-11-28T09:00:00+08:00', addSpouse);
    for (const minute of ['09:00', '09:30']) {
      clock.set(`2026-11-28T${minute}:00+08:00`);
      await okOp(ledger, 'contact.record', { ...call, outcome: 'no_answer' });
    }
    clock.set('2026-11-28T10:00:00+08:00');
    const afterTwo = await okOp<ContactCheck>(ledger, 'contact.check', spouseCall);
    expect(afterTwo.violations).toEqual([
      {
        code: 'third_party_not_allowed',
        params: {
          requiredFailedAttempts: 3,
          failedAttempts: 2,
          whenDebtorNumbersInvalid: true,
          debtorNumbersInvalid: false,
        },
      },
    ]);
    expect(afterTwo.notices).toEqual([{ code: 'do_not_disclose_debt' }]);
    expect(
      await errOp(ledger, 'contact.record', { ...spouseCall, outcome: 'refused' }),
    ).toMatchObject({ code: 'forbidden', params: { rule: 'third_party_not_allowed' } });

    await okOp(ledger, 'contact.record', { ...call, outcome: 'unreachable' });
    clock.set('2026-11-28T10:30:00+08:00');
    expect(await okOp<ContactCheck>(ledger, 'contact.check', spouseCall)).toMatchObject({
      allowed: true,
      notices: [{ code: 'do_not_disclose_debt' }],
    });
    const recorded = await okOp<RecordedFact>(ledger, 'contact.record', {
      ...spouseCall,
      outcome: 'promise_to_pay',
    });
    const file = await okOp<CaseFile>(ledger, 'case.get', { caseId: IDS.caseLate });
    expect(file.timeline.find((t) => t.factId === recorded.factId)?.details).toMatchObject({
      party: 'spouse',
      notices: 'do_not_disclose_debt',
      overridden: false,
    });
  });

  it('allows a third party once the debtor’s only number proved wrong, and marks it invalid', async () => {
    const { ledger } = open('2026-11-28T09:00:00+08:00', addSpouse);
    await okOp(ledger, 'contact.record', {
      ...call,
      party: 'other_third_party',
      outcome: 'wrong_number',
    });
    const file = await okOp<CaseFile>(ledger, 'case.get', { caseId: IDS.caseLate });
    expect(file.contactPoints.find((c) => c.id === IDS.mobileLate)?.status).toBe('invalid');
    // The worklist no longer offers the wrong number.
    const page = await okOp<WorklistPage>(ledger, 'worklist.list', { search: '欧阳' });
    expect(page.rows[0]?.phone).toBeNull();
    const pending = pendingMutations(ledger.db);
    expect(pending.find((m) => m.kind === 'contact_point')).toMatchObject({
      caseId: IDS.caseLate,
      payload: { contactPointId: IDS.mobileLate, status: 'invalid', value: '13800000001' },
    });
    const check = await okOp<ContactCheck>(ledger, 'contact.check', spouseCall);
    expect(check.allowed).toBe(true);
  });
});

describe('visits need a second collector', () => {
  const visit = {
    caseId: IDS.caseLate,
    channel: 'visit',
    party: 'borrower',
    contactPointId: IDS.addressLate,
  } as const;

  it('refuses a visit alone, and a second collector who is the officer or not an active user', async () => {
    const { ledger } = open('2026-11-28T10:00:00+08:00');
    expect(await okOp<ContactCheck>(ledger, 'contact.check', visit)).toMatchObject({
      allowed: false,
      violations: [{ code: 'second_collector_required', params: { channel: 'visit' } }],
      nextAllowedAt: null,
    });
    expect(await errOp(ledger, 'contact.record', { ...visit, outcome: 'hardship' })).toMatchObject({
      code: 'forbidden',
      params: { reason: 'conduct', rule: 'second_collector_required', nextAllowedAt: null },
    });
    expect(
      await errOp(ledger, 'contact.record', {
        ...visit,
        outcome: 'hardship',
        secondCollectorId: IDS.officer,
      }),
    ).toMatchObject({
      code: 'invalid_input',
      params: { field: 'secondCollectorId', reason: 'same_as_recorder' },
    });
    ledger.db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(IDS.officer2);
    expect(
      await errOp(ledger, 'contact.check', { ...visit, secondCollectorId: IDS.officer2 }),
    ).toMatchObject({
      code: 'invalid_input',
      params: { field: 'secondCollectorId', reason: 'unknown_user' },
    });
    await okOp(ledger, 'contact.record', {
      ...visit,
      outcome: 'hardship',
      secondCollectorId: IDS.manager,
    });
  });
});

describe('overrides', () => {
  it('records a blocked contact with a written reason, flagged for the manager', async () => {
    const { ledger } = open('2026-11-28T22:30:00+08:00');
    expect(
      await errOp(ledger, 'contact.record', {
        ...call,
        outcome: 'promise_to_pay',
        override: { reason: 'too short' },
      }),
    ).toMatchObject({ code: 'invalid_input', params: { field: 'override.reason' } });

    const reason = '借款人本人来电要求今晚回电确认还款时间';
    const recorded = await okOp<RecordedFact>(ledger, 'contact.record', {
      ...call,
      outcome: 'promise_to_pay',
      override: { reason },
      promise: { amountFen: 100_000, dueDate: '2026-12-01' },
    });
    const file = await okOp<CaseFile>(ledger, 'case.get', { caseId: IDS.caseLate });
    expect(file.overrides).toEqual([
      {
        factId: recorded.factId,
        at: '2026-11-28T14:30:00.000Z',
        by: { id: IDS.officer, name: '李建国', role: 'officer' },
        ruleCodes: ['outside_contact_hours'],
        reason,
      },
    ]);
    expect(file.timeline.find((t) => t.factId === recorded.factId)?.details).toMatchObject({
      overridden: true,
      overrideReason: reason,
      overrideRules: 'outside_contact_hours',
    });
    // The promise taken in the same call is there too.
    expect(file.promises).toMatchObject([
      { amountFen: 100_000, dueDate: '2026-12-01', status: 'pending' },
    ]);
    // Queryable for the manager's review.
    expect(ledger.db.prepare('SELECT case_id, rule_codes, reason FROM overrides').all()).toEqual([
      { case_id: IDS.caseLate, rule_codes: '["outside_contact_hours"]', reason },
    ]);
    // And it goes out for sync as a valid contact fact.
    for (const m of pendingMutations(ledger.db).filter((x) => x.kind === 'fact'))
      expect(factPayloadSchema.safeParse(m.payload).success).toBe(true);
  });

  it('records no override when nothing was blocked', async () => {
    const { ledger } = open('2026-11-28T10:00:00+08:00');
    await okOp(ledger, 'contact.record', {
      ...call,
      outcome: 'refused',
      override: { reason: 'nothing to override here really' },
    });
    const file = await okOp<CaseFile>(ledger, 'case.get', { caseId: IDS.caseLate });
    expect(file.overrides).toEqual([]);
  });

  it('refuses every contact on a do-not-contact case unless overridden', async () => {
    const { ledger } = open('2026-11-28T10:00:00+08:00', (db) =>
      db.prepare('UPDATE cases SET flag_do_not_contact = 1 WHERE id = ?').run(IDS.caseLate),
    );
    const refused = await errOp(ledger, 'contact.record', { ...call, outcome: 'refused' });
    const violations = JSON.parse(String(refused.params.violations)) as ConductViolation[];
    expect(violations.map((v) => v.code)).toEqual(['do_not_contact']);
  });
});
