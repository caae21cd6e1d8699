// The manager's dashboard and the cases behind each of its numbers, through the pure
// metrics of shared/domain/portfolio on rows read from the ledger.
import type { WorklistPage } from '../../../shared/api/contract';
import type { ManagerDashboard } from '../../../shared/api/manager-contract';
import { AppError } from '../../../shared/errors';
import {
  casesBehind,
  dashboardSummaryWith,
  summarySnapshotFigures,
  type DashboardFigure,
  type DashboardInput,
  type DashboardSummary,
  type Period,
} from '../../../shared/domain/portfolio';
import type { IsoDate, UserRole } from '../../../shared/domain/types';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import { orderCaseIds, worklistRowsByIds } from './case-rows';
import { cached, ledgerChangeStamp } from './dashboard-cache';
import {
  dashboardPeriod,
  readDashboardInput,
  readSummaryInput,
  type DashboardScope,
} from './dashboard-input';
import { positionsValidOn } from './loan-positions';
import { keepSummary, noteBranchSummary, readKeptSummary } from './kept-summary';
import { ensureClosedDaySnapshots } from './snapshots';

export interface DashboardRequest {
  asOf?: IsoDate | undefined;
  officerId?: string | undefined;
}

function resolveDate(asOf: IsoDate | undefined, today: IsoDate): IsoDate {
  const date = asOf ?? today;
  if (date > today) {
    throw new AppError('invalid_input', 'The dashboard date cannot be in the future', {
      field: 'asOf',
      reason: 'in_the_future',
    });
  }
  return date;
}

/** The dashboard's input rows, with yesterday's and the previous month end's snapshots written first. */
export function dashboardInput(
  ledger: Ledger,
  today: IsoDate,
  req: DashboardRequest,
  contacts: DashboardScope['contacts'] = 'tally',
): DashboardInput {
  const asOf = resolveDate(req.asOf, today);
  ensureClosedDaySnapshots(ledger, today);
  // The same input object while nothing at all changed in the ledger (dashboard-cache.ts).
  return cached(
    ledger.db,
    `input:${asOf}:${today}:${req.officerId ?? ''}:${contacts}`,
    ledgerChangeStamp(ledger.db),
    () =>
      readDashboardInput(ledger, {
        asOf,
        today,
        contacts,
        ...(req.officerId !== undefined && { officerId: req.officerId }),
      }),
  );
}

/**
 * The summary of an input, with its snapshot figures kept while the input's two snapshot
 * arrays are the same objects (kept arrays: nothing in them changed) and the summary kept
 * per input object. Equal to portfolioDashboard(input) (test/manager/dashboard-cache.test.ts).
 */
const summaries = new WeakMap<DashboardInput, DashboardSummary>();
const snapshotFigureMemo = new WeakMap<
  object,
  WeakMap<object, { key: string; figures: ReturnType<typeof summarySnapshotFigures> }>
>();
function dashboardSummary(input: DashboardInput): DashboardSummary {
  const known = summaries.get(input);
  if (known) return known;
  let byEnd = snapshotFigureMemo.get(input.startSnapshots);
  if (!byEnd) snapshotFigureMemo.set(input.startSnapshots, (byEnd = new WeakMap()));
  const key = JSON.stringify([input.period, input.buckets, input.rollBy ?? 'balance']);
  let memo = byEnd.get(input.endSnapshots);
  if (memo?.key !== key) {
    memo = { key, figures: summarySnapshotFigures(input) };
    byEnd.set(input.endSnapshots, memo);
  }
  const summary = dashboardSummaryWith(input, memo.figures);
  summaries.set(input, summary);
  return summary;
}

/**
 * The summary of the request. The ledger's business date, once the positions exist (the
 * manager's dashboard is in use), takes its snapshot figures summed by SQLite
 * (readSummaryInput), so a cold first dashboard turns no snapshot row into an object; an
 * earlier date computes from the snapshot rows. Kept while nothing in the ledger changed.
 */
