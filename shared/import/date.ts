// Dates as core banking exports and Excel write them. shared/dates.ts works on ISO dates the
// app made itself; files need a reader for '2026/3/5', '20260305', '2026年3月5日', full-width
// digits, a trailing '00:00:00', Excel date cells and Excel serial numbers.
import type { IsoDate } from '../domain/types';
import { daysInMonth } from '../dates';
import { cellText, toHalfWidth } from './cell-text';
import type { RawCell } from './raw-row';

export type DateParseError = 'bad_date' | 'impossible_date' | 'date_out_of_range';
export type DateParse = { ok: true; date: IsoDate } | { ok: false; code: DateParseError };

/** Business dates outside this window are typos or Excel's zero date (1899-12-30). */
export const IMPORT_DATE_MIN: IsoDate = '1950-01-01';
export const IMPORT_DATE_MAX: IsoDate = '2100-12-31';

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const MS_PER_DAY = 86_400_000;

const DATE_PATTERNS: readonly RegExp[] = [
  /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/, // 2026-03-05, 2026/3/5, 2026.3.5
  /^(\d{4})()年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/, // 2026年3月5日
  /^(\d{4})()(\d{2})(\d{2})$/, // 20260305
];
const TRAILING_TIME = /(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|[ T]+\d{1,2}时\d{1,2}分(?:\d{1,2}秒)?)$/;

/** Parses one date cell; null when the cell is blank. */
export function parseImportDate(cell: RawCell): DateParse | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) {
    // exceljs gives date cells as UTC midnight of the day Excel shows.
    if (Number.isNaN(cell.getTime())) return { ok: false, code: 'bad_date' };
    return checked(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
  }
  if (typeof cell === 'number') return dateFromNumber(cell);
  if (typeof cell === 'boolean') return { ok: false, code: 'bad_date' };
  const raw = cellText(cell);
  if (raw === null) return null;
  const text = toHalfWidth(raw).trim().replace(TRAILING_TIME, '');
  for (const pattern of DATE_PATTERNS) {
    const m = pattern.exec(text);
    if (m) return checked(Number(m[1]), Number(m[3]), Number(m[4]));
  }
  return { ok: false, code: 'bad_date' };
}

function dateFromNumber(value: number): DateParse {
  if (!Number.isFinite(value)) return { ok: false, code: 'bad_date' };
  const whole = Math.floor(value);
  // A number cell holding 20260305 (yyyymmdd typed as a number).
  if (whole === value && whole >= 10_000_000 && whole <= 99_991_231) {
    return checked(Math.floor(whole / 10_000), Math.floor(whole / 100) % 100, whole % 100);
  }
  // An Excel serial day number (date cell read without its format); the fraction is the time.
  if (whole >= 1 && whole <= 2_958_465) {
    const d = new Date(EXCEL_EPOCH_MS + whole * MS_PER_DAY);
    return checked(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return { ok: false, code: 'bad_date' };
}

function checked(y: number, m: number, d: number): DateParse {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return { ok: false, code: 'impossible_date' };
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (iso < IMPORT_DATE_MIN || iso > IMPORT_DATE_MAX) return { ok: false, code: 'date_out_of_range' };
  return { ok: true, date: iso };
}

/**
 * A snapshot date stated in a report title or a file name ('截至2026年11月20日贷款台账',
 * 'loans_20261120.csv'), for the UI to offer as the file's as-of date. The last date
 * mentioned wins ('2026-11-01至2026-11-20' is a period that ends on the 20th).
 */
export function guessAsOfDate(texts: readonly string[]): IsoDate | null {
  let found: IsoDate | null = null;
  const candidate = /(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|(\d{2})(\d{2}))(?!\d)/g;
  for (const raw of texts) {
    const text = toHalfWidth(raw);
    for (const m of text.matchAll(candidate)) {
      const before = m.index > 0 ? text[m.index - 1] : '';
      if (before && /\d/.test(before)) continue;
      const month = m[2] ?? m[4];
      const day = m[3] ?? m[5];
      const parsed = checked(Number(m[1]), Number(month), Number(day));
      if (parsed.ok) found = parsed.date;
    }
  }
  return found;
}
