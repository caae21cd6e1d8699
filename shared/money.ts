// Money is integer fen everywhere. These two functions are the only bridge to text:
// formatting never goes through floats, and parsing works on the digit string so that
// '0.29' is exactly 29 fen (0.29 * 100 === 28.999999999999996 in floating point).
import type { Fen } from './domain/types';

const YUAN_SIGN = '¥';

/** 123450 -> '¥1,234.50'; -5 -> '-¥0.05'; 0 -> '¥0.00'. Throws on a non-integer (a bug upstream). */
export function formatFen(fen: Fen): string {
  if (!Number.isSafeInteger(fen))
    throw new RangeError(`formatFen: not a safe integer number of fen: ${fen}`);
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const yuanText = groupThousands(String(yuan));
  return `${negative ? '-' : ''}${YUAN_SIGN}${yuanText}.${String(cents).padStart(2, '0')}`;
}

function groupThousands(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    const fromEnd = digits.length - i;
    out += digits[i];
    if (fromEnd > 1 && fromEnd % 3 === 1) out += ',';
  }
  return out;
}

/** Full-width forms an IME produces: digits ０-９, '．', '，', '－', '＋', '￥'. */
function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

// After normalisation: optional sign, optional currency sign (either order), digits with
// optional well-formed thousands groups, optional 0-2 decimals, optional 元 / 圆 / RMB suffix.
const AMOUNT_RE = /^([+-]?)(?:¥|RMB)?([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?(?:元|圆|RMB)?$/i;

/**
 * Reads what an officer types into an amount field. Accepts '1,234.50', '¥1,234.5',
 * '1234.5元', full-width '１２３４.５', surrounding spaces, and a leading minus.
 * Returns null for anything ambiguous: empty text, letters, more than two decimals
 * ('1.234' could be a European thousands separator), malformed groups ('12,34'), two signs,
 * or a value beyond Number.MAX_SAFE_INTEGER fen.
 * Negative amounts parse (so parse(formatFen(x)) === x); callers that need a positive
 * payment amount must check it themselves.
 */
export function parseAmountToFen(text: string): Fen | null {
  const normal = toHalfWidth(text)
    .trim()
    .replace(/\s+/g, '')
    .replace(/[￥]/g, '¥')
    .replace(/[−–]/g, '-');
  const m = AMOUNT_RE.exec(normal);
  if (!m) return null;
  const [, sign1 = '', sign2 = '', intRaw = '', decRaw] = m;
  if (sign1 && sign2) return null;
  const sign = sign1 || sign2;
  const intDigits = intRaw.replace(/,/g, '');
  const decDigits = decRaw ?? '';
  if (intDigits === '' && decDigits === '') return null;
  if (decDigits.length > 2) return null;
  const fenDigits = (intDigits || '0') + decDigits.padEnd(2, '0');
  const big = BigInt(fenDigits);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const fen = Number(big);
  return sign === '-' && fen !== 0 ? -fen : fen;
}
