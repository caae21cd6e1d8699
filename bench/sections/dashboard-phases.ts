// Times each phase of the manager dashboard on a copy of the 50,000-case bench ledger (a
// diagnostic, not a registered section): `npx tsx bench/sections/dashboard-phases.ts`.
// The first dashboard builds the loan positions; the phases are then timed warm.
import { portfolioDashboard } from '../../shared/domain/portfolio';
import { dashboardInput } from '../../electron/ledger/manager/dashboard';
import {
  dashboardPeriod,
  readCases,
  readContactTally,
  readOverrides,
  readPayments,
  readPromises,
} from '../../electron/ledger/manager/dashboard-input';
import { positionSnapshots } from '../../electron/ledger/manager/loan-positions';
import { ensureClosedDaySnapshots, readSnapshots } from '../../electron/ledger/manager/snapshots';
import { discardBenchCopy, openBenchLedgerCopy, SPEC } from './bench-ledger';

const { ledger: caseLedger, work } = openBenchLedgerCopy('phases-dashboard.db');
const ledger = caseLedger.ledger;
const db = ledger.db;
function t<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const r = fn();
  const n = Array.isArray(r) ? ` (${r.length} rows)` : '';
  console.log(`  ${label.padEnd(40)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms${n}`);
  return r;
}
try {
  const today = SPEC.today;
  const { from, to, startDate } = dashboardPeriod(today);
  t('first dashboard (builds positions)', () => dashboardInput(ledger, today, {}));
  for (let round = 0; round < 2; round++) {
    console.log(`round ${round + 1}`);
    t('ensureClosedDaySnapshots (nothing to do)', () => ensureClosedDaySnapshots(ledger, today));
    t('start snapshots (stored)', () => readSnapshots(db, startDate));
    const end = t('end snapshots (positions)', () => positionSnapshots(ledger, today));
    t('cases', () => readCases(ledger, today, today, end));
    t('contact tally', () => readContactTally(ledger, from, to));
    t('promises (+ status)', () => readPromises(ledger, from, to, ledger.policy.promiseGraceDays));
    t('payments', () => readPayments(ledger, from, to));
    t('overrides', () => readOverrides(ledger, to));
    const input = t('dashboardInput (all of the above)', () => dashboardInput(ledger, today, {}));
    t('portfolioDashboard (pure)', () => portfolioDashboard(input));
  }
  for (const sql of [
    `SELECT id, officer_id, status, last_contact_on FROM cases WHERE opened_on <= '2026-11-28'`,
    `SELECT p.fact_id, f.recorded_by FROM promises p INDEXED BY promises_made_on_cover JOIN facts f ON f.id = p.fact_id WHERE p.made_on >= '2026-11-01'`,
    `SELECT p.fact_id, f.recorded_by FROM payments p JOIN facts f ON f.id = p.fact_id WHERE p.paid_on >= '2026-11-01'`,
  ]) {
    console.log(sql.slice(0, 90));
    for (const r of db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
      console.log(`    ${r.detail}`);
  }
} finally {
  caseLedger.close();
  discardBenchCopy(work);
}
