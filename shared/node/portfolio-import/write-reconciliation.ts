// Writes field activity for the core banking system: CSV (UTF-8 with a byte-order mark, so
// Excel on a Chinese Windows opens it without garbling) or XLSX (exceljs streaming writer).
// Rows are streamed from the caller's iterable; the file appears under its name only when
// complete (written to a temporary name, then renamed), so a killed export never leaves a
// half file that looks finished.
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import {
  reconciliationCells,
  reconciliationCellText,
  reconciliationHeaders,
  type ReconciliationFormat,
  type ReconciliationRow,
} from '../../import/reconciliation';

export interface WriteReconciliationOptions extends Partial<ReconciliationFormat> {
  format: 'csv' | 'xlsx';
  file: string;
  /** Worksheet name for XLSX. */
  sheetName?: string;
  signal?: AbortSignal;
}

export interface ReconciliationWritten {
  file: string;
  rows: number;
  bytes: number;
}

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export async function writeReconciliation(
  rows: AsyncIterable<ReconciliationRow> | Iterable<ReconciliationRow>,
  options: WriteReconciliationOptions,
): Promise<ReconciliationWritten> {
  const format: ReconciliationFormat = {
    lang: options.lang ?? 'zh-CN',
    timeZone: options.timeZone ?? DEFAULT_TIME_ZONE,
    values: options.values ?? 'labels',
  };
  const temp = `${options.file}.${process.pid}.${Date.now()}.part`;
  try {
    const count =
      options.format === 'csv'
        ? await writeCsv(rows, format, temp, options.signal)
        : await writeXlsx(rows, format, temp, options.sheetName, options.signal);
    await rename(temp, options.file);
    const { size } = await stat(options.file);
    return { file: options.file, rows: count, bytes: size };
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

async function writeCsv(
  rows: AsyncIterable<ReconciliationRow> | Iterable<ReconciliationRow>,
  format: ReconciliationFormat,
  file: string,
  signal?: AbortSignal,
): Promise<number> {
  const out = createWriteStream(file);
  // bom: Excel reads a CSV without one in the system code page (GBK on Chinese Windows).
  // CRLF line ends: what Excel and most core-system loaders expect from a Windows CSV.
  const csv = stringify({ bom: true, record_delimiter: 'windows' });
  csv.pipe(out);
  let count = 0;
  try {
    await writeRecord(csv, reconciliationHeaders(format.lang));
    for await (const row of rows) {
      signal?.throwIfAborted();
      await writeRecord(csv, reconciliationCells(row, format).map(reconciliationCellText));
      count++;
    }
    csv.end();
    await finished(out);
  } catch (err) {
    csv.destroy();
    out.destroy();
    // Wait for the file to be closed (it may still be opening): only then can it be removed.
    if (!out.closed) await once(out, 'close');
    throw err;
  }
  return count;
}

async function writeRecord(csv: ReturnType<typeof stringify>, record: string[]): Promise<void> {
  if (!csv.write(record)) await once(csv, 'drain');
}

async function writeXlsx(
  rows: AsyncIterable<ReconciliationRow> | Iterable<ReconciliationRow>,
  format: ReconciliationFormat,
  file: string,
  sheetName: string | undefined,
  signal?: AbortSignal,
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName ?? (format.lang === 'zh-CN' ? '外勤对账' : 'Field activity'));
  const headers = reconciliationHeaders(format.lang);
  sheet.columns = headers.map((header, i) => ({
    header,
    key: String(i),
    width: i === 13 ? 40 : Math.max(12, header.length * 2 + 2),
    ...(i === 6 ? { style: { numFmt: '#,##0.00' } } : {}),
  }));
  let count = 0;
  try {
    for await (const row of rows) {
      signal?.throwIfAborted();
      const cells = reconciliationCells(row, format).map((cell) =>
        cell === null ? null : typeof cell === 'string' ? cell : cell.yuanFen / 100,
      );
      // Committed row by row: the streaming writer then keeps no rows in memory.
      sheet.addRow(cells).commit();
      count++;
    }
  } catch (err) {
    // Close the file so the caller can remove it; its content no longer matters.
    await workbook.commit().catch(() => undefined);
    throw err;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
