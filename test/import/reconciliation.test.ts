// The reconciliation export the core banking system takes back: CSV with BOM and XLSX.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECONCILIATION_COLUMNS, reconciliationHeaders, type ReconciliationRow } from '../../shared/import/reconciliation';
import { writeReconciliation } from '../../shared/node/portfolio-import/write-reconciliation';
import { tempDir } from './helpers';

const dir = tempDir();

const base: ReconciliationRow = {
  businessDate: '2026-11-20',
  occurredAt: '2026-11-20T02:05:09.000Z',
  loanNo: 'LN120000000',
  borrowerName: '廖壮震',
  kind: 'payment',
  receiptNo: 'D7-000123',
  amountFen: 123_450,
  method: 'cash',
  dueDate: null,
  channel: null,
  outcome: null,
  decision: null,
  officerCode: 'OF002',
  notes: null,
  factId: '0190d7b2-0000-7000-8000-000000000001',
};

const ROWS: ReconciliationRow[] = [
  base,
  { ...base, kind: 'reversal', amountFen: 123_450, notes: '金额录错, "重新录入"', factId: 'f2' },
  { ...base, kind: 'promise', receiptNo: null, method: null, amountFen: 50_000, dueDate: '2026-11-30', factId: 'f3' },
  {
    ...base,
    kind: 'contact',
    receiptNo: null,
    method: null,
    amountFen: null,
    channel: 'visit',
    outcome: 'hardship',
    notes: '家中有病人\n下周再访',
    factId: 'f4',
  },
  { ...base, kind: 'plan_decision', receiptNo: null, method: null, amountFen: null, decision: 'approved', notes: '=HYPERLINK("x")', factId: 'f5' },
];

async function* slowly(rows: ReconciliationRow[]): AsyncGenerator<ReconciliationRow> {
  for (const row of rows) {
    await Promise.resolve();
    yield row;
  }
}

describe('writeReconciliation CSV', () => {
  it('starts with the UTF-8 byte-order mark and round-trips through a CSV parser', async () => {
    const file = join(dir, 'recon.csv');
    const written = await writeReconciliation(slowly(ROWS), { format: 'csv', file, lang: 'zh-CN' });
    expect(written.rows).toBe(5);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes, { bom: true }) as string[][];
    expect(records[0]).toEqual(reconciliationHeaders('zh-CN'));
    const col = (name: (typeof RECONCILIATION_COLUMNS)[number]) => RECONCILIATION_COLUMNS.indexOf(name);
    const [payment, reversal, promise, contact, plan] = records.slice(1);
    expect(payment?.[col('occurred_at')]).toBe('2026-11-20 10:05:09'); // Asia/Shanghai
    expect(payment?.[col('amount')]).toBe('1234.50');
    expect(payment?.[col('method')]).toBe('现金');
    expect(payment?.[col('receipt_no')]).toBe('D7-000123');
    expect(payment?.[col('kind')]).toBe('还款');
    // Reversals print negative so payments and reversals sum to the net collected.
    expect(reversal?.[col('amount')]).toBe('-1234.50');
    expect(reversal?.[col('notes')]).toBe('金额录错, "重新录入"');
    expect(promise?.[col('due_date')]).toBe('2026-11-30');
    expect(promise?.[col('amount')]).toBe('500.00');
    expect(contact?.[col('notes')]).toBe('家中有病人\n下周再访');
    expect(contact?.[col('outcome')]).toBe('经济困难');
    expect(contact?.[col('amount')]).toBe('');
    // An officer's note can never become a spreadsheet formula.
    expect(plan?.[col('notes')]).toBe(`'=HYPERLINK("x")`);
    expect(plan?.[col('decision')]).toBe('批准');
  });

  it('English headers, codes instead of labels, another time zone', async () => {
    const file = join(dir, 'recon-en.csv');
    await writeReconciliation(ROWS.slice(0, 1), { format: 'csv', file, lang: 'en', values: 'codes', timeZone: 'UTC' });
    const records = parse(readFileSync(file), { bom: true }) as string[][];
    expect(records[0]?.slice(0, 3)).toEqual(['Business date', 'Time', 'Loan number']);
    expect(records[1]?.slice(1, 8)).toEqual(['2026-11-20 02:05:09', 'LN120000000', '廖壮震', 'payment', 'D7-000123', '1234.50', 'cash']);
  });

  it('a cancelled export leaves no file behind, not even a partial one', async () => {
    const file = join(dir, 'cancelled.csv');
    const controller = new AbortController();
    async function* rows(): AsyncGenerator<ReconciliationRow> {
      yield base;
      controller.abort(new Error('cancelled'));
      yield base;
    }
    await expect(writeReconciliation(rows(), { format: 'csv', file, signal: controller.signal })).rejects.toThrow('cancelled');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('cancelled'))).toEqual([]);
  });
});

describe('writeReconciliation XLSX', () => {
  it('opens with exceljs: headers, amounts as numbers in yuan, text intact', async () => {
    const file = join(dir, 'recon.xlsx');
    const written = await writeReconciliation(slowly(ROWS), { format: 'xlsx', file, lang: 'en' });
    expect(written).toMatchObject({ rows: 5, file });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    expect(ws?.name).toBe('Field activity');
    expect(ws?.getRow(1).values).toEqual([undefined, ...reconciliationHeaders('en')]);
    const amountCol = RECONCILIATION_COLUMNS.indexOf('amount') + 1;
    expect(ws?.getRow(2).getCell(amountCol).value).toBe(1234.5);
    expect(ws?.getRow(3).getCell(amountCol).value).toBe(-1234.5);
    expect(ws?.getRow(2).getCell(3).value).toBe('LN120000000');
    expect(ws?.getRow(5).getCell(RECONCILIATION_COLUMNS.indexOf('notes') + 1).value).toBe('家中有病人\n下周再访');
    expect(ws?.rowCount).toBe(6);
  });

  it('a cancelled XLSX export leaves no file behind', async () => {
    const file = join(dir, 'cancelled.xlsx');
    const controller = new AbortController();
    async function* rows(): AsyncGenerator<ReconciliationRow> {
      yield base;
      controller.abort(new Error('cancelled'));
      yield base;
    }
    await expect(writeReconciliation(rows(), { format: 'xlsx', file, signal: controller.signal })).rejects.toThrow('cancelled');
    expect(readdirSync(dir).filter((f) => f.startsWith('cancelled.xlsx'))).toEqual([]);
  });
});
