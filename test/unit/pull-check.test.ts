// The pull page's fast path (shared/sync/pull-check.ts) may only ever say "valid" where
// zod's schema says valid AND returns the item unchanged. Every item type is checked as
// sent, then with each member removed, replaced by a wrong value or joined by an unknown
// one: the fast path accepts a variant only when zod accepts it too, unchanged.
import { describe, expect, it } from 'vitest';
import { pullResponseV2Schema } from '../../shared/sync/protocol';
import { acceptPullItem, pullPageCheck } from '../../shared/sync/pull-check';
import { pullItemV2Schema } from '../../shared/sync/records';
import { expectAcceptedAsZodReturns, holdToZod, variantsOf } from './fast-path-agreement';

const ID = '01a223ed-4ec6-73be-bf29-73aaa6d084ae';
const ID2 = '01a223ed-4f2b-7097-8201-caf8a9614080';
const HLC = '2026-11-28T07:30:00.000Z-0000-0123456789abcdef';
const AT = '2026-11-28T07:30:00.000Z';

const SAMPLES: Record<string, unknown>[] = [
  { type: 'branch', branch: { id: ID, code: 'BN01', name: '基准支行', timezone: 'Asia/Shanghai' } },
  {
    type: 'user',
    user: {
      id: ID,
      branchId: ID2,
      username: 'li',
      name: '李伟',
      role: 'officer',
      passwordVerifier: '$fbscrypt$v=1$x',
      disabled: false,
    },
  },
  {
    type: 'user',
    user: {
      id: ID,
      branchId: null,
      username: 'admin',
      name: 'A',
      role: 'admin',
      passwordVerifier: null,
      disabled: true,
    },
  },
  {
    type: 'borrower',
    borrower: {
      id: ID,
      branchId: ID2,
      name: '吴德明',
      gender: 'F',
      idNumberMasked: '440***********430X',
      township: '石门镇',
      village: '东岭村',
      county: '从化区',
      address: '石门镇东岭村62号',
    },
  },
  {
    type: 'case',
    case: {
      id: ID,
      branchId: ID2,
      borrowerId: ID2,
      officerId: ID,
      status: 'open',
      nextActionDate: '2026-12-15',
      flags: { hardship: false, vulnerable: true, dispute: false, doNotContact: false },
      clocks: { officerId: HLC, 'flags.vulnerable': HLC },
      updatedAt: AT,
    },
  },
  {
    type: 'case',
    case: {
      id: ID,
      branchId: ID2,
      borrowerId: ID2,
      officerId: null,
      status: 'closed',
      nextActionDate: null,
      flags: { hardship: true, vulnerable: false, dispute: true, doNotContact: true },
      clocks: {},
      updatedAt: AT,
    },
  },
  { type: 'case_removed', caseId: ID },
  {
    type: 'contact_point',
    contactPoint: {
      id: ID,
      borrowerId: ID2,
      kind: 'mobile',
      value: '13800138000',
      party: 'borrower',
      name: null,
      relation: null,
      status: 'active',
      hlc: HLC,
    },
  },
  {
    type: 'loan',
    loan: {
      id: ID,
      caseId: ID2,
      borrowerId: ID2,
      loanNo: 'BN-1',
      product: '农户小额',
      principalFen: 5_000_000,
      disbursedOn: '2025-03-01',
      termMonths: 12,
      status: 'active',
    },
  },
  {
    type: 'loan_snapshot',
    snapshot: {
      id: ID,
      loanId: ID2,
      asOf: '2026-11-27',
      status: 'active',
      outstandingPrincipalFen: 0,
      schedule: [
        { seq: 1, dueDate: '2025-04-01', principalFen: 400_000, interestFen: 2_000, paidFen: 0 },
        {
          seq: 2,
          dueDate: '2025-05-01',
          principalFen: 400_000,
          interestFen: 1_900,
          paidFen: 401_900,
        },
      ],
      receivedAt: AT,
    },
  },
  {
    type: 'fact',
    fact: {
      id: ID,
      caseId: ID2,
      kind: 'payment',
      recordedBy: ID,
      deviceId: ID2,
      occurredAt: AT,
      hlc: HLC,
      payload: {
        loanId: ID2,
        paidOn: '2026-11-28',
        amountFen: 100,
        method: 'cash',
        receiptNo: 'R1',
      },
      receivedAt: AT,
    },
  },
  {
    type: 'fact',
    fact: {
      id: ID,
      caseId: ID2,
      kind: 'override_review',
      recordedBy: ID,
      deviceId: ID2,
      occurredAt: AT,
      hlc: HLC,
      payload: {},
      flags: ['former_officer', 'loan_closed'],
      receivedAt: AT,
    },
  },
];

const WRONG: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x',
  'a b',
  'x'.repeat(65),
  '2026-02-30',
  '2026-11-28T24:00:00.000Z',
  true,
  {},
  [],
  ['superseded'],
  ['nope'],
  'F',
  'open',
  'mobile',
  'manager',
];

describe('pull page fast path', () => {
  it('accepts every item type as sent, exactly as zod returns it', () => {
    expectAcceptedAsZodReturns(SAMPLES, acceptPullItem, pullItemV2Schema);
  });

  it('never accepts a variant zod refuses or would return changed', () => {
    const { checked, declined } = holdToZod(
      SAMPLES.flatMap((s) => variantsOf(s, WRONG)),
      acceptPullItem,
      pullItemV2Schema,
    );
    // The variants are mostly wrong: the check must have declined most of them.
    expect(checked).toBeGreaterThan(2000);
    expect(declined).toBeGreaterThan(checked * 0.8);
  });

  it('a page: same data as zod, unknown members stripped by zod, a bad item refuses the page', () => {
    const page = { items: SAMPLES, cursor: 'c1', hasMore: true, serverTime: AT };
    const fast = pullPageCheck.safeParse(page);
    expect(fast).toEqual({ success: true, data: pullResponseV2Schema.parse(page) });

    const withExtra = structuredClone(page);
    (withExtra.items[0] as { branch: Record<string, unknown> }).branch.extra = 'new member';
    const stripped = pullPageCheck.safeParse(withExtra);
    expect(stripped.success && stripped.data).toEqual(pullResponseV2Schema.parse(withExtra));
    expect(stripped.success && stripped.data.items[0]).toEqual(SAMPLES[0]);

    const bad = structuredClone(page);
    (bad.items[8] as { loan: Record<string, unknown> }).loan.principalFen = 1.5;
    const refused = pullPageCheck.safeParse(bad);
    expect(refused.success).toBe(false);
    if (!refused.success) expect(refused.error.issues[0]?.message).toBe('expected whole fen');
    expect(pullResponseV2Schema.safeParse(bad).success).toBe(false);

    const noCursor = { ...page, cursor: undefined };
    expect(pullPageCheck.safeParse(noCursor).success).toBe(false);
    expect(pullPageCheck.safeParse([]).success).toBe(false);
  });
});
