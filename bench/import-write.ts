// Benchmark: the whole portfolio import of a 100,000-row GBK CSV (read, validate, preview,
// then the second pass writing every valid row in one transaction and refreshing derived
// state) into a fresh desktop ledger; with --server also into the server on PGlite.
// Target: < 15 s, memory flat (rows stream; RSS and heap are sampled at every progress
// report). CPU seconds are printed next to wall time: on a machine shared with other work
// they are the figure to compare between runs. --reimport also times importing the same
// file again into the filled ledger (the daily file: every loan known), and into the
// server too with --server.
// Run alone: npx tsx bench/import-write.ts [rows] [--server | --server-only] [--reimport]
//   [--statements] (the server import's wall time per kind of statement; with DATABASE_URL
//   the PostgreSQL backend's CPU is printed too) [--explain=N] (EXPLAIN (ANALYZE, BUFFERS)
//   of the Nth call of every server statement, i.e. the Nth chunk: a diagnostic run)
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
import type { Database } from '../server/db/database';
import { openPgDatabase } from '../server/db/pg-database';
import { openPgliteDatabase } from '../server/db/pglite-database';
import { createBranch } from '../server/model/branches';
import { writePortfolioImport } from '../server/portfolio/import-writer';
import { generateGbkCsv } from './import-read';
import type { BenchSection } from './lib';
import { probeDatabase, statCpuSeconds, type StatementTiming } from './server-import-probe';

const TARGET_SECONDS = 15;
const MB = 1024 * 1024;
const AS_OF = '2026-11-20';
const OFFICERS = Array.from({ length: 12 }, (_, i) => `OF${String(i + 1).padStart(3, '0')}`);

export interface ImportWriteResult {
  target:
    | 'ledger'
    | 'ledger, same file again'
    | 'server (PGlite)'
    | 'server (PostgreSQL)'
    | 'server (PGlite), same file again'
    | 'server (PostgreSQL), same file again';
  rows: number;
  loans: number;
  previewSeconds: number;
  writeSeconds: number;
  totalSeconds: number;
  /** CPU (user + system) of this process while the write ran. */
  writeCpuSeconds: number;
  /**
   * CPU of the main thread alone while the write ran (Linux; null elsewhere). The rest of
   * writeCpuSeconds ran on other threads (the import's row worker, libuv): on an idle
   * second core the write takes about max(main thread, worker) rather than their sum.
   */
  writeMainThreadCpuSeconds: number | null;
  /**
   * Server on PostgreSQL: CPU of the database backend that ran the import's transaction
   * (read from /proc, the server runs on this machine); null elsewhere.
   */
  backendCpuSeconds?: number | null;
  /** Server: wall time summed per kind of statement, slowest first. */
  statements?: StatementTiming[];
  /** How the write read its rows ('worker' or 'same-thread'). */
  rowSource?: string;
  withinTarget: boolean;
  /** Wall milliseconds per step of the write (ledger only). */
  steps: Record<string, number>;
  rssStartMb: number;
  /** Peak RSS at 25/50/75/100 % of the rows written: flat when streaming works. */
  rssQuartersMb: number[];
  peakRssMb: number;
  /** Peak V8 heap in use during the write. */
  peakHeapMb: number;
}

function rssSampler(total: number): {
  sample(done: number): void;
  quarters: number[];
  peak(): number;
  peakHeap(): number;
} {
  const quarters: number[] = [];
  let peak = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  let quarterPeak = 0;
  let next = Math.ceil(total / 4);
  return {
    sample(done) {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
      quarterPeak = Math.max(quarterPeak, m.rss);
      if (done >= next) {
        quarters.push(Math.round(quarterPeak / MB));
        quarterPeak = 0;
        next += Math.ceil(total / 4);
      }
    },
    quarters,
    peak: () => Math.round(peak / MB),
    peakHeap: () => Math.round(peakHeap / MB),
  };
}

