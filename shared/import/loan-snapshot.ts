// A core-banking row (balances, arrears and days past due as of a date) turned into what
// both writers store: a repayment schedule and the amount core banking has received on
// it, such that the loan's position on the snapshot date reproduces the file's figures.
//
// The file carries no schedule, so one is rebuilt with the shared annuity rule from the
// principal, the term and the rate (the file's, else the rate its instalment amount
// implies, else 0 %). Due dates are anchored where the file says an instalment fell due:
// the oldest unpaid one (as-of date minus days past due) for a delinquent loan, the next
// due date for a current one. The amount received is then chosen so that the arrears on
// the snapshot date are the file's arrears (a current loan: so that the outstanding
// principal is the file's). When the file's figures cannot all hold on one annuity
// schedule (a restructured loan, rounding in core banking), `exact` is false and arrears
// and days past due win over the outstanding principal: collections run on them.
import { addDays, addMonthsClamped, daysInMonth } from '../dates';
import { buildEqualInstalmentSchedule, loanPosition, type LoanPosition } from '../domain/schedule';
import type { Fen, Instalment, IsoDate } from '../domain/types';
import type { PortfolioRow } from './fields';

export type SnapshotTerms = Pick<
  PortfolioRow,
  | 'principalFen'
  | 'disbursedOn'
  | 'termMonths'
  | 'annualRatePct'
  | 'installmentFen'
  | 'outstandingFen'
  | 'arrearsFen'
  | 'daysPastDue'
  | 'nextDueOn'
  | 'asOfDate'
>;

export interface LoanSnapshotPlan {
  /** The file's rate, or the one its instalment amount implies, or 0. */
  annualRatePct: number;
  schedule: Instalment[];
  /** Received by core banking up to the snapshot date, allocated oldest instalment first. */
  paidFen: Fen;
  /** The loan's position on the snapshot date with that schedule and that amount. */
  position: LoanPosition;
  /** The position shows the file's days past due, arrears and outstanding principal. */
  exact: boolean;
}

const MAX_RATE_PCT = 100;

/** Annual rate (percent, 4 decimals) at which an annuity of `termMonths` pays `instalmentFen`. */
export function impliedAnnualRatePct(
  principalFen: Fen,
  termMonths: number,
  instalmentFen: Fen,
): number {
  if (instalmentFen * termMonths <= principalFen) return 0;
  const payment = (r: number): number => (principalFen * r) / (1 - Math.pow(1 + r, -termMonths));
  let lo = 0;
  let hi = MAX_RATE_PCT / 1200;
  if (payment(hi) < instalmentFen) return MAX_RATE_PCT;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (payment(mid) < instalmentFen) lo = mid;
    else hi = mid;
  }
  return Math.round(((lo + hi) / 2) * 1200 * 10_000) / 10_000;
}

/** The first due date: the day after disbursement's month on the anchor's day, so the anchor is on the grid. */
function firstDueDate(terms: SnapshotTerms, anchor: IsoDate | null): IsoDate {
  const fallback = addMonthsClamped(terms.disbursedOn, 1);
  if (anchor === null || anchor <= terms.disbursedOn) return fallback;
  const day = Number(anchor.slice(8, 10));
  // The most months k (at most the term less one) that the anchor can be walked back, a
  // month at a time on its day (clamped to the month's length), while still after
  // disbursement: every month after disbursement's month is; disbursement's own month is
  // when the anchor's day falls after the disbursement day. Counted, not walked (one date
  // per row instead of one per month of the term).
  const monthOf = (d: IsoDate): number => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  const disbursedMonth = monthOf(terms.disbursedOn);
  const disbursedYear = Math.floor(disbursedMonth / 12);
  const dayInDisbursedMonth = Math.min(day, daysInMonth(disbursedYear, (disbursedMonth % 12) + 1));
  const walkable =
    monthOf(anchor) -
    disbursedMonth -
    1 +
    (dayInDisbursedMonth > Number(terms.disbursedOn.slice(8, 10)) ? 1 : 0);
  const k = Math.min(terms.termMonths - 1, Math.max(0, walkable));
  return addMonthsClamped(anchor, -k, day);
}

/** Principal + interest paid oldest first until `principalRepaidFen` of principal is repaid. */
function paidForPrincipal(schedule: readonly Instalment[], principalRepaidFen: Fen): Fen {
  let left = principalRepaidFen;
  let paid = 0;
  for (const inst of schedule) {
    if (left <= 0) break;
    const principal = Math.min(left, inst.principalFen);
    paid += inst.interestFen + principal;
    left -= principal;
  }
  return paid;
}

export function planLoanSnapshot(terms: SnapshotTerms): LoanSnapshotPlan {
  const asOf = terms.asOfDate;
  const annualRatePct =
    terms.annualRatePct ??
    (terms.installmentFen !== null && terms.installmentFen > 0
      ? impliedAnnualRatePct(terms.principalFen, terms.termMonths, terms.installmentFen)
      : 0);
  const anchor = terms.daysPastDue > 0 ? addDays(asOf, -terms.daysPastDue) : terms.nextDueOn;
  const schedule = buildEqualInstalmentSchedule({
    principalFen: terms.principalFen,
    annualRatePct,
    termMonths: terms.termMonths,
    firstDueDate: firstDueDate(terms, anchor),
  });
  const total = schedule.reduce((s, i) => s + i.principalFen + i.interestFen, 0);
  const dueBefore = schedule.reduce(
    (s, i) => (i.dueDate < asOf ? s + i.principalFen + i.interestFen : s),
    0,
  );
  const forOutstanding = paidForPrincipal(
    schedule,
    Math.max(0, terms.principalFen - terms.outstandingFen),
  );
  const wanted =
    terms.arrearsFen > 0 ? dueBefore - terms.arrearsFen : Math.max(dueBefore, forOutstanding);
  const paidFen = Math.min(total, Math.max(0, wanted));
  const position = loanPosition(
    schedule,
    paidFen > 0 ? [{ paidOn: asOf, amountFen: paidFen }] : [],
    asOf,
  );
  return {
    annualRatePct,
    schedule,
    paidFen,
    position,
    exact:
      position.daysPastDue === terms.daysPastDue &&
      position.arrearsFen === terms.arrearsFen &&
      position.outstandingPrincipalFen === terms.outstandingFen,
  };
}
