// Amounts as core banking exports write them. Text in yuan goes through the app's one money
// parser (shared/money.ts: thousands separators, ¥ / 元, full-width digits); what differs for
// files is handled here: numeric XLSX cells carrying float noise, accounting negatives
// '(1,234.50)', dash placeholders for "nothing", and columns counted in 万元 or in fen.
import type { Fen } from '../domain/types';
import { parseAmountToFen } from '../money';
import { cellText, toHalfWidth } from './cell-text';
import type { MoneyUnit } from './fields';
import type { RawCell } from './raw-row';

export type AmountParse = { ok: true; fen: Fen } | { ok: false; code: 'bad_amount' };

const FEN_PER_UNIT: Record<MoneyUnit, number> = { yuan: 100, wan_yuan: 1_000_000, fen: 1 };
const DECIMALS_PER_UNIT: Record<MoneyUnit, number> = { yuan: 2, wan_yuan: 6, fen: 0 };

/** Cells that mean "no amount" in exports: blank, or a dash an accountant typed. */
const EMPTY_AMOUNT = new Set(['-', '--', '—', '——', '/', '无']);

/**
 * Parses one money cell to integer fen; null when the cell is blank. Never goes through a
 * float for text. A numeric cell is accepted when it is within float noise of a whole
 * number of fen (4568.47 is stored as 4568.469999…), and refused when it has more
 * precision than the unit allows (1.005 yuan is not a whole number of fen).
 */
export function parseImportAmount(cell: RawCell, unit: MoneyUnit = 'yuan'): AmountParse | null {
  if (typeof cell === 'number') return amountFromNumber(cell, unit);
  if (typeof cell === 'boolean' || cell instanceof Date) return { ok: false, code: 'bad_amount' };
  const raw = cellText(cell);
  if (raw === null) return null;
  let text = toHalfWidth(raw).replace(/\s+/g, '');
  if (EMPTY_AMOUNT.has(text)) return null;
  let negative = false;
  const accounting = /^\((.*)\)$/.exec(text);
  if (accounting) {
    negative = true;
    text = accounting[1] ?? '';
  }
  const fen = unit === 'yuan' ? parseAmountToFen(text) : parseScaled(text, unit);
  if (fen === null) return { ok: false, code: 'bad_amount' };
  if (negative && fen < 0) return { ok: false, code: 'bad_amount' };
  return { ok: true, fen: negative ? -fen : fen };
}

function amountFromNumber(value: number, unit: MoneyUnit): AmountParse {
  if (!Number.isFinite(value)) return { ok: false, code: 'bad_amount' };
  const scaled = value * FEN_PER_UNIT[unit];
  const fen = Math.round(scaled);
  const noise = Math.max(1e-6, Math.abs(scaled) * 1e-12);
  if (Math.abs(scaled - fen) > noise || !Number.isSafeInteger(fen)) return { ok: false, code: 'bad_amount' };
  return { ok: true, fen: fen === 0 ? 0 : fen };
}

/** Text in 万元 or fen: same grammar as yuan text but a different number of decimals. */
function parseScaled(text: string, unit: MoneyUnit): Fen | null {
  const stripped = text
    .replace(/^([+-]?)(?:¥|RMB)/i, '$1')
    .replace(unit === 'wan_yuan' ? /(?:万元|万)$/ : /分$/, '');
  const m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(stripped);
  if (!m) return null;
  const [, sign = '', intRaw = '', decRaw = ''] = m;
  const maxDecimals = DECIMALS_PER_UNIT[unit];
  if (decRaw.length > maxDecimals) return null;
  const digits = intRaw.replace(/,/g, '') + decRaw.padEnd(maxDecimals, '0');
  const big = BigInt(digits);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const fen = Number(big);
  return sign === '-' && fen !== 0 ? -fen : fen;
}

/** 'fen' -> '1234.50' (yuan, two decimals, no grouping): for files a machine reads back. */
export function fenToYuanText(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fenToYuanText: not a safe integer: ${fen}`);
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
