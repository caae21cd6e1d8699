// Turning one cell into clean text. Exports from core banking systems and from Excel carry
// full-width characters, '="000123"' guards for leading zeros, and apostrophe text prefixes.
import type { RawCell } from './raw-row';

// Characters NFKC may change: Latin-1 compatibility forms, general punctuation to CJK
// compatibility (U+2000-U+33FF: ①, ㎡, ideographic space), compatibility ideographs and the
// full-width / half-width block. Text without any is returned as is: most cells, and cheaper.
const MAY_NORMALISE = /[\u00A0-\u00FF\u2000-\u33FF\uF900-\uFAFF\uFE30-\uFFEF]/;

/** Full-width digits, letters and punctuation to their ASCII forms (NFKC), ideographic space to space. */
export function toHalfWidth(text: string): string {
  return MAY_NORMALISE.test(text) ? text.normalize('NFKC') : text;
}

/**
 * The text a person sees in the cell, trimmed; null when blank. Numbers print as JavaScript
 * prints them (callers that need digits check for exponent notation); dates as 'YYYY-MM-DD'.
 */
export function cellText(cell: RawCell): string | null {
  if (cell === null || cell === undefined) return null;
  let text: string;
  if (typeof cell === 'string') text = cell;
  else if (typeof cell === 'number') text = Number.isFinite(cell) ? String(cell) : '';
  else if (typeof cell === 'boolean') text = cell ? 'TRUE' : 'FALSE';
  else text = Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  text = text.trim();
  // '="000123"' is how some exporters stop Excel from dropping leading zeros.
  if (text.charCodeAt(0) === 61 /* = */) {
    const guarded = /^="(.*)"$/s.exec(text);
    if (guarded) text = (guarded[1] ?? '').trim();
  }
  // A leading apostrophe is Excel's "store as text" marker, never part of the value.
  if (text.charCodeAt(0) === 39 /* ' */) text = text.slice(1).trim();
  return text === '' ? null : text;
}

/** A value short enough to quote back in a message without flooding it. */
export function quoteValue(cell: RawCell): string {
  const text = cellText(cell) ?? '';
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** Any U+FFFD means bytes were decoded with the wrong encoding (or the file is damaged). */
export function hasReplacementChar(text: string): boolean {
  return text.includes('\uFFFD');
}
