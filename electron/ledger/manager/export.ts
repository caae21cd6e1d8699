// Exports for the manager: a case list (the worklist with its filters, or the cases behind
// a dashboard number) or the dashboard itself, to XLSX (exceljs) or CSV (UTF-8 with a BOM
// so Excel on Chinese Windows reads it, CRLF line ends), as write-reconciliation.ts does.
// The file appears under its name only when complete (temporary name, then rename).
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import type { WorklistRow } from '../../../shared/api/contract';
import type { ExportWritten } from '../../../shared/api/manager-contract';
import type { DashboardSummary } from '../../../shared/domain/portfolio';
import type { Ledger } from '../ledger';
import { worklistPageSql, type WorklistQuery } from '../queries/worklist';
import { stmt } from '../statements';
import { toRow, worklistRowsByIds, type RowRaw } from './case-rows';

export type ExportLang = 'zh-CN' | 'en';
type Cell = string | number | null;

export interface Table {
  name: string;
  headers: string[];
  rows: Cell[][];
  /** Columns holding yuan amounts (formatted #,##0.00 in XLSX). */
  moneyColumns?: number[];
}

const yuan = (fen: number): number => fen / 100;
const pct = (ratio: number): number => Math.round(ratio * 10000) / 100;

const CASE_HEADERS: Record<ExportLang, string[]> = {
  'zh-CN': [
    '借款人',
    '电话',
    '乡镇',
    '村',
    '贷款编号',
    '客户经理',
    '逾期天数',
    '账龄',
    '逾期金额(元)',
    '剩余本金(元)',
    '承诺还款日',
    '承诺金额(元)',
    '承诺状态',
    '最近联系',
    '下次跟进日',
    '优先级',
  ],
  en: [
    'Borrower',
    'Phone',
    'Township',
    'Village',
    'Loan no.',
    'Officer',
    'Days past due',
    'Bucket',
    'Arrears (yuan)',
    'Outstanding (yuan)',
    'Promise due',
    'Promise (yuan)',
    'Promise status',
    'Last contact',
    'Next action',
    'Priority',
  ],
};

export function caseTable(rows: readonly WorklistRow[], lang: ExportLang): Table {
  return {
    name: lang === 'zh-CN' ? '案件' : 'Cases',
    headers: CASE_HEADERS[lang],
    moneyColumns: [8, 9, 11],
    rows: rows.map((r) => [
      r.borrowerName,
      r.phone,
      r.township,
      r.village,
      r.loanNo,
      r.officer.name,
      r.daysPastDue,
      r.bucket,
      yuan(r.arrearsFen),
      yuan(r.outstandingFen),
      r.promise?.dueDate ?? null,
      r.promise ? yuan(r.promise.amountFen) : null,
      r.promise?.status ?? null,
      r.lastContact?.at.slice(0, 10) ?? null,
      r.nextActionDate,
      Math.round(r.priorityScore),
    ]),
  };
}

/** Every worklist row matching the filters, in worklist order. */
export function worklistRowsForExport(
  ledger: Ledger,
  filters: Omit<WorklistQuery, 'offset' | 'limit'>,
  asOf: string,
): WorklistRow[] {
  const page = worklistPageSql({ ...filters, offset: 0, limit: 1 }, asOf);
  return stmt<RowRaw>(ledger.db, page.sql)
    .all(...page.params, -1, 0)
    .map(toRow);
}

export function rowsOfIds(ledger: Ledger, orderedIds: readonly string[]): WorklistRow[] {
  const out: WorklistRow[] = [];
  // json_each handles long lists, but pages keep each statement's working set small.
  for (let i = 0; i < orderedIds.length; i += 5000)
    out.push(...worklistRowsByIds(ledger.db, orderedIds.slice(i, i + 5000)));
  return out;
}

const L = {
  'zh-CN': {
    sheet: '组合质量',
    officers: '客户经理',
    section: '类别',
    item: '项目',
    count: '笔数',
    amount: '金额(元)',
    ratio: '比率(%)',
    aging: '账龄',
    par: '风险贷款',
    collection: '回收率',
    promises: '承诺还款',
    roll: '迁徙率',
    cure: '回收(转正常)',
    noContact: '未联系',
    overrides: '违规豁免',
    officer: '客户经理',
    caseload: '在管案件',
    balance: '在管余额(元)',
    contacts: '联系次数',
    perDay: '日均联系',
    effective: '有效联系',
    rpc: '本人联系',
    made: '新增承诺',
    kept: '兑现率(%)',
    collected: '回收金额(元)',
    untouched: '未跟进案件',
  },
  en: {
    sheet: 'Portfolio quality',
    officers: 'Officers',
    section: 'Section',
    item: 'Item',
    count: 'Count',
    amount: 'Amount (yuan)',
    ratio: 'Ratio (%)',
    aging: 'Aging',
    par: 'PAR',
    collection: 'Collection rate',
    promises: 'Promises',
    roll: 'Roll rate',
    cure: 'Cure',
    noContact: 'No contact',
    overrides: 'Overrides',
    officer: 'Officer',
    caseload: 'Caseload',
    balance: 'Balance (yuan)',
    contacts: 'Contacts',
    perDay: 'Contacts a day',
    effective: 'Effective',
    rpc: 'Right party',
    made: 'Promises made',
    kept: 'Kept rate (%)',
    collected: 'Collected (yuan)',
    untouched: 'Untouched cases',
  },
} as const;

