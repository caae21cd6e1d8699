// Per-officer activity over a period, side by side for the branch.
//
// Attribution: what an officer DID (contacts, promises, payments, overrides) goes to who
// recorded it; what an officer HOLDS (caseload, balance, untouched cases) goes to the
// case's current officer. A case is "untouched" when nobody recorded a contact, promise
// or payment on it in the period.
import { daysBetween } from '../../dates';
import type { Fen } from '../types';
import {
  checkPeriod,
  IdArray,
  IdList,
  idsField,
  inPeriod,
  safeRatio,
  WITH_IDS,
  type Calc,
} from './common';
import {
  ContactGroupBuilder,
  isEffectiveContact,
  type CaseList,
  type ContactGroup,
} from './contacts';
import { computePromiseMetrics, type KeptRate, type PromiseGroup } from './promises';
import type { ActivityFacts, CaseRow, CaseTally, Period, PromiseRow, PromiseTally } from './types';

export interface OfficerActivity {
  officerId: string;
  /** Open cases assigned to the officer. */
  caseload: CaseList;
  /** Outstanding principal of the caseload. */
  balanceFen: Fen;
  /** Contact attempts the officer recorded in the period. */
  contacts: ContactGroup;
  /** contacts.count ÷ the days of the period (or the working days given). */
  contactsPerDay: number;
  effectiveContacts: ContactGroup;
  rightPartyContacts: ContactGroup;
  /** Promises the officer took in the period. */
  promisesMade: PromiseGroup;
  /** Kept rate of the officer's promises falling due in the period (see promises.ts). */
  keptRate: KeptRate;
  collected: { count: number; amountFen: Fen; caseIds: string[]; paymentIds: string[] };
  overrides: { count: number; caseIds: string[]; factIds: string[] };
  /** Open cases of the officer with no contact, promise or payment in the period. */
  untouched: CaseList;
}

export interface OfficerActivityOptions {
  graceDays: number;
  /** Divisor for contactsPerDay; defaults to the calendar days of the period. */
  workingDays?: number;
  /** Officers to list even with nothing to show (e.g. every officer of the branch). */
  officerIds?: readonly string[];
}

class OfficerAccumulator {
  readonly caseload: IdArray;
  caseCount = 0;
  balanceFen = 0;
  readonly openCases: string[] = [];
  readonly contacts: ContactGroupBuilder;
  readonly effective: ContactGroupBuilder;
  readonly rightParty: ContactGroupBuilder;
  readonly promises: PromiseRow[] = [];
  readonly promiseTally: PromiseTally[] = [];
  collectedCount = 0;
  collectedFen = 0;
  readonly collectedCases: IdList;
  readonly payments: IdArray;
  overrideCount = 0;
  readonly overrideCases: IdList;
  readonly overrides: IdArray;

  constructor(calc: Calc) {
    this.caseload = new IdArray(calc);
    this.contacts = new ContactGroupBuilder(calc);
    this.effective = new ContactGroupBuilder(calc);
    this.rightParty = new ContactGroupBuilder(calc);
    this.collectedCases = new IdList(calc);
    this.payments = new IdArray(calc);
    this.overrideCases = new IdList(calc);
    this.overrides = new IdArray(calc);
  }
}

/** One row per officer, ordered by officerId (the renderer sorts by name). */
export function officerActivity(
  facts: ActivityFacts,
  cases: readonly CaseRow[],
  period: Period,
  options: OfficerActivityOptions,
): OfficerActivity[] {
  return computeOfficerActivity(facts, cases, period, options, WITH_IDS);
}

