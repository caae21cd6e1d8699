// readPortfolio: one entry point for CSV, TSV and XLSX exports. It sniffs the container,
// encoding and delimiter from a bounded sample, finds the header row among the first rows
// (report titles sit above it in many exports), and then streams header-keyed rows.
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { cellText } from '../../import/cell-text';
import { findHeaderRow, headerScore, HEADER_SEARCH_ROWS } from '../../import/mapping';
import {
  columnLetter,
  type Delimiter,
  type RawCell,
  type RawRow,
  type SourceEncoding,
  type SourceFormat,
  type SourceMeta,
} from '../../import/raw-row';
import { ByteTap } from './byte-tap';
import { PortfolioReadError } from './errors';
import { csvRecords, sniffCsvRecords } from './read-csv';
import type { XlsxSheet } from './read-xlsx';
import type { SheetRecord } from './records';
import {
  decodeForSniffing,
  detectContainer,
  detectDelimiter,
  detectEncoding,
  encodingSample,
  SAMPLE_BYTES,
} from './sniff';

export interface ReadOptions {
  /** Skip encoding detection (a saved mapping may pin it). */
  encoding?: SourceEncoding;
  delimiter?: Delimiter;
  /** XLSX worksheet by name or 1-based position; default: the first with a recognisable header. */
  sheet?: string | number;
  /** 1-based row number of the header row; default: detected among the first rows. */
  headerRow?: number;
  /** Cancels reading: the rows iterator throws the signal's reason and the file is closed. */
  signal?: AbortSignal;
  /** Called every PROGRESS_EVERY rows and once at the end. */
  onProgress?: (progress: ReadProgress) => void;
}

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  done: boolean;
}

export interface PortfolioSource {
  meta: SourceMeta;
  /** Data rows below the header, blank rows left out. Single use. */
  rows: AsyncIterable<RawRow>;
  /** sha256 of the file once `rows` was read to the end; null before. */
  contentHash(): string | null;
  /** Closes the file when the rows will not be read (after a look at `meta`). */
  close(): Promise<void>;
}

export const PROGRESS_EVERY = 2_000;
/** Raw records (blank ones included) to look through for the header row. */
const HEADER_SEARCH_RECORDS = 50;
/** Furthest a caller-given header row may be. */
const MAX_HEADER_ROW = 1_000;

