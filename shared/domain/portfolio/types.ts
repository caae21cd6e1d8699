// Input rows and shared result shapes of the portfolio metrics. Every input is a plain
// row the ledger can read straight from SQL (or the server from PostgreSQL): no class,
// no Date, money in integer fen, business dates as 'YYYY-MM-DD'.
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  Fen,
  IsoDate,
  PromiseStatus,
} from '../types';

export type LoanStatus = 'active' | 'closed';

/**
 * One loan at the end of one business date: exactly one row of the ledger's daily
 * snapshot table (one row per loan per day, primary key (asOf, loanId)). Suggested DDL:
 *
 *   CREATE TABLE loan_snapshots (
 *     as_of                     TEXT    NOT NULL,
 *     loan_id                   TEXT    NOT NULL REFERENCES loans(id),
 *     case_id                   TEXT    NOT NULL,
 *     officer_id                TEXT    NOT NULL,
 *     outstanding_principal_fen INTEGER NOT NULL CHECK (outstanding_principal_fen >= 0),
 *     overdue_principal_fen     INTEGER NOT NULL CHECK (overdue_principal_fen >= 0),
 *     arrears_fen               INTEGER NOT NULL CHECK (arrears_fen >= 0),
 *     days_past_due             INTEGER NOT NULL CHECK (days_past_due >= 0),
 *     bucket                    TEXT    NOT NULL,
 *     restructured              INTEGER NOT NULL CHECK (restructured IN (0, 1)),
 *     status                    TEXT    NOT NULL CHECK (status IN ('active', 'closed')),
 *     due_in_period_fen         INTEGER,
 *     paid_in_period_fen        INTEGER,
 *     PRIMARY KEY (as_of, loan_id)
 *   ) WITHOUT ROWID;
 *
 * Rules for the writer (see loanSnapshot() in snapshot.ts, which builds a row):
 * - Write a row for every loan the ledger holds, closed ones included (status 'closed'),
 *   so a loan that left the portfolio is told apart from a row that was never written
 *   (roll rates report the two separately).
 * - officerId is the case's officer on asOf, so per-officer figures use the assignment of
 *   that day, not today's.
 * - The "period" of dueInPeriodFen / paidInPeriodFen is the month to date: from the first
 *   day of asOf's month to asOf inclusive (dueAndPaidInPeriod in collection.ts).
 * - Every row of one snapshot set shares one asOf; metrics refuse a mix.
 * - Size: 50,000 loans make 50,000 rows a day (~18 million a year). The dashboard needs
 *   the chosen date and the previous month end, so keeping daily rows for about two
 *   months and month-end rows for ever is enough; prune the rest.
 */
export interface LoanSnapshot {
  loanId: string;
  caseId: string;
  /** The case's officer on asOf. */
  officerId: string;
  asOf: IsoDate;
  /** Principal not yet repaid after all payments up to asOf (loanPosition). */
  outstandingPrincipalFen: Fen;
  /** The principal part of the arrears: unpaid principal of instalments due before asOf. */
  overduePrincipalFen: Fen;
  /** Unpaid principal + interest of instalments due before asOf (loanPosition.arrearsFen). */
  arrearsFen: Fen;
  /** Days past due of the oldest unpaid instalment (0 when none). */
  daysPastDue: number;
  /**
   * The bucket code under the policy pack of that day, as the officer saw it. Metrics
   * re-derive buckets from daysPastDue with the list they are given, so two dates compare
   * on one bucket list even if the pack changed between them.
   */
  bucket: string;
  /** The loan runs on an approved repayment plan (重组). Restructured loans stay in PAR. */
  restructured: boolean;
  status: LoanStatus;
  /** Month to date: what the borrower had to pay (arrears brought in + falling due). */
  dueInPeriodFen?: Fen;
  /** Month to date: payments dated inside the period. */
  paidInPeriodFen?: Fen;
}

/** Inclusive range of business dates. */
export interface Period {
  from: IsoDate;
  to: IsoDate;
}

/**
 * The cases (and loans) behind a figure: every number on the dashboard opens this list.
 * Ids appear once each, in the order the rows came.
 */
