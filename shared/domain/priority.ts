// Worklist priority: a plain weighted sum the officer can check by hand. Every point in
// the score comes from a term that also yields a reason, so the worklist can say why a
// case is first ("38 days late · promise broken on 20 Nov · no contact for 9 days").
// Higher score = visit or call sooner. Deterministic: same input, same score and reasons.
import { daysBetween } from '../dates';
import type { CaseFlags, Fen, IsoDate, Priority, PriorityReason, PromiseStatus } from './types';

// ---- Weights (points) ---------------------------------------------------------------
/** Points per day past due, up to DPD_CAP_DAYS: beyond ~3 months more days add no urgency. */
export const W_DAYS_PAST_DUE_PER_DAY = 1;
export const DPD_CAP_DAYS = 90;

/** Arrears at or above this count as large (¥5,000). Smaller arrears add no points. */
export const LARGE_ARREARS_FEN: Fen = 500_000;
/** Points per full ¥1,000 of arrears once arrears are large, capped. */
export const W_ARREARS_PER_1000_YUAN = 2;
export const ARREARS_CAP_POINTS = 20;

/** The latest promise was broken: a broken promise rises above a similar case. */
export const W_PROMISE_BROKEN = 35;
/** The latest promise was only partly kept. */
export const W_PROMISE_PARTLY_KEPT = 20;
/** A promise falls due today: call or visit to confirm the payment. */
export const W_PROMISE_DUE_TODAY = 30;
/** The promise date has passed but grace days remain: check whether the money came. */
export const W_PROMISE_IN_GRACE = 25;
/** A pending promise falls due within PROMISE_SOON_DAYS: a light reminder. */
export const W_PROMISE_DUE_SOON = 5;
export const PROMISE_SOON_DAYS = 3;

/** The officer's own next-action date has come (or passed). */
export const W_FOLLOW_UP_DUE = 30;

/** Points per day without contact on a case in arrears, counted from NO_CONTACT_MIN_DAYS up to the cap. */
export const W_NO_CONTACT_PER_DAY = 1;
export const NO_CONTACT_MIN_DAYS = 7;
export const NO_CONTACT_CAP_DAYS = 30;
/** A case in arrears nobody has ever contacted: as much as the no-contact cap. */
export const W_NEVER_CONTACTED = NO_CONTACT_CAP_DAYS * W_NO_CONTACT_PER_DAY;

/** Hardship: a plan conversation is pending, a small push. */
export const W_HARDSHIP = 5;
/** Vulnerable borrower (elderly, disabled, serious illness): softens the strategy. */
export const W_VULNERABLE = -15;
/** The debt is disputed: resolve the dispute rather than press for payment. */
export const W_DISPUTE = -10;
/** Do-not-contact sinks the case below every contactable one (the highest contactable score is 210). */
export const W_DO_NOT_CONTACT = -1000;
// --------------------------------------------------------------------------------------

export interface PriorityInput {
  asOf: IsoDate;
  daysPastDue: number;
  arrearsFen: Fen;
  latestPromise: { dueDate: IsoDate; status: PromiseStatus } | null;
  /** Business date of the last contact attempt. */
  lastContactOn: IsoDate | null;
  nextActionDate: IsoDate | null;
  flags: CaseFlags;
}

// Tie-break for reasons with equal points, so the order never depends on input order.
const REASON_RANK: Record<PriorityReason['code'], number> = {
  do_not_contact: 0,
  promise_broken: 1,
  promise_due_today: 2,
  promise_in_grace: 3,
  promise_partly_kept: 4,
  days_past_due: 5,
  follow_up_due: 6,
  no_contact: 7,
  never_contacted: 8,
  large_arrears: 9,
  promise_due_soon: 10,
  hardship: 11,
  dispute: 12,
  vulnerable: 13,
};

interface Term {
  points: number;
  reason: PriorityReason;
}

function promiseTerm(asOf: IsoDate, promise: PriorityInput['latestPromise']): Term | null {
  if (!promise) return null;
  const { dueDate, status } = promise;
  switch (status) {
    case 'broken':
      return { points: W_PROMISE_BROKEN, reason: { code: 'promise_broken', dueDate } };
    case 'partly_kept':
      return { points: W_PROMISE_PARTLY_KEPT, reason: { code: 'promise_partly_kept', dueDate } };
    case 'kept':
      return null;
    case 'pending': {
      const daysToDue = daysBetween(asOf, dueDate);
      if (daysToDue === 0)
        return { points: W_PROMISE_DUE_TODAY, reason: { code: 'promise_due_today', dueDate } };
      if (daysToDue < 0)
        return { points: W_PROMISE_IN_GRACE, reason: { code: 'promise_in_grace', dueDate } };
      if (daysToDue <= PROMISE_SOON_DAYS)
        return { points: W_PROMISE_DUE_SOON, reason: { code: 'promise_due_soon', dueDate } };
      return null;
    }
  }
}

function contactTerm(input: PriorityInput): Term | null {
  // A current loan needs no chasing, however long since the last call.
  if (input.daysPastDue <= 0) return null;
  if (input.lastContactOn === null)
    return { points: W_NEVER_CONTACTED, reason: { code: 'never_contacted' } };
  const days = daysBetween(input.lastContactOn, input.asOf);
  if (days < NO_CONTACT_MIN_DAYS) return null;
  return {
    points: Math.min(days, NO_CONTACT_CAP_DAYS) * W_NO_CONTACT_PER_DAY,
    reason: { code: 'no_contact', days },
  };
}

export function priorityFor(input: PriorityInput): Priority {
  const terms: Term[] = [];
  const { asOf, daysPastDue, arrearsFen, flags } = input;

  if (flags.doNotContact)
    terms.push({ points: W_DO_NOT_CONTACT, reason: { code: 'do_not_contact' } });

  if (daysPastDue > 0) {
    terms.push({
      points: Math.min(daysPastDue, DPD_CAP_DAYS) * W_DAYS_PAST_DUE_PER_DAY,
      reason: { code: 'days_past_due', days: daysPastDue },
    });
  }

  const promise = promiseTerm(asOf, input.latestPromise);
  if (promise) terms.push(promise);

  if (input.nextActionDate !== null && input.nextActionDate <= asOf) {
    terms.push({
      points: W_FOLLOW_UP_DUE,
      reason: { code: 'follow_up_due', date: input.nextActionDate },
    });
  }

  const contact = contactTerm(input);
  if (contact) terms.push(contact);

  if (arrearsFen >= LARGE_ARREARS_FEN) {
    const points = Math.min(
      Math.floor(arrearsFen / 100_000) * W_ARREARS_PER_1000_YUAN,
      ARREARS_CAP_POINTS,
    );
    terms.push({ points, reason: { code: 'large_arrears', arrearsFen } });
  }

  if (flags.hardship) terms.push({ points: W_HARDSHIP, reason: { code: 'hardship' } });
  if (flags.dispute) terms.push({ points: W_DISPUTE, reason: { code: 'dispute' } });
  if (flags.vulnerable) terms.push({ points: W_VULNERABLE, reason: { code: 'vulnerable' } });

  // Most important first: do-not-contact always leads (it is why the case sank), then by points.
  terms.sort((a, b) => {
    if (a.reason.code === 'do_not_contact') return -1;
    if (b.reason.code === 'do_not_contact') return 1;
    return b.points - a.points || REASON_RANK[a.reason.code] - REASON_RANK[b.reason.code];
  });

  return {
    score: terms.reduce((sum, t) => sum + t.points, 0),
    reasons: terms.map((t) => t.reason),
  };
}
