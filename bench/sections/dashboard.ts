// The branch manager's dashboard for 50,000 cases, end to end through dispatch (role
// check, SQL reads, closed-day snapshots, loan positions, metrics): target < 500 ms
// (issue 6). Uses the bench ledger bench/sections/bench-ledger.ts builds under .data/bench/
// (same spec and file, so whichever section runs first builds it once), measured on copies.
//
// "First call of the day" is the manager opening the ledger in the morning: yesterday's
// dashboard left the loan positions valid on 27 Nov, the night's sync changed the money
// of DIRTY_OVERNIGHT cases, and the ledger was closed (SQLite's page cache empty). The
// call writes the 27 Nov snapshot from the positions, recomputes the loans that changed or
// reached an instalment date, and computes the dashboard. "First use" is a ledger that
// never had a dashboard: every position computed from schedules and payments, twice
// (the previous month end and yesterday), once per ledger.
import fs from 'node:fs';
import path from 'node:path';
import type { CallContext } from '../../shared/api/contract';
import { openCaseLedger, type CaseLedger } from '../../electron/ledger/index';
import { clockStartingAt } from '../../electron/ledger/clock';
import { ensureClosedDaySnapshots } from '../../electron/ledger/manager/snapshots';
import { sample, type BenchSection, type Measurement } from '../lib';
import { BENCH_DIR, call, discardBenchCopy, openBenchLedgerCopy, SPEC } from './bench-ledger';

const TARGET = { stat: 'median', ms: 500 } as const;
/** Cases whose payments or schedules changed overnight (a busy branch day). */
const DIRTY_OVERNIGHT = 500;
const COLD_RUNS = 3;

interface Roles {
  ctx: CallContext;
  officerIds: string[];
}

function roles(ledger: CaseLedger): Roles {
  const managerId = ledger.db
    .prepare(
      `SELECT id FROM users WHERE role IN ('manager', 'admin') AND active = 1 ORDER BY login LIMIT 1`,
    )
    .pluck()
    .get() as string | undefined;
  if (!managerId) throw new Error('the bench ledger has no manager');
  const officerIds = ledger.db
    .prepare(`SELECT id FROM users WHERE role = 'officer' AND active = 1 ORDER BY login`)
    .pluck()
    .all() as string[];
  return { ctx: { userId: managerId }, officerIds };
}

function reopen(file: string, key: Buffer): CaseLedger {
  return openCaseLedger({
    file,
    key,
    keyStorage: 'dev-key-file',
    clock: clockStartingAt(`${SPEC.today}T10:00:00+08:00`),
  });
}

function copyLedger(from: string, to: string): void {
  discardBenchCopy(to);
  fs.copyFileSync(from, to);
}

const ms = (t0: number): number => performance.now() - t0;