/** CPU seconds of this process's main thread so far (its task has the process id), from /proc. */
const mainThreadCpu = (): number | null => statCpuSeconds(`/proc/self/task/${process.pid}/stat`);

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
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
  options: { reimport?: boolean } = {},
): Promise<ImportWriteResult[]> {
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
  const once = async (target: ImportWriteResult['target']): Promise<ImportWriteResult> => {
    const rssStart = Math.round(process.memoryUsage().rss / MB);
    const { preview, seconds: previewSeconds } = await previewFile(file);
    const rss = rssSampler(rows);
    let steps: Record<string, number> = {};
    let rowSource = '';
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpu();
    const started = performance.now();
    const result = await importPortfolioIntoLedger(
      ledger,
      file,
      preview,
      { actorId: managerId, validOnly: true },
      {
        onProgress: (p) => rss.sample(p.rowsRead),
        onTimings: (t) => {
          steps = t;
        },
        onRowSource: (mode) => {
          rowSource = mode;
        },
      },
    );
    const writeSeconds = (performance.now() - started) / 1000;
    const writeCpuSeconds = cpuSince(cpu);
    const mainCpuAfter = mainThreadCpu();
    rss.sample(rows);
    return summary({
      target,
      rows,
      loans: result.loansCreated + result.loansUpdated,
      previewSeconds,
      writeSeconds,
      writeCpuSeconds,
      writeMainThreadCpuSeconds:
        mainCpu !== null && mainCpuAfter !== null ? mainCpuAfter - mainCpu : null,
      rowSource,
      rssStart,
      rss,
      steps,
    });
  };
  try {
    const results = [await once('ledger')];
    if (options.reimport) results.push(await once('ledger, same file again'));
    return results;
  } finally {
    db.close();
  }
}

/** PostgreSQL in a throwaway schema when DATABASE_URL is set, else PGlite in `dir`. */
async function openServerDatabase(dir: string): Promise<{
  db: Database;
  target: 'server (PGlite)' | 'server (PostgreSQL)';
  drop(): Promise<void>;
}> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    const db = await openPgliteDatabase({ dataDir: join(dir, 'bench-pglite') });
    return { db, target: 'server (PGlite)', drop: async () => {} };
  }
  const schema = `bench_import_${process.pid}_${Date.now()}`;
  const db = await openPgDatabase({ connectionString: url, schema, maxConnections: 2 });
  return {
    db,
    target: 'server (PostgreSQL)',
    drop: async () => {
      await db.query(`drop schema if exists ${schema} cascade`);
    },
  };
}

export async function benchServerImport(
  file: string,
  dir: string,
  rows: number,
  options: { explainCall?: number; reimport?: boolean } = {},
): Promise<ImportWriteResult[]> {
  const { db, target, drop } = await openServerDatabase(dir);
  try {
    await migrateUp(db);
    const branch = await db.transaction((tx) =>
      createBranch(tx, { code: 'PA01', name: '平安县支行' }),
    );
    const once = async (
      label: ImportWriteResult['target'],
      explainCall?: number,
    ): Promise<ImportWriteResult> => {
      const rssStart = Math.round(process.memoryUsage().rss / MB);
      const { preview, seconds: previewSeconds } = await previewFile(file);
      const rss = rssSampler(rows);
      const probe = probeDatabase(db, explainCall !== undefined ? { explainCall } : {});
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await writePortfolioImport(probe.db, file, preview, {
        branchId: branch.id,
        assignedBy: 'bench',
        full: false,
        officerIds: new Map(),
        onProgress: (p) => rss.sample(p.rowsRead),
      });
      const writeSeconds = (performance.now() - started) / 1000;
      const writeCpuSeconds = cpuSince(cpu);
      rss.sample(rows);
      return summary({
        target: label,
        rows,
        loans: result.loansCreated + result.loansUpdated,
        previewSeconds,
        writeSeconds,
        writeCpuSeconds,
        writeMainThreadCpuSeconds: null,
        backendCpuSeconds: probe.backendCpuSeconds(),
        statements: probe.statements(),
        rssStart,
        rss,
        steps: {},
      });
    };
    const results = [await once(target, options.explainCall)];
    // The daily file: every loan known, every snapshot already there for the file's date.
    if (options.reimport)
      results.push(await once(`${target}, same file again` as const, options.explainCall));
    return results;
  } finally {
    await drop();
    await db.close();
  }
}

