// Parsers for the non-money, non-date cells of a portfolio row. Each returns the clean value,
// null for a blank cell, or the issue code that explains why the cell was refused.
import { cellText, toHalfWidth } from './cell-text';
import type { RawCell } from './raw-row';

export type Parsed<T, C extends string> = { ok: true; value: T } | { ok: false; code: C; params?: Record<string, string | number> };

/**
 * A loan number is an identifier: kept as text, never rounded. A number cell is accepted only
 * as a safe integer; '2.02501E+13' means Excel turned the identifier into a float and the
 * last digits are gone, which no later step can repair.
 */
export function parseLoanNo(cell: RawCell): Parsed<string, 'bad_loan_no'> | null {
  if (typeof cell === 'number') {
    if (!Number.isSafeInteger(cell) || cell < 0) return { ok: false, code: 'bad_loan_no', params: { reason: 'precision_lost' } };
    return { ok: true, value: String(cell) };
  }
  const raw = cellText(cell);
  if (raw === null) return null;
  const text = toHalfWidth(raw).trim();
  if (/^\d+(?:\.\d+)?e\+?\d+$/i.test(text)) return { ok: false, code: 'bad_loan_no', params: { reason: 'scientific_notation' } };
  // Control characters or U+FFFD: a damaged or wrongly decoded identifier.
  if (hasControlOrReplacement(text)) return { ok: false, code: 'bad_loan_no', params: { reason: 'bad_characters' } };
  return { ok: true, value: text };
}

function hasControlOrReplacement(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0xfffd) return true;
  }
  return false;
}

/** Whole numbers such as a term ('12', '12个月', '3年' = 36) or days past due ('1,200', '45天'). */
export function parseImportInteger(cell: RawCell, kind: 'term' | 'days'): Parsed<number, 'bad_integer'> | null {
  if (typeof cell === 'number') {
    return Number.isSafeInteger(cell) ? { ok: true, value: cell } : { ok: false, code: 'bad_integer' };
  }
  if (typeof cell !== 'string') return cell === null ? null : { ok: false, code: 'bad_integer' };
  const raw = cellText(cell);
  if (raw === null) return null;
  let text = toHalfWidth(raw).replace(/\s+/g, '');
  let factor = 1;
  if (kind === 'term') {
    if (/(?:年|years?)$/i.test(text)) factor = 12;
    text = text.replace(/(?:个月|月|期|年|months?|years?|m)$/i, '');
  } else {
    text = text.replace(/(?:天|日|days?|d)$/i, '');
  }
  const m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$/.exec(text);
  if (!m) return { ok: false, code: 'bad_integer' };
  const value = Number((m[2] ?? '').replace(/,/g, '')) * factor;
  if (!Number.isSafeInteger(value)) return { ok: false, code: 'bad_integer' };
  return { ok: true, value: m[1] === '-' && value !== 0 ? -value : value };
}

/** Percent per year: '4.35', '4.35%', '43.5‰'. A fraction such as 0.0435 is taken as written. */
export function parseRatePct(cell: RawCell): Parsed<number, 'bad_rate'> | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? { ok: true, value: roundRate(cell) } : { ok: false, code: 'bad_rate' };
  if (typeof cell !== 'string') return cell === null ? null : { ok: false, code: 'bad_rate' };
  const raw = cellText(cell);
  if (raw === null) return null;
  const text = toHalfWidth(raw).replace(/\s+/g, '');
  const m = /^(\d+(?:\.\d+)?|\.\d+)(%|‰)?$/.exec(text);
  if (!m) return { ok: false, code: 'bad_rate' };
  const value = Number(m[1]) / (m[2] === '‰' ? 10 : 1);
  return { ok: true, value: roundRate(value) };
}

function roundRate(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export interface PhoneNumbers {
  first: string;
  others: string[];
  /** True when a number is masked ('138****5678'): kept, but nobody can dial it. */
  masked: boolean;
}

const MOBILE = /^1[3-9]\d{9}$/;
const MASKED_MOBILE = /^1[3-9]\d[\d*]{4}\d{4}$/;
// Landline with its area code (010-12345678, 0833-1234567), optionally an extension.
const LANDLINE = /^0\d{2,3}\d{7,8}(?:#\d{1,6})?$/;

/**
 * Phone cells: one or several numbers ('13800000000/13900000000'), with spaces, dashes,
 * brackets or a +86 prefix. Each number must be a mainland mobile or a landline with area code.
 */
export function parsePhones(cell: RawCell): Parsed<PhoneNumbers, 'bad_phone'> | null {
  if (typeof cell === 'number') cell = Number.isSafeInteger(cell) ? String(cell) : '#';
  const raw = cellText(cell);
  if (raw === null) return null;
  const parts = toHalfWidth(raw)
    .split(/[/;,、|\n]+|\s{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const numbers: string[] = [];
  let masked = false;
  for (const part of parts) {
    let digits = part.replace(/(?:转|ext\.?|x)\s*(\d{1,6})$/i, '#$1').replace(/[\s\-()]/g, '');
    digits = digits.replace(/^(?:\+86|0086|86(?=1[3-9]\d{9}$))/, '');
    if (MOBILE.test(digits) || LANDLINE.test(digits)) numbers.push(digits);
    else if (MASKED_MOBILE.test(digits)) {
      numbers.push(digits);
      masked = true;
    } else return { ok: false, code: 'bad_phone' };
  }
  const [first, ...others] = numbers;
  if (first === undefined) return null;
  return { ok: true, value: { first, others, masked } };
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * Resident ID numbers: 18 characters (the last may be X) with a valid check digit, the old
 * 15-digit form, or a masked export ('1742181994********') whose hidden digits cannot be checked.
 */
export function parseIdNumber(cell: RawCell): Parsed<string, 'bad_id_number'> | null {
  if (typeof cell === 'number') {
    // 18 digits do not fit in a float: the number is already wrong.
    if (!Number.isSafeInteger(cell) || String(cell).length !== 15) {
      return { ok: false, code: 'bad_id_number', params: { reason: 'precision_lost' } };
    }
    return { ok: true, value: String(cell) };
  }
  const raw = cellText(cell);
  if (raw === null) return null;
  const text = toHalfWidth(raw).replace(/\s+/g, '').toUpperCase();
  if (/^\d{15}$/.test(text)) return { ok: true, value: text };
  if (/^[\dX*]{18}$/.test(text) && text.includes('*')) return { ok: true, value: text };
  if (!/^\d{17}[\dX]$/.test(text)) return { ok: false, code: 'bad_id_number', params: { reason: 'format' } };
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(text[i]) * (ID_WEIGHTS[i] ?? 0);
  if (ID_CHECK[sum % 11] !== text[17]) return { ok: false, code: 'bad_id_number', params: { reason: 'check_digit' } };
  return { ok: true, value: text };
}

/** Free text: trimmed, inner runs of whitespace collapsed, too long refused. */
export function parseText(cell: RawCell, maxLength: number | undefined): Parsed<string, 'too_long' | 'bad_text'> | null {
  const raw = cellText(cell);
  if (raw === null) return null;
  const text = raw.replace(/\s+/g, ' ');
  // U+FFFD: bytes decoded with the wrong encoding; importing them would store garbled names.
  if (text.includes('\uFFFD')) return { ok: false, code: 'bad_text', params: { reason: 'garbled' } };
  if (maxLength !== undefined && text.length > maxLength) return { ok: false, code: 'too_long', params: { max: maxLength } };
  return { ok: true, value: text };
}
