// Conduct rules: may this officer make this contact now, under the branch's policy pack?
// Pure: the caller passes the case's prior attempts and contact points; the result says
// what is blocked (stable codes with parameters the UI renders in words) and, for blocks
// that pass with time, when the contact will be allowed again.
//
// Counting conventions (documented because the regulations leave room):
// - "Per day" means the local calendar day in the pack's clock (see timeZone in pack.ts).
// - A case is one debtor and one debt: daily and weekly call counts are over the whole case.
// - Only channel 'call' counts towards call caps; SMS, visits and letters do not.
// - A "conversation" (quiet days) is an effective call with the borrower themself.
// - Attempts to reach the debtor, for the third-party rule, are calls and visits to the
//   borrower's contact points (or to the borrower with no contact point recorded).
import {
  addDays,
  formatMinuteOfDay,
  isTimeZone,
  localDateTime,
  parseMinuteOfDay,
  zonedTimeToInstant,
} from '../dates';
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  Instant,
  IsoDate,
} from '../domain/types';
import type { PolicyPack } from './pack';

export interface PlannedContact {
  channel: ContactChannel;
  /** Whom the officer means to reach. */
  party: ContactParty;
  contactPointId?: string;
  secondCollectorId?: string;
  /** The debtor's IANA zone; empty or unknown falls back to the pack's zone. */
  debtorTimeZone: string;
}

export interface PriorContact {
  at: Instant;
  channel: ContactChannel;
  party: ContactParty;
  contactPointId: string | null;
  outcome: ContactOutcome;
  /** The intended person was reached. */
  effective: boolean;
}

export interface ContactPointState {
  id: string;
  party: ContactParty;
  kind: 'mobile' | 'landline' | 'address';
  status: 'active' | 'invalid';
}

export interface ContactHistory {
  attempts: readonly PriorContact[];
  contactPoints: readonly ContactPointState[];
  /** The case's do-not-contact flag. */
  doNotContact: boolean;
}

export type ConductViolation =
  | { code: 'do_not_contact'; params: Record<string, never> }
  | { code: 'channel_not_allowed'; params: { channel: ContactChannel } }
  | {
      code: 'outside_contact_hours';
      params: { localTime: string; windowStart: string; windowEnd: string; timeZone: string };
    }
  | { code: 'effective_call_cap'; params: { limit: number; count: number } }
  | { code: 'number_attempt_cap'; params: { limit: number; count: number; contactPointId: string } }
  | { code: 'weekly_call_cap'; params: { limit: number; count: number; days: number } }
  | { code: 'quiet_after_conversation'; params: { quietDays: number; lastConversationOn: IsoDate } }
  | { code: 'second_collector_required'; params: { channel: ContactChannel } }
  | {
      code: 'third_party_not_allowed';
      params: {
        /** null: the pack never allows third-party contact. */
        requiredFailedAttempts: number | null;
        failedAttempts: number;
        whenDebtorNumbersInvalid: boolean;
        debtorNumbersInvalid: boolean;
      };
    }
  | { code: 'third_party_refused'; params: { contactPointId: string } }
  | {
      code: 'third_party_contact_limit';
      params: { limit: number; count: number; contactPointId: string };
    };

export type ConductViolationCode = ConductViolation['code'];

/** Things the officer must keep in mind even when the contact is allowed. */
export type ConductNotice = { code: 'do_not_disclose_debt' };

export interface ContactCheck {
  allowed: boolean;
  violations: ConductViolation[];
  /** Earliest instant every time-based rule passes; null when allowed now or when waiting would not help. */
  nextAllowedAt: Instant | null;
  /** nextAllowedAt on the clock the rules use, for "allowed again at 08:00". */
  nextAllowedLocal: { date: IsoDate; time: string; timeZone: string } | null;
  /** The zone whose clock the rules used. */
  timeZone: string;
  notices: ConductNotice[];
}

const TIME_BASED: ReadonlySet<ConductViolationCode> = new Set([
  'outside_contact_hours',
  'effective_call_cap',
  'number_attempt_cap',
  'weekly_call_cap',
  'quiet_after_conversation',
]);

const DEBTOR_SIDE: ReadonlySet<ContactParty> = new Set(['borrower', 'nobody']);

export function isThirdParty(party: ContactParty): boolean {
  return !DEBTOR_SIDE.has(party);
}

/** The zone whose clock a pack's window and daily counts use for this debtor. */
export function ruleTimeZone(pack: PolicyPack, debtorTimeZone: string): string {
  return pack.timeZone.basis === 'debtor_local' && isTimeZone(debtorTimeZone)
    ? debtorTimeZone
    : pack.timeZone.zone;
}

interface TimeBlock {
  violation: ConductViolation;
  /** Earliest instant (ms) this rule alone could pass. */
  releaseMs: number;
}

interface Context {
  pack: PolicyPack;
  attempt: PlannedContact;
  zone: string;
  windowStart: number;
  windowEnd: number;
  /** Prior attempts with their local date, oldest first. */
  prior: (PriorContact & { localDate: IsoDate })[];
}