export function computeOfficerActivity(
  facts: ActivityFacts,
  cases: readonly CaseRow[],
  period: Period,
  options: OfficerActivityOptions,
  calc: Calc,
  caseTally?: readonly CaseTally[],
): OfficerActivity[] {
  checkPeriod(period);
  const days = options.workingDays ?? daysBetween(period.from, period.to) + 1;
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`officerActivity: workingDays must be a positive integer, got ${days}`);
  }
  const officers = new Map<string, OfficerAccumulator>();
  const officer = (id: string): OfficerAccumulator => {
    let acc = officers.get(id);
    if (acc === undefined) {
      acc = new OfficerAccumulator(calc);
      officers.set(id, acc);
    }
    return acc;
  };
  for (const id of options.officerIds ?? []) officer(id);

  // Untouched: the open cases no contact, promise or payment of the period touched. The
  // candidates are collected first (in case row order) and each touch removes one, so only
  // candidates are hashed, not every case id a fact names.
  const tally = facts.contactTally;
  if (tally !== undefined && facts.contacts.length > 0) {
    throw new RangeError('officerActivity: pass contact rows or a contact tally, not both');
  }
  const candidates = new Map<string, OfficerAccumulator>();
  // Case rows are unique per case: no de-duplication needed.
  for (const c of cases) {
    if (c.status !== 'open') continue;
    const acc = officer(c.officerId);
    acc.caseCount += 1;
    acc.balanceFen += c.balanceFen;
    acc.caseload.add(c.caseId);
    // With a tally, the last contact on or before period.to is inside the period iff any
    // contact is.
    const contacted =
      tally !== undefined && c.lastContactOn !== null && inPeriod(c.lastContactOn, period);
    if (!contacted) candidates.set(c.caseId, acc);
  }
  // Counted cases were contacted in the period: never untouched.
  for (const t of caseTally ?? []) {
    if (calc.ids) throw new RangeError('a case tally has no ids: pass case rows');
    if (!inPeriod(t.lastContactOn, period)) {
      throw new RangeError(
        'officerActivity: a case tally counts only cases contacted in the period',
      );
    }
    if (t.status !== 'open') continue;
    const acc = officer(t.officerId);
    acc.caseCount += t.cases;
    acc.balanceFen += t.balanceFen;
  }
  for (const t of tally ?? []) {
    if (!inPeriod(t.businessDate, period)) continue;
    const acc = officer(t.officerId);
    acc.contacts.addTallied(t.contacts);
    if (isEffectiveContact(t)) {
      acc.effective.addTallied(t.contacts);
      if (t.party === 'borrower') acc.rightParty.addTallied(t.contacts);
    }
  }
  for (const c of facts.contacts) {
    if (!inPeriod(c.businessDate, period)) continue;
    candidates.delete(c.caseId);
    const acc = officer(c.officerId);
    acc.contacts.add(c);
    if (isEffectiveContact(c)) {
      acc.effective.add(c);
      if (c.party === 'borrower') acc.rightParty.add(c);
    }
  }
  // Each officer's promises go whole to promiseMetrics, which picks made / falling due.
  for (const p of facts.promises) {
    const made = inPeriod(p.madeOn, period);
    if (made) candidates.delete(p.caseId);
    if (made || inPeriod(p.dueDate, period)) officer(p.officerId).promises.push(p);
  }
  if (facts.promiseTally !== undefined) {
    if (facts.promises.length > 0) {
      throw new RangeError('officerActivity: pass promise rows or a promise tally, not both');
    }
    for (const t of facts.promiseTally) {
      if (inPeriod(t.madeOn, period) || inPeriod(t.dueDate, period)) {
        officer(t.officerId).promiseTally.push(t);
      }
    }
    for (const caseId of facts.promisedCases ?? []) candidates.delete(caseId);
  }
  for (const p of facts.payments) {
    if (!inPeriod(p.paidOn, period)) continue;
    candidates.delete(p.caseId);
    const acc = officer(p.officerId);
    acc.collectedCount += 1;
    acc.collectedFen += p.amountFen;
    acc.collectedCases.add(p.caseId);
    acc.payments.add(p.paymentId);
  }
  for (const o of facts.overrides) {
    if (!inPeriod(o.businessDate, period)) continue;
    const acc = officer(o.officerId);
    acc.overrideCount += 1;
    acc.overrideCases.add(o.caseId);
    acc.overrides.add(o.factId);
  }
  for (const [caseId, acc] of candidates) acc.openCases.push(caseId);

  return [...officers.keys()].sort().map((officerId) => {
    const acc = officers.get(officerId)!;
    const promises = computePromiseMetrics(
      acc.promises,
      period,
      { graceDays: options.graceDays },
      calc,
      facts.promiseTally !== undefined ? acc.promiseTally : undefined,
    );
    const contacts = acc.contacts.build();
    return {
      officerId,
      caseload: {
        count: acc.caseCount,
        ...idsField(calc, 'caseIds', () => acc.caseload.ids ?? []),
      },
      balanceFen: acc.balanceFen,
      contacts,
      contactsPerDay: safeRatio(contacts.count, days),
      effectiveContacts: acc.effective.build(),
      rightPartyContacts: acc.rightParty.build(),
      promisesMade: promises.made,
      keptRate: promises.keptRate,
      collected: {
        count: acc.collectedCount,
        amountFen: acc.collectedFen,
        ...idsField(calc, 'caseIds', () => acc.collectedCases.toArray()),
        ...idsField(calc, 'paymentIds', () => acc.payments.ids ?? []),
      },
      overrides: {
        count: acc.overrideCount,
        ...idsField(calc, 'caseIds', () => acc.overrideCases.toArray()),
        ...idsField(calc, 'factIds', () => acc.overrides.ids ?? []),
      },
      // Untouched cases are few and always listed: the count is their length.
      untouched: {
        count: acc.openCases.length,
        ...idsField(calc, 'caseIds', () => acc.openCases),
      },
    };
  });
}
