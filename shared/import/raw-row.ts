// What a reader hands to validation: rows keyed by the file's own column headers, values as
// the file holds them (CSV: strings; XLSX: strings, numbers, booleans or dates).

export type RawCell = string | number | boolean | Date | null;

export interface RawRow {
  /** The row as a spreadsheet shows it: the header row and any title rows above it count. */
  rowNumber: number;
  /** Header -> value. Headers are those of SourceMeta.headers; extra cells get '#<column>'. */
  cells: Record<string, RawCell>;
}

export const SOURCE_FORMATS = ['csv', 'tsv', 'xlsx'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export const SOURCE_ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'gbk', 'gb18030', 'big5'] as const;
export type SourceEncoding = (typeof SOURCE_ENCODINGS)[number];

export const DELIMITERS = [',', '\t', ';', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** What the reader found out about a file before handing out its rows. */
export interface SourceMeta {
  format: SourceFormat;
  /** null for XLSX (the zip carries its own). */
  encoding: SourceEncoding | null;
  /** null for XLSX. */
  delimiter: Delimiter | null;
  /** Column headers, cleaned (trimmed, inner whitespace collapsed), unique ('名称 (2)'), '#7' when blank. */
  headers: string[];
  /** 1-based row number of the header row. */
  headerRow: number;
  /** Text of the rows above the header (a report title such as '截至2026年11月20日贷款台账'). */
  preamble: string[];
  /** Worksheet read (XLSX), and every worksheet name seen before it was chosen. */
  sheet: string | null;
  sheets: string[];
  fileName: string;
  fileSize: number;
  /** Modification time when opened; a second pass refuses a file that changed since. */
  fileModifiedMs: number;
}

/** 1-based column number -> 'A', 'B', …, 'AA' (for '#' headers and messages). */
export function columnLetter(columnNumber: number): string {
  let n = columnNumber;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
