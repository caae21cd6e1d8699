// Benchmark: the whole portfolio import of a 100,000-row GBK CSV (read, validate, preview,
// then the second pass writing every valid row in one transaction and refreshing derived
// state) into a fresh desktop ledger; with --server also into the server on PGlite.
// Target: < 15 s, memory flat (rows stream; RSS is sampled at every progress report).
// Run alone: npx tsx bench/import-write.ts [rows] [--server]
import crypto from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixedClock } from '../electron/ledger/clock';
import { openLedger } from '../electron/ledger/db';
import { importPortfolioIntoLedger } from '../electron/ledger/import';
import { bindLedger } from '../electron/ledger/ledger';
import { migrate } from '../electron/ledger/migrations';
import { initBranch } from '../electron/ledger/seed';
import { inspectPortfolio, previewPortfolio } from '../shared/node/portfolio-import';
import { migrateUp } from '../server/db/migrate';
import { openPgliteDatabase } from '../server/db/pglite-database';
import { createBranch } from '../server/model/branches';
import { writePortfolioImport } from '../server/portfolio/import-writer';
import { generateGbkCsv } from './import-read';
import type { BenchSection } from './lib';

const TARGET_SECONDS = 15;
const MB = 1024 * 1024;
const AS_OF = '2026-11-20';
const OFFICERS = Array.from({ length: 12 }, (_, i) => `OF${String(i + 1).padStart(3, '0')}`);

export interface ImportWriteResult {
  target: 'ledger' | 'server (PGlite)';
  rows: number;
  loans: number;
  previewSeconds: number;
  writeSeconds: number;
  totalSeconds: number;
  withinTarget: boolean;
  rssStartMb: number;
  /** Peak RSS at 25/50/75/100 % of the rows written: flat when streaming works. */
  rssQuartersMb: number[];
  peakRssMb: number;
}

function rssSampler(total: number): {
  sample(done: number): void;
  quarters: number[];
  peak(): number;
} {
  const quarters: number[] = [];
  let peak = process.memoryUsage().rss;
  let quarterPeak = 0;
  let next = Math.ceil(total / 4);
  return {
    sample(done) {
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      quarterPeak = Math.max(quarterPeak, rss);
      if (done >= next) {
        quarters.push(Math.round(quarterPeak / MB));
        quarterPeak = 0;
        next += Math.ceil(total / 4);
      }
    },
    quarters,
    peak: () => Math.round(peak / MB),
  };
}

async function previewFile(
  file: string,
): Promise<{ preview: Awaited<ReturnType<typeof previewPortfolio>>; seconds: number }> {
  const started = performance.now();
  const inspection = await inspectPortfolio(file, { sampleSize: 0 });
  const preview = await previewPortfolio(file, {
    mapping: inspection.mapping,
    readOptions: inspection.readOptions,
    context: {
      asOfDate: AS_OF,
      officers: OFFICERS.map((code) => ({ code })),
      unknownOfficer: 'warning',
    },
    sampleSize: 0,
  });
  return { preview, seconds: (performance.now() - started) / 1000 };
}

export async function benchLedgerImport(
  file: string,
  dir: string,
  rows: number,
): Promise<ImportWriteResult> {
  const db = openLedger({ file: join(dir, 'bench-ledger.db'), key: crypto.randomBytes(32) });
  migrate(db);
  const managerId = crypto.randomUUID();
  initBranch(db, {
    branch: {
      id: crypto.randomUUID(),
      code: 'PA01',
      name: '平安县支行',
      county: '平安县',
      timezone: 'Asia/Shanghai',
      policyPackId: 'cn-default',
    },
    users: [
      { id: managerId, login: 'manager', name: '张敏', role: 'manager' },
      ...OFFICERS.map((code) => ({
        id: crypto.randomUUID(),
        login: code,
        name: code,
        role: 'officer' as const,
      })),
    ],
    currentUserId: managerId,
    demo: false,
  });
  const ledger = bindLedger(db, fixedClock('2026-11-20T02:00:00Z'));
  try {
    const rssStart = Math.round(process.memoryUsage().rss / MB);
    const { preview, seconds: previewSeconds } = await previewFile(file);
    const rss = rssSampler(rows);
    const started = performance.now();
    const result = await importPortfolioIntoLedger(
      ledger,
      file,
      preview,
      { actorId: managerId, validOnly: true },
      {
        onProgress: (p) => rss.sample(p.rowsRead),
      },
    );
    const writeSeconds = (performance.now() - started) / 1000;
    rss.sample(rows);
    return summary(
      'ledger',
      rows,
      result.loansCreated + result.loansUpdated,
      previewSeconds,
      writeSeconds,
      rssStart,
      rss,
    );
  } finally {
    db.close();
  }
}

