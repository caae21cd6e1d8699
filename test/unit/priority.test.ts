import { describe, expect, it } from 'vitest';
import {
  ARREARS_CAP_POINTS,
  DPD_CAP_DAYS,
  priorityFor,
  W_FOLLOW_UP_DUE,
  W_PROMISE_DUE_TODAY,
  W_VULNERABLE,
  type PriorityInput,
} from '../../shared/domain/priority';

const base: PriorityInput = {
  asOf: '2026-11-28',
  daysPastDue: 38,
  arrearsFen: 200_000,
  latestPromise: null,
  lastContactOn: '2026-11-19',
  nextActionDate: null,
  flags: { hardship: false, vulnerable: false, dispute: false, doNotContact: false },
};
const codes = (input: PriorityInput): string[] => priorityFor(input).reasons.map((r) => r.code);

describe('priorityFor', () => {
  it('explains a plain late case: days late, then days without contact', () => {
    expect(priorityFor(base)).toEqual({
      score: 38 + 9,
      reasons: [
        { code: 'days_past_due', days: 38 },
        { code: 'no_contact', days: 9 },
      ],
    });
  });

  it('reads like the issue: 38 days late · promise broken on 20 Nov · no contact for 9 days', () => {
    const p = priorityFor({ ...base, latestPromise: { dueDate: '2026-11-20', status: 'broken' } });
    expect(p.reasons).toEqual([
      { code: 'days_past_due', days: 38 },
      { code: 'promise_broken', dueDate: '2026-11-20' },
      { code: 'no_contact', days: 9 },
    ]);
  });

  it('a broken promise rises above a similar case, even one a little later', () => {
    const broken = priorityFor({
      ...base,
      latestPromise: { dueDate: '2026-11-20', status: 'broken' },
    });
    const kept = priorityFor({ ...base, latestPromise: { dueDate: '2026-11-20', status: 'kept' } });
    const later = priorityFor({ ...base, daysPastDue: 55 });
    expect(broken.score).toBeGreaterThan(kept.score);
    expect(broken.score).toBeGreaterThan(later.score);
    expect(kept.reasons.map((r) => r.code)).not.toContain('promise_broken');
  });

  it('a partly kept promise counts, less than a broken one', () => {
    const partly = priorityFor({
      ...base,
      latestPromise: { dueDate: '2026-11-20', status: 'partly_kept' },
    });
    const broken = priorityFor({
      ...base,
      latestPromise: { dueDate: '2026-11-20', status: 'broken' },
    });
    expect(partly.reasons).toContainEqual({ code: 'promise_partly_kept', dueDate: '2026-11-20' });
    expect(partly.score).toBeGreaterThan(priorityFor(base).score);
    expect(partly.score).toBeLessThan(broken.score);
  });

  it('gives a promise due today real weight and names it', () => {
    const today = priorityFor({
      ...base,
      latestPromise: { dueDate: '2026-11-28', status: 'pending' },
    });
    expect(today.score - priorityFor(base).score).toBe(W_PROMISE_DUE_TODAY);
    expect(today.reasons).toContainEqual({ code: 'promise_due_today', dueDate: '2026-11-28' });
  });

  it('distinguishes a promise in grace, due soon, and far off', () => {
    expect(
      codes({ ...base, latestPromise: { dueDate: '2026-11-26', status: 'pending' } }),
    ).toContain('promise_in_grace');
    expect(
      codes({ ...base, latestPromise: { dueDate: '2026-12-01', status: 'pending' } }),
    ).toContain('promise_due_soon');
    const far = priorityFor({
      ...base,
      latestPromise: { dueDate: '2026-12-02', status: 'pending' },
    });
    expect(far).toEqual(priorityFor(base));
  });

  it('gives a follow-up due today or overdue real weight, and none before its date', () => {
    for (const date of ['2026-11-28', '2026-11-20']) {
      const p = priorityFor({ ...base, nextActionDate: date });
      expect(p.score - priorityFor(base).score).toBe(W_FOLLOW_UP_DUE);
      expect(p.reasons).toContainEqual({ code: 'follow_up_due', date });
    }
    expect(priorityFor({ ...base, nextActionDate: '2026-11-29' })).toEqual(priorityFor(base));
  });

  it('caps the days-past-due contribution but still reports the real days', () => {
    const capped = priorityFor({ ...base, daysPastDue: DPD_CAP_DAYS });
    const veryLate = priorityFor({ ...base, daysPastDue: 400 });
    expect(veryLate.score).toBe(capped.score);
    expect(veryLate.reasons[0]).toEqual({ code: 'days_past_due', days: 400 });
    expect(priorityFor({ ...base, daysPastDue: DPD_CAP_DAYS - 1 }).score).toBe(capped.score - 1);
  });

  it('a vulnerable borrower softens the case a little, not out of sight', () => {
    const vulnerable = priorityFor({ ...base, flags: { ...base.flags, vulnerable: true } });
    expect(vulnerable.score - priorityFor(base).score).toBe(W_VULNERABLE);
    expect(vulnerable.score).toBeGreaterThan(priorityFor({ ...base, daysPastDue: 10 }).score);
    expect(vulnerable.reasons.at(-1)).toEqual({ code: 'vulnerable' });
  });

  it('do-not-contact sinks the case below every contactable case and says so first', () => {
    const worst: PriorityInput = {
      ...base,
      daysPastDue: 500,
      arrearsFen: 100_000_000,
      latestPromise: { dueDate: '2026-11-01', status: 'broken' },
      lastContactOn: null,
      nextActionDate: '2026-11-01',
      flags: { hardship: true, vulnerable: false, dispute: false, doNotContact: true },
    };
    const sunk = priorityFor(worst);
    const current = priorityFor({
      ...base,
      daysPastDue: 0,
      arrearsFen: 0,
      flags: { ...base.flags, vulnerable: true, dispute: true },
    });
    expect(sunk.score).toBeLessThan(current.score);
    expect(sunk.reasons[0]).toEqual({ code: 'do_not_contact' });
    expect(sunk.reasons.length).toBeGreaterThan(1);
  });

  it('a current loan is not chased for lack of contact', () => {
    expect(priorityFor({ ...base, daysPastDue: 0, arrearsFen: 0, lastContactOn: null })).toEqual({
      score: 0,
      reasons: [],
    });
    expect(
      priorityFor({ ...base, daysPastDue: 0, arrearsFen: 0, lastContactOn: '2026-01-01' }),
    ).toEqual({ score: 0, reasons: [] });
  });

  it('a late case nobody has contacted says so', () => {
    expect(codes({ ...base, lastContactOn: null })).toEqual(['days_past_due', 'never_contacted']);
    expect(codes({ ...base, daysPastDue: 12, lastContactOn: null })).toEqual([
      'never_contacted',
      'days_past_due',
    ]);
  });

  it('recent contact (under 7 days) adds nothing', () => {
    expect(codes({ ...base, lastContactOn: '2026-11-22' })).toEqual(['days_past_due']);
    expect(codes({ ...base, lastContactOn: '2026-11-21' })).toEqual([
      'days_past_due',
      'no_contact',
    ]);
  });

  it('large arrears start at ¥5,000 and are capped', () => {
    expect(codes({ ...base, arrearsFen: 499_999 })).not.toContain('large_arrears');
    const large = priorityFor({ ...base, arrearsFen: 500_000 });
    expect(large.reasons).toContainEqual({ code: 'large_arrears', arrearsFen: 500_000 });
    expect(large.score - priorityFor(base).score).toBe(10);
    expect(priorityFor({ ...base, arrearsFen: 99_000_000 }).score - priorityFor(base).score).toBe(
      ARREARS_CAP_POINTS,
    );
  });

  it('lists hardship and dispute, with every reason accounted for in the score', () => {
    const p = priorityFor({
      ...base,
      flags: { hardship: true, vulnerable: true, dispute: true, doNotContact: false },
    });
    expect(p.reasons.map((r) => r.code)).toEqual([
      'days_past_due',
      'no_contact',
      'hardship',
      'dispute',
      'vulnerable',
    ]);
    expect(p.score).toBe(38 + 9 + 5 - 10 - 15);
  });

  it('is deterministic and orders reasons by weight then a fixed rank', () => {
    const input: PriorityInput = {
      ...base,
      daysPastDue: 30,
      nextActionDate: '2026-11-28',
      latestPromise: { dueDate: '2026-11-28', status: 'pending' },
    };
    const a = priorityFor(input);
    expect(priorityFor(structuredClone(input))).toEqual(a);
    // all three are worth 30 points: promise first, then DPD, then the follow-up
    expect(a.reasons.map((r) => r.code)).toEqual([
      'promise_due_today',
      'days_past_due',
      'follow_up_due',
      'no_contact',
    ]);
  });
});
