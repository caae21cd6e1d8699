// Benchmark: reading + validating a 100,000-row GBK CSV export, the import's first half.
// Target: the whole import (this plus writing) under 15 s, with memory flat: the file is
// streamed, so heap use must not grow with the rows read (only the loan-number index does,
// a few MB at 100,000 rows). Run alone: npx tsx bench/import-read.ts [rows]
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { suggestMapping } from '../shared/import/mapping';
import { validatePortfolio } from '../shared/import/validate';
import { readPortfolio } from '../shared/node/portfolio-import/read-portfolio';
import type { BenchSection } from './lib';

export interface ImportReadBenchResult {
  name: string;
  rows: number;
  fileMb: number;
  seconds: number;
  rowsPerSecond: number;
  targetSeconds: number;
  withinTarget: boolean;
  /** RSS when reading starts (the process has just generated the file) and its peak during the read. */
  rssBeforeMb: number;
  peakRssMb: number;
  /** Heap after reading minus heap before, both after a full GC. */
  heapGrowthMb: number;
  /** Heap in use (after GC) at 25/50/75/100 % of the rows: flat when streaming works. */
  heapCheckpointsMb: number[];
  validRows: number;
  rejectedRows: number;
}

const TARGET_SECONDS = 15;
const MB = 1024 * 1024;

const HEADER =
  '贷款编号,客户姓名,身份证号,手机号码,村/社区,乡镇,县区,产品名称,贷款金额(元),放款日期,期限(月),每期还款额,剩余本金,逾期金额,逾期天数,下次还款日,客户经理,担保人,担保人电话';
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强德福';
const VILLAGES = ['张湾村', '北山村', '杨柳村', '梨花村', '东岭村', '南坪村', '王家村', '青龙村'];
const TOWNSHIPS = ['龙泉镇', '城关镇', '高坪乡', '新店镇', '白沙乡', '石桥乡'];
const PRODUCTS = ['创业担保贷款', '种养殖贷款', '个体工商户经营贷', '农户小额信用贷款'];

/** Deterministic generator so every run reads the same file. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function yuanText(fen: number): string {
  return `${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;
}

type GeneratedCell = string | number;

/** The rows of a realistic export, one at a time: ~40 % delinquent, one row in 1,000 broken. */
function* portfolioRows(rows: number): Generator<GeneratedCell[]> {
  const rnd = prng(20261120);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  for (let i = 0; i < rows; i++) {
    const principal = pick([300_000, 800_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000]);
    const term = pick([6, 12, 18, 24, 36]);
    const instalment = Math.round((principal / term) * 1.03);
    const outstanding = Math.floor(principal * (0.1 + rnd() * 0.9));
    const dpd = rnd() < 0.4 ? Math.floor(rnd() * 120) + 1 : 0;
    const arrears = dpd > 0 ? Math.min(outstanding, instalment * (1 + Math.floor(dpd / 30))) : 0;
    const month = 1 + Math.floor(rnd() * 10);
    const day = 1 + Math.floor(rnd() * 28);
    const name = pick([...SURNAMES]) + pick([...GIVEN]) + (rnd() < 0.5 ? pick([...GIVEN]) : '');
    // One row in a thousand is broken the way real files are: an impossible date.
    const disbursed =
      i % 1000 === 999 ? '2026/2/30' : `${rnd() < 0.3 ? 2025 : 2026}/${month}/${day}`;
    yield [
      `LN${String(130_000_000 + i)}`,
      name,
      `${Math.floor(1e9 + rnd() * 8e9)}19${Math.floor(60 + rnd() * 40)}********`.slice(0, 18),
      `1${pick([3, 5, 7, 8, 9])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`,
      pick(VILLAGES),
      pick(TOWNSHIPS),
      '平安县',
      pick(PRODUCTS),
      principal,
      disbursed,
      term,
      instalment,
      outstanding,
      arrears,
      dpd,
      `2026/12/${1 + Math.floor(rnd() * 28)}`,
      `OF${String(1 + Math.floor(rnd() * 12)).padStart(3, '0')}`,
      rnd() < 0.6 ? pick([...SURNAMES]) + pick([...GIVEN]) : '',
      rnd() < 0.6 ? `13${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}` : '',
    ];
  }
}

const MONEY_COLUMNS = new Set([8, 11, 12, 13]);
const TITLE = '平安农商行贷款台账（截至2026年11月20日）';

