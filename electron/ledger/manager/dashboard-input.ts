// Reads the rows the pure dashboard (shared/domain/portfolio) computes from: the snapshot
// sets of the dashboard date and of the previous month end, the cases, and the month's
// contacts, promises (status judged on the dashboard date), field payments and overrides.
// The summary counts contacts from their tally (a month is ~180,000 rows for 50,000
// cases), and counts in SQL the month's promises (from the sums paid toward them kept in
// the ledger) and the cases contacted in the month; the rows are read only for a figure
// whose cases are opened and that needs them.
import { addDays, monthStart } from '../../../shared/dates';
import type {
  ActivityFacts,
  CaseRow,
  CaseTally,
  ContactRow,
  ContactTally,
  DashboardInput,
  LoanSnapshot,
  OverrideRow,
  PaymentRow,
  PromiseRow,
  PromiseTally,
} from '../../../shared/domain/portfolio';
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  IsoDate,
  PromiseStatus,
} from '../../../shared/domain/types';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import {
  baseStamp,
  cached,
  cachedOrUpdated,
  filteredOnce,
  keptGeneration,
  casesToPatch,
  positionsGeneration,
  promisesStamp,
} from './dashboard-cache';
import { branchEndGroups } from './kept-end-groups';
import { paidInWindows, statusOfPaid } from './promise-judge';
import { noLineAfter, promisePaidKept, writeMonthPromisePaid } from './promise-paid';
import { positionsCurrent, positionsValidOn, refreshPositions } from './loan-positions';
import { snapshotDayWritten, snapshotPortfolio, snapshotsFor } from './snapshots';
import {
  figuresFromGroups,
  keepScope,
  patchedEndGroups,
  readEndGroups,
  type EndGroupRaw,
  type SummaryFigures,
} from './snapshot-figures';

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
  const from = monthStart(asOf);
  return { from, to: asOf, startDate: addDays(from, -1) };
}

