import { describe, expect, it } from 'vitest';
import { addDays, zonedTimeToInstant } from '../../shared/dates';
import type { ContactOutcome, ContactParty } from '../../shared/domain/types';
import { builtInPack } from '../../shared/policy/built-in-packs';
import {
  checkContact,
  checkNoteWording,
  type ContactHistory,
  type ContactPointState,
  type PlannedContact,
  type PriorContact,
} from '../../shared/policy/conduct';
import type { PolicyPack } from '../../shared/policy/pack';

const cn = builtInPack('cn-default') as PolicyPack;
const us = builtInPack('us-regf') as PolicyPack;
const SH = 'Asia/Shanghai';
const CHI = 'America/Chicago';

/** Instant of a local wall time 'HH:MM' on a date in a zone. */
function at(date: string, hhmm: string, zone: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return zonedTimeToInstant(date, h * 60 + m, zone);
}

const debtorMobile: ContactPointState = {
  id: 'cp-debtor',
  party: 'borrower',
  kind: 'mobile',
  status: 'active',
};
const debtorHome: ContactPointState = {
  id: 'cp-home',
  party: 'borrower',
  kind: 'address',
  status: 'active',
};
const spouseMobile: ContactPointState = {
  id: 'cp-spouse',
  party: 'spouse',
  kind: 'mobile',
  status: 'active',
};

function history(
  attempts: PriorContact[] = [],
  extra: Partial<ContactHistory> = {},
): ContactHistory {
  return {
    attempts,
    contactPoints: [debtorMobile, debtorHome, spouseMobile],
    doNotContact: false,
    ...extra,
  };
}

function call(
  atInstant: string,
  effective: boolean,
  opts: { party?: ContactParty; contactPointId?: string; outcome?: ContactOutcome } = {},
): PriorContact {
  return {
    at: atInstant,
    channel: 'call',
    party: opts.party ?? (effective ? 'borrower' : 'nobody'),
    contactPointId: opts.contactPointId ?? 'cp-debtor',
    outcome: opts.outcome ?? (effective ? 'promise_to_pay' : 'no_answer'),
    effective,
  };
}

const callDebtor: PlannedContact = {
  channel: 'call',
  party: 'borrower',
  contactPointId: 'cp-debtor',
  debtorTimeZone: SH,
};
const codes = (r: { violations: { code: string }[] }): string[] => r.violations.map((v) => v.code);