function dashboardSummaryFor(
  ledger: Ledger,
  today: IsoDate,
  req: DashboardRequest,
): { period: Period; summary: DashboardSummary } {
  const asOf = resolveDate(req.asOf, today);
  ensureClosedDaySnapshots(ledger, today);
  const { db } = ledger;
  const branchToday = asOf === today && req.officerId === undefined;
  const result = cached(
    db,
    `summary:${asOf}:${today}:${req.officerId ?? ''}`,
    ledgerChangeStamp(db),
    () => {
      if (asOf === today && positionsValidOn(db) !== null) {
        // After a restart: the summary kept in the ledger, valid while nothing changed.
        const kept = branchToday ? readKeptSummary(ledger, today) : null;
        if (kept !== null) return kept;
        const { input, figures } = readSummaryInput(ledger, today, req.officerId);
        return { period: input.period, summary: dashboardSummaryWith(input, figures) };
      }
      const input = dashboardInput(ledger, today, req);
      return { period: input.period, summary: dashboardSummary(input) };
    },
  );
  if (branchToday) noteBranchSummary(ledger, today, result);
  return result;
}

/**
 * Computes today's branch dashboard into the kept reads (dashboard-cache.ts), as the
 * morning refresh does on a ledger whose dashboard is used: the manager's first dashboard
 * of the day then reads nothing whole again. The summary is also kept in the ledger.
 */
export function warmDashboard(ledger: Ledger, today: IsoDate): void {
  const result = dashboardSummaryFor(ledger, today, {});
  // Kept in the ledger too: a restart later in the day reads it (kept-summary.ts).
  keepSummary(ledger, today, result);
}

/** How the cases behind a figure need the period's contacts (the rows only where counted). */
function contactsFor(figure: DashboardFigure): 'rows' | 'none' {
  if (figure.figure === 'ptp') return 'rows';
  if (
    figure.figure === 'officer' &&
    (figure.measure === 'contacts' ||
      figure.measure === 'effectiveContacts' ||
      figure.measure === 'rightPartyContacts')
  ) {
    return 'rows';
  }
  return 'none';
}

export function managerDashboard(
  ledger: Ledger,
  today: IsoDate,
  req: DashboardRequest,
): ManagerDashboard {
  const { period, summary } = dashboardSummaryFor(ledger, today, req);
  const officers = stmt<{ id: string; name: string; role: UserRole }>(
    ledger.db,
    // Every active officer, and anyone else open cases are with (a manager holding the
    // cases an import could not give to an officer), so each row has a name.
    `SELECT id, name, role FROM users
      WHERE (role = 'officer' AND active = 1)
         OR id IN (SELECT DISTINCT officer_id FROM cases WHERE status = 'open')
      ORDER BY login`,
  ).all();
  return {
    asOf: period.to,
    period,
    rollFrom: dashboardPeriod(period.to).startDate,
    officerId: req.officerId ?? null,
    officers,
    dashboard: summary,
  };
}

/** Every case id behind one number, in worklist order (priority, then id). */
export function caseIdsBehind(
  ledger: Ledger,
  today: IsoDate,
  req: DashboardRequest & { figure: DashboardFigure },
): string[] {
  const input = dashboardInput(ledger, today, req, contactsFor(req.figure));
  let ids: string[];
  try {
    ids = casesBehind(input, req.figure);
  } catch (err) {
    if (err instanceof RangeError) {
      throw new AppError('invalid_input', err.message, {
        field: 'figure',
        reason: 'unknown_figure',
      });
    }
    throw err;
  }
  return orderCaseIds(ledger.db, ids);
}

export function casesBehindPage(
  ledger: Ledger,
  today: IsoDate,
  req: DashboardRequest & { figure: DashboardFigure; offset: number; limit: number },
): WorklistPage {
  const ids = caseIdsBehind(ledger, today, req);
  const page = ids.slice(req.offset, req.offset + req.limit);
  return { rows: worklistRowsByIds(ledger.db, page), total: ids.length, asOf: today };
}
