// Diagnostic (not a registered section): the first dashboard computed after reopening the
// 50,000-case bench ledger on the same day (its kept summary forgotten), phase by phase,
// wall and CPU time.
//   npx tsx bench/sections/dashboard-reopen.ts [runs]
// Keeps a primed copy (derived state, positions and snapshots current for the bench date)
// in .data/bench/work-dashboard-reopen-primed.db between runs; delete it to prime again.
import fs from 'node:fs';
import path from 'node:path';
import { openCaseLedger, type CaseLedger } from '../../electron/ledger/index';
import { clockStartingAt } from '../../electron/ledger/clock';
import { loadOrCreateDevKey } from '../../electron/ledger/key-file';
import { dashboardSummaryWith, portfolioDashboard } from '../../shared/domain/portfolio';
import {
  dashboardPeriod,
  readContactTally,
  readOverrides,
  readPayments,
  readPromises,
  activeOfficerIds,
  readCaseCountsToday,
  readDashboardInput,
} from '../../electron/ledger/manager/dashboard-input';
import { snapshotFiguresFromPositions } from '../../electron/ledger/manager/snapshot-figures';
import { withoutDashboardCache } from '../../electron/ledger/manager/dashboard-cache';
import { ensureClosedDaySnapshots } from '../../electron/ledger/manager/snapshots';
import { startCpuProfile } from '../lib';
import { BENCH_DIR, call, discardBenchCopy, openBenchLedgerCopy, SPEC } from './bench-ledger';

const runs = Number(process.argv[2] ?? 3);

const primed = path.join(BENCH_DIR, 'work-dashboard-reopen-primed.db');
const work = path.join(BENCH_DIR, 'work-dashboard-reopen.db');

function managerCtx(l: CaseLedger): { userId: string } {
  const id = l.db
    .prepare(
      `SELECT id FROM users WHERE role IN ('manager','admin') AND active = 1 ORDER BY login LIMIT 1`,
    )
    .pluck()
    .get() as string;
  return { userId: id };
}

if (!fs.existsSync(primed)) {
  const { ledger, work: w } = openBenchLedgerCopy('work-dashboard-reopen-prep.db');
  const t0 = performance.now();
  await call(ledger, managerCtx(ledger), 'manager.dashboard', {});
  console.log(`  primed (first dashboard ever): ${(performance.now() - t0).toFixed(0)} ms`);
  ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  ledger.close();
  fs.copyFileSync(w, primed);
  discardBenchCopy(w);
}

function reopen(): CaseLedger {
  return openCaseLedger({
    file: work,
    key: openKey(),
    keyStorage: 'dev-key-file',
    clock: clockStartingAt(`${SPEC.today}T10:00:00+08:00`),
  });
}
let keyBuf: Buffer | null = null;
function openKey(): Buffer {
  if (keyBuf) return keyBuf;
  return (keyBuf = loadOrCreateDevKey(BENCH_DIR).key);
}
openKey();

function timed<T>(label: string, fn: () => T): T {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const n = Array.isArray(r) ? ` (${r.length} rows)` : '';
  console.log(
    `  ${label.padEnd(44)} wall ${wall.toFixed(0).padStart(5)} ms  cpu ${((c.user + c.system) / 1000).toFixed(0).padStart(5)} ms${n}`,
  );
  return r;
}

const mode = process.env.REOPEN_MODE ?? 'both';
for (let i = 0; i < runs; i++) {
  if (mode === 'both' || mode === 'whole') {
    discardBenchCopy(work);
    fs.copyFileSync(primed, work);
    const l = reopen();
    try {
      // The cold computation: without the summary the ledger kept when the primed copy closed.
      l.db.prepare('DELETE FROM dashboard_kept_summary').run();
      const ctx = managerCtx(l);
      // REOPEN_PROFILE=<file>: a V8 CPU profile of the first dashboard.
      const profile = process.env.REOPEN_PROFILE ? await startCpuProfile() : null;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await call(l, ctx, 'manager.dashboard', {});
      const c = process.cpuUsage(c0);
      if (profile) await profile.stop(process.env.REOPEN_PROFILE!);
      console.log(
        `run ${i + 1}: reopened same day, first dashboard: wall ${(performance.now() - t0).toFixed(0)} ms, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms`,
      );
    } finally {
      l.close();
    }
  }
  if (mode === 'both' || mode === 'phases') {
    discardBenchCopy(work);
    fs.copyFileSync(primed, work);
    const l = reopen();
    try {
      const ledger = l.ledger;
      const db = ledger.db;
      const today = SPEC.today;
      const { from, to, startDate } = dashboardPeriod(today);
      console.log(`run ${i + 1}: phases, cold`);
      timed('ensureClosedDaySnapshots', () => ensureClosedDaySnapshots(ledger, today));
      const figures = timed('snapshot figures (SQL from positions)', () =>
        snapshotFiguresFromPositions(ledger, {
          asOf: today,
          startDate,
          buckets: ledger.policy.buckets,
          rollBy: 'balance',
        }),
      );
      const { cases, caseTally } = timed('cases (counted, sums kept with the positions)', () =>
        readCaseCountsToday(ledger, today, from),
      );
      const contactTally = timed('contact tally', () => readContactTally(ledger, from, to));
      const promises = timed('promises (+ status)', () =>
        readPromises(ledger, from, to, ledger.policy.promiseGraceDays),
      );
      const payments = timed('payments', () => readPayments(ledger, from, to));
      const overrides = timed('overrides', () => readOverrides(ledger, to));
      const input = {
        period: { from, to },
        buckets: ledger.policy.buckets,
        graceDays: ledger.policy.promiseGraceDays,
        startSnapshots: [],
        endSnapshots: [],
        cases,
        caseTally,
        facts: { contacts: [], contactTally, promises, payments, overrides },
        officerIds: activeOfficerIds(ledger),
      };
      timed('dashboardSummaryWith (pure, rest)', () => dashboardSummaryWith(input, figures));
      const rows = timed('the rows path (old): dashboardInput', () =>
        withoutDashboardCache(db, () => readDashboardInput(ledger, { asOf: today, today })),
      );
      timed('the rows path: portfolioDashboard', () => portfolioDashboard(rows));
    } finally {
      l.close();
    }
  }
}
discardBenchCopy(work);