export const dashboardSection: BenchSection = {
  name: 'dashboard',
  description:
    "branch manager's dashboard on the 50,000-case ledger (dispatch: role check + SQL + metrics)",
  async run(): Promise<Measurement[]> {
    const primed = path.join(BENCH_DIR, 'work-dashboard-primed.db');
    const work = path.join(BENCH_DIR, 'work-dashboard.db');
    const { ledger: first, key, work: firstFile } = openBenchLedgerCopy('work-dashboard-first.db');
    const out: Measurement[] = [];
    try {
      // First use: no positions yet.
      const { ctx } = roles(first);
      const t0 = performance.now();
      await call(first, ctx, 'manager.dashboard', {});
      const firstUse = ms(t0);
      console.log(`  first dashboard ever on this ledger (builds every position): ${firstUse.toFixed(0)} ms`);
      out.push({ label: 'first dashboard ever (builds positions; once)', samplesMs: [firstUse] });
    } finally {
      first.close();
      discardBenchCopy(firstFile);
    }

    // Yesterday's dashboard, then a night of changes, on a file every cold run copies.
    const { ledger: prep, work: prepFile } = openBenchLedgerCopy('work-dashboard-prep.db');
    try {
      ensureClosedDaySnapshots(prep.ledger, '2026-11-27');
      prep.db
        .prepare(
          `INSERT OR IGNORE INTO dashboard_dirty_cases (case_id)
           SELECT id FROM cases ORDER BY substr(id, -6) LIMIT ?`,
        )
        .run(DIRTY_OVERNIGHT);
      prep.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      prep.close();
    }
    copyLedger(prepFile, primed);
    discardBenchCopy(prepFile);

    const cold: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      copyLedger(primed, work);
      const ledger = reopen(work, key);
      try {
        const { ctx } = roles(ledger);
        const t0 = performance.now();
        await call(ledger, ctx, 'manager.dashboard', {});
        cold.push(ms(t0));
      } finally {
        ledger.close();
      }
    }
    out.push({
      label: `first call of the day (cold; ${DIRTY_OVERNIGHT} cases changed overnight)`,
      samplesMs: cold,
      target: TARGET,
    });

    copyLedger(primed, work);
    const ledger = reopen(work, key);
    try {
      const { ctx, officerIds } = roles(ledger);
      await call(ledger, ctx, 'manager.dashboard', {});
      const warm = await sample(10, 2, () => call(ledger, ctx, 'manager.dashboard', {}));
      out.push({ label: 'warm call, whole branch', samplesMs: warm, target: TARGET });
      const caseIds = ledger.db
        .prepare(
          `SELECT id, officer_id FROM cases WHERE status = 'open' AND flag_do_not_contact = 0
           ORDER BY priority_score DESC LIMIT 40`,
        )
        .all() as { id: string; officer_id: string }[];
      const afterContact = await sample(
        8,
        1,
        () => call(ledger, ctx, 'manager.dashboard', {}),
        async (i) => {
          const c = caseIds[i % caseIds.length]!;
          await call(
            ledger,
            { userId: c.officer_id },
            'contact.record',
            { caseId: c.id, channel: 'call', party: 'borrower', outcome: 'no_answer' },
          );
        },
      );
      out.push({ label: 'after recording a contact', samplesMs: afterContact, target: TARGET });
      const afterPayment = await sample(
        8,
        1,
        () => call(ledger, ctx, 'manager.dashboard', {}),
        async (i) => {
          const c = caseIds[(i + 20) % caseIds.length]!;
          await call(
            ledger,
            { userId: c.officer_id },
            'payment.record',
            { caseId: c.id, amountFen: 10_000, method: 'cash' },
          );
        },
      );
      out.push({ label: 'after recording a payment', samplesMs: afterPayment, target: TARGET });
      const officer = await sample(10, 2, (i) =>
        call(ledger, ctx, 'manager.dashboard', { officerId: officerIds[i % officerIds.length] }),
      );
      out.push({ label: 'dashboard, one officer', samplesMs: officer });
      const drill = await sample(10, 2, () =>
        call(ledger, ctx, 'manager.casesBehind', {
          figure: { figure: 'par', days: 30 },
          limit: 50,
        }),
      );
      out.push({ label: 'cases behind PAR30, first page', samplesMs: drill });
      printLedgerSize(ledger);
    } finally {
      ledger.close();
      discardBenchCopy(work);
      discardBenchCopy(primed);
    }
    return out;
  },
};

/** What the ledger holds after the run (printed once, to read the figures against). */
function printLedgerSize(ledger: CaseLedger): void {
  const n = (sql: string): number => ledger.db.prepare(sql).pluck().get() as number;
  console.log(
    `  ledger: ${n('SELECT count(*) FROM loans').toLocaleString('en')} loans, ` +
      `${n('SELECT count(*) FROM facts').toLocaleString('en')} facts, ` +
      `${n("SELECT count(*) FROM contacts WHERE business_date >= '2026-11-01'").toLocaleString('en')} contacts this month`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatMeasurement } = await import('../lib');
  for (const m of await dashboardSection.run()) console.log(formatMeasurement(m));
}