describe('China pack: contact hours 08:00-22:00 Asia/Shanghai', () => {
  const day = '2026-11-20';

  it('refuses a call at 07:59 and says it is allowed at 08:00 the same day', () => {
    const r = checkContact(cn, callDebtor, history(), '2026-11-19T23:59:00.000Z');
    expect(r.allowed).toBe(false);
    expect(r.violations).toEqual([
      {
        code: 'outside_contact_hours',
        params: { localTime: '07:59', windowStart: '08:00', windowEnd: '22:00', timeZone: SH },
      },
    ]);
    expect(r.nextAllowedAt).toBe('2026-11-20T00:00:00.000Z');
    expect(r.nextAllowedLocal).toEqual({ date: day, time: '08:00', timeZone: SH });
  });

  it('allows a call at 08:00 and at 21:59', () => {
    for (const instant of [
      '2026-11-20T00:00:00.000Z',
      '2026-11-20T13:59:00.000Z',
      '2026-11-20T13:59:59.999Z',
    ]) {
      expect(checkContact(cn, callDebtor, history(), instant)).toMatchObject({
        allowed: true,
        violations: [],
        nextAllowedAt: null,
      });
    }
  });

  it('refuses a call at 22:00 and at 22:30, allowed again at 08:00 the next day', () => {
    for (const instant of ['2026-11-20T14:00:00.000Z', '2026-11-20T14:30:00.000Z']) {
      const r = checkContact(cn, callDebtor, history(), instant);
      expect(codes(r)).toEqual(['outside_contact_hours']);
      expect(r.nextAllowedAt).toBe('2026-11-21T00:00:00.000Z');
      expect(r.nextAllowedLocal).toEqual({ date: '2026-11-21', time: '08:00', timeZone: SH });
    }
  });

  it('applies the same hours to SMS and visits but not to letters', () => {
    const night = at(day, '23:00', SH);
    expect(codes(checkContact(cn, { ...callDebtor, channel: 'sms' }, history(), night))).toEqual([
      'outside_contact_hours',
    ]);
    expect(
      codes(
        checkContact(
          cn,
          { channel: 'visit', party: 'borrower', secondCollectorId: 'u2', debtorTimeZone: SH },
          history(),
          night,
        ),
      ),
    ).toEqual(['outside_contact_hours']);
    expect(
      checkContact(
        cn,
        { channel: 'letter', party: 'borrower', debtorTimeZone: SH },
        history(),
        night,
      ).allowed,
    ).toBe(true);
  });

  it("uses the debtor's zone when known and Shanghai when not", () => {
    // 08:30 in Shanghai is 06:30 in Urumqi.
    const instant = at(day, '08:30', SH);
    expect(
      checkContact(cn, { ...callDebtor, debtorTimeZone: 'Asia/Urumqi' }, history(), instant)
        .allowed,
    ).toBe(false);
    const unknown = checkContact(cn, { ...callDebtor, debtorTimeZone: '' }, history(), instant);
    expect(unknown).toMatchObject({ allowed: true, timeZone: SH });
    expect(
      checkContact(cn, { ...callDebtor, debtorTimeZone: 'Not/AZone' }, history(), instant).timeZone,
    ).toBe(SH);
  });
});

describe('China pack: at most 3 effective calls per debtor per day', () => {
  const day = '2026-11-20';
  const effective = (n: number): PriorContact[] =>
    Array.from({ length: n }, (_, i) =>
      call(at(day, `${String(9 + i).padStart(2, '0')}:00`, SH), true),
    );

  it('allows the 3rd effective call', () => {
    expect(checkContact(cn, callDebtor, history(effective(2)), at(day, '15:00', SH)).allowed).toBe(
      true,
    );
  });

  it('refuses the 4th and allows it again at 08:00 tomorrow', () => {
    const r = checkContact(cn, callDebtor, history(effective(3)), at(day, '15:00', SH));
    expect(r.violations).toEqual([{ code: 'effective_call_cap', params: { limit: 3, count: 3 } }]);
    expect(r.nextAllowedAt).toBe(at('2026-11-21', '08:00', SH));
  });

  it('counts effective calls with anyone about the debt, but not unanswered ones', () => {
    const mixed = [
      ...effective(2),
      call(at(day, '12:00', SH), true, { party: 'spouse', contactPointId: 'cp-spouse' }),
    ];
    expect(codes(checkContact(cn, callDebtor, history(mixed), at(day, '15:00', SH)))).toEqual([
      'effective_call_cap',
    ]);
    const unanswered = [
      ...effective(2),
      call(at(day, '12:00', SH), false),
      call(at(day, '12:10', SH), false),
    ];
    expect(checkContact(cn, callDebtor, history(unanswered), at(day, '15:00', SH)).allowed).toBe(
      true,
    );
  });

  it('starts again at local midnight, not UTC midnight', () => {
    const yesterday = [
      call(at('2026-11-19', '19:00', SH), true),
      call(at('2026-11-19', '20:00', SH), true),
      call(at('2026-11-19', '21:00', SH), true),
    ];
    expect(checkContact(cn, callDebtor, history(yesterday), at(day, '08:00', SH)).allowed).toBe(
      true,
    );
  });

  it('does not limit SMS or visits by the call cap', () => {
    expect(
      checkContact(
        cn,
        { ...callDebtor, channel: 'sms' },
        history(effective(3)),
        at(day, '15:00', SH),
      ).allowed,
    ).toBe(true);
  });

  it('ignores attempts recorded after the instant being checked', () => {
    const later = [
      call(at(day, '16:00', SH), true),
      call(at(day, '16:10', SH), true),
      call(at(day, '16:20', SH), true),
    ];
    expect(checkContact(cn, callDebtor, history(later), at(day, '15:00', SH)).allowed).toBe(true);
  });
});