function midnightMs(date: IsoDate, zone: string): number {
  return Date.parse(zonedTimeToInstant(date, 0, zone));
}

function timeBlocksAt(ctx: Context, atMs: number): TimeBlock[] {
  const { pack, attempt, zone } = ctx;
  const blocks: TimeBlock[] = [];
  const local = localDateTime(new Date(atMs), zone);
  const today = local.date;

  if (pack.channels[attempt.channel].withinContactWindow) {
    if (local.minuteOfDay < ctx.windowStart || local.minuteOfDay >= ctx.windowEnd) {
      const releaseDate = local.minuteOfDay < ctx.windowStart ? today : addDays(today, 1);
      blocks.push({
        violation: {
          code: 'outside_contact_hours',
          params: {
            localTime: formatMinuteOfDay(local.minuteOfDay),
            windowStart: pack.contactWindow.start,
            windowEnd: pack.contactWindow.end,
            timeZone: zone,
          },
        },
        releaseMs: Date.parse(zonedTimeToInstant(releaseDate, ctx.windowStart, zone)),
      });
    }
  }

  if (attempt.channel !== 'call') return blocks;
  const calls = ctx.prior.filter((a) => a.channel === 'call');
  const tomorrowMs = midnightMs(addDays(today, 1), zone);

  const effectiveCap = pack.caps.effectiveCallsPerDebtorPerDay;
  if (effectiveCap !== null) {
    const count = calls.filter((a) => a.effective && a.localDate === today).length;
    if (count >= effectiveCap) {
      blocks.push({
        violation: { code: 'effective_call_cap', params: { limit: effectiveCap, count } },
        releaseMs: tomorrowMs,
      });
    }
  }

  const numberCap = pack.caps.attemptsPerNumberPerDay;
  if (numberCap !== null && attempt.contactPointId !== undefined) {
    const contactPointId = attempt.contactPointId;
    const count = calls.filter(
      (a) => a.contactPointId === contactPointId && a.localDate === today,
    ).length;
    if (count >= numberCap) {
      blocks.push({
        violation: {
          code: 'number_attempt_cap',
          params: { limit: numberCap, count, contactPointId },
        },
        releaseMs: tomorrowMs,
      });
    }
  }

  const weeklyCap = pack.caps.callsPerDebtPer7Days;
  if (weeklyCap !== null) {
    const firstDay = addDays(today, -6);
    const inWindow = calls
      .filter((a) => a.localDate >= firstDay && a.localDate <= today)
      .map((a) => a.localDate);
    if (inWindow.length >= weeklyCap) {
      // Allowed again once enough of the oldest calls have left the 7-day window.
      const leaving = inWindow[inWindow.length - weeklyCap] ?? today;
      blocks.push({
        violation: {
          code: 'weekly_call_cap',
          params: { limit: weeklyCap, count: inWindow.length, days: 7 },
        },
        releaseMs: midnightMs(addDays(leaving, 7), zone),
      });
    }
  }

  const quietDays = pack.caps.quietDaysAfterConversation;
  if (quietDays !== null) {
    const conversations = calls.filter((a) => a.effective && a.party === 'borrower');
    const last = conversations[conversations.length - 1];
    // The conversation's own day is the first quiet day.
    if (last && today < addDays(last.localDate, quietDays)) {
      blocks.push({
        violation: {
          code: 'quiet_after_conversation',
          params: { quietDays, lastConversationOn: last.localDate },
        },
        releaseMs: midnightMs(addDays(last.localDate, quietDays), zone),
      });
    }
  }
  return blocks;
}

function thirdPartyViolations(
  pack: PolicyPack,
  attempt: PlannedContact,
  history: ContactHistory,
  ctx: Context,
): ConductViolation[] {
  const rule = pack.thirdParty;
  const debtorPhones = history.contactPoints.filter(
    (p) => p.party === 'borrower' && p.kind !== 'address',
  );
  // A debtor with no phone number at all is as unreachable by phone as one whose numbers are all invalid.
  const debtorNumbersInvalid = debtorPhones.every((p) => p.status === 'invalid');
  const pointParty = new Map(history.contactPoints.map((p) => [p.id, p.party]));
  const debtorAttempts = ctx.prior.filter((a) => {
    if (a.channel !== 'call' && a.channel !== 'visit') return false;
    const party = a.contactPointId !== null ? pointParty.get(a.contactPointId) : undefined;
    return party !== undefined ? party === 'borrower' : DEBTOR_SIDE.has(a.party);
  });
  let failedAttempts = 0;
  for (let i = debtorAttempts.length - 1; i >= 0 && !debtorAttempts[i]!.effective; i--)
    failedAttempts++;

  const required = rule.afterConsecutiveFailedAttempts;
  const unconditional = !rule.whenDebtorNumbersInvalid && required === null;
  const permitted =
    rule.allowed &&
    (unconditional ||
      (rule.whenDebtorNumbersInvalid && debtorNumbersInvalid) ||
      (required !== null && failedAttempts >= required));
  if (!permitted) {
    return [
      {
        code: 'third_party_not_allowed',
        params: {
          requiredFailedAttempts: rule.allowed ? required : null,
          failedAttempts,
          whenDebtorNumbersInvalid: rule.allowed && rule.whenDebtorNumbersInvalid,
          debtorNumbersInvalid,
        },
      },
    ];
  }

  const violations: ConductViolation[] = [];
  const contactPointId = attempt.contactPointId;
  if (contactPointId !== undefined) {
    const withThisPerson = ctx.prior.filter((a) => a.contactPointId === contactPointId);
    // A third party who refused is not contacted again (CBA 2026: stop if they refuse).
    if (withThisPerson.some((a) => a.outcome === 'refused')) {
      violations.push({ code: 'third_party_refused', params: { contactPointId } });
    }
    const max = rule.maxContactsPerPerson;
    const count = withThisPerson.filter((a) => a.effective).length;
    if (max !== null && count >= max) {
      violations.push({
        code: 'third_party_contact_limit',
        params: { limit: max, count, contactPointId },
      });
    }
  }
  return violations;
}

