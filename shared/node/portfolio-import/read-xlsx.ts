// XLSX rows, streamed with exceljs' WorkbookReader: worksheets and their rows arrive one at
// a time from the zip, shared strings are cached (they are needed to read any cell) and
// styles are read so that date cells come out as dates.
import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import type { RawCell } from '../../import/raw-row';
import type { ByteTap } from './byte-tap';
import { PortfolioReadError } from './errors';
import type { SheetRecord } from './records';

export interface XlsxSheet {
  name: string;
  /** 1-based position among the workbook's worksheets. */
  index: number;
  /** Must be read to the end (or abandoned together with the workbook) before the next sheet. */
  records: AsyncGenerator<SheetRecord>;
}

interface WorksheetLike extends AsyncIterable<ExcelJS.Row> {
  name?: string;
  id?: number;
}

export async function* xlsxSheets(path: string, tap: ByteTap, signal?: AbortSignal): AsyncGenerator<XlsxSheet> {
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  source.on('error', (err) => tap.destroy(err));
  const feed = new ZipFeed();
  source.pipe(tap).pipe(feed);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(feed, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  decodeXmlAsOneStream(reader);
  let index = 0;
  try {
    for await (const worksheet of reader as AsyncIterable<unknown>) {
      const sheet = worksheet as WorksheetLike;
      index++;
      yield { name: sheet.name ?? `Sheet${sheet.id ?? index}`, index, records: sheetRecords(sheet, signal) };
    }
  } catch (err) {
    throw asReadError(err);
  } finally {
    source.unpipe(tap);
    source.destroy();
  }
}

/**
 * The stream exceljs reads the zip from. exceljs pipes it into unzipper's Parse stream, the
 * only place where that stream can be reached, to hold its 'end' back (see below).
 */
class ZipFeed extends PassThrough {
  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    deliverQueuedEntriesBeforeEnd(destination as unknown as Readable);
    return super.pipe(destination, options);
  }
}

/**
 * unzipper 0.10's Parse emits 'end' itself as soon as its writable side finishes (the last
 * zip byte was parsed), even while zip entries it pushed still wait in its readable buffer.
 * exceljs' iterateStream pauses the Parse stream while it handles an entry (e.g. writes a
 * worksheet to a temp file, slow under load) and stops at 'end' once it has nothing queued
 * itself: the entries still in Parse's buffer are silently dropped. exceljs writes
 * xl/workbook.xml last, so that file lost its sheet list (TypeError reading 'sheets'); a
 * workbook with sharedStrings.xml or worksheets near the end would lose those instead.
 * The early 'end' is swallowed and the readable side ended properly: Node emits the real
 * 'end' after every queued entry was read.
 */
function deliverQueuedEntriesBeforeEnd(zip: Readable): void {
  const emit = zip.emit.bind(zip) as (event: string | symbol, ...args: unknown[]) => boolean;
  zip.emit = function (event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'end' && !zip.readableEnded) {
      zip.push(null);
      return false;
    }
    return emit(event, ...args);
  } as typeof zip.emit;
}

/**
 * exceljs 4.4's streaming reader turns each chunk of a zip entry into text on its own
 * (lib/utils/parse-sax.js → bufferToString), so a UTF-8 character cut by a chunk boundary
 * becomes two U+FFFD: about one Chinese name in two thousand comes out garbled (exceljs
 * issues #2063, #2084, #2316; the fix PRs #1665 and #1821 were never merged). Its parser
 * passes strings through untouched, so handing it text decoded across chunk boundaries
 * fixes it: shared strings by setting the entry stream's encoding (Node then decodes with
 * a StringDecoder), worksheets by decoding their chunk iterator here. These are private
 * methods of the pinned exceljs version: if they are gone, fail loudly rather than garble.
 */
interface WorkbookReaderInternals {
  /** Set from xl/workbook.xml (the sheet list); undefined until that entry was read. */
  model?: unknown;
  _parseSharedStrings: (entry: NodeJS.ReadableStream) => unknown;
  _parseWorksheet: (iterator: AsyncIterable<Buffer | string>, sheetNo: string) => unknown;
}

function decodeXmlAsOneStream(reader: ExcelJS.stream.xlsx.WorkbookReader): void {
  const internals = reader as unknown as WorkbookReaderInternals;
  const parseSharedStrings = internals._parseSharedStrings;
  const parseWorksheet = internals._parseWorksheet;
  if (typeof parseSharedStrings !== 'function' || typeof parseWorksheet !== 'function') {
    throw new Error('exceljs internals changed: re-check the UTF-8 chunk workaround in read-xlsx.ts');
  }
  internals._parseSharedStrings = function (entry) {
    entry.setEncoding('utf8');
    return parseSharedStrings.call(this, entry);
  };
  internals._parseWorksheet = function (this: WorkbookReaderInternals, iterator, sheetNo) {
    // Without xl/workbook.xml the sheets have no names and order (exceljs would throw a
    // TypeError): not a workbook we can read. Excel and WPS write it before the worksheets;
    // exceljs writes it last, and its reader holds the worksheets back until the zip was read.
    if (this.model === undefined) {
      throw new PortfolioReadError('unsupported_format', 'The XLSX file has no workbook part (xl/workbook.xml)');
    }
    return parseWorksheet.call(this, decodeUtf8(iterator), sheetNo);
  };
}

async function* decodeUtf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function* sheetRecords(sheet: WorksheetLike, signal?: AbortSignal): AsyncGenerator<SheetRecord> {
  try {
    for await (const row of sheet) {
      signal?.throwIfAborted();
      const values = row.values;
      const cells: RawCell[] = [];
      if (Array.isArray(values)) {
        // exceljs rows are 1-based sparse arrays: index 0 is always empty.
        for (let i = 1; i < values.length; i++) cells.push(toRawCell(values[i]));
      }
      yield { rowNumber: row.number, cells };
    }
  } catch (err) {
    throw asReadError(err);
  }
}

/**
 * What the zip or XML parsers throw for a cut-short or corrupt workbook (unzipper's
 * 'FILE_ENDED', 'invalid signature', sax's 'Unexpected end') becomes the import's
 * translated `damaged_file`. Our own read errors, a cancel and system errors (a file that
 * vanished: ENOENT) pass unchanged.
 */
function asReadError(err: unknown): unknown {
  if (err instanceof PortfolioReadError) return err;
  if (!(err instanceof Error)) return err;
  if (err.name === 'AbortError' || (err as NodeJS.ErrnoException).code !== undefined) return err;
  return new PortfolioReadError('damaged_file', `The XLSX file is damaged or incomplete: ${err.message}`);
}

/** exceljs cell values (rich text, formulas, hyperlinks, errors) to plain values. */
export function toRawCell(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      return (v.richText as Array<{ text?: unknown }>).map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
    }
    if ('formula' in v || 'sharedFormula' in v) return toRawCell(v.result);
    if ('text' in v) return toRawCell(v.text);
    if ('error' in v) return null;
  }
  return null;
}
