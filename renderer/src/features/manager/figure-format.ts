// Numbers as a manager reads them on the dashboard: ratios as percentages with one
// decimal, and large amounts in 万 / 亿 (Chinese) or k / M (English) so a card stays
// one line wide; the exact amount is always one hover away (formatFen).
import { formatFen } from '../../../../shared/money';
import type { Fen } from '../../../../shared/domain/types';
import type { Language } from '../../i18n';

/** 0.32159 → '32.2%'; a ratio of exactly 0 or 1 drops the decimal ('0%', '100%'). */
export function percent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const value = Math.round(ratio * 1000) / 10;
  return Number.isInteger(value) ? `${value}%` : `${value.toFixed(1)}%`;
}

function trimmed(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '');
}

function grouped(text: string): string {
  const [whole = '', decimals] = text.split('.');
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return decimals ? `${withCommas}.${decimals}` : withCommas;
}

/**
 * A short amount: '¥9,472.2万' / '¥94.72M'. Amounts under ¥10,000 (zh) or ¥1,000 (en)
 * are written in full with their cents, where rounding would hide what a borrower owes.
 */
export function compactMoney(fen: Fen, lang: Language): string {
  const sign = fen < 0 ? '-' : '';
  const yuan = Math.abs(fen) / 100;
  if (lang === 'zh-CN') {
    if (yuan >= 1e8) return `${sign}¥${grouped(trimmed(yuan / 1e8, 2))}亿`;
    if (yuan >= 1e4) return `${sign}¥${grouped(trimmed(yuan / 1e4, 1))}万`;
    return formatFen(fen);
  }
  if (yuan >= 1e9) return `${sign}¥${grouped(trimmed(yuan / 1e9, 2))}B`;
  if (yuan >= 1e6) return `${sign}¥${grouped(trimmed(yuan / 1e6, 2))}M`;
  if (yuan >= 1e3) return `${sign}¥${grouped(trimmed(yuan / 1e3, 1))}k`;
  return formatFen(fen);
}

/** Contacts per day and other averages: one decimal, none when whole. */
export function average(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return trimmed(value, 1);
}
