// CSV and TSV records, streamed: file -> byte tap -> decoder (iconv-lite) -> csv-parse.
// Blank lines come through as records so row numbers match what a spreadsheet shows.
import { CsvError, parse, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import type { Delimiter, SourceEncoding } from '../../import/raw-row';
import type { ByteTap } from './byte-tap';
import { PortfolioReadError } from './errors';
import { decoderName } from './sniff';
import type { SheetRecord } from './records';

/** A record longer than this is an unclosed quote swallowing the file, not data. */
const MAX_RECORD_CHARS = 1_000_000;

const parseOptions = (delimiter: Delimiter): Options => ({
  delimiter,
  record_delimiter: ['\r\n', '\n', '\r'],
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
  max_record_size: MAX_RECORD_CHARS,
});

/** Where the streaming parse starts: at a line, with the spreadsheet row number that line has. */
export interface CsvStart {
  fromLine: number;
  firstRowNumber: number;
}

/**
 * csv-parse checks every record's length against the first record it emits and, with
 * relaxed column counts, still builds (and drops) an Error for each mismatch: with a report
 * title as the first record, that is one Error with a stack trace per data row, about a
 * third of the reading time. Starting the parse at a record as long as the data rows (the
 * header, or the first data row) avoids it. `start` comes from sniffCsvRecords.
 */
export async function* csvRecords(
  path: string,
  encoding: SourceEncoding,
  delimiter: Delimiter,
  tap: ByteTap,
  signal?: AbortSignal,
  start?: CsvStart,
): AsyncGenerator<SheetRecord> {
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  const parser = parse({ ...parseOptions(delimiter), ...(start ? { from_line: start.fromLine } : {}) });
  // Errors anywhere in the chain destroy the parser, which ends the loop below with that error.
  pipeline(source, tap, iconv.decodeStream(decoderName(encoding)), parser, () => undefined);
  let rowNumber = start ? start.firstRowNumber - 1 : 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      signal?.throwIfAborted();
      rowNumber++;
      yield { rowNumber, cells: record };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      // csv-parse puts the line it stopped at on the error object (not in its typings).
      const lines = (err as unknown as { lines?: unknown }).lines;
      const line = typeof lines === 'number' ? lines : rowNumber + 1;
      throw new PortfolioReadError('malformed_csv', err.message, { line });
    }
    throw err;
  } finally {
    source.destroy();
  }
}

export interface SniffedRecord extends SheetRecord {
  /** Line (as csv-parse counts) on which the record ends. */
  endLine: number;
}

/**
 * The first records of a decoded sample, parsed the way the stream will parse them; null
 * when the sample cannot be cut at a record boundary (a quoted field spanning the cut).
 */
export function sniffCsvRecords(text: string, delimiter: Delimiter, wholeFile: boolean, maxLines = 60): SniffedRecord[] | null {
  const cuts: number[] = [];
  let newlines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && newlines < maxLines; i = text.indexOf('\n', i + 1)) {
    newlines++;
    cuts.push(i + 1);
  }
  if (wholeFile && newlines < maxLines) cuts.push(text.length);
  // Longest cut first; an earlier one when a quoted newline straddles it.
  for (const cut of cuts.reverse().slice(0, 5)) {
    try {
      const parsed = parseSync(text.slice(0, cut), { ...parseOptions(delimiter), info: true }) as unknown as Array<{
        record: string[];
        info: { lines: number };
      }>;
      return parsed.map((r, i) => ({ rowNumber: i + 1, cells: r.record, endLine: r.info.lines }));
    } catch {
      continue;
    }
  }
  return null;
}
