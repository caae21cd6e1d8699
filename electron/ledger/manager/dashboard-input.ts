// Reads the rows the pure dashboard (shared/domain/portfolio) computes from: the snapshot
// sets of the dashboard date and of the previous month end, the cases, and the month's
// contacts, promises (status judged on the dashboard date), field payments and overrides.
// The summary counts contacts from their tally (a month is ~180,000 rows for 50,000
// cases); the rows are read only for a figure whose cases are opened and that needs them.
import { addDays } from '../../../shared/dates';
import { promiseStatus } from '../../../shared/domain/promise';
import type {
  ActivityFacts,
  CaseRow,
  ContactRow,
  ContactTally,
  DashboardInput,
  LoanSnapshot,
  OverrideRow,
  PaymentRow,
  PromiseRow,
} from '../../../shared/domain/portfolio';
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  IsoDate,
  PaymentLine,
} from '../../../shared/domain/types';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import {
  baseStamp,
  cachedOrUpdated,
  filteredOnce,
  positionsChangedSince,
  positionsGeneration,
  promisesStamp,
} from './dashboard-cache';
import { positionsCurrent, positionsValidOn, refreshPositions } from './loan-positions';
import { INCREMENTAL_CASES, snapshotsFor } from './snapshots';

export interface DashboardScope {
  asOf: IsoDate;
  /** The ledger's business date (today): dates before it are closed and snapshotted. */
  today: IsoDate;
  officerId?: string;
  /**
   * 'tally' (default): contact counts from dashboard_contact_tally, no contact rows (the
   * summary); 'rows': every contact row of the period (ids behind contact figures);
   * 'none': neither (ids behind figures that count no contact).
   */
  contacts?: 'tally' | 'rows' | 'none';
}

/** The month to date of `asOf`, and the day before it (roll-rate start). */
export function dashboardPeriod(asOf: IsoDate): { from: IsoDate; to: IsoDate; startDate: IsoDate } {
  const from = `${asOf.slice(0, 8)}01`;
  return { from, to: asOf, startDate: addDays(from, -1) };
}

export function readContacts(ledger: Ledger, from: IsoDate, to: IsoDate): ContactRow[] {
  return stmt<[string, string, string, string, ContactChannel, ContactParty, ContactOutcome]>(
    ledger.db,
    `SELECT c.fact_id, c.case_id, f.recorded_by, c.business_date, c.channel, c.party, c.outcome
     FROM contacts c JOIN facts f ON f.id = c.fact_id
     WHERE c.business_date >= ? AND c.business_date <= ?`,
  )
    .raw()
    .all(from, to)
    .map(([contactId, caseId, officerId, businessDate, channel, party, outcome]) => ({
      contactId,
      caseId,
      officerId,
      businessDate,
      channel,
      party,
      outcome,
    }));
}

/** Promises made or falling due in the period, judged on `to` against the case's payments. */
export function readPromises(ledger: Ledger, from: IsoDate, to: IsoDate, graceDays: number): PromiseRow[] {
  const { db } = ledger;
  // Two range scans of covering indexes (made in the period; falling due in it).
  const rows = stmt<[string, string, string, string, string, number]>(
    db,
    `SELECT p.fact_id, p.case_id, f.recorded_by, p.made_on, p.due_date, p.amount_fen
     FROM promises p INDEXED BY promises_made_on_cover JOIN facts f ON f.id = p.fact_id
     WHERE p.made_on >= @from AND p.made_on <= @to
     UNION ALL
     SELECT p.fact_id, p.case_id, f.recorded_by, p.made_on, p.due_date, p.amount_fen
     FROM promises p INDEXED BY promises_due_date_cover JOIN facts f ON f.id = p.fact_id
     WHERE p.due_date >= @from AND p.due_date <= @to AND p.made_on < @from`,
  )
    .raw()
    .all({ from, to })
    .map(([promiseId, caseId, officerId, madeOn, dueDate, amountFen]) => ({
      promiseId,
      caseId,
      officerId,
      madeOn,
      dueDate,
      amountFen,
      status: 'pending' as PromiseRow['status'],
    }));
  return judgePromises(ledger, rows, to, graceDays, null);
}

/**
 * The rows with each status judged on `to` against the case's payments (promiseStatus):
 * only money paid from a promise's date up to `to` counts for it, so the payments of that
 * window, read by date (`caseIds` null: the branch's) or by case, are every line that can
 * count. Returns new row objects; the rows given are not changed.
 */
