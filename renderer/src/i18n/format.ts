// Turns ledger data into words in the user's language. Money goes through formatFen and
// full dates through formatIsoDate (shared/), so the renderer never formats them twice.
import type { TFunction } from 'i18next';
import {
  daysBetween,
  formatIsoDate,
  formatMinuteOfDay,
  localDateTime,
} from '../../../shared/dates';
import { formatFen } from '../../../shared/money';
import type { Instant, IsoDate, PriorityReason } from '../../../shared/domain/types';
import type { ApiError } from '../api/client';
import type { Language } from './index';

export interface FormatContext {
  t: TFunction;
  lang: Language;
  /** The ledger's business date: relative words ("3 days ago") count from it, not from the clock. */
  today: IsoDate;
  /** The branch's IANA time zone, for instants. */
  timeZone: string;
}

/** '11月20日' / '20 Nov' within the business year, the full date otherwise. */
export function shortDate(date: IsoDate, ctx: FormatContext): string {
  if (date.slice(0, 4) !== ctx.today.slice(0, 4)) return formatIsoDate(date, ctx.lang);
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return ctx.t('date.short', { month, day, monthName: ctx.t(`date.monthShort.${month - 1}`) });
}

export function longDate(date: IsoDate, ctx: FormatContext): string {
  return formatIsoDate(date, ctx.lang);
}

/** '2026年11月28日 星期六' / 'Saturday, 28 Nov 2026'. */
export function businessDateWithWeekday(date: IsoDate, ctx: FormatContext): string {
  const weekday = ctx.t(`date.weekday.${new Date(`${date}T00:00:00Z`).getUTCDay()}`);
  return ctx.lang === 'zh-CN'
    ? `${formatIsoDate(date, ctx.lang)} ${weekday}`
    : `${weekday}, ${formatIsoDate(date, ctx.lang)}`;
}

/** 'today', 'yesterday', '3 days ago', 'in 2 days', counted in business dates. */
export function relativeDate(date: IsoDate, ctx: FormatContext): string {
  const ago = daysBetween(date, ctx.today);
  if (ago === 0) return ctx.t('date.today');
  if (ago === 1) return ctx.t('date.yesterday');
  if (ago === -1) return ctx.t('date.tomorrow');
  return ago > 0 ? ctx.t('date.daysAgo', { count: ago }) : ctx.t('date.inDays', { count: -ago });
}

/** The business date of an instant in the branch's zone. */
export function instantDate(instant: Instant, ctx: FormatContext): IsoDate {
  return localDateTime(instant, ctx.timeZone).date;
}

/** '11月20日 14:05' / '20 Nov 14:05' in the branch's time zone. */
export function formatInstant(instant: Instant, ctx: FormatContext): string {
  const local = localDateTime(instant, ctx.timeZone);
  return `${shortDate(local.date, ctx)} ${formatMinuteOfDay(local.minuteOfDay)}`;
}

/** Mainland mobile numbers in the 3-4-4 groups people read them in; anything else as stored. */
export function formatPhone(value: string): string {
  const digits = value.replace(/[\s-]/g, '');
  return /^1\d{10}$/.test(digits)
    ? `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`
    : value;
}

export function money(fen: number): string {
  return formatFen(fen);
}

export function formatReason(reason: PriorityReason, ctx: FormatContext): string {
  const { t } = ctx;
  switch (reason.code) {
    case 'days_past_due':
      return t('reason.days_past_due', { count: reason.days });
    case 'promise_broken':
      return t('reason.promise_broken', { date: shortDate(reason.dueDate, ctx) });
    case 'promise_due_today':
      return t('reason.promise_due_today');
    case 'promise_due_soon':
      return t('reason.promise_due_soon', { date: shortDate(reason.dueDate, ctx) });
    case 'promise_partly_kept':
      return t('reason.promise_partly_kept', { date: shortDate(reason.dueDate, ctx) });
    case 'promise_in_grace':
      return t('reason.promise_in_grace', { date: shortDate(reason.dueDate, ctx) });
    case 'follow_up_due': {
      const late = daysBetween(reason.date, ctx.today);
      if (late === 0) return t('reason.follow_up_due_today');
      const key = late > 0 ? 'reason.follow_up_overdue' : 'reason.follow_up_due';
      return t(key, { date: shortDate(reason.date, ctx) });
    }
    case 'no_contact':
      return t('reason.no_contact', { count: reason.days });
    case 'never_contacted':
      return t('reason.never_contacted');
    case 'large_arrears':
      // The amount is in the arrears column of the same row; the reason only says it weighs.
      return t('reason.large_arrears');
    case 'hardship':
    case 'vulnerable':
    case 'dispute':
    case 'do_not_contact':
      return t(`reason.${reason.code}`);
    default: {
      // A reason code added to the domain without words here fails to compile.
      const unknown: never = reason;
      return String((unknown as { code: string }).code);
    }
  }
}

/** Each reason in words, most important first; in English the first starts a sentence. */
export function reasonWords(reasons: readonly PriorityReason[], ctx: FormatContext): string[] {
  const words = reasons.map((r) => formatReason(r, ctx));
  if (ctx.lang === 'en' && words[0])
    words[0] = words[0].charAt(0).toUpperCase() + words[0].slice(1);
  return words;
}

/** '38 days late · promise broken on 20 Nov · no contact for 9 days'. */
export function formatReasons(reasons: readonly PriorityReason[], ctx: FormatContext): string {
  return reasonWords(reasons, ctx).join(ctx.t('reason.separator'));
}

export interface BucketRange {
  code: string;
  minDays: number;
  maxDays: number | null;
}

/** '逾期1–30天' / '1–30 days past due'; a 0–0 bucket is 'current'. */
export function bucketRangeLabel(bucket: BucketRange, ctx: FormatContext): string {
  const { minDays: min, maxDays: max } = bucket;
  if (max === null) return ctx.t('bucket.openEnded', { min });
  if (max === 0) return ctx.t('bucket.current');
  if (min === max) return ctx.t('bucket.single', { count: min });
  return ctx.t('bucket.range', { min, max });
}

/** A readable sentence for any API failure, in the user's language. */
export function errorText(err: ApiError, t: TFunction): string {
  if (err.code === 'invalid_input') {
    const field = typeof err.params['field'] === 'string' ? err.params['field'] : '';
    const reason = typeof err.params['reason'] === 'string' ? err.params['reason'] : '';
    const detail = [field, reason].filter(Boolean).join(': ');
    return detail ? t('errors.invalid_input', { detail }) : t('errors.invalid_input_plain');
  }
  if (err.code === 'conflict' && err.params['reason'] === 'import_running') {
    // Not a clash with someone's edit: the ledger is busy with a portfolio import.
    return t('import.runningNotice');
  }
  if (err.code === 'forbidden' && err.params['reason'] === 'conduct') {
    // The forms say which rule and when (contact/conduct-error-alert); elsewhere, the rules' names.
    const rules = String(err.params['rules'] ?? '')
      .split(',')
      .filter(Boolean)
      .map((code) => t(`conduct.rule.${code}`, { defaultValue: code }))
      .join(t('plans.reasonJoiner'));
    return t('errors.forbidden_conduct', { rules });
  }
  return t(`errors.${err.code}`, { ...err.params, op: String(err.params['op'] ?? err.op) });
}
