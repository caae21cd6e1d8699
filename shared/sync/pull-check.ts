// Validation of a version 2 pull answer with a fast path. A first sync checks ~22,000 items
// (27,000 instalments among them) in a process that has never run zod's parsers before:
// cold, zod took ~210 ms CPU for the four pages (~40 ms once warm), on the critical path of
// the download. Every item is still validated, by one of two routes:
//
// - acceptPullItem: plain functions that accept an item only when it has exactly the
//   members its zod schema (records.ts) names and every value passes the same rule
//   (common.ts and hlc.ts share the predicates with the schemas). They never reshape
//   anything: an accepted item is what zod would have returned, member for member.
// - anything they do not accept (an unknown member, a bad value, a new item type) goes
//   through the zod schema, which has the last word: it strips unknown members as before,
//   or refuses the page with its message.
//
// So this can only be slower than zod when it declines, never more lenient; the test
// (test/unit/pull-check.test.ts) holds every accepted sample and mutation to zod's verdict.
import { CONTACT_PARTIES, USER_ROLES } from '../domain/types';
import { isEntityId, isFen, isInstant, isIsoDate } from './common';
import { isHlc } from './hlc';
import type { PullResponseV2 } from './protocol';
import { pullResponseV2Schema } from './protocol';
import {
  CONTACT_POINT_KINDS,
  FACT_FLAGS,
  pullItemV2Schema,
  SYNC_FACT_KINDS,
  type PullItemV2,
} from './records';

export type Obj = Record<string, unknown>;

/** A JSON object as zod's object and record schemas take it. */
export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** No member outside `allowed` (zod would strip it: the output would differ). */
export function onlyKeys(o: Obj, allowed: ReadonlySet<string>): boolean {
  for (const k in o) if (!allowed.has(k)) return false;
  return true;
}

const keys = (...k: string[]): ReadonlySet<string> => new Set(k);
const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isIdOrNull = (v: unknown) => v === null || isEntityId(v);
const isStringOrNull = (v: unknown) => v === null || typeof v === 'string';
export const oneOf = (values: readonly string[]) => {
  const set = new Set(values);
  return (v: unknown) => typeof v === 'string' && set.has(v);
};

const isRole = oneOf(USER_ROLES);
const isParty = oneOf(CONTACT_PARTIES);
const isPointKind = oneOf(CONTACT_POINT_KINDS);
const isFactKind = oneOf(SYNC_FACT_KINDS);
const isFactFlag = oneOf(FACT_FLAGS);
const isOpenClosed = oneOf(['open', 'closed']);
const isActiveClosed = oneOf(['active', 'closed']);
const isActiveInvalid = oneOf(['active', 'invalid']);
const isPositiveInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

const BRANCH = keys('id', 'code', 'name', 'timezone');
function branch(b: unknown): boolean {
  return (
    isObject(b) &&
    onlyKeys(b, BRANCH) &&
    isEntityId(b.id) &&
    isString(b.code) &&
    isString(b.name) &&
    isString(b.timezone)
  );
}

const USER = keys('id', 'branchId', 'username', 'name', 'role', 'passwordVerifier', 'disabled');
function user(u: unknown): boolean {
  return (
    isObject(u) &&
    onlyKeys(u, USER) &&
    isEntityId(u.id) &&
    isIdOrNull(u.branchId) &&
    isString(u.username) &&
    isString(u.name) &&
    isRole(u.role) &&
    isStringOrNull(u.passwordVerifier) &&
    isBool(u.disabled)
  );
}

const BORROWER = keys(
  'id',
  'branchId',
  'name',
  'gender',
  'idNumberMasked',
  'township',
  'village',
  'county',
  'address',
);
function borrower(b: unknown): boolean {
  return (
    isObject(b) &&
    onlyKeys(b, BORROWER) &&
    isEntityId(b.id) &&
    isEntityId(b.branchId) &&
    isString(b.name) &&
    (b.gender === null || b.gender === 'F' || b.gender === 'M') &&
    isString(b.idNumberMasked) &&
    isString(b.township) &&
    isString(b.village) &&
    isString(b.county) &&
    isString(b.address)
  );
}

const FLAGS = keys('hardship', 'vulnerable', 'dispute', 'doNotContact');
const CASE = keys(
  'id',
  'branchId',
  'borrowerId',
  'officerId',
  'status',
  'nextActionDate',
  'flags',
  'clocks',
  'updatedAt',
);
function caseRecord(c: unknown): boolean {
  if (!isObject(c) || !onlyKeys(c, CASE)) return false;
  const f = c.flags;
  if (
    !isObject(f) ||
    !onlyKeys(f, FLAGS) ||
    !isBool(f.hardship) ||
    !isBool(f.vulnerable) ||
    !isBool(f.dispute) ||
    !isBool(f.doNotContact)
  )
    return false;
  // z.record(z.string(), hlcSchema) takes plain objects only, and copies each member.
  const clocks = c.clocks;
  if (!isObject(clocks) || Object.getPrototypeOf(clocks) !== Object.prototype) return false;
  for (const k in clocks) if (k === '__proto__' || !isHlc(clocks[k])) return false;
  return (
    isEntityId(c.id) &&
    isEntityId(c.branchId) &&
    isEntityId(c.borrowerId) &&
    isIdOrNull(c.officerId) &&
    isOpenClosed(c.status) &&
    (c.nextActionDate === null || isIsoDate(c.nextActionDate)) &&
    isInstant(c.updatedAt)
  );
}