function readContacts(ledger: Ledger, from: IsoDate, to: IsoDate): ContactRow[] {
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

/**
 * Promises made or falling due in the period, judged on `to` against the case's payments:
 * with `paidKept` (the month's sums are kept and current, promise-paid.ts, and no payment
 * is dated after `to`) from what was paid toward each, read with it; otherwise, and for
 * any promise without its sum, from the payment lines.
 */
export function readPromises(
  ledger: Ledger,
  from: IsoDate,
  to: IsoDate,
  graceDays: number,
  paidKept = false,
): PromiseRow[] {
  const { db } = ledger;
  // Made in the period: a range scan of a covering index that carries who recorded each
  // promise (migration 0012). The same for those falling due in the period but made
  // earlier (few). The kept sums by fact id, when they are used.
  const paid = paidKept ? 'pp.paid_fen' : 'NULL';
  const join = paidKept ? 'LEFT JOIN dashboard_promise_paid pp ON pp.fact_id = p.fact_id' : '';
  const rows = stmt<[string, string, string | null, string, string, number, number | null]>(
    db,
    `SELECT p.fact_id, p.case_id, p.recorded_by, p.made_on, p.due_date, p.amount_fen, ${paid}
     FROM promises p INDEXED BY promises_made_on_cover ${join}
     WHERE p.made_on >= @from AND p.made_on <= @to
     UNION ALL
     SELECT p.fact_id, p.case_id, p.recorded_by, p.made_on, p.due_date, p.amount_fen, ${paid}
     FROM promises p INDEXED BY promises_due_date_cover ${join}
     WHERE p.due_date >= @from AND p.due_date <= @to AND p.made_on < @from`,
  )
    .raw()
    .iterate({ from, to });
  const out: PromiseRow[] = [];
  const unjudged: PromiseRow[] = [];
  const lastDayOf = new Map<string, IsoDate>();
  for (const [promiseId, caseId, officerId, madeOn, dueDate, amountFen, paidFen] of rows) {
    // A promise whose fact was missing when 0012 filled the column has no recorder: left
    // out, as the join with facts it replaced did.
    if (officerId === null) continue;
    const row: PromiseRow = {
      promiseId,
      caseId,
      officerId,
      madeOn,
      dueDate,
      amountFen,
      status: 'pending',
    };
    out.push(row);
    if (paidFen === null) {
      unjudged.push(row);
      continue;
    }
    // The kept sums are all of the policy's grace days (promisePaidKept): the window ends
    // on the due date + those days.
    let lastDay = lastDayOf.get(dueDate);
    if (lastDay === undefined) lastDayOf.set(dueDate, (lastDay = addDays(dueDate, graceDays)));
    row.status = statusOfPaid(paidFen, amountFen, to, lastDay);
  }
  const statuses = judgedStatuses(ledger, unjudged, from, to, graceDays, null);
  for (let i = 0; i < unjudged.length; i++) unjudged[i]!.status = statuses[i]!;
  return out;
}

/**
 * The status of each row judged on `to` against the case's payments (as promiseStatus):
 * only money paid from a promise's date up to `to` counts for it (paidInWindows).
 */
function judgedStatuses(
  ledger: Ledger,
  rows: readonly PromiseRow[],
  from: IsoDate,
  to: IsoDate,
  graceDays: number,
  caseIds: readonly string[] | null,
): PromiseRow['status'][] {
  const { paid, lastDays } = paidInWindows(ledger, rows, from, to, graceDays, caseIds);
  return rows.map((r, i) => statusOfPaid(paid[i]!, r.amountFen, to, lastDays[i]!));
}

/**
 * `kept` (the period's promise rows judged earlier) with the promises of `changed` cases
 * judged again on `to`: what readPromises gives when only those cases' money changed.
 */
function rejudgePromises(
  ledger: Ledger,
  kept: readonly PromiseRow[],
  changed: ReadonlySet<string>,
  to: IsoDate,
  graceDays: number,
): PromiseRow[] {
  const theirs = kept.filter((r) => changed.has(r.caseId));
  if (theirs.length === 0) return [...kept];
  const statuses = judgedStatuses(ledger, theirs, to, to, graceDays, [
    ...new Set(theirs.map((r) => r.caseId)),
  ]);
  const judged = new Map(theirs.map((r, i) => [r.promiseId, { ...r, status: statuses[i]! }]));
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

/**
 * Field payments collected in the period, not reversed (core-banking repayments have no
 * officer). The officer from the payment facts of the same date (facts_payment_date,
 * migration 0008), else by the fact's id.
 */
export function readPayments(ledger: Ledger, from: IsoDate, to: IsoDate): PaymentRow[] {
  const out: PaymentRow[] = [];
  const rows = stmt<[string, string, string | null, string, number]>(
    ledger.db,
    `SELECT p.fact_id, p.case_id,
       coalesce(f.recorded_by, (SELECT g.recorded_by FROM facts g WHERE g.id = p.fact_id)),
       p.paid_on, p.amount_fen
     FROM payments p
       LEFT JOIN facts f ON f.kind = 'payment' AND f.business_date = p.paid_on AND f.id = p.fact_id
     WHERE p.paid_on >= ? AND p.paid_on <= ?
       AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)`,
  )
    .raw()
    .all(from, to);
  for (const [paymentId, caseId, officerId, paidOn, amountFen] of rows) {
    // As the inner join with facts did: a payment without its fact is left out.
    if (officerId !== null) out.push({ paymentId, caseId, officerId, paidOn, amountFen });
  }
  return out;
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

// Each case's officer and balance (its active loans' outstanding principal) come from the
// sums kept with the loan positions (dashboard_case_sums, migration 0015, rewritten with
// them by loan-positions.ts), not from 50,000 snapshot objects or 55,000 positions summed
// again; a case without present positions has its own officer and no balance.
const CASES_WITH_SUMS = `FROM cases c LEFT JOIN dashboard_case_sums s ON s.case_id = c.id
  WHERE c.opened_on <= @asOf`;
const CASE_ROW_COLUMNS = `c.id, coalesce(s.officer_id, c.officer_id), c.status,
  coalesce(s.balance_fen, 0), c.last_contact_on`;

function caseRows(ledger: Ledger, sql: string, params: Record<string, string>): CaseRow[] {
  const out: CaseRow[] = [];
  // Iterated: each row array dies young instead of 50,000 of them living to the end.
  const rows = stmt<[string, string, 'open' | 'closed', number, string | null]>(ledger.db, sql)
    .raw()
    .iterate(params);
  for (const [caseId, officerId, status, balanceFen, lastContactOn] of rows) {
    out.push({ caseId, officerId, status, balanceFen, lastContactOn });
  }
  return out;
}

/**
 * readCases for the summary of the ledger's business date (its positions current) in the
 * month from `from`: the cases contacted in it counted by officer, status and last contact
 * date (no untouched figure needs their ids), the others as rows.
 */
export function readCaseCountsToday(
  ledger: Ledger,
  today: IsoDate,
  from: IsoDate,
): { cases: CaseRow[]; caseTally: CaseTally[] } {
  const caseTally = stmt<[string, 'open' | 'closed', string, number, number]>(
    ledger.db,
    `SELECT coalesce(s.officer_id, c.officer_id), c.status, c.last_contact_on, count(*),
       sum(coalesce(s.balance_fen, 0))
     ${CASES_WITH_SUMS} AND c.last_contact_on >= @from AND c.last_contact_on <= @asOf
     GROUP BY 1, 2, 3`,
  )
    .raw()
    .all({ asOf: today, from })
    .map(([officerId, status, lastContactOn, cases, balanceFen]) => ({
      officerId,
      status,
      lastContactOn,
      cases,
      balanceFen,
    }));
  const cases = caseRows(
    ledger,
    `SELECT ${CASE_ROW_COLUMNS} ${CASES_WITH_SUMS}
       AND (c.last_contact_on IS NULL OR c.last_contact_on < @from OR c.last_contact_on > @asOf)
     ORDER BY c.id`,
    { asOf: today, from },
  );
  return { cases, caseTally };
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

/**
 * Whether the month's sums paid toward each promise can judge the promises on `to`: the
 * ledger's business date, with its positions current (the sums are written with them),
 * no payment dated later, and the month's sums written (here, once a month, if not yet).
 */
function paidKeptOn(ledger: Ledger, to: IsoDate, today: IsoDate): boolean {
  const { db } = ledger;
  if (to !== today || !noLineAfter(db, to)) return false;
  if (promisePaidKept(db, to, ledger.policy.promiseGraceDays)) return true;
  if (db.readonly) return false;
  writeMonthPromisePaid(ledger, to);
  return true;
}

/** The period's promises, kept between calls and patched after a payment (dashboard-cache.ts). */
function periodPromises(
  ledger: Ledger,
  from: IsoDate,
  to: IsoDate,
  today: IsoDate,
): readonly PromiseRow[] {
  const { db } = ledger;
  const graceDays = ledger.policy.promiseGraceDays;
  // Statuses move with the case's money (positions generation) and the dates; the rows
  // with the promises taken or removed (dashboard-cache.ts).
  // After a payment only the paying cases' promises are judged again.
  const money = moneyGeneration(ledger, today);
  const readThem = (): readonly PromiseRow[] =>
    readPromises(ledger, from, to, graceDays, money !== null && paidKeptOn(ledger, to, today));
  const fixed = `${baseStamp(db)}:${promisesStamp(db, from, to)}`;
  return money === null
    ? readThem()
    : cachedOrUpdated(
        db,
        `promises:${from}:${to}:${graceDays}`,
        `${fixed}|${money}`,
        readThem,
        (previous, previousStamp) => {
          const changed = casesToPatch(db, keptGeneration(previousStamp, fixed));
          if (changed === null) return null;
          if (changed.size === 0) return previous;
          return rejudgePromises(ledger, previous, changed, to, graceDays);
        },
      );
}

interface PromiseTallyRead {
  tally: PromiseTally[];
  promisedCases: string[];
}

/**
 * The period's promises counted by officer, dates and status (no row per promise), each
 * judged from the sum paid toward it kept in the ledger (promise-paid.ts; call with
 * paidKeptOn true), with the cases a promise made in the period touched. Null when a
 * promise of the period has no sum: then its rows are judged from the payment lines.
 */
function readPromiseTally(ledger: Ledger, from: IsoDate, to: IsoDate): PromiseTallyRead | null {
  const { db } = ledger;
  const counted = (index: string, where: string): string => `
    SELECT p.recorded_by, p.made_on, p.due_date,
      CASE WHEN pp.paid_fen IS NULL THEN NULL
           WHEN pp.paid_fen >= p.amount_fen THEN 'kept'
           WHEN @to <= pp.last_day THEN 'pending'
           WHEN pp.paid_fen > 0 THEN 'partly_kept' ELSE 'broken' END,
      count(*), sum(p.amount_fen)
    FROM promises p INDEXED BY ${index}
      LEFT JOIN dashboard_promise_paid pp ON pp.fact_id = p.fact_id
    WHERE ${where}
    GROUP BY 1, 2, 3, 4`;
  const rows = stmt<[string | null, string, string, PromiseStatus | null, number, number]>(
    db,
    `${counted('promises_made_on_cover', 'p.made_on >= @from AND p.made_on <= @to')}
     UNION ALL
     ${counted('promises_due_date_cover', 'p.due_date >= @from AND p.due_date <= @to AND p.made_on < @from')}`,
  )
    .raw()
    .all({ from, to });
  const tally: PromiseTally[] = [];
  for (const [officerId, madeOn, dueDate, status, promises, amountFen] of rows) {
    // Left out without a recorder, as readPromises does.
    if (officerId === null) continue;
    if (status === null) return null;
    tally.push({ officerId, madeOn, dueDate, status, promises, amountFen });
  }
  const promisedCases = stmt<string>(
    db,
    `SELECT DISTINCT case_id FROM promises INDEXED BY promises_made_on_cover
     WHERE made_on >= @from AND made_on <= @to AND recorded_by IS NOT NULL`,
  )
    .pluck()
    .all({ from, to });
  return { tally, promisedCases };
}

/**
 * The period's promises for the dashboard summary: counted (readPromiseTally) where the
 * month's sums paid toward them are kept and current, else their rows (periodPromises).
 */
function summaryPromises(
  ledger: Ledger,
  from: IsoDate,
  to: IsoDate,
  today: IsoDate,
): Pick<ActivityFacts, 'promises' | 'promiseTally' | 'promisedCases'> {
  const { db } = ledger;
  const money = moneyGeneration(ledger, today);
  if (money !== null && paidKeptOn(ledger, to, today)) {
    const graceDays = ledger.policy.promiseGraceDays;
    // Counted again whenever a promise is taken or removed, or any case's money changed.
    const counted = cached(
      db,
      `promise-tally:${from}:${to}:${graceDays}`,
      () => `${baseStamp(db)}:${promisesStamp(db, from, to)}|${money}`,
      () => readPromiseTally(ledger, from, to),
    );
    if (counted !== null) {
      return { promises: [], promiseTally: counted.tally, promisedCases: counted.promisedCases };
    }
  }
  return { promises: periodPromises(ledger, from, to, today) };
}

/**
 * The period's activity facts (see DashboardScope.contacts); with `promisesCounted`, the
 * summary's promise tally where it can be read (summaryPromises), else promise rows.
 */
function readFacts(
  ledger: Ledger,
  from: IsoDate,
  to: IsoDate,
  today: IsoDate,
  contactMode: NonNullable<DashboardScope['contacts']>,
  promisesCounted = false,
): ActivityFacts {
  return {
    contacts: contactMode === 'rows' ? readContacts(ledger, from, to) : [],
    ...(contactMode === 'tally' && { contactTally: readContactTally(ledger, from, to) }),
    // An empty tally: untouched cases still follow from their last contact date.
    ...(contactMode === 'none' && { contactTally: [] }),
    ...(promisesCounted
      ? summaryPromises(ledger, from, to, today)
      : { promises: periodPromises(ledger, from, to, today) }),
    payments: readPayments(ledger, from, to),
    overrides: readOverrides(ledger, to),
  };
}

/** The rows of one officer (kept arrays filter to kept arrays, so memos hold per officer). */
function narrowed(
  officerId: string,
  startSnapshots: readonly LoanSnapshot[],
  endSnapshots: readonly LoanSnapshot[],
  cases: readonly CaseRow[],
  facts: ActivityFacts,
): Pick<DashboardInput, 'startSnapshots' | 'endSnapshots' | 'cases' | 'facts'> {
  const mine = <T extends { officerId: string }>(rows: readonly T[]): readonly T[] =>
    filteredOnce(rows, officerId, (r) => r.officerId === officerId);
  return {
    startSnapshots: mine(startSnapshots),
    endSnapshots: mine(endSnapshots),
    cases: mine(cases),
    facts: {
      contacts: mine(facts.contacts),
      ...(facts.contactTally !== undefined && { contactTally: mine(facts.contactTally) }),
      promises: mine(facts.promises),
      ...(facts.promiseTally !== undefined && { promiseTally: mine(facts.promiseTally) }),
      ...(facts.promisedCases !== undefined && { promisedCases: facts.promisedCases }),
      payments: mine(facts.payments),
      overrides: mine(facts.overrides),
    },
  };
}

/** Everything portfolioDashboard / casesBehind need for the scope. */
export function readDashboardInput(ledger: Ledger, scope: DashboardScope): DashboardInput {
  const { asOf, today, officerId } = scope;
  const { from, to, startDate } = dashboardPeriod(asOf);
  let startSnapshots = snapshotsFor(ledger, startDate, today);
  let endSnapshots = snapshotsFor(ledger, asOf, today);
  let cases: readonly CaseRow[] = readCases(ledger, asOf, today, endSnapshots);
  let facts = readFacts(ledger, from, to, today, scope.contacts ?? 'tally');
  let officerIds = activeOfficerIds(ledger);
  if (officerId !== undefined) {
    ({ startSnapshots, endSnapshots, cases, facts } = narrowed(
      officerId,
      startSnapshots,
      endSnapshots,
      cases,
      facts,
    ));
    officerIds = [officerId];
  }
  return {
    period: { from, to },
    buckets: ledger.policy.buckets,
    graceDays: ledger.policy.promiseGraceDays,
    startSnapshots,
    endSnapshots,
    cases,
    facts,
    officerIds,
  };
}

/**
 * What the dashboard SUMMARY of the ledger's business date needs: its snapshot figures
 * summed by SQLite from the positions and the stored previous month end
 * (snapshot-figures.ts), and the rest of the input without the two snapshot sets (their
 * figures are given; no other summary figure reads them). Call with the positions built;
 * they are brought to `today` here. The figures are kept while the positions and the
 * stored start day are unchanged (a contact or a promise leaves them as they are).
 */
export function readSummaryInput(
  ledger: Ledger,
  today: IsoDate,
  officerId: string | undefined,
): { input: DashboardInput; figures: SummaryFigures } {
  const { db } = ledger;
  const { from, to, startDate } = dashboardPeriod(today);
  if (!positionsCurrent(db, today)) refreshPositions(ledger, today);
  if (!snapshotDayWritten(db, startDate)) snapshotPortfolio(ledger, startDate, today);
  const buckets = ledger.policy.buckets;
  const writtenAt =
    stmt<string>(db, 'SELECT written_at FROM loan_snapshot_days WHERE as_of = ?')
      .pluck()
      .get(startDate) ?? '';
  const positionsStamp = `${baseStamp(db)}:${positionsValidOn(db) ?? ''}:g${positionsGeneration(db)}`;
  const scope = { asOf: today, startDate, buckets, rollBy: 'balance' as const, officerId };
  // The figures follow from the end groups. The branch's are kept in the ledger and patched
  // there whenever positions are rewritten (kept-end-groups.ts); an officer's are kept in
  // memory and, after a rewrite of a few cases' positions, patched with what those cases
  // took out and put in (patchedEndGroups).
  const officerGroups = (): EndGroupRaw[] => {
    const fixed = `${baseStamp(db)}:${positionsValidOn(db) ?? ''}:${writtenAt}`;
    const groups = cachedOrUpdated(
      db,
      `end-groups:${today}:${officerId ?? ''}`,
      `${fixed}|${positionsGeneration(db)}`,
      () => readEndGroups(db, scope),
      (previous, previousStamp) => {
        const since = keptGeneration(previousStamp, fixed);
        return since === null ? null : patchedEndGroups(db, scope, previous, since);
      },
    );
    if (!db.inTransaction) keepScope(db, scope);
    return groups;
  };
  const figures = cached(
    db,
    `figures:${today}:${officerId ?? ''}:${JSON.stringify(buckets)}`,
    `${positionsStamp}:${writtenAt}`,
    () =>
      figuresFromGroups(
        ledger,
        scope,
        officerId === undefined ? branchEndGroups(db, scope) : officerGroups(),
      ),
  );
  const counted = readCaseCountsToday(ledger, today, from);
  let cases: readonly CaseRow[] = counted.cases;
  let caseTally: readonly CaseTally[] = counted.caseTally;
  let facts = readFacts(ledger, from, to, today, 'tally', true);
  let officerIds = activeOfficerIds(ledger);
  if (officerId !== undefined) {
    ({ cases, facts } = narrowed(officerId, [], [], cases, facts));
    caseTally = caseTally.filter((t) => t.officerId === officerId);
    officerIds = [officerId];
  }
  return {
    input: {
      period: { from, to },
      buckets,
      graceDays: ledger.policy.promiseGraceDays,
      // Not read: the summary takes its snapshot figures from `figures`.
      startSnapshots: [],
      endSnapshots: [],
      cases,
      caseTally,
      facts,
      officerIds,
    },
    figures,
  };
}