function judgePromises(
  ledger: Ledger,
  rows: readonly PromiseRow[],
  to: IsoDate,
  graceDays: number,
  caseIds: readonly string[] | null,
): PromiseRow[] {
  if (rows.length === 0) return [];
  let since = to;
  const promised = new Set<string>();
  for (const r of rows) {
    if (r.madeOn < since) since = r.madeOn;
    promised.add(r.caseId);
  }
  const lines = new Map<string, PaymentLine[]>();
  const paymentRows =
    caseIds === null
      ? stmt<[string, string, number]>(
          ledger.db,
          `SELECT p.case_id, p.paid_on, p.amount_fen FROM payments p
           WHERE p.paid_on >= @since AND p.paid_on <= @to
             AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)
           UNION ALL
           SELECT r.case_id, r.paid_on, r.amount_fen FROM core_repayments r INDEXED BY core_repayments_paid_on
           WHERE r.paid_on >= @since AND r.paid_on <= @to
             AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
        )
          .raw()
          .all({ since, to })
      : stmt<[string, string, number]>(
          ledger.db,
          `SELECT p.case_id, p.paid_on, p.amount_fen FROM payments p
           WHERE p.case_id IN (SELECT value FROM json_each(@ids))
             AND p.paid_on >= @since AND p.paid_on <= @to
             AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)
           UNION ALL
           SELECT r.case_id, r.paid_on, r.amount_fen FROM core_repayments r INDEXED BY core_repayments_paid_on
           WHERE r.paid_on >= @since AND r.paid_on <= @to
             AND r.case_id IN (SELECT value FROM json_each(@ids))
             AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
        )
          .raw()
          .all({ since, to, ids: JSON.stringify(caseIds) });
  for (const [caseId, paidOn, amountFen] of paymentRows) {
    if (!promised.has(caseId)) continue;
    let list = lines.get(caseId);
    if (!list) lines.set(caseId, (list = []));
    list.push({ paidOn, amountFen });
  }
  return rows.map((r) => ({
    ...r,
    status: promiseStatus(r, lines.get(r.caseId) ?? [], to, graceDays).status,
  }));
}

/**
 * `kept` (the period's promise rows judged earlier) with the promises of `changed` cases
 * judged again on `to`: what readPromises gives when only those cases' money changed.
 */
export function rejudgePromises(
  ledger: Ledger,
  kept: readonly PromiseRow[],
  changed: ReadonlySet<string>,
  to: IsoDate,
  graceDays: number,
): PromiseRow[] {
  const theirs = kept.filter((r) => changed.has(r.caseId));
  if (theirs.length === 0) return [...kept];
  const judged = new Map(
    judgePromises(ledger, theirs, to, graceDays, [...new Set(theirs.map((r) => r.caseId))]).map(
      (r) => [r.promiseId, r],
    ),
  );
  return kept.map((r) => judged.get(r.promiseId) ?? r);
}

/** The period's contact tally (see DashboardScope.contacts). */
export function readContactTally(ledger: Ledger, from: IsoDate, to: IsoDate): ContactTally[] {
  return stmt<[string, string, ContactParty, ContactOutcome, number]>(
    ledger.db,
    `SELECT business_date, officer_id, party, outcome, contacts FROM dashboard_contact_tally
     WHERE business_date >= ? AND business_date <= ? AND contacts > 0`,
  )
    .raw()
    .all(from, to)
    .map(([businessDate, officerId, party, outcome, contacts]) => ({
      businessDate,
      officerId,
      party,
      outcome,
      contacts,
    }));
}

/** Field payments collected in the period, not reversed (core-banking repayments have no officer). */
export function readPayments(ledger: Ledger, from: IsoDate, to: IsoDate): PaymentRow[] {
  return stmt<[string, string, string, string, number]>(
    ledger.db,
    `SELECT p.fact_id, p.case_id, f.recorded_by, p.paid_on, p.amount_fen
     FROM payments p JOIN facts f ON f.id = p.fact_id
     WHERE p.paid_on >= ? AND p.paid_on <= ?
       AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)`,
  )
    .raw()
    .all(from, to)
    .map(([paymentId, caseId, officerId, paidOn, amountFen]) => ({
      paymentId,
      caseId,
      officerId,
      paidOn,
      amountFen,
    }));
}

/**
 * Every override recorded up to `to` (a review queue has no start date). An override of
 * several rules counts once, under its first rule code.
 */
export function readOverrides(ledger: Ledger, to: IsoDate): OverrideRow[] {
  return stmt<[string, string, string, string, string, string | null]>(
    ledger.db,
    `SELECT o.contact_fact_id, o.case_id, o.recorded_by, f.business_date, o.rule_codes, rv.reviewed_on
     FROM overrides o CROSS JOIN facts f ON f.id = o.contact_fact_id
       LEFT JOIN override_reviews rv ON rv.override_fact_id = o.contact_fact_id
     WHERE f.business_date <= ?`,
  )
    .raw()
    .all(to)
    .map(([factId, caseId, officerId, businessDate, codes, reviewedOn]) => ({
      factId,
      caseId,
      officerId,
      businessDate,
      ruleCode: (JSON.parse(codes) as string[])[0] ?? 'unknown',
      reviewedOn,
    }));
}

/**
 * One row per case: its officer on asOf (from the end snapshots, else today's), status,
 * balance of its active loans on asOf, and its last contact on or before asOf.
 */