describe('China pack: at most 6 attempts per number per day', () => {
  const day = '2026-11-20';
  const unanswered = (n: number, contactPointId = 'cp-debtor'): PriorContact[] =>
    Array.from({ length: n }, (_, i) =>
      call(at(day, `${String(9 + i).padStart(2, '0')}:00`, SH), false, { contactPointId }),
    );

  it('allows the 6th attempt on a number', () => {
    expect(checkContact(cn, callDebtor, history(unanswered(5)), at(day, '18:00', SH)).allowed).toBe(
      true,
    );
  });

  it('refuses the 7th on that number, allowed again tomorrow 08:00, while another number is still allowed', () => {
    const h = history(unanswered(6));
    const r = checkContact(cn, callDebtor, h, at(day, '18:00', SH));
    expect(r.violations).toEqual([
      { code: 'number_attempt_cap', params: { limit: 6, count: 6, contactPointId: 'cp-debtor' } },
    ]);
    expect(r.nextAllowedAt).toBe(at('2026-11-21', '08:00', SH));
    const other = { ...callDebtor, contactPointId: 'cp-debtor-2' };
    expect(checkContact(cn, other, h, at(day, '18:00', SH)).allowed).toBe(true);
  });
});

describe('China pack: third parties only after the debtor cannot be reached', () => {
  const day = '2026-11-20';
  const callSpouse: PlannedContact = {
    channel: 'call',
    party: 'spouse',
    contactPointId: 'cp-spouse',
    debtorTimeZone: SH,
  };
  const failed = (n: number): PriorContact[] =>
    Array.from({ length: n }, (_, i) =>
      call(at(day, `${String(9 + i).padStart(2, '0')}:00`, SH), false),
    );
  const now = at(day, '15:00', SH);

  it('refuses a call to the spouse after 2 failed attempts', () => {
    const r = checkContact(cn, callSpouse, history(failed(2)), now);
    expect(r.violations).toEqual([
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
    expect(r.nextAllowedAt).toBeNull();
  });

  it('allows it after 3 failed attempts in a row, reminding never to disclose the debt', () => {
    const r = checkContact(cn, callSpouse, history(failed(3)), now);
    expect(r).toMatchObject({ allowed: true, notices: [{ code: 'do_not_disclose_debt' }] });
  });

  it('counts only failures since the last time the debtor was reached', () => {
    const attempts = [
      ...failed(3),
      call(at(day, '13:00', SH), true),
      call(at(day, '14:00', SH), false),
    ];
    const r = checkContact(cn, callSpouse, history(attempts), now);
    expect(r.violations[0]).toMatchObject({
      code: 'third_party_not_allowed',
      params: { failedAttempts: 1 },
    });
  });

  it('counts failed visits to the debtor but not SMS or calls to other people', () => {
    const visit: PriorContact = {
      at: at(day, '12:00', SH),
      channel: 'visit',
      party: 'nobody',
      contactPointId: 'cp-home',
      outcome: 'unreachable',
      effective: false,
    };
    expect(checkContact(cn, callSpouse, history([...failed(2), visit]), now).allowed).toBe(true);
    const sms: PriorContact = {
      at: at(day, '12:00', SH),
      channel: 'sms',
      party: 'nobody',
      contactPointId: 'cp-debtor',
      outcome: 'no_answer',
      effective: false,
    };
    expect(checkContact(cn, callSpouse, history([...failed(2), sms]), now).allowed).toBe(false);
    const spouseNoAnswer = call(at(day, '12:00', SH), false, { contactPointId: 'cp-spouse' });
    expect(checkContact(cn, callSpouse, history([...failed(2), spouseNoAnswer]), now).allowed).toBe(
      false,
    );
  });

  it("allows it at once when the debtor's only number is marked invalid", () => {
    const points = [{ ...debtorMobile, status: 'invalid' as const }, debtorHome, spouseMobile];
    expect(checkContact(cn, callSpouse, history([], { contactPoints: points }), now).allowed).toBe(
      true,
    );
  });

  it('does not when the debtor still has another valid number', () => {
    const points = [
      { ...debtorMobile, status: 'invalid' as const },
      { ...debtorMobile, id: 'cp-debtor-2' },
      spouseMobile,
    ];
    expect(checkContact(cn, callSpouse, history([], { contactPoints: points }), now).allowed).toBe(
      false,
    );
  });

  it('stops contacting a third party who refused', () => {
    const refused = call(at(day, '14:00', SH), true, {
      party: 'spouse',
      contactPointId: 'cp-spouse',
      outcome: 'refused',
    });
    const r = checkContact(cn, callSpouse, history([...failed(3), refused]), now);
    expect(codes(r)).toEqual(['third_party_refused']);
  });

  it('treats every non-borrower party as a third party', () => {
    for (const party of ['spouse', 'guarantor', 'reference', 'other_third_party'] as const) {
      expect(checkContact(cn, { ...callSpouse, party }, history(), now).allowed).toBe(false);
    }
  });
});

describe('China pack: a field visit needs a second collector', () => {
  const visit: PlannedContact = {
    channel: 'visit',
    party: 'borrower',
    contactPointId: 'cp-home',
    debtorTimeZone: SH,
  };
  const now = at('2026-11-20', '10:00', SH);

  it('refuses a visit alone; waiting does not help', () => {
    const r = checkContact(cn, visit, history(), now);
    expect(r.violations).toEqual([
      { code: 'second_collector_required', params: { channel: 'visit' } },
    ]);
    expect(r.nextAllowedAt).toBeNull();
  });

  it('allows a visit with a second collector', () => {
    expect(
      checkContact(cn, { ...visit, secondCollectorId: 'officer-2' }, history(), now).allowed,
    ).toBe(true);
  });

  it('reports every problem at once: a lone visit at 22:30', () => {
    const r = checkContact(cn, visit, history(), at('2026-11-20', '22:30', SH));
    expect(codes(r)).toEqual(['outside_contact_hours', 'second_collector_required']);
    expect(r.nextAllowedAt).toBeNull();
  });
});

describe('do-not-contact', () => {
  it('blocks every channel with no time at which it becomes allowed', () => {
    for (const channel of ['call', 'sms', 'visit', 'letter'] as const) {
      const r = checkContact(
        cn,
        { channel, party: 'borrower', secondCollectorId: 'u2', debtorTimeZone: SH },
        history([], { doNotContact: true }),
        at('2026-11-20', '10:00', SH),
      );
      expect(r).toMatchObject({
        allowed: false,
        violations: [{ code: 'do_not_contact', params: {} }],
        nextAllowedAt: null,
      });
    }
  });
});

describe('combined time-based blocks', () => {
  it('a 4th effective call at 22:30 is allowed again at 08:00 the next day', () => {
    const day = '2026-11-20';
    const attempts = ['09:00', '10:00', '11:00'].map((t) => call(at(day, t, SH), true));
    const r = checkContact(cn, callDebtor, history(attempts), at(day, '22:30', SH));
    expect(codes(r)).toEqual(['outside_contact_hours', 'effective_call_cap']);
    expect(r.nextAllowedAt).toBe(at('2026-11-21', '08:00', SH));
  });
});

describe('US Regulation F pack: 08:00-21:00 at the debtor local time', () => {
  const callUs: PlannedContact = {
    channel: 'call',
    party: 'borrower',
    contactPointId: 'cp-debtor',
    debtorTimeZone: CHI,
  };

  it('allows 20:59 and refuses 21:00 in Chicago in winter (CST, UTC-6)', () => {
    expect(checkContact(us, callUs, history(), '2026-11-21T02:59:00.000Z').allowed).toBe(true);
    const r = checkContact(us, callUs, history(), '2026-11-21T03:00:00.000Z');
    expect(r.violations).toEqual([
      {
        code: 'outside_contact_hours',
        params: { localTime: '21:00', windowStart: '08:00', windowEnd: '21:00', timeZone: CHI },
      },
    ]);
    expect(r.nextAllowedAt).toBe('2026-11-21T14:00:00.000Z');
    expect(r.nextAllowedLocal).toEqual({ date: '2026-11-21', time: '08:00', timeZone: CHI });
  });

  it('allows 20:59 and refuses 21:00 in summer (CDT, UTC-5)', () => {
    expect(checkContact(us, callUs, history(), '2026-07-02T01:59:00.000Z').allowed).toBe(true);
    expect(checkContact(us, callUs, history(), '2026-07-02T02:00:00.000Z').allowed).toBe(false);
  });

  it('refuses 07:59 and allows 08:00', () => {
    expect(checkContact(us, callUs, history(), at('2026-11-20', '07:59', CHI)).allowed).toBe(false);
    expect(checkContact(us, callUs, history(), at('2026-11-20', '08:00', CHI)).allowed).toBe(true);
  });

  it("follows the debtor's own zone: 20:30 in Chicago is 21:30 in New York", () => {
    const instant = at('2026-11-20', '20:30', CHI);
    expect(checkContact(us, callUs, history(), instant).allowed).toBe(true);
    expect(
      checkContact(us, { ...callUs, debtorTimeZone: 'America/New_York' }, history(), instant)
        .allowed,
    ).toBe(false);
  });

  it('does not require a second collector for a visit', () => {
    expect(
      checkContact(
        us,
        { channel: 'visit', party: 'borrower', debtorTimeZone: CHI },
        history(),
        at('2026-11-20', '10:00', CHI),
      ).allowed,
    ).toBe(true);
  });
});

describe('US pack: at most 7 calls in 7 days per debt', () => {
  const today = '2026-11-20';
  const noon = (date: string): PriorContact => call(at(date, '12:00', CHI), false);
  const callUs: PlannedContact = {
    channel: 'call',
    party: 'borrower',
    contactPointId: 'cp-debtor',
    debtorTimeZone: CHI,
  };
  // one unanswered call on each of the previous 6 days
  const sixDays = [6, 5, 4, 3, 2, 1].map((n) => noon(addDays(today, -n)));

  it('allows the 7th call in 7 days', () => {
    expect(checkContact(us, callUs, history(sixDays), at(today, '15:00', CHI)).allowed).toBe(true);
  });

  it('refuses the 8th, allowed again when the oldest call leaves the window', () => {
    const seven = [...sixDays, call(at(today, '09:00', CHI), false)];
    const r = checkContact(us, callUs, history(seven), at(today, '15:00', CHI));
    expect(r.violations).toEqual([
      { code: 'weekly_call_cap', params: { limit: 7, count: 7, days: 7 } },
    ]);
    // the oldest call was on the 14th; from the 21st it is outside the 7 days, at 08:00 local
    expect(r.nextAllowedAt).toBe(at('2026-11-21', '08:00', CHI));
  });

  it('does not count a call made 7 days ago', () => {
    const r = checkContact(
      us,
      callUs,
      history([noon(addDays(today, -7)), ...sixDays]),
      at(today, '15:00', CHI),
    );
    expect(r.allowed).toBe(true);
  });
});

describe('US pack: no call within 7 days after a conversation', () => {
  const conversationDay = '2026-11-10';
  const conversation = call(at(conversationDay, '10:00', CHI), true);
  const callUs: PlannedContact = {
    channel: 'call',
    party: 'borrower',
    contactPointId: 'cp-debtor',
    debtorTimeZone: CHI,
  };

  it('refuses a call 6 days after, allowed again on the 7th day after at 08:00', () => {
    const r = checkContact(
      us,
      callUs,
      history([conversation]),
      at(addDays(conversationDay, 6), '10:00', CHI),
    );
    expect(r.violations).toEqual([
      {
        code: 'quiet_after_conversation',
        params: { quietDays: 7, lastConversationOn: conversationDay },
      },
    ]);
    expect(r.nextAllowedAt).toBe(at(addDays(conversationDay, 7), '08:00', CHI));
  });

  it('allows a call 8 days after', () => {
    expect(
      checkContact(
        us,
        callUs,
        history([conversation]),
        at(addDays(conversationDay, 8), '10:00', CHI),
      ).allowed,
    ).toBe(true);
  });

  it('only a conversation with the debtor starts the quiet period, and SMS is not a call', () => {
    const withSpouse = call(at(conversationDay, '10:00', CHI), true, {
      party: 'spouse',
      contactPointId: 'cp-spouse',
    });
    expect(
      checkContact(us, callUs, history([withSpouse]), at(addDays(conversationDay, 1), '10:00', CHI))
        .allowed,
    ).toBe(true);
    expect(
      checkContact(
        us,
        { ...callUs, channel: 'sms' },
        history([conversation]),
        at(addDays(conversationDay, 1), '10:00', CHI),
      ).allowed,
    ).toBe(true);
  });
});

describe('US pack: a third party once, to learn the location', () => {
  const callRef: PlannedContact = {
    channel: 'call',
    party: 'reference',
    contactPointId: 'cp-ref',
    debtorTimeZone: CHI,
  };
  const now = at('2026-11-20', '10:00', CHI);

  it('allows a first contact with a reference without prior failed attempts', () => {
    expect(checkContact(us, callRef, history(), now)).toMatchObject({
      allowed: true,
      notices: [{ code: 'do_not_disclose_debt' }],
    });
  });

  it('refuses a second effective contact with the same person', () => {
    const before = call(at('2026-11-18', '10:00', CHI), true, {
      party: 'reference',
      contactPointId: 'cp-ref',
      outcome: 'moved_away',
    });
    expect(checkContact(us, callRef, history([before]), now).violations).toEqual([
      {
        code: 'third_party_contact_limit',
        params: { limit: 1, count: 1, contactPointId: 'cp-ref' },
      },
    ]);
  });
});

describe('checkNoteWording', () => {
  it('finds threatening Chinese terms anywhere in the text', () => {
    expect(checkNoteWording(cn, '借款人说再不还就打死他，我已劝阻')).toEqual(['打死']);
    expect(checkNoteWording(cn, '老赖，后果自负')).toEqual(['后果自负', '老赖']);
  });

  it('matches English terms as whole words, ignoring case and full-width letters', () => {
    expect(checkNoteWording(cn, 'Told him we will KILL the loan fee')).toEqual(['kill']);
    expect(checkNoteWording(cn, 'Borrower attends skills training')).toEqual([]);
    expect(checkNoteWording(cn, 'you   will be ARRESTED tomorrow')).toEqual([
      'you will be arrested',
    ]);
    expect(checkNoteWording(cn, 'ｉｄｉｏｔ')).toEqual(['idiot']);
  });

  it('finds nothing in a respectful note', () => {
    expect(
      checkNoteWording(
        cn,
        '借款人因病住院，家属表示下月15日还款500元。Polite conversation, promise to pay.',
      ),
    ).toEqual([]);
  });

  it('can be limited to one language', () => {
    const text = '打死 idiot';
    expect(checkNoteWording(cn, text, 'zh')).toEqual(['打死']);
    expect(checkNoteWording(cn, text, 'en')).toEqual(['idiot']);
  });
});