export async function readPortfolio(path: string, options: ReadOptions = {}): Promise<PortfolioSource> {
  const info = await stat(path);
  const handle = await open(path, 'r');
  let head: Buffer;
  let container: ReturnType<typeof detectContainer>;
  let encoding: SourceEncoding | null = null;
  let delimiter: Delimiter | null = null;
  let sampleText = '';
  try {
    const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, Math.max(info.size, 1)));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
    container = detectContainer(head);
    if (container === 'text') {
      encoding = options.encoding ?? detectEncoding(await encodingSample(handle, head, info.size));
      sampleText = decodeForSniffing(head, encoding);
      const hint = /^\uFEFF?sep=(.)\r?\n/i.exec(sampleText)?.[1];
      delimiter = options.delimiter ?? (isDelimiter(hint) ? hint : detectDelimiter(sampleText));
    }
  } finally {
    await handle.close();
  }

  let tap = new ByteTap(options.signal);
  const base = {
    fileName: basename(path),
    fileSize: info.size,
    fileModifiedMs: info.mtimeMs,
  };
  let records: AsyncGenerator<SheetRecord>;
  let format: SourceFormat;
  let sheetName: string | null = null;
  const sheetNames: string[] = [];
  let found: HeaderFound;
  let closeAll: () => Promise<void>;

  if (container === 'xlsx') {
    format = 'xlsx';
    const chosen = await chooseSheet(path, tap, options);
    tap = chosen.tap;
    records = chosen.records;
    sheetName = chosen.name;
    sheetNames.push(...chosen.names);
    found = chosen.found;
    closeAll = chosen.close;
  } else {
    format = delimiter === '\t' ? 'tsv' : 'csv';
    const opened = await openCsv(path, encoding ?? 'utf-8', delimiter ?? ',', options, sampleText, head.length >= info.size);
    records = opened.records;
    found = opened.found;
    tap = opened.tap;
    closeAll = async () => {
      await records.return(undefined);
    };
  }

  const headerRecord = found.buffered[found.index];
  if (!headerRecord) {
    await closeAll();
    throw noHeader();
  }
  const headers = buildHeaders(headerRecord.cells);
  const meta: SourceMeta = {
    format,
    encoding,
    delimiter,
    headers,
    headerRow: headerRecord.rowNumber,
    preamble: found.buffered
      .slice(0, found.index)
      .map((r) => r.cells.map((c) => cellText(c) ?? '').filter((t) => t !== '').join(' '))
      .filter((t) => t !== ''),
    sheet: sheetName,
    sheets: sheetNames,
    ...base,
  };
  const afterHeader = found.buffered.slice(found.index + 1);
  let consumed = false;

  async function* rows(): AsyncGenerator<RawRow> {
    if (consumed) throw new Error('PortfolioSource.rows can be read only once');
    consumed = true;
    let count = 0;
    const report = (done: boolean): void =>
      options.onProgress?.({ bytesRead: tap.bytes, totalBytes: info.size, rows: count, done });
    const keyed = (record: SheetRecord): RawRow | null => {
      if (isBlank(record.cells)) return null;
      count++;
      if (count % PROGRESS_EVERY === 0) report(false);
      return { rowNumber: record.rowNumber, cells: keyCells(headers, record.cells) };
    };
    try {
      for (const record of afterHeader) {
        const row = keyed(record);
        if (row) yield row;
      }
      afterHeader.length = 0;
      for await (const record of records) {
        const row = keyed(record);
        if (row) yield row;
      }
      report(true);
    } finally {
      await closeAll();
    }
  }

  return {
    meta,
    rows: { [Symbol.asyncIterator]: rows },
    contentHash: () => tap.digest(),
    close: closeAll,
  };
}

interface HeaderFound {
  /** Records read so far (header search), to be replayed. */
  buffered: SheetRecord[];
  /** Index of the header in `buffered`, -1 when none. */
  index: number;
}

/** Reads the first records of a stream and picks the header among them. */
async function locateHeader(
  records: AsyncIterator<SheetRecord>,
  headerRow: number | undefined,
  strict: boolean,
): Promise<HeaderFound> {
  const buffered: SheetRecord[] = [];
  while (!enoughForHeader(buffered, headerRow)) {
    const next = await records.next();
    if (next.done) break;
    buffered.push(next.value);
  }
  return { buffered, index: pickHeader(buffered, headerRow, strict) };
}

function enoughForHeader(buffered: readonly SheetRecord[], headerRow: number | undefined): boolean {
  if (headerRow !== undefined) {
    // The caller named the header row: read up to it, however far down it is.
    const last = buffered[buffered.length - 1];
    return (last !== undefined && last.rowNumber >= headerRow) || buffered.length >= MAX_HEADER_ROW;
  }
  return buffered.length >= HEADER_SEARCH_RECORDS || buffered.filter((r) => !isBlank(r.cells)).length >= HEADER_SEARCH_ROWS;
}

/**
 * Index of the header among the first records, -1 when none. `strict` (used to skip a
 * workbook's cover sheets) only accepts a row that names at least two known fields.
 */
