import { describe, expect, it } from 'vitest';
import {
  officerActivity,
  overrideFigures,
  type ActivityFacts,
  type OverrideRow,
} from '../../../shared/domain/portfolio';
import { caseRow, contact } from './rows';

// November 2026 (30 days), grace 3 days.
// Cases: C1 (Wang, open, 100,000), C2 (Wang, open, 50,000), C3 (Wang, closed),
//        C4 (Li, open, 70,000), C5 (Li, open, 30,000).
// Wang: contacts k1 on C1 borrower promise (RPC), k2 on C1 borrower no answer,
//       k3 on C2 spouse refused (effective, not RPC), k4 on C4 borrower refused (covering
//       for Li: counts as Wang's contact, and C4 is touched), k0 on 30 Oct (outside);
//       promise on C1 made 5 Nov due 10 Nov, kept -> kept rate 1 of 1;
//       payment on C1 of 50,000 on 12 Nov.
// Li:   contact k5 on C4 no answer at 22:30 with an override of the contact hours;
//       nothing on C5 -> C5 untouched.
// Wang: caseload 2 (C1, C2), balance 150,000, 4 contacts -> 4 ÷ 30 a day, 3 effective,
//       2 RPC, untouched none. Li: caseload 2, balance 100,000, 1 contact, 0 effective,
//       1 override, untouched C5.
const november = { from: '2026-11-01', to: '2026-11-30' };
const cases = [
  caseRow('C1', { officerId: 'wang', balanceFen: 100_000 }),
  caseRow('C2', { officerId: 'wang', balanceFen: 50_000 }),
  caseRow('C3', { officerId: 'wang', status: 'closed' }),
  caseRow('C4', { officerId: 'li', balanceFen: 70_000 }),
  caseRow('C5', { officerId: 'li', balanceFen: 30_000 }),
];
const override = (
  factId: string,
  businessDate: string,
  reviewedOn: string | null,
): OverrideRow => ({
  factId,
  caseId: 'C4',
  officerId: 'li',
  businessDate,
  ruleCode: 'outside_contact_hours',
  reviewedOn,
});
const facts: ActivityFacts = {
  contacts: [
    contact('k0', '2026-10-30', { caseId: 'C2', officerId: 'wang' }),
    contact('k1', '2026-11-05', { caseId: 'C1', officerId: 'wang', outcome: 'promise_to_pay' }),
    contact('k2', '2026-11-06', { caseId: 'C1', officerId: 'wang', outcome: 'no_answer' }),
    contact('k3', '2026-11-07', { caseId: 'C2', officerId: 'wang', party: 'spouse' }),
    contact('k4', '2026-11-08', { caseId: 'C4', officerId: 'wang' }),
    contact('k5', '2026-11-09', { caseId: 'C4', officerId: 'li', outcome: 'no_answer' }),
  ],
  promises: [
    {
      promiseId: 'p1',
      caseId: 'C1',
      officerId: 'wang',
      madeOn: '2026-11-05',
      dueDate: '2026-11-10',
      amountFen: 50_000,
      status: 'kept',
    },
  ],
  payments: [
    { paymentId: 'pay1', caseId: 'C1', officerId: 'wang', paidOn: '2026-11-12', amountFen: 50_000 },
    { paymentId: 'pay0', caseId: 'C2', officerId: 'wang', paidOn: '2026-10-31', amountFen: 9_999 },
  ],
  overrides: [override('o1', '2026-11-09', null)],
};

describe('officerActivity', () => {
  const rows = officerActivity(facts, cases, november, { graceDays: 3 });
  const li = rows.find((r) => r.officerId === 'li')!;
  const wang = rows.find((r) => r.officerId === 'wang')!;

  it('lists officers side by side in a stable order', () => {
    expect(rows.map((r) => r.officerId)).toEqual(['li', 'wang']);
  });

  it('gives caseload and balance of open cases', () => {
    expect(wang.caseload).toEqual({ count: 2, caseIds: ['C1', 'C2'] });
    expect(wang.balanceFen).toBe(150_000);
    expect(li.caseload).toEqual({ count: 2, caseIds: ['C4', 'C5'] });
    expect(li.balanceFen).toBe(100_000);
  });

  it('counts contacts by who made them, per day, effective and right-party', () => {
    expect(wang.contacts.contactIds).toEqual(['k1', 'k2', 'k3', 'k4']);
    expect(wang.contactsPerDay).toBeCloseTo(4 / 30, 12);
    expect(wang.effectiveContacts.contactIds).toEqual(['k1', 'k3', 'k4']);
    expect(wang.rightPartyContacts).toEqual({
      count: 2,
      caseIds: ['C1', 'C4'],
      contactIds: ['k1', 'k4'],
    });
    expect(li.effectiveContacts.count).toBe(0);
  });

  it('gives promises, kept rate, money collected and overrides', () => {
    expect(wang.promisesMade.count).toBe(1);
    expect(wang.keptRate).toMatchObject({ kept: 1, matured: 1, ratio: 1 });
    expect(wang.collected).toEqual({
      count: 1,
      amountFen: 50_000,
      caseIds: ['C1'],
      paymentIds: ['pay1'],
    });
    expect(li.overrides).toEqual({ count: 1, caseIds: ['C4'], factIds: ['o1'] });
    expect(li.keptRate.ratio).toBe(0);
  });

  it("finds the officer's open cases nobody touched in the period", () => {
    expect(wang.untouched).toEqual({ count: 0, caseIds: [] });
    expect(li.untouched).toEqual({ count: 1, caseIds: ['C5'] });
  });

  it('divides by working days when given, and lists idle officers asked for', () => {
    const r = officerActivity(facts, cases, november, {
      graceDays: 3,
      workingDays: 20,
      officerIds: ['zhao'],
    });
    expect(r.find((o) => o.officerId === 'wang')!.contactsPerDay).toBe(0.2);
    expect(r.find((o) => o.officerId === 'zhao')).toMatchObject({
      caseload: { count: 0 },
      contacts: { count: 0 },
      contactsPerDay: 0,
    });
  });
});

describe('overrideFigures', () => {
  const overrides = [
    override('o1', '2026-11-09', null),
    override('o2', '2026-10-20', null),
    override('o3', '2026-11-12', '2026-11-13'),
    { ...override('o4', '2026-11-15', null), ruleCode: 'visit_needs_second_collector' },
    override('o5', '2026-12-02', null),
  ];
  const f = overrideFigures(overrides, november);

  it('counts the period and queues every unreviewed override known on the date', () => {
    // in November: o1 o3 o4; to review on 30 Nov: o1, o2 (October, still open), o4.
    // o5 was recorded after the date and is not known yet.
    expect(f.inPeriod.factIds).toEqual(['o1', 'o3', 'o4']);
    expect(f.toReview.factIds).toEqual(['o1', 'o2', 'o4']);
    expect(f.byRule).toEqual([
      { ruleCode: 'outside_contact_hours', count: 2 },
      { ruleCode: 'visit_needs_second_collector', count: 1 },
    ]);
  });
});
