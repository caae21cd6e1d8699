// The branch manager's dashboard for 50,000 cases, end to end through dispatch (role
// check, SQL reads, snapshot of the previous month end, metrics): target < 500 ms (issue 6).
// Uses the bench ledger bench/sections/ledger.ts builds under .data/bench/ (same spec and
// file, so whichever section runs first builds it once), measured on a copy.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { dispatch } from '../../shared/api/dispatch';
import type { CallContext, OpName } from '../../shared/api/contract';
import { openCaseLedger, type CaseLedger } from '../../electron/ledger/index';
import { clockStartingAt } from '../../electron/ledger/clock';
import { writeDemoLedgerFile } from '../../electron/ledger/demo/ensure-demo';
import { loadOrCreateDevKey } from '../../electron/ledger/key-file';
import { LEDGER_SCHEMA_VERSION, migrate } from '../../electron/ledger/migrations';
import { sample, type BenchSection, type Measurement } from '../lib';

const BENCH_DIR = path.resolve('.data/bench');

// Kept identical to bench/sections/ledger.ts (which does not export them yet): the same
// spec string means the same cached ledger file.
function schemaFingerprint(): string {
  const db = new Database(':memory:');
  try {
    migrate(db);
    const sql = db
      .prepare(
        `SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name)`,
      )
      .pluck()
      .get() as string;
    return crypto.createHash('sha256').update(sql).digest('hex').slice(0, 16);
  } finally {
    db.close();
  }
}

const SPEC = {
  cases: 50_000,
  seed: 1,
  officers: 12,
  activity: 1.6,
  today: '2026-11-28',
  generator: 2,
  schema: `${LEDGER_SCHEMA_VERSION}:${schemaFingerprint()}`,
};

function ensureBenchLedger(key: Buffer): string {
  const file = path.join(BENCH_DIR, 'ledger-50k.db');
  const specFile = path.join(BENCH_DIR, 'ledger-50k.json');
  const wanted = JSON.stringify(SPEC);
  if (
    fs.existsSync(file) &&
    fs.existsSync(specFile) &&
    fs.readFileSync(specFile, 'utf8') === wanted
  )
    return file;
  console.log(`  building ${SPEC.cases.toLocaleString('en')} cases in ${file} (once) ...`);
  fs.rmSync(specFile, { force: true });
  const summary = writeDemoLedgerFile({ file, key, ...SPEC });
  fs.writeFileSync(specFile, wanted);
  console.log(
    `  built: ${summary.facts.toLocaleString('en')} facts in ${(summary.ms / 1000).toFixed(1)} s`,
  );
  return file;
}

async function call(
  ledger: CaseLedger,
  ctx: CallContext,
  op: OpName,
  input: unknown,
): Promise<unknown> {
  const result = await dispatch(ledger.handlers, op, input, ctx);
  if (!result.ok) throw new Error(`${op} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

export const dashboardSection: BenchSection = {
  name: 'dashboard',
  description:
    "branch manager's dashboard on the 50,000-case ledger (dispatch: role check + SQL + metrics)",
  async run(): Promise<Measurement[]> {
    const { key } = loadOrCreateDevKey(BENCH_DIR);
    const base = ensureBenchLedger(key);
    const work = path.join(BENCH_DIR, 'work-dashboard.db');
    for (const f of [work, `${work}-wal`, `${work}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(base, work);
    const ledger = openCaseLedger({
      file: work,
      key,
      keyStorage: 'dev-key-file',
      clock: clockStartingAt(`${SPEC.today}T10:00:00+08:00`),
    });
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
      for (const f of [work, `${work}-wal`, `${work}-shm`]) fs.rmSync(f, { force: true });
    }
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatMeasurement } = await import('../lib');
  for (const m of await dashboardSection.run()) console.log(formatMeasurement(m));
}