export async function benchServerImport(
  file: string,
  dir: string,
  rows: number,
): Promise<ImportWriteResult> {
  const db = await openPgliteDatabase({ dataDir: join(dir, 'bench-pglite') });
  try {
    await migrateUp(db);
    const branch = await db.transaction((tx) =>
      createBranch(tx, { code: 'PA01', name: '平安县支行' }),
    );
    const rssStart = Math.round(process.memoryUsage().rss / MB);
    const { preview, seconds: previewSeconds } = await previewFile(file);
    const rss = rssSampler(rows);
    const started = performance.now();
    const result = await writePortfolioImport(db, file, preview, {
      branchId: branch.id,
      assignedBy: 'bench',
      full: false,
      officerIds: new Map(),
      onProgress: (p) => rss.sample(p.rowsRead),
    });
    const writeSeconds = (performance.now() - started) / 1000;
    rss.sample(rows);
    return summary(
      'server (PGlite)',
      rows,
      result.loansCreated + result.loansUpdated,
      previewSeconds,
      writeSeconds,
      rssStart,
      rss,
    );
  } finally {
    await db.close();
  }
}

function summary(
  target: ImportWriteResult['target'],
  rows: number,
  loans: number,
  previewSeconds: number,
  writeSeconds: number,
  rssStartMb: number,
  rss: ReturnType<typeof rssSampler>,
): ImportWriteResult {
  const totalSeconds = previewSeconds + writeSeconds;
  return {
    target,
    rows,
    loans,
    previewSeconds: round(previewSeconds),
    writeSeconds: round(writeSeconds),
    totalSeconds: round(totalSeconds),
    withinTarget: totalSeconds < TARGET_SECONDS,
    rssStartMb,
    rssQuartersMb: rss.quarters,
    peakRssMb: rss.peak(),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function print(r: ImportWriteResult): void {
  console.log(
    `\nimport into the ${r.target}: ${r.rows.toLocaleString('en-US')} rows → ${r.loans.toLocaleString('en-US')} loans`,
  );
  console.log(`  preview (read + validate)  ${r.previewSeconds} s`);
  console.log(`  write (one transaction)    ${r.writeSeconds} s`);
  console.log(
    `  total                      ${r.totalSeconds} s   target < ${TARGET_SECONDS} s: ${r.withinTarget ? 'within target' : 'OVER TARGET'}`,
  );
  console.log(
    `  RSS                        ${r.rssStartMb} MB at start; peak per quarter of the rows ${r.rssQuartersMb.join(' / ')} MB; peak ${r.peakRssMb} MB`,
  );
}

export async function runImportWriteBench(
  options: { rows?: number; server?: boolean; print?: boolean } = {},
): Promise<ImportWriteResult[]> {
  const rows = options.rows ?? 100_000;
  const dir = await mkdtemp(join(tmpdir(), 'fieldbook-bench-import-write-'));
  try {
    const file = join(dir, 'portfolio-gbk.csv');
    await generateGbkCsv(file, rows);
    if (options.print !== false)
      console.log(
        `file: ${(await stat(file)).size / MB > 0 ? ((await stat(file)).size / MB).toFixed(1) : 0} MB GBK CSV`,
      );
    const results = [await benchLedgerImport(file, dir, rows)];
    if (options.print !== false) print(results[0] as ImportWriteResult);
    if (options.server) {
      results.push(await benchServerImport(file, dir, rows));
      if (options.print !== false) print(results[1] as ImportWriteResult);
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** For bench/run.ts: one timed run into the ledger (a 100k-row import is its own warm-up). */
export const importWriteSection: BenchSection = {
  name: 'import-write',
  description:
    'portfolio import, 100,000-row GBK CSV previewed and written into a fresh desktop ledger (target < 15 s, memory flat)',
  async run() {
    const [ledger] = await runImportWriteBench();
    return [
      {
        label: 'preview + write 100k rows into the ledger',
        samplesMs: [(ledger?.totalSeconds ?? Number.NaN) * 1000],
        target: { stat: 'median', ms: TARGET_SECONDS * 1000 },
      },
    ];
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rowsArg = process.argv.slice(2).find((a) => /^\d+$/.test(a));
  await runImportWriteBench({
    ...(rowsArg ? { rows: Number(rowsArg) } : {}),
    server: process.argv.includes('--server'),
  });
}
