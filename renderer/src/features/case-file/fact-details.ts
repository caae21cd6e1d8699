// A timeline fact's details in words. The ledger sends kind-specific fields as plain
// values; known fields get a translated label and value in a fixed order, ids are never
// shown, empty fields are left out, and unknown fields are shown as sent (so a new field
// is visible before it has words).
import type { TimelineEntry } from '../../../../shared/api/contract';
import { formatPhone, money, shortDate, type FormatContext } from '../../i18n/format';

type Primitive = string | number | boolean | null;

/** Fields whose values are codes with their own translation namespace. */
const CODE_NAMESPACES: Record<string, string> = {
  channel: 'channel',
  party: 'party',
  outcome: 'outcome',
  method: 'paymentMethod',
  status: 'promiseStatus',
};

/** Self-explanatory values shown without a label ("上门 · 借款人本人 · 承诺还款"). */
const UNLABELLED = new Set(['channel', 'party', 'outcome']);

const FIELD_ORDER = [
  'channel',
  'party',
  'contactPointValue',
  'outcome',
  'amountFen',
  'dueDate',
  'status',
  'method',
  'receiptNo',
  'loanNo',
  'paidOn',
  'reason',
  'nextActionDate',
  'secondCollectorName',
];

/** Shown on their own line, not in the summary. */
const LONG_TEXT_FIELDS = new Set(['note', 'text']);

export interface FactDetailLine {
  key: string;
  /** Absent for values that speak for themselves. */
  label?: string;
  value: string;
}

export interface FactDetails {
  summary: FactDetailLine[];
  notes: string[];
  /** A payment that a later reversal cancelled. */
  reversed: boolean;
}

function isHidden(key: string, value: Primitive): boolean {
  return value === null || value === '' || /Id$/.test(key) || key === 'reversed';
}

function formatValue(key: string, value: string | number | boolean, ctx: FormatContext): string {
  if (key === 'contactPointValue' && typeof value === 'string') return formatPhone(value);
  const namespace = CODE_NAMESPACES[key];
  if (namespace && typeof value === 'string')
    return ctx.t(`${namespace}.${value}`, { defaultValue: value });
  if (typeof value === 'number' && /Fen$/.test(key)) return money(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return shortDate(value, ctx);
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  return String(value);
}

function fieldRank(key: string): number {
  const i = FIELD_ORDER.indexOf(key);
  return i === -1 ? FIELD_ORDER.length : i;
}

export function factDetails(entry: TimelineEntry, ctx: FormatContext): FactDetails {
  const summary: FactDetailLine[] = [];
  const notes: string[] = [];
  const entries = Object.entries(entry.details).sort(([a], [b]) => fieldRank(a) - fieldRank(b));
  for (const [key, value] of entries) {
    if (LONG_TEXT_FIELDS.has(key)) {
      if (typeof value === 'string' && value.trim()) notes.push(value);
      continue;
    }
    if (isHidden(key, value) || value === null) continue;
    summary.push({
      key,
      label: UNLABELLED.has(key)
        ? undefined
        : ctx.t(`caseFile.detail.${key}`, { defaultValue: key }),
      value: formatValue(key, value, ctx),
    });
  }
  return { summary, notes, reversed: entry.details['reversed'] === true };
}