function pickHeader(buffered: readonly SheetRecord[], headerRow: number | undefined, strict: boolean): number {
  if (buffered.every((r) => isBlank(r.cells)) && buffered.length < HEADER_SEARCH_RECORDS) {
    throw new PortfolioReadError('empty_file', 'The file has no rows');
  }
  if (headerRow !== undefined) return buffered.findIndex((r) => r.rowNumber === headerRow && !isBlank(r.cells));
  const texts = buffered.map((r) => r.cells.map((c) => cellText(c) ?? ''));
  if (!strict) return findHeaderRow(texts);
  let best = -1;
  let bestScore = 1;
  texts.forEach((cells, i) => {
    const score = headerScore(cells);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/**
 * Opens the CSV stream. The header is found on a parse of the sniffed sample, and the stream
 * starts at a record as long as the data rows (see csvRecords); when the sample cannot be
 * used, or the stream's first record is not the one expected, it reads from the top instead.
 */
async function openCsv(
  path: string,
  encoding: SourceEncoding,
  delimiter: Delimiter,
  options: ReadOptions,
  sampleText: string,
  wholeFileInSample: boolean,
): Promise<{ records: AsyncGenerator<SheetRecord>; found: HeaderFound; tap: ByteTap }> {
  const sniffed = sniffCsvRecords(sampleText, delimiter, wholeFileInSample);
  const headerInSample =
    options.headerRow === undefined || (sniffed?.some((r) => r.rowNumber === options.headerRow) ?? false);
  const index = sniffed && headerInSample ? pickHeader(sniffed.slice(0, HEADER_SEARCH_RECORDS), options.headerRow, false) : -1;
  if (sniffed && index >= 0) {
    const header = sniffed[index];
    const firstData = sniffed.slice(index + 1).find((r) => !isBlank(r.cells));
    // Start at the first data row when its length differs from the header's (trailing delimiters).
    const startAt = firstData && header && firstData.cells.length !== header.cells.length ? sniffed.indexOf(firstData) : index;
    const previous = sniffed[startAt - 1];
    const expected = sniffed[startAt];
    if (expected) {
      const tap = new ByteTap(options.signal);
      const records = csvRecords(path, encoding, delimiter, tap, options.signal, {
        fromLine: previous ? previous.endLine + 1 : 1,
        firstRowNumber: startAt + 1,
      });
      let first: IteratorResult<SheetRecord>;
      try {
        first = await records.next();
      } catch (err) {
        await records.return(undefined);
        throw err;
      }
      if (!first.done && sameCells(first.value.cells, expected.cells)) {
        return { records, found: { buffered: [...sniffed.slice(0, startAt), first.value], index }, tap };
      }
      await records.return(undefined);
    }
  }
  const tap = new ByteTap(options.signal);
  const records = csvRecords(path, encoding, delimiter, tap, options.signal);
  try {
    const found = await locateHeader(records, options.headerRow, false);
    if (found.index < 0) throw noHeader();
    return { records, found, tap };
  } catch (err) {
    await records.return(undefined);
    throw err;
  }
}

function sameCells(a: readonly RawCell[], b: readonly RawCell[]): boolean {
  return a.length === b.length && a.every((cell, i) => cell === b[i]);
}

/**
 * read-xlsx.ts, loaded when a workbook is first read: it brings exceljs (~0.3 s to load),
 * which a CSV file never needs (the import's row worker thread loads its modules afresh
 * at the start of every large import, and waits for them before the first row).
 */
async function* lazyXlsxSheets(path: string, tap: ByteTap, signal?: AbortSignal): AsyncGenerator<XlsxSheet> {
  const { xlsxSheets } = await import('./read-xlsx');
  yield* xlsxSheets(path, tap, signal);
}

interface ChosenSheet {
  name: string;
  names: string[];
  records: AsyncGenerator<SheetRecord>;
  found: HeaderFound;
  close: () => Promise<void>;
  /** The tap of the pass that will be read (a second one when the workbook had to be reopened). */
  tap: ByteTap;
}

/**
 * The worksheet to read: the one asked for, else the first whose first rows hold a
 * recognisable header (cover and notes sheets are skipped), else the first sheet.
 */
async function chooseSheet(path: string, tap: ByteTap, options: ReadOptions): Promise<ChosenSheet> {
  const workbook = lazyXlsxSheets(path, tap, options.signal);
  const names: string[] = [];
  const close = async (): Promise<void> => {
    await workbook.return(undefined);
  };
  try {
    for await (const sheet of iterateOnce(workbook)) {
      names.push(sheet.name);
      const wanted = matchesWanted(sheet, options.sheet);
      if (options.sheet !== undefined && !wanted) {
        await drain(sheet.records);
        continue;
      }
      let found: HeaderFound;
      try {
        found = await locateHeader(sheet.records, options.headerRow, options.sheet === undefined && options.headerRow === undefined);
      } catch (err) {
        if (err instanceof PortfolioReadError && err.reason === 'empty_file' && options.sheet === undefined) {
          continue;
        }
        throw err;
      }
      if (found.index >= 0) return { name: sheet.name, names, records: sheet.records, found, close, tap };
      if (options.sheet !== undefined) throw noHeader();
      await drain(sheet.records);
    }
  } catch (err) {
    await close();
    throw err;
  }
  await close();
  if (options.sheet !== undefined) {
    throw new PortfolioReadError('sheet_not_found', 'No such worksheet', {
      sheet: String(options.sheet),
      sheets: names.join(', '),
    });
  }
  if (names.length === 0) throw new PortfolioReadError('empty_file', 'The workbook has no worksheets');
  // No sheet has a recognisable header: read the first sheet again, taking its widest early row.
  const again = await chooseSheet(path, new ByteTap(options.signal), { ...options, sheet: 1, headerRow: options.headerRow });
  return { ...again, names };
}

/** Iterates a generator without closing it when the loop exits early (the chosen sheet lives on). */
function iterateOnce<T>(gen: AsyncGenerator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => ({ next: () => gen.next() }) };
}

function matchesWanted(sheet: XlsxSheet, wanted: string | number | undefined): boolean {
  if (wanted === undefined) return true;
  return typeof wanted === 'number' ? sheet.index === wanted : sheet.name === wanted;
}

async function drain(records: AsyncGenerator<SheetRecord>): Promise<void> {
  for await (const _record of records) {
    // A skipped worksheet is read through so the zip stream moves on to the next one.
  }
}

function noHeader(): PortfolioReadError {
  return new PortfolioReadError('no_header_row', 'No header row found', { rows: HEADER_SEARCH_ROWS });
}

function isDelimiter(value: string | undefined): value is Delimiter {
  return value === ',' || value === '\t' || value === ';' || value === '|';
}

function isBlank(cells: readonly RawCell[]): boolean {
  return cells.every((c) => cellText(c) === null);
}

/** Header cells to unique, readable keys; blank headers get '#<column letter>'. */
export function buildHeaders(cells: readonly RawCell[]): string[] {
  let last = cells.length - 1;
  while (last >= 0 && cellText(cells[last] ?? null) === null) last--;
  const seen = new Map<string, number>();
  const headers: string[] = [];
  for (let i = 0; i <= last; i++) {
    const text = (cellText(cells[i] ?? null) ?? '').replace(/\s+/g, ' ');
    const base = text === '' ? `#${columnLetter(i + 1)}` : text;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    headers.push(n === 1 ? base : `${base} (${n})`);
  }
  return headers;
}

function keyCells(headers: readonly string[], cells: readonly RawCell[]): Record<string, RawCell> {
  const out: Record<string, RawCell> = {};
  for (let i = 0; i < headers.length; i++) {
    const value = cells[i];
    out[headers[i] as string] = value === undefined || value === '' ? null : value;
  }
  // Cells past the last header (a trailing delimiter, a stray note) only when they hold something.
  for (let i = headers.length; i < cells.length; i++) {
    const value = cells[i] ?? null;
    if (cellText(value) !== null) out[`#${columnLetter(i + 1)}`] = value;
  }
  return out;
}
