// Contact figures: effective and right-party contacts, PTP conversion, contact recency.
import { addDays } from '../../dates';
import type { ContactOutcome, IsoDate } from '../types';
import {
  checkDayThresholds,
  checkPeriod,
  IdArray,
  IdList,
  idsField,
  inPeriod,
  safeRatio,
  WITH_IDS,
  type Calc,
} from './common';
import type { CaseRow, CaseTally, ContactRow, ContactTally, Period } from './types';

/** Outcomes that mean nobody was reached, whoever the officer meant to reach. */
const NOT_REACHED: ReadonlySet<ContactOutcome> = new Set<ContactOutcome>([
  'no_answer',
  'unreachable',
  'wrong_number',
]);

/**
 * An effective contact reached a person (DOMAIN.md: the borrower or the right party):
 * someone was recorded as reached and the outcome is not one of no answer, unreachable,
 * wrong number.
 */
export function isEffectiveContact(c: Pick<ContactRow, 'party' | 'outcome'>): boolean {
  return c.party !== 'nobody' && !NOT_REACHED.has(c.outcome);
}

/** Right-party contact (RPC): an effective contact with the borrower themself. */
export function isRightPartyContact(c: Pick<ContactRow, 'party' | 'outcome'>): boolean {
  return c.party === 'borrower' && isEffectiveContact(c);
}

export interface ContactGroup {
  count: number;
  caseIds: string[];
  contactIds: string[];
}

export class ContactGroupBuilder {
  private count = 0;
  private readonly cases: IdList;
  private readonly contacts: IdArray;
  constructor(private readonly calc: Calc) {
    this.cases = new IdList(calc);
    this.contacts = new IdArray(calc);
  }
  add(c: ContactRow): void {
    this.count += 1;
    this.cases.add(c.caseId);
    this.contacts.add(c.contactId);
  }
  /** `n` contacts of a tally: counted, with no ids (summary only). */
  addTallied(n: number): void {
    if (this.calc.ids) throw new RangeError('a contact tally has no ids: pass contact rows');
    this.count += n;
  }
  build(): ContactGroup {
    return {
      count: this.count,
      ...idsField(this.calc, 'caseIds', () => this.cases.toArray()),
      ...idsField(this.calc, 'contactIds', () => this.contacts.ids ?? []),
    };
  }
}

export interface PtpConversion {
  /** Effective contacts in the period: the denominator. */
  effective: ContactGroup;
  /** Effective contacts ending in a promise (outcome 'promise_to_pay'). */
  promised: ContactGroup;
  /** promised ÷ effective; 0 when there was no effective contact. */
  ratio: number;
}

/** PTP conversion: contacts that end in a promise ÷ effective contacts, in the period. */
export function ptpConversion(contacts: readonly ContactRow[], period: Period): PtpConversion {
  return computePtpConversion(contacts, period, WITH_IDS);
}

export function computePtpConversion(
  contacts: readonly ContactRow[],
  period: Period,
  calc: Calc,
  tally?: readonly ContactTally[],
): PtpConversion {
  checkPeriod(period);
  const effective = new ContactGroupBuilder(calc);
  const promised = new ContactGroupBuilder(calc);
  for (const c of contacts) {
    if (!inPeriod(c.businessDate, period) || !isEffectiveContact(c)) continue;
    effective.add(c);
    if (c.outcome === 'promise_to_pay') promised.add(c);
  }
  for (const t of tally ?? []) {
    if (!inPeriod(t.businessDate, period) || !isEffectiveContact(t)) continue;
    effective.addTallied(t.contacts);
    if (t.outcome === 'promise_to_pay') promised.addTallied(t.contacts);
  }
  const e = effective.build();
  const p = promised.build();
  return { effective: e, promised: p, ratio: safeRatio(p.count, e.count) };
}

export interface CaseList {
  count: number;
  caseIds: string[];
}

export interface RecencyLevel extends CaseList {
  /** Cases whose last contact is at least this many days before asOf. */
  days: number;
}

export const DEFAULT_RECENCY_DAYS = [7, 14, 30] as const;

export type ContactRecency<T extends readonly number[]> = {
  [K in T[number] as `noContact${K}`]: RecencyLevel;
} & {
  asOf: IsoDate;
  /** Open cases never contacted: not inside any noContactN figure. */
  never: CaseList;
  /** Open cases considered. */
  open: number;
  levels: RecencyLevel[];
};

/**
 * Open cases by days since the last contact attempt. Levels nest: a case silent for 30
 * days is also in the 7- and 14-day figures. Cases never contacted are counted only in
 * `never`, so a fresh case is not mistaken for a neglected one.
 */
export function contactRecency(
  cases: readonly CaseRow[],
  asOf: IsoDate,
): ContactRecency<typeof DEFAULT_RECENCY_DAYS>;
export function contactRecency<const T extends readonly number[]>(
  cases: readonly CaseRow[],
  asOf: IsoDate,
  thresholds: T,
): ContactRecency<T>;
export function contactRecency(
  cases: readonly CaseRow[],
  asOf: IsoDate,
  thresholds: readonly number[] = DEFAULT_RECENCY_DAYS,
): ContactRecency<readonly number[]> {
  return computeContactRecency(cases, asOf, thresholds, WITH_IDS);
}

export function computeContactRecency(
  cases: readonly CaseRow[],
  asOf: IsoDate,
  thresholds: readonly number[],
  calc: Calc,
  tally?: readonly CaseTally[],
): ContactRecency<readonly number[]> {
  checkDayThresholds(thresholds, 'contactRecency');
  checkPeriod({ from: asOf, to: asOf });
  // silent for >= N days  <=>  lastContactOn <= asOf - N (ISO dates compare as strings)
  const cutoffs = thresholds.map((days) => addDays(asOf, -days));
  const levels = thresholds.map(() => new IdArray(calc));
  const levelCounts = thresholds.map(() => 0);
  const never = new IdArray(calc);
  let neverCount = 0;
  let open = 0;
  for (const c of cases) {
    if (c.status !== 'open') continue;
    open += 1;
    // Case rows are unique per case, so no de-duplication is needed here.
    if (c.lastContactOn === null) {
      neverCount += 1;
      never.add(c.caseId);
      continue;
    }
    for (let i = 0; i < cutoffs.length; i++) {
      if (c.lastContactOn <= cutoffs[i]!) {
        levelCounts[i]! += 1;
        levels[i]!.add(c.caseId);
      }
    }
  }
  for (const t of tally ?? []) {
    if (calc.ids) throw new RangeError('a case tally has no ids: pass case rows');
    if (t.status !== 'open') continue;
    open += t.cases;
    for (let i = 0; i < cutoffs.length; i++) {
      if (t.lastContactOn <= cutoffs[i]!) levelCounts[i]! += t.cases;
    }
  }
  const levelFigures: RecencyLevel[] = thresholds.map((days, i) => ({
    days,
    count: levelCounts[i]!,
    ...idsField(calc, 'caseIds', () => levels[i]!.ids ?? []),
  }));
  const result: Record<string, RecencyLevel> = {};
  for (const level of levelFigures) result[`noContact${level.days}`] = level;
  return Object.assign(result, {
    asOf,
    never: { count: neverCount, ...idsField(calc, 'caseIds', () => never.ids ?? []) },
    open,
    levels: levelFigures,
  }) as ContactRecency<readonly number[]>;
}