export interface LoansBehind {
  caseIds: string[];
  loanIds: string[];
}

/** Count and balance of a group of loans, with the loans behind it. */
export interface LoanGroup extends LoansBehind {
  count: number;
  balanceFen: Fen;
}

/** A contact attempt as the metrics see it (one row of the ledger's contacts table). */
export interface ContactRow {
  contactId: string;
  caseId: string;
  /** Who made the attempt (facts.recorded_by). */
  officerId: string;
  businessDate: IsoDate;
  channel: ContactChannel;
  party: ContactParty;
  outcome: ContactOutcome;
}

/** A promise to pay with its status evaluated on the last day of the period examined. */
export interface PromiseRow {
  promiseId: string;
  caseId: string;
  /** Who took the promise. */
  officerId: string;
  madeOn: IsoDate;
  dueDate: IsoDate;
  amountFen: Fen;
  status: PromiseStatus;
}

/**
 * Money collected: a payment not reversed (the caller drops reversed payments, as for
 * PaymentLine). officerId is who collected it; repayments core banking took without an
 * officer (auto-debit, counter) are best left out of per-officer figures.
 */
export interface PaymentRow {
  paymentId: string;
  caseId: string;
  officerId: string;
  paidOn: IsoDate;
  amountFen: Fen;
}

/** A conduct rule let through with a written reason, flagged for the manager. */
export interface OverrideRow {
  factId: string;
  caseId: string;
  officerId: string;
  businessDate: IsoDate;
  /** The ConductViolation code that was overridden. */
  ruleCode: string;
  /** When a manager reviewed it; null while it waits for review. */
  reviewedOn: IsoDate | null;
}

/** A case as the activity and contact figures see it (one row of the cases table). */
export interface CaseRow {
  caseId: string;
  officerId: string;
  status: 'open' | 'closed';
  /** Outstanding principal of the case's loans. */
  balanceFen: Fen;
  /** Business date of the last contact attempt on or before the dashboard date; null if never. */
  lastContactOn: IsoDate | null;
}

/**
 * Cases counted by officer, status and last contact date (the ledger sums them), for the
 * dashboard summary only (no ids). Only cases contacted in the period (lastContactOn
 * inside it) may be counted: they are touched, so no untouched figure needs their ids;
 * every other case stays a CaseRow.
 */
export interface CaseTally {
  officerId: string;
  status: 'open' | 'closed';
  lastContactOn: IsoDate;
  cases: number;
  balanceFen: Fen;
}

/**
 * Contacts counted by business date, officer, party and outcome (the ledger keeps this
 * tally as contacts are written). Every contact COUNT of the dashboard follows from it
 * without a row per contact; the ids behind a figure still need the rows.
 */
export interface ContactTally {
  businessDate: IsoDate;
  officerId: string;
  party: ContactParty;
  outcome: ContactOutcome;
  contacts: number;
}

/**
 * Promises counted by officer, dates and status (the ledger sums them with what was paid
 * toward each). Every promise COUNT and amount of the dashboard follows from it without a
 * row per promise; the ids behind a figure still need the rows.
 */
export interface PromiseTally {
  officerId: string;
  madeOn: IsoDate;
  dueDate: IsoDate;
  status: PromiseStatus;
  promises: number;
  amountFen: Fen;
}

/** The field activity of a period, each array filtered by nothing (metrics pick by date). */
export interface ActivityFacts {
  contacts: readonly ContactRow[];
  /**
   * When given, contact counts come from this tally and `contacts` must be empty: for the
   * dashboard summary only (no ids). A case then counts as contacted in the period when
   * its CaseRow.lastContactOn falls inside it.
   */
  contactTally?: readonly ContactTally[];
  promises: readonly PromiseRow[];
  /**
   * When given, promise figures come from this tally and `promises` must be empty: for the
   * dashboard summary only (no ids). The cases a promise made in the period touched are
   * then `promisedCases` (any order; those not open, or contacted in the period, may be
   * left out, since they are not untouched anyway).
   */
  promiseTally?: readonly PromiseTally[];
  promisedCases?: readonly string[];
  payments: readonly PaymentRow[];
  overrides: readonly OverrideRow[];
}