/** A GBK CSV as a Chinese core system writes it: title row, "1,234.50" amounts, CRLF. */
export async function generateGbkCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  let chunk = `${TITLE}\r\n${HEADER}\r\n`;
  for (const cells of portfolioRows(rows)) {
    chunk +=
      cells
        .map((cell, i) => {
          if (!MONEY_COLUMNS.has(i)) return String(cell);
          const text = yuanText(cell as number);
          return text.includes(',') ? `"${text}"` : text;
        })
        .join(',') + '\r\n';
    if (chunk.length > 256 * 1024) {
      if (!out.write(iconv.encode(chunk, 'gbk'))) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(iconv.encode(chunk, 'gbk'));
  await once(out, 'finish');
}

/** The same rows as an XLSX with numeric amounts (exceljs streaming writer, shared strings like Excel). */
export async function generateXlsx(file: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: true,
  });
  const sheet = workbook.addWorksheet('贷款台账');
  sheet.addRow([TITLE]).commit();
  sheet.addRow(HEADER.split(',')).commit();
  for (const cells of portfolioRows(rows)) {
    sheet
      .addRow(cells.map((cell, i) => (MONEY_COLUMNS.has(i) ? (cell as number) / 100 : cell)))
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export async function runImportReadBench(
  options: { rows?: number; print?: boolean; format?: 'csv' | 'xlsx' } = {},
): Promise<ImportReadBenchResult> {
  const rows = options.rows ?? 100_000;
  const print = options.print ?? true;
  const format = options.format ?? 'csv';
  const gc = gcFunction();
  const dir = await mkdtemp(join(tmpdir(), 'fieldbook-bench-import-'));
  try {
    const file = join(dir, format === 'csv' ? 'portfolio-gbk.csv' : 'portfolio.xlsx');
    if (format === 'csv') await generateGbkCsv(file, rows);
    else await generateXlsx(file, rows);
    const fileMb = (await stat(file)).size / MB;

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const checkpoints: number[] = [];
    const started = performance.now();

    const source = await readPortfolio(file);
    const mapping = suggestMapping(source.meta.headers).mapping;
    const officers = Array.from({ length: 12 }, (_, i) => ({
      code: `OF${String(i + 1).padStart(3, '0')}`,
    }));
    const validation = validatePortfolio(
      source.rows,
      mapping,
      { asOfDate: '2026-11-20', officers },
      { headers: source.meta.headers },
    );
    let seen = 0;
    const quarter = Math.floor(rows / 4);
    for await (const _checked of validation) {
      seen++;
      if (seen % 5_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (seen % quarter === 0) {
        // GC outside the timed work would be fairer, but a checkpoint every quarter costs ~10 ms.
        gc();
        checkpoints.push(process.memoryUsage().heapUsed / MB);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    gc();
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / MB;
    const report = validation.report;

    const result: ImportReadBenchResult = {
      name: `import: read + validate ${rows.toLocaleString('en-US')}-row ${format === 'csv' ? 'GBK CSV' : 'XLSX'}`,
      rows: seen,
      fileMb: round(fileMb),
      seconds: round(seconds),
      rowsPerSecond: Math.round(seen / seconds),
      targetSeconds: TARGET_SECONDS,
      withinTarget: seconds < TARGET_SECONDS,
      rssBeforeMb: round(rssBefore / MB),
      peakRssMb: round(peakRss / MB),
      heapGrowthMb: round(heapGrowthMb),
      heapCheckpointsMb: checkpoints.map(round),
      validRows: report.validRows,
      rejectedRows: report.rejectedRows,
    };
    if (print) {
      console.log(`\n${result.name}`);
      console.log(
        `  file            ${result.fileMb} MB (${source.meta.encoding ?? 'xlsx'}, header on row ${source.meta.headerRow})`,
      );
      console.log(
        `  rows            ${result.rows} (valid ${result.validRows}, rejected ${result.rejectedRows})`,
      );
      console.log(
        `  time            ${result.seconds} s  → ${result.rowsPerSecond.toLocaleString('en-US')} rows/s`,
      );
      console.log(
        `  target          whole import < ${TARGET_SECONDS} s: reading+validating ${result.withinTarget ? 'within' : 'OVER'} (${Math.round((seconds / TARGET_SECONDS) * 100)} % of the budget)`,
      );
      console.log(
        `  RSS             ${result.rssBeforeMb} MB at start → peak ${result.peakRssMb} MB`,
      );
      console.log(
        `  heap growth     ${result.heapGrowthMb} MB after GC (the loan-number index for the duplicate check${format === 'xlsx' ? ', while reading also the shared-strings table' : ''})`,
      );
      console.log(`  heap at 25/50/75/100 %  ${result.heapCheckpointsMb.join(' / ')} MB`);
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** For bench/run.ts: one timed run (a 100k-row file is its own warm-up); memory is printed. */
export const importReadSection: BenchSection = {
  name: 'import-read',
  description:
    'portfolio import, reading + validating a 100,000-row GBK CSV (whole import target < 15 s, memory flat)',
  async run() {
    const result = await runImportReadBench();
    return [
      {
        label: 'read + validate 100k-row GBK CSV',
        samplesMs: [result.seconds * 1000],
        target: { stat: 'median', ms: TARGET_SECONDS * 1000 },
      },
    ];
  },
};

// npx tsx bench/import-read.ts [rows] [--xlsx]: the GBK CSV run, and with --xlsx an XLSX run too.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rowsArg = process.argv.slice(2).find((a) => /^\d+$/.test(a));
  const rows = rowsArg ? Number(rowsArg) : undefined;
  await runImportReadBench(rows ? { rows } : {});
  if (process.argv.includes('--xlsx'))
    await runImportReadBench({ format: 'xlsx', ...(rows ? { rows } : {}) });
}