function summary(m: {
  target: ImportWriteResult['target'];
  rows: number;
  loans: number;
  previewSeconds: number;
  writeSeconds: number;
  writeCpuSeconds: number;
  writeMainThreadCpuSeconds: number | null;
  backendCpuSeconds?: number | null;
  statements?: StatementTiming[];
  rowSource?: string;
  rssStart: number;
  rss: ReturnType<typeof rssSampler>;
  steps: Record<string, number>;
}): ImportWriteResult {
  const totalSeconds = m.previewSeconds + m.writeSeconds;
  return {
    target: m.target,
    rows: m.rows,
    loans: m.loans,
    previewSeconds: round(m.previewSeconds),
    writeSeconds: round(m.writeSeconds),
    totalSeconds: round(totalSeconds),
    writeCpuSeconds: round(m.writeCpuSeconds),
    writeMainThreadCpuSeconds:
      m.writeMainThreadCpuSeconds === null ? null : round(m.writeMainThreadCpuSeconds),
    ...(m.backendCpuSeconds !== undefined ? { backendCpuSeconds: m.backendCpuSeconds } : {}),
    ...(m.statements ? { statements: m.statements } : {}),
    ...(m.rowSource ? { rowSource: m.rowSource } : {}),
    withinTarget: totalSeconds < TARGET_SECONDS,
    steps: m.steps,
    rssStartMb: m.rssStart,
    rssQuartersMb: m.rss.quarters,
    peakRssMb: m.rss.peak(),
    peakHeapMb: m.rss.peakHeap(),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function print(r: ImportWriteResult, showStatements: boolean): void {
  console.log(
    `\nimport into the ${r.target}: ${r.rows.toLocaleString('en-US')} rows → ${r.loans.toLocaleString('en-US')} loans`,
  );
  console.log(`  preview (read + validate)  ${r.previewSeconds} s`);
  console.log(
    `  write (one transaction)    ${r.writeSeconds} s   (CPU ${r.writeCpuSeconds} s in this process${
      r.writeMainThreadCpuSeconds === null
        ? ''
        : `, ${r.writeMainThreadCpuSeconds} s on its main thread`
    }${r.rowSource ? `; rows read ${r.rowSource === 'worker' ? 'in a worker thread' : 'on the main thread'}` : ''})`,
  );
  if (r.backendCpuSeconds !== undefined && r.backendCpuSeconds !== null)
    console.log(`  PostgreSQL backend CPU     ${r.backendCpuSeconds} s`);
  if (showStatements && r.statements) {
    for (const s of r.statements.slice(0, 16))
      console.log(
        `    ${(s.ms / 1000).toFixed(2).padStart(6)} s${
          s.backendCpuMs === null
            ? ''
            : ` (backend CPU ${(s.backendCpuMs / 1000).toFixed(2).padStart(5)} s)`
        }  ${String(s.calls).padStart(4)}×  ${s.label}`,
      );
  }
  if (Object.keys(r.steps).length > 0) {
    const steps = Object.entries(r.steps).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`);
    console.log(`  write steps (s)            ${steps.join(', ')}`);
  }
  console.log(
    `  total                      ${r.totalSeconds} s   target < ${TARGET_SECONDS} s: ${r.withinTarget ? 'within target' : 'OVER TARGET'}`,
  );
  console.log(
    `  memory                     RSS ${r.rssStartMb} MB at start; peak per quarter of the rows ${r.rssQuartersMb.join(' / ')} MB; peak RSS ${r.peakRssMb} MB, peak heap ${r.peakHeapMb} MB`,
  );
}

export async function runImportWriteBench(
  options: {
    rows?: number;
    server?: boolean;
    /** Skip the desktop ledger: only the server import (implies server). */
    serverOnly?: boolean;
    reimport?: boolean;
    print?: boolean;
    /** Print the server import's time per kind of statement. */
    statements?: boolean;
    /** Print EXPLAIN (ANALYZE, BUFFERS) of the nth call of each server statement (a diagnostic run). */
    explainCall?: number;
  } = {},
): Promise<ImportWriteResult[]> {
  const rows = options.rows ?? 100_000;
  const dir = await mkdtemp(join(tmpdir(), 'fieldbook-bench-import-write-'));
  const show = (r: ImportWriteResult): void => {
    if (options.print !== false) print(r, options.statements === true);
  };
  try {
    const file = join(dir, 'portfolio-gbk.csv');
    await generateGbkCsv(file, rows);
    if (options.print !== false)
      console.log(`file: ${((await stat(file)).size / MB).toFixed(1)} MB GBK CSV`);
    const results = options.serverOnly
      ? []
      : await benchLedgerImport(file, dir, rows, {
          ...(options.reimport ? { reimport: true } : {}),
        });
    results.forEach(show);
    if (options.server || options.serverOnly) {
      const server = await benchServerImport(file, dir, rows, {
        ...(options.explainCall !== undefined ? { explainCall: options.explainCall } : {}),
        ...(options.reimport ? { reimport: true } : {}),
      });
      server.forEach(show);
      results.push(...server);
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
  const explainArg = process.argv.slice(2).find((a) => /^--explain=\d+$/.test(a));
  await runImportWriteBench({
    ...(rowsArg ? { rows: Number(rowsArg) } : {}),
    server: process.argv.includes('--server'),
    serverOnly: process.argv.includes('--server-only'),
    reimport: process.argv.includes('--reimport'),
    statements: process.argv.includes('--statements'),
    ...(explainArg ? { explainCall: Number(explainArg.slice('--explain='.length)) } : {}),
  });
}
