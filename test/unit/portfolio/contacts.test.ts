import { describe, expect, it } from 'vitest';
import {
  contactRecency,
  isEffectiveContact,
  isRightPartyContact,
  ptpConversion,
} from '../../../shared/domain/portfolio';
import { caseRow, contact } from './rows';

const november = { from: '2026-11-01', to: '2026-11-30' };

describe('effective and right-party contacts', () => {
  it('needs someone reached with an outcome other than no answer, unreachable, wrong number', () => {
    expect(isEffectiveContact({ party: 'borrower', outcome: 'refused' })).toBe(true);
    expect(isEffectiveContact({ party: 'spouse', outcome: 'promise_to_pay' })).toBe(true);
    expect(isEffectiveContact({ party: 'borrower', outcome: 'no_answer' })).toBe(false);
    expect(isEffectiveContact({ party: 'nobody', outcome: 'moved_away' })).toBe(false);
    expect(isEffectiveContact({ party: 'reference', outcome: 'wrong_number' })).toBe(false);
  });
  it('counts only the borrower themself as the right party', () => {
    expect(isRightPartyContact({ party: 'borrower', outcome: 'hardship' })).toBe(true);
    expect(isRightPartyContact({ party: 'guarantor', outcome: 'hardship' })).toBe(false);
    expect(isRightPartyContact({ party: 'borrower', outcome: 'unreachable' })).toBe(false);
  });
});

describe('ptpConversion', () => {
  // c1 borrower, promise          effective, promised
  // c2 borrower, no answer        not effective
  // c3 nobody, unreachable        not effective
  // c4 spouse, refused            effective
  // c5 borrower, paid             effective
  // c6 borrower, promise, 31 Oct  outside the period
  // c7 nobody, promise            contradictory row: not effective, so not counted
  // -> 1 promise ÷ 3 effective contacts
  const contacts = [
    contact('c1', '2026-11-02', { caseId: 'A', outcome: 'promise_to_pay' }),
    contact('c2', '2026-11-03', { caseId: 'B', outcome: 'no_answer' }),
    contact('c3', '2026-11-04', { caseId: 'B', party: 'nobody', outcome: 'unreachable' }),
    contact('c4', '2026-11-05', { caseId: 'C', party: 'spouse', outcome: 'refused' }),
    contact('c5', '2026-11-30', { caseId: 'A', outcome: 'paid' }),
    contact('c6', '2026-10-31', { caseId: 'D', outcome: 'promise_to_pay' }),
    contact('c7', '2026-11-06', { caseId: 'E', party: 'nobody', outcome: 'promise_to_pay' }),
  ];

  it('divides contacts ending in a promise by effective contacts', () => {
    const p = ptpConversion(contacts, november);
    expect(p.effective).toEqual({ count: 3, caseIds: ['A', 'C'], contactIds: ['c1', 'c4', 'c5'] });
    expect(p.promised).toEqual({ count: 1, caseIds: ['A'], contactIds: ['c1'] });
    expect(p.ratio).toBeCloseTo(1 / 3, 12);
  });

  it('is 0 with no effective contact', () => {
    expect(ptpConversion([contacts[1]!, contacts[2]!], november).ratio).toBe(0);
  });
});

describe('contactRecency on 30 Nov', () => {
  // A last 23 Nov: 7 days       -> 7
  // B last 24 Nov: 6 days       -> none
  // C last 16 Nov: 14 days      -> 7, 14
  // D last 31 Oct: 30 days      -> 7, 14, 30
  // E last 1 Nov: 29 days       -> 7, 14
  // F never contacted           -> never (only)
  // G closed, never contacted   -> left out
  const cases = [
    caseRow('A', { lastContactOn: '2026-11-23' }),
    caseRow('B', { lastContactOn: '2026-11-24' }),
    caseRow('C', { lastContactOn: '2026-11-16' }),
    caseRow('D', { lastContactOn: '2026-10-31' }),
    caseRow('E', { lastContactOn: '2026-11-01' }),
    caseRow('F'),
    caseRow('G', { status: 'closed' }),
  ];
  const r = contactRecency(cases, '2026-11-30');

  it('counts open cases silent for at least 7, 14 and 30 days, with their ids', () => {
    expect(r.noContact7).toEqual({ days: 7, count: 4, caseIds: ['A', 'C', 'D', 'E'] });
    expect(r.noContact14).toEqual({ days: 14, count: 3, caseIds: ['C', 'D', 'E'] });
    expect(r.noContact30).toEqual({ days: 30, count: 1, caseIds: ['D'] });
  });

  it('keeps never-contacted cases apart and leaves closed cases out', () => {
    expect(r.never).toEqual({ count: 1, caseIds: ['F'] });
    expect(r.open).toBe(6);
  });

  it('takes other thresholds', () => {
    const r3 = contactRecency(cases, '2026-11-30', [6]);
    expect(r3.noContact6.caseIds).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('refuses a malformed date', () => {
    expect(() => contactRecency(cases, '30/11/2026')).toThrow(RangeError);
  });
});
