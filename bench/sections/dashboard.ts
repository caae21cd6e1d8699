// The branch manager's dashboard for 50,000 cases, end to end through dispatch (role
// check, SQL reads, snapshot of the previous month end, metrics): target < 500 ms (issue 6).
// Uses the bench ledger bench/sections/bench-ledger.ts builds under .data/bench/ (same spec and
// file, so whichever section runs first builds it once), measured on a copy.
import type { CallContext } from '../../shared/api/contract';
import { sample, type BenchSection, type Measurement } from '../lib';
import { call, discardBenchCopy, openBenchLedgerCopy } from './bench-ledger';

export const dashboardSection: BenchSection = {
  name: 'dashboard',
  description:
    "branch manager's dashboard on the 50,000-case ledger (dispatch: role check + SQL + metrics)",
  async run(): Promise<Measurement[]> {
    const { ledger, work } = openBenchLedgerCopy('work-dashboard.db');
    try {
      const managerId = ledger.db
        .prepare(
          `SELECT id FROM users WHERE role IN ('manager', 'admin') AND active = 1 ORDER BY login LIMIT 1`,
        )
        .pluck()
        .get() as string | undefined;
      if (!managerId) throw new Error('the bench ledger has no manager');
      const ctx: CallContext = { userId: managerId };
      const officerIds = ledger.db
        .prepare(`SELECT id FROM users WHERE role = 'officer' AND active = 1 ORDER BY login`)
        .pluck()
        .all() as string[];
      // First use on a new day writes yesterday's and the previous month end's snapshots.
      const t0 = performance.now();
      await call(ledger, ctx, 'manager.dashboard', {});
      const firstMs = performance.now() - t0;
      console.log(
        `  first dashboard of the day (writes 2 × 50,000 snapshot rows): ${firstMs.toFixed(0)} ms`,
      );
      const branch = await sample(20, 3, () => call(ledger, ctx, 'manager.dashboard', {}));
      const officer = await sample(20, 3, (i) =>
        call(ledger, ctx, 'manager.dashboard', { officerId: officerIds[i % officerIds.length] }),
      );
      const drill = await sample(20, 3, () =>
        call(ledger, ctx, 'manager.casesBehind', {
          figure: { figure: 'par', days: 30 },
          limit: 50,
        }),
      );
      return [
        {
          label: 'dashboard, whole branch, today (snapshots in place)',
          samplesMs: branch,
          target: { stat: 'median', ms: 500 },
        },
        { label: 'dashboard, one officer', samplesMs: officer },
        { label: 'cases behind PAR30, first page', samplesMs: drill },
        { label: 'first dashboard of a new day (writes snapshots)', samplesMs: [firstMs] },
      ];
    } finally {
      ledger.close();
      discardBenchCopy(work);
    }
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatMeasurement } = await import('../lib');
  for (const m of await dashboardSection.run()) console.log(formatMeasurement(m));
}
