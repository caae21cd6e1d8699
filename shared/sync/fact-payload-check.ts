// A fast path for factPayloadSchema (mutations.ts) on the kinds a first download brings by
// the thousand. A device maps each pulled fact through factPayloadSchema.safeParse: cold,
// zod spent ~85 ms CPU on a first sync's 10,000 payloads, on the critical path. As in
// pull-check.ts, plain functions accept a payload only when zod would accept it AND
// return it unchanged (exactly the schema's members, every value passing the same rule,
// no string that zod's trim would change); anything else goes to zod, which keeps the
// last word. test/unit/fact-payload-check.test.ts holds samples and their mutations to
// zod's verdict.
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  PAYMENT_METHODS,
} from '../domain/types';
import { isEntityId, isFen, isInstant, isIsoDate } from './common';
import { factPayloadSchema, type FactPayload } from './mutations';
import { isObject, oneOf, onlyKeys, type Obj } from './pull-check';

const isChannel = oneOf(CONTACT_CHANNELS);
const isParty = oneOf(CONTACT_PARTIES);
const isOutcome = oneOf(CONTACT_OUTCOMES);
const isMethod = oneOf(PAYMENT_METHODS);

/** shortTextSchema (trim, at most 2,000) with nothing for trim to take off. */
function isShortText(v: unknown, min: 0 | 1 = 0): boolean {
  return typeof v === 'string' && v.length >= min && v.length <= 2000 && v === v.trim();
}

/** Absent, or present and passing (an optional member never takes null or undefined). */
function opt(o: Obj, key: string, check: (v: unknown) => boolean): boolean {
  return !(key in o) || check(o[key]);
}

const base = (o: Obj) => isEntityId(o.factId) && isInstant(o.occurredAt);
const keys = (...k: string[]): ReadonlySet<string> =>
  new Set(['factKind', 'factId', 'occurredAt', ...k]);

const CONTACT = keys(
  'channel',
  'party',
  'contactPointId',
  'outcome',
  'note',
  'nextActionDate',
  'secondCollectorId',
);
const PROMISE = keys('madeOn', 'dueDate', 'amountFen', 'loanId', 'note');
const PAYMENT = keys('loanId', 'paidOn', 'amountFen', 'method', 'receiptNo', 'note');
const NOTE = keys('text');

/** Kinds checked here; the others (rarer, or with nested members) always go to zod. */
const CHECKS: Record<string, (o: Obj) => boolean> = {
  contact: (o) =>
    onlyKeys(o, CONTACT) &&
    base(o) &&
    isChannel(o.channel) &&
    isParty(o.party) &&
    isOutcome(o.outcome) &&
    opt(o, 'contactPointId', isEntityId) &&
    opt(o, 'note', isShortText) &&
    opt(o, 'nextActionDate', isIsoDate) &&
    opt(o, 'secondCollectorId', isEntityId),
  promise: (o) =>
    onlyKeys(o, PROMISE) &&
    base(o) &&
    isIsoDate(o.madeOn) &&
    isIsoDate(o.dueDate) &&
    isFen(o.amountFen, 1) &&
    opt(o, 'loanId', isEntityId) &&
    opt(o, 'note', isShortText),
  payment: (o) =>
    onlyKeys(o, PAYMENT) &&
    base(o) &&
    isEntityId(o.loanId) &&
    isIsoDate(o.paidOn) &&
    isFen(o.amountFen, 1) &&
    isMethod(o.method) &&
    typeof o.receiptNo === 'string' &&
    o.receiptNo.length >= 1 &&
    o.receiptNo.length <= 64 &&
    o.receiptNo === o.receiptNo.trim() &&
    opt(o, 'note', isShortText),
  note: (o) => onlyKeys(o, NOTE) && base(o) && isShortText(o.text, 1),
};

/**
 * True only when factPayloadSchema would accept this payload and return it unchanged;
 * false means "ask zod".
 */
export function acceptFactPayload(p: unknown): p is FactPayload {
  if (!isObject(p) || typeof p.factKind !== 'string') return false;
  const check = CHECKS[p.factKind];
  return check !== undefined && check(p);
}

export type FactPayloadCheck =
  | { success: true; data: FactPayload }
  | { success: false; error: { issues: readonly { message: string }[] } };

/** factPayloadSchema.safeParse with the fast path first: the same verdict and data. */
export function checkFactPayload(p: unknown): FactPayloadCheck {
  if (acceptFactPayload(p)) return { success: true, data: p };
  return factPayloadSchema.safeParse(p);
}