/**
 * Checks a planned contact against the pack at instant `now`. Every rule is evaluated, so
 * the officer sees all reasons at once; `allowed` is true only with no violation.
 */
export function checkContact(
  pack: PolicyPack,
  attempt: PlannedContact,
  history: ContactHistory,
  now: Instant | Date,
): ContactCheck {
  const zone = ruleTimeZone(pack, attempt.debtorTimeZone);
  const nowMs = (now instanceof Date ? now : new Date(now)).getTime();
  if (Number.isNaN(nowMs))
    throw new RangeError(`checkContact: not a valid instant: ${String(now)}`);
  const ctx: Context = {
    pack,
    attempt,
    zone,
    windowStart: parseMinuteOfDay(pack.contactWindow.start) ?? 0,
    windowEnd: parseMinuteOfDay(pack.contactWindow.end) ?? 24 * 60,
    prior: history.attempts
      .filter((a) => Date.parse(a.at) <= nowMs)
      .map((a) => ({ ...a, localDate: localDateTime(a.at, zone).date }))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
  };

  const violations: ConductViolation[] = [];
  if (history.doNotContact) violations.push({ code: 'do_not_contact', params: {} });
  if (!pack.channels[attempt.channel].allowed)
    violations.push({ code: 'channel_not_allowed', params: { channel: attempt.channel } });
  violations.push(...timeBlocksAt(ctx, nowMs).map((b) => b.violation));
  if (pack.channels[attempt.channel].secondCollectorRequired && !attempt.secondCollectorId) {
    violations.push({ code: 'second_collector_required', params: { channel: attempt.channel } });
  }
  const thirdParty = isThirdParty(attempt.party);
  if (thirdParty) violations.push(...thirdPartyViolations(pack, attempt, history, ctx));

  const notices: ConductNotice[] =
    thirdParty && !pack.thirdParty.mayDiscloseDebt ? [{ code: 'do_not_disclose_debt' }] : [];
  const onlyTimeBased = violations.length > 0 && violations.every((v) => TIME_BASED.has(v.code));
  let nextAllowedAt: Instant | null = null;
  let nextAllowedLocal: ContactCheck['nextAllowedLocal'] = null;
  if (onlyTimeBased) {
    // Each rule's release is later than the candidate, so this settles within a few rounds.
    let candidate = nowMs;
    for (let round = 0; round < 32; round++) {
      const blocks = timeBlocksAt(ctx, candidate);
      if (blocks.length === 0) break;
      candidate = Math.max(...blocks.map((b) => b.releaseMs));
    }
    nextAllowedAt = new Date(candidate).toISOString();
    const local = localDateTime(new Date(candidate), zone);
    nextAllowedLocal = {
      date: local.date,
      time: formatMinuteOfDay(local.minuteOfDay),
      timeZone: zone,
    };
  }
  return {
    allowed: violations.length === 0,
    violations,
    nextAllowedAt,
    nextAllowedLocal,
    timeZone: zone,
    notices,
  };
}

function normaliseForMatching(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Terms from the pack's word lists that appear in a note, each once, in list order (zh first); for a
 * gentle warning, never a block. Chinese terms match anywhere (no word spaces in Chinese);
 * English terms match whole words, case-insensitively ('kill' does not match 'skills').
 */
export function checkNoteWording(pack: PolicyPack, text: string, lang?: 'zh' | 'en'): string[] {
  const haystack = normaliseForMatching(text);
  const matches: string[] = [];
  if (lang === undefined || lang === 'zh') {
    for (const term of pack.abusiveWords.zh) {
      if (haystack.includes(normaliseForMatching(term))) matches.push(term);
    }
  }
  if (lang === undefined || lang === 'en') {
    for (const term of pack.abusiveWords.en) {
      const words = normaliseForMatching(term).split(/\s+/).map(escapeRegExp).join('\\s+');
      if (new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'u').test(haystack))
        matches.push(term);
    }
  }
  return matches;
}
