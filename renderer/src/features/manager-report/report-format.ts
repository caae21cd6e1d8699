// Numbers as a printed report shows them: ratios as percentages with one decimal ('—' when
// there was nothing to divide by, so an empty month never reads as 0 %), and large sums of
// money to the yuan, derived from formatFen so there is still one money formatter.
import { formatFen } from '../../../../shared/money';
import type { Fen } from '../../../../shared/domain/types';

/** '32.2%'; '—' when the denominator was 0. */
export function percent(ratio: number, denominator: number = 1): string {
  if (denominator === 0 || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(1)}%`;
}

/** '¥30,462,291' (rounded to the yuan): report tables, where cents only add width. */
export function yuan(fen: Fen): string {
  return formatFen(Math.round(fen / 100) * 100).replace(/\.00$/, '');
}

/** Whole numbers with thousands separators, the same way in both languages. */
export function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** '9.6' for rates per day. */
export function decimal(n: number): string {
  return n.toFixed(1);
}