export function readCases(
  ledger: Ledger,
  asOf: IsoDate,
  today: IsoDate,
  endSnapshots: readonly LoanSnapshot[],
): CaseRow[] {
  const balance = new Map<string, number>();
  const officerOn = new Map<string, string>();
  for (const s of endSnapshots) {
    officerOn.set(s.caseId, s.officerId);
    if (s.status === 'active')
      balance.set(s.caseId, (balance.get(s.caseId) ?? 0) + s.outstandingPrincipalFen);
  }
  // Today's last contact is already derived on the case row; an earlier date asks contacts.
  const sql =
    asOf >= today
      ? `SELECT id, officer_id, status, last_contact_on FROM cases WHERE opened_on <= @asOf`
      : `SELECT c.id, c.officer_id, c.status,
           (SELECT max(k.business_date) FROM contacts k WHERE k.case_id = c.id AND k.business_date <= @asOf)
         FROM cases c WHERE c.opened_on <= @asOf`;
  return stmt<[string, string, 'open' | 'closed', string | null]>(ledger.db, sql)
    .raw()
    .all({ asOf })
    .map(([caseId, officerId, status, lastContactOn]) => ({
      caseId,
      officerId: officerOn.get(caseId) ?? officerId,
      status,
      balanceFen: balance.get(caseId) ?? 0,
      lastContactOn,
    }));
}

export function activeOfficerIds(ledger: Ledger): string[] {
  return stmt<string>(
    ledger.db,
    `SELECT id FROM users WHERE role = 'officer' AND active = 1 ORDER BY id`,
  )
    .pluck()
    .all();
}

/**
 * Brings the loan positions to today (their triggers mark every payment, reversal and
 * core-banking repayment) and returns their generation, which then moves whenever any
 * case's money changes. Null before the positions are first built (no marks yet).
 */
function moneyGeneration(ledger: Ledger, today: IsoDate): number | null {
  const { db } = ledger;
  if (positionsValidOn(db) === null) return null;
  if (!positionsCurrent(db, today)) refreshPositions(ledger, today);
  return positionsGeneration(db);
}

/** Everything portfolioDashboard / casesBehind need for the scope. */
export function readDashboardInput(ledger: Ledger, scope: DashboardScope): DashboardInput {
  const { asOf, today, officerId } = scope;
  const { from, to, startDate } = dashboardPeriod(asOf);
  const graceDays = ledger.policy.promiseGraceDays;
  const { db } = ledger;
  let startSnapshots = snapshotsFor(ledger, startDate, today);
  let endSnapshots = snapshotsFor(ledger, asOf, today);
  let cases: readonly CaseRow[] = readCases(ledger, asOf, today, endSnapshots);
  const contactMode = scope.contacts ?? 'tally';
  // Statuses move with the case's money (positions generation) and the dates; the rows
  // with the promises taken or removed (dashboard-cache.ts).
  // After a payment only the paying cases' promises are judged again.
  const money = moneyGeneration(ledger, today);
  const readThem = (): readonly PromiseRow[] => readPromises(ledger, from, to, graceDays);
  const fixed = `${baseStamp(db)}:${promisesStamp(db)}`;
  const promises =
    money === null
      ? readThem()
      : cachedOrUpdated(
          db,
          `promises:${from}:${to}:${graceDays}`,
          `${fixed}|${money}`,
          readThem,
          (previous, previousStamp) => {
            const cut = previousStamp.lastIndexOf('|');
            if (previousStamp.slice(0, cut) !== fixed) return null;
            const changed = positionsChangedSince(db, Number(previousStamp.slice(cut + 1)));
            if (changed === null || changed.size > INCREMENTAL_CASES) return null;
            if (changed.size === 0) return previous;
            return rejudgePromises(ledger, previous, changed, to, graceDays);
          },
        );
  let facts: ActivityFacts = {
    contacts: contactMode === 'rows' ? readContacts(ledger, from, to) : [],
    ...(contactMode === 'tally' && { contactTally: readContactTally(ledger, from, to) }),
    // An empty tally: untouched cases still follow from their last contact date.
    ...(contactMode === 'none' && { contactTally: [] }),
    promises,
    payments: readPayments(ledger, from, to),
    overrides: readOverrides(ledger, to),
  };
  let officerIds = activeOfficerIds(ledger);
  if (officerId !== undefined) {
    // Kept arrays filter to kept arrays, so an officer's snapshot figures memoize too.
    const mine = <T extends { officerId: string }>(rows: readonly T[]): readonly T[] =>
      filteredOnce(rows, officerId, (r) => r.officerId === officerId);
    startSnapshots = mine(startSnapshots);
    endSnapshots = mine(endSnapshots);
    cases = mine(cases);
    facts = {
      contacts: mine(facts.contacts),
      ...(facts.contactTally !== undefined && { contactTally: mine(facts.contactTally) }),
      promises: mine(facts.promises),
      payments: mine(facts.payments),
      overrides: mine(facts.overrides),
    };
    officerIds = [officerId];
  }
  return {
    period: { from, to },
    buckets: ledger.policy.buckets,
    graceDays,
    startSnapshots,
    endSnapshots,
    cases,
    facts,
    officerIds,
  };
}
