// The fact payload fast path (shared/sync/fact-payload-check.ts) may only ever say "valid"
// where factPayloadSchema says valid AND returns the payload unchanged. Each sample is
// checked as sent, then with each member removed, replaced by a wrong value or joined by
// an unknown one: the fast path accepts a variant only when zod accepts it too, unchanged.
import { describe, expect, it } from 'vitest';
import { acceptFactPayload, checkFactPayload } from '../../shared/sync/fact-payload-check';
import { factPayloadSchema } from '../../shared/sync/mutations';
import { expectAcceptedAsZodReturns, holdToZod, variantsOf } from './fast-path-agreement';

const ID = '01a223ed-4ec6-73be-bf29-73aaa6d084ae';
const ID2 = '01a223ed-4f2b-7097-8201-caf8a9614080';
const AT = '2026-11-28T07:30:00.000Z';

/** Payloads the fast path takes as they are. */
const ACCEPTED: Record<string, unknown>[] = [
  {
    factKind: 'contact',
    factId: ID,
    occurredAt: AT,
    channel: 'visit',
    party: 'borrower',
    contactPointId: ID2,
    outcome: 'promise_to_pay',
    note: '本人在家，答应月底还款',
    nextActionDate: '2026-12-05',
    secondCollectorId: ID2,
  },
  {
    factKind: 'contact',
    factId: ID,
    occurredAt: AT,
    channel: 'call',
    party: 'spouse',
    outcome: 'no_answer',
  },
  {
    factKind: 'promise',
    factId: ID,
    occurredAt: AT,
    madeOn: '2026-11-28',
    dueDate: '2026-12-31',
    amountFen: 150_000,
    loanId: ID2,
    note: '分两次',
  },
  {
    factKind: 'promise',
    factId: ID,
    occurredAt: AT,
    madeOn: '2026-11-28',
    dueDate: '2026-12-31',
    amountFen: 1,
  },
  {
    factKind: 'payment',
    factId: ID,
    occurredAt: AT,
    loanId: ID2,
    paidOn: '2026-11-28',
    amountFen: 50_000,
    method: 'wechat_pay',
    receiptNo: 'FB7-000123',
    note: '',
  },
  { factKind: 'note', factId: ID, occurredAt: AT, text: '邻居说他去广州打工了' },
];

/** Payloads always left to zod (other kinds, nested members, text zod would trim). */
const LEFT_TO_ZOD: Record<string, unknown>[] = [
  {
    factKind: 'contact',
    factId: ID,
    occurredAt: AT,
    channel: 'visit',
    party: 'borrower',
    outcome: 'promise_to_pay',
    override: { reason: '借款人主动要求', ruleCodes: ['visit_hours'] },
  },
  { factKind: 'note', factId: ID, occurredAt: AT, text: ' 前后有空格 ' },
  {
    factKind: 'payment_reversal',
    factId: ID,
    occurredAt: AT,
    paymentFactId: ID2,
    reason: '录错金额',
  },
  { factKind: 'flag_change', factId: ID, occurredAt: AT, flag: 'hardship', value: true },
];

const WRONG: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x',
  ' x',
  'a b',
  'x'.repeat(65),
  'x'.repeat(2001),
  '2026-02-30',
  '2026-11-28T24:00:00.000Z',
  true,
  {},
  [],
  'visit',
  'borrower',
  'cash',
  'promise',
];

describe('fact payload fast path', () => {
  it('accepts the common kinds as sent, exactly as zod returns them', () => {
    expectAcceptedAsZodReturns(ACCEPTED, acceptFactPayload, factPayloadSchema);
  });

  it('leaves other kinds and text zod would trim to zod, which has the same last word', () => {
    for (const p of LEFT_TO_ZOD) {
      expect(acceptFactPayload(p), JSON.stringify(p)).toBe(false);
      expect(checkFactPayload(p)).toEqual(factPayloadSchema.safeParse(p));
    }
    // zod trims: the mapped note is the trimmed text, as before the fast path.
    const trimmed = checkFactPayload(LEFT_TO_ZOD[1]);
    expect(trimmed.success && trimmed.data).toMatchObject({ text: '前后有空格' });
  });

  it('never accepts a variant zod refuses or would return changed', () => {
    const { checked, declined } = holdToZod(
      ACCEPTED.flatMap((s) => variantsOf(s, WRONG)),
      acceptFactPayload,
      factPayloadSchema,
      // Declined: the caller gets zod's own verdict.
      (v, zodSays) => expect(checkFactPayload(v).success).toBe(zodSays),
    );
    expect(checked).toBeGreaterThan(800);
    expect(declined).toBeGreaterThan(checked * 0.8);
  });

  it('refuses what zod refuses, with its message', () => {
    const bad = { ...ACCEPTED[4], amountFen: 1.5 };
    const r = checkFactPayload(bad);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.message).toBe('expected whole fen');
  });
});