const CONTACT_POINT = keys(
  'id',
  'borrowerId',
  'kind',
  'value',
  'party',
  'name',
  'relation',
  'status',
  'hlc',
);
function contactPoint(p: unknown): boolean {
  return (
    isObject(p) &&
    onlyKeys(p, CONTACT_POINT) &&
    isEntityId(p.id) &&
    isEntityId(p.borrowerId) &&
    isPointKind(p.kind) &&
    isString(p.value) &&
    isParty(p.party) &&
    isStringOrNull(p.name) &&
    isStringOrNull(p.relation) &&
    isActiveInvalid(p.status) &&
    isHlc(p.hlc)
  );
}

const LOAN = keys(
  'id',
  'caseId',
  'borrowerId',
  'loanNo',
  'product',
  'principalFen',
  'disbursedOn',
  'termMonths',
  'status',
);
function loan(l: unknown): boolean {
  return (
    isObject(l) &&
    onlyKeys(l, LOAN) &&
    isEntityId(l.id) &&
    isEntityId(l.caseId) &&
    isEntityId(l.borrowerId) &&
    isString(l.loanNo) &&
    isString(l.product) &&
    isFen(l.principalFen) &&
    isIsoDate(l.disbursedOn) &&
    isPositiveInt(l.termMonths) &&
    isActiveClosed(l.status)
  );
}

const INSTALMENT = keys('seq', 'dueDate', 'principalFen', 'interestFen', 'paidFen');
const SNAPSHOT = keys(
  'id',
  'loanId',
  'asOf',
  'status',
  'outstandingPrincipalFen',
  'schedule',
  'receivedAt',
);
function snapshot(s: unknown): boolean {
  if (!isObject(s) || !onlyKeys(s, SNAPSHOT) || !Array.isArray(s.schedule)) return false;
  for (const i of s.schedule as unknown[]) {
    if (
      !isObject(i) ||
      !onlyKeys(i, INSTALMENT) ||
      !isPositiveInt(i.seq) ||
      !isIsoDate(i.dueDate) ||
      !isFen(i.principalFen) ||
      !isFen(i.interestFen) ||
      !isFen(i.paidFen)
    )
      return false;
  }
  return (
    isEntityId(s.id) &&
    isEntityId(s.loanId) &&
    isIsoDate(s.asOf) &&
    isActiveClosed(s.status) &&
    isFen(s.outstandingPrincipalFen) &&
    isInstant(s.receivedAt)
  );
}

const FACT = keys(
  'id',
  'caseId',
  'kind',
  'recordedBy',
  'deviceId',
  'occurredAt',
  'hlc',
  'payload',
  'flags',
  'receivedAt',
);
function compactFact(f: unknown): boolean {
  if (!isObject(f) || !onlyKeys(f, FACT)) return false;
  // The payload's members are checked by kind where the device maps the fact
  // (fact-from-sync.ts); here, as in the schema, only that it is an object.
  if (!isObject(f.payload)) return false;
  if ('flags' in f) {
    if (!Array.isArray(f.flags)) return false;
    for (const flag of f.flags as unknown[]) if (!isFactFlag(flag)) return false;
  }
  return (
    isEntityId(f.id) &&
    isEntityId(f.caseId) &&
    isFactKind(f.kind) &&
    isEntityId(f.recordedBy) &&
    isEntityId(f.deviceId) &&
    isInstant(f.occurredAt) &&
    isHlc(f.hlc) &&
    isInstant(f.receivedAt)
  );
}

/** Member holding the record, per item type, and its check. */
const ITEMS: Record<string, { key: string; check: (v: unknown) => boolean }> = {
  branch: { key: 'branch', check: branch },
  user: { key: 'user', check: user },
  case: { key: 'case', check: caseRecord },
  case_removed: { key: 'caseId', check: isEntityId },
  borrower: { key: 'borrower', check: borrower },
  contact_point: { key: 'contactPoint', check: contactPoint },
  loan: { key: 'loan', check: loan },
  loan_snapshot: { key: 'snapshot', check: snapshot },
  fact: { key: 'fact', check: compactFact },
};

/**
 * True only when pullItemV2Schema would accept this item and return it unchanged; false
 * means "ask zod" (which may still accept it, e.g. after stripping an unknown member).
 */
export function acceptPullItem(item: unknown): item is PullItemV2 {
  if (!isObject(item) || typeof item.type !== 'string') return false;
  const spec = ITEMS[item.type];
  if (!spec) return false;
  let n = 0;
  for (const k in item) {
    if (k !== 'type' && k !== spec.key) return false;
    n++;
  }
  return n === 2 && spec.check(item[spec.key]);
}

const ENVELOPE = keys('items', 'cursor', 'hasMore', 'serverTime');

export type PullCheckResult =
  | { success: true; data: PullResponseV2 }
  | { success: false; error: { issues: readonly { message: string }[] } };

/**
 * Validates a version 2 pull answer as pullResponseV2Schema does (same verdict, same
 * data), taking the fast path item by item and zod for whatever it declines.
 */
export const pullPageCheck = {
  safeParse(value: unknown): PullCheckResult {
    if (
      !isObject(value) ||
      !onlyKeys(value, ENVELOPE) ||
      !Array.isArray(value.items) ||
      !isString(value.cursor) ||
      !isBool(value.hasMore) ||
      !isInstant(value.serverTime)
    )
      return pullResponseV2Schema.safeParse(value);
    const items: PullItemV2[] = [];
    for (const item of value.items as unknown[]) {
      if (acceptPullItem(item)) {
        items.push(item);
        continue;
      }
      const checked = pullItemV2Schema.safeParse(item);
      if (!checked.success) return { success: false, error: checked.error };
      items.push(checked.data);
    }
    return {
      success: true,
      data: {
        items,
        cursor: value.cursor,
        hasMore: value.hasMore,
        serverTime: value.serverTime as string,
      },
    };
  },
};
