// A timeline fact's details in words. The ledger sends kind-specific fields as plain
// values (electron/ledger/queries/timeline.ts); known fields get a translated label and
// value in a fixed order, ids are never shown, empty fields are left out, and unknown
// fields are shown as sent (so a new field is visible before it has words).
import type { TimelineEntry } from '../../../../shared/api/contract';
import type { FactKind } from '../../../../shared/domain/types';
import { formatPhone, money, shortDate, type FormatContext } from '../../i18n/format';

type Primitive = string | number | boolean | null;

/** Fields whose values are codes with their own translation namespace. */
const CODE_NAMESPACES: Record<string, string> = {
  channel: 'channel',
  party: 'party',
  outcome: 'outcome',
  method: 'paymentMethod',
  flag: 'flags',
  decision: 'plans.statusValue',
};

/** Status codes mean different things per kind. */
const STATUS_NAMESPACES: Partial<Record<FactKind, string>> = {
  promise: 'promiseStatus',
  plan_proposal: 'plans.statusValue',
};

/** Comma-joined code lists and the namespace of each code. */
const LIST_NAMESPACES: Record<string, string> = {
  hardshipReasons: 'hardship',
  overrideRules: 'conduct.rule',
};

/** Self-explanatory values shown without a label ("上门 · 借款人本人 · 承诺还款"). */
const UNLABELLED = new Set(['channel', 'party', 'outcome', 'flag', 'decision']);

const FIELD_ORDER = [
  'channel',
  'party',
  'contactPointValue',
  'outcome',
  'flag',
  'decision',
  'effectiveOn',
  'value',
  'amountFen',
  'monthlyFen',
  'months',
  'firstDueDate',
  'totalFen',
  'affordableFen',
  'dueDate',
  'status',
  'method',
  'reference',
  'receiptNo',
  'loanNo',
  'paidOn',
  'hardshipReasons',
  'reason',
  'nextActionDate',
  'secondCollectorName',
  'toOfficerName',
];

/** Shown on their own line, not in the summary. */
const LONG_TEXT_FIELDS = new Set(['note', 'text', 'comment']);
/** Known fields the timeline shows elsewhere or not at all. */
const HIDDEN_FIELDS = new Set([
  'reversed',
  'overridden',
  'overrideReason',
  'overrideRules',
  'notices',
  'flaggedTerms',
  'monthlyIncomeFen',
  'essentialExpensesFen',
  'otherDebtPaymentsFen',
  'lastDueDate',
]);

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
  /** A contact made against a conduct rule, with the reason and the rules. */
  override: { reason: string; rules: string } | null;
  /** Conduct notices the officer was shown ("do not disclose the debt"). */
  notices: string[];
  /** Wording from the pack's lists found in the note. */
  flaggedTerms: string[];
}

function isHidden(key: string, value: Primitive): boolean {
  return value === null || value === '' || /Id$/.test(key) || HIDDEN_FIELDS.has(key);
}

function codes(value: Primitive): string[] {
  return typeof value === 'string' && value ? value.split(',') : [];
}

function formatValue(
  kind: FactKind,
  key: string,
  value: string | number | boolean,
  ctx: FormatContext,
): string {
  const { t } = ctx;
  if (key === 'contactPointValue' && typeof value === 'string') return formatPhone(value);
  if (key === 'status' && typeof value === 'string') {
    const ns = STATUS_NAMESPACES[kind];
    return ns ? t(`${ns}.${value}`, { defaultValue: value }) : value;
  }
  if (key === 'reason' && kind === 'flag_change' && value === 'plan_proposed')
    return t('timeline.flagReasonPlan');
  if (key === 'value' && typeof value === 'boolean')
    return value ? t('timeline.flagOn') : t('timeline.flagOff');
  const listNs = LIST_NAMESPACES[key];
  if (listNs && typeof value === 'string')
    return value
      .split(',')
      .map((c) => t(`${listNs}.${c}`, { defaultValue: c }))
      .join(t('plans.reasonJoiner'));
  const namespace = CODE_NAMESPACES[key];
  if (namespace && typeof value === 'string')
    return t(`${namespace}.${value}`, { defaultValue: value });
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
  const { t } = ctx;
  const summary: FactDetailLine[] = [];
  const notes: string[] = [];
  const d = entry.details;
  const entries = Object.entries(d).sort(([a], [b]) => fieldRank(a) - fieldRank(b));
  for (const [key, value] of entries) {
    if (LONG_TEXT_FIELDS.has(key)) {
      if (typeof value === 'string' && value.trim()) notes.push(value);
      continue;
    }
    if (isHidden(key, value) || value === null) continue;
    // A visit or letter goes to an address, a call or SMS to a number.
    const labelKey =
      key === 'contactPointValue' && (d['channel'] === 'visit' || d['channel'] === 'letter')
        ? 'contactPointAddress'
        : key;
    summary.push({
      key,
      label: UNLABELLED.has(key)
        ? undefined
        : t(`caseFile.detail.${labelKey}`, { defaultValue: key }),
      value: formatValue(entry.kind, key, value, ctx),
    });
  }
  const override =
    d['overridden'] === true
      ? {
          reason: typeof d['overrideReason'] === 'string' ? d['overrideReason'] : '',
          rules: codes(d['overrideRules'] ?? null)
            .map((c) => t(`conduct.rule.${c}`, { defaultValue: c }))
            .join(t('plans.reasonJoiner')),
        }
      : null;
  return {
    summary,
    notes,
    reversed: d['reversed'] === true,
    override,
    notices: codes(d['notices'] ?? null).map((c) => t(`conduct.notice.${c}`, { defaultValue: c })),
    flaggedTerms: codes(d['flaggedTerms'] ?? null),
  };
}