export function dashboardTables(
  d: DashboardSummary,
  officerNames: ReadonlyMap<string, string>,
  lang: ExportLang,
): Table[] {
  const t = L[lang];
  const rows: Cell[][] = [];
  for (const b of d.aging.buckets)
    rows.push([t.aging, b.code, b.count, yuan(b.balanceFen), pct(b.share)]);
  rows.push([
    t.aging,
    lang === 'zh-CN' ? '合计' : 'Total',
    d.aging.totals.count,
    yuan(d.aging.totals.balanceFen),
    100,
  ]);
  for (const p of d.par.levels)
    rows.push([t.par, `PAR${p.days}`, p.count, yuan(p.riskFen), pct(p.ratio)]);
  rows.push([
    t.collection,
    lang === 'zh-CN' ? '应收/实收' : 'due / paid',
    d.collection.count,
    yuan(d.collection.paidFen),
    pct(d.collection.ratio),
  ]);
  rows.push([
    t.collection,
    lang === 'zh-CN' ? '应收' : 'due',
    d.collection.count,
    yuan(d.collection.dueFen),
    null,
  ]);
  const pr = d.promises;
  for (const [k, g] of [
    ['made', pr.made],
    ['kept', pr.kept],
    ['partlyKept', pr.partlyKept],
    ['broken', pr.broken],
    ['pending', pr.pending],
  ] as const)
    rows.push([t.promises, k, g.count, yuan(g.amountFen), null]);
  rows.push([t.promises, 'keptRate', pr.keptRate.matured, null, pct(pr.keptRate.ratio)]);
  for (const r of d.rolls.rows)
    rows.push([t.roll, r.code, r.start.count, yuan(r.start.balanceFen), pct(r.rollRate)]);
  rows.push([
    t.cure,
    d.rolls.from ?? '',
    d.rolls.cured.count,
    yuan(d.rolls.cured.balanceFen),
    pct(d.rolls.cureRate),
  ]);
  for (const l of d.contactRecency.levels)
    rows.push([t.noContact, `${l.days}+`, l.count, null, null]);
  rows.push([
    t.noContact,
    lang === 'zh-CN' ? '从未联系' : 'never',
    d.contactRecency.never.count,
    null,
    null,
  ]);
  rows.push([
    t.overrides,
    lang === 'zh-CN' ? '待审阅' : 'to review',
    d.overrides.toReview.count,
    null,
    null,
  ]);
  rows.push([
    t.overrides,
    lang === 'zh-CN' ? '本期' : 'in period',
    d.overrides.inPeriod.count,
    null,
    null,
  ]);
  return [
    {
      name: t.sheet,
      headers: [t.section, t.item, t.count, t.amount, t.ratio],
      rows,
      moneyColumns: [3],
    },
    {
      name: t.officers,
      headers: [
        t.officer,
        t.caseload,
        t.balance,
        t.contacts,
        t.perDay,
        t.effective,
        t.rpc,
        t.made,
        t.kept,
        t.collected,
        t.overrides,
        t.untouched,
      ],
      moneyColumns: [2, 9],
      rows: d.officers.map((o) => [
        officerNames.get(o.officerId) ?? o.officerId,
        o.caseload.count,
        yuan(o.balanceFen),
        o.contacts.count,
        Math.round(o.contactsPerDay * 100) / 100,
        o.effectiveContacts.count,
        o.rightPartyContacts.count,
        o.promisesMade.count,
        pct(o.keptRate.ratio),
        yuan(o.collected.amountFen),
        o.overrides.count,
        o.untouched.count,
      ]),
    },
  ];
}

/** Writes the tables: XLSX with one sheet each; CSV with the tables one after another. */
export async function writeTables(
  tables: readonly Table[],
  format: 'csv' | 'xlsx',
  file: string,
): Promise<ExportWritten> {
  const temp = `${file}.${process.pid}.${Date.now()}.part`;
  let rows = 0;
  try {
    if (format === 'csv') {
      const parts = tables.map((t, i) =>
        stringify([t.headers, ...t.rows.map((r) => r.map((c) => (c === null ? '' : String(c))))], {
          bom: i === 0,
          record_delimiter: 'windows',
        }),
      );
      await writeFile(temp, parts.join('\r\n'), 'utf8');
    } else {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        filename: temp,
        useStyles: true,
        useSharedStrings: false,
      });
      for (const t of tables) {
        const sheet = workbook.addWorksheet(t.name);
        sheet.columns = t.headers.map((header, i) => ({
          header,
          key: String(i),
          width: Math.max(10, header.length * 2 + 2),
          ...(t.moneyColumns?.includes(i) ? { style: { numFmt: '#,##0.00' } } : {}),
        }));
        for (const r of t.rows) sheet.addRow(r).commit();
        sheet.commit();
      }
      await workbook.commit();
    }
    for (const t of tables) rows += t.rows.length;
    await rename(temp, file);
    const { size } = await stat(file);
    return { file, rows, bytes: size };
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
