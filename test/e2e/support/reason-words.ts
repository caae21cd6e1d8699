// What a user should read for each priority reason, written out independently of the
// renderer's formatter so that a wrong or missing translation fails the test.
import type { PriorityReason } from '../../../shared/domain/types';
import { formatIsoDate } from '../../../shared/dates';
import { E2E_TODAY } from './env';

export type E2eLanguage = 'zh-CN' | 'en';

const EN_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

function day(date: string, lang: E2eLanguage): string {
  if (date.slice(0, 4) !== E2E_TODAY.slice(0, 4)) return formatIsoDate(date, lang);
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return lang === 'zh-CN' ? `${m}月${d}日` : `${d} ${EN_MONTHS[m - 1]}`;
}

function zh(r: PriorityReason): string {
  switch (r.code) {
    case 'days_past_due':
      return `逾期${r.days}天`;
    case 'promise_broken':
      return `${day(r.dueDate, 'zh-CN')}承诺未兑现`;
    case 'promise_due_today':
      return '今天承诺还款';
    case 'promise_due_soon':
      return `${day(r.dueDate, 'zh-CN')}承诺还款`;
    case 'promise_partly_kept':
      return `${day(r.dueDate, 'zh-CN')}承诺仅部分兑现`;
    case 'promise_in_grace':
      return `${day(r.dueDate, 'zh-CN')}承诺已到期（宽限期内）`;
    case 'follow_up_due':
      if (r.date === E2E_TODAY) return '今天应跟进';
      return r.date < E2E_TODAY
        ? `跟进已逾期（${day(r.date, 'zh-CN')}起）`
        : `${day(r.date, 'zh-CN')}应跟进`;
    case 'no_contact':
      return `${r.days}天未联系`;
    case 'never_contacted':
      return '从未联系';
    case 'large_arrears':
      return '欠款较大';
    case 'hardship':
      return '经济困难';
    case 'vulnerable':
      return '弱势客户';
    case 'dispute':
      return '有争议';
    case 'do_not_contact':
      return '禁止联系';
  }
}

function en(r: PriorityReason): string {
  const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
  switch (r.code) {
    case 'days_past_due':
      return `${r.days} ${plural(r.days, 'day', 'days')} late`;
    case 'promise_broken':
      return `promise broken on ${day(r.dueDate, 'en')}`;
    case 'promise_due_today':
      return 'promise due today';
    case 'promise_due_soon':
      return `promise due ${day(r.dueDate, 'en')}`;
    case 'promise_partly_kept':
      return `promise of ${day(r.dueDate, 'en')} only partly kept`;
    case 'promise_in_grace':
      return `promise of ${day(r.dueDate, 'en')} in grace period`;
    case 'follow_up_due':
      if (r.date === E2E_TODAY) return 'follow-up due today';
      return r.date < E2E_TODAY
        ? `follow-up overdue since ${day(r.date, 'en')}`
        : `follow-up due ${day(r.date, 'en')}`;
    case 'no_contact':
      return `no contact for ${r.days} ${plural(r.days, 'day', 'days')}`;
    case 'never_contacted':
      return 'never contacted';
    case 'large_arrears':
      return 'large arrears';
    case 'hardship':
      return 'hardship';
    case 'vulnerable':
      return 'vulnerable borrower';
    case 'dispute':
      return 'in dispute';
    case 'do_not_contact':
      return 'do not contact';
  }
}

/** The whole reason line of a row, e.g. '逾期38天 · 11月20日承诺未兑现 · 9天未联系'. */
export function expectedReasonLine(reasons: readonly PriorityReason[], lang: E2eLanguage): string {
  const text = reasons.map(lang === 'zh-CN' ? zh : en).join(' · ');
  return lang === 'en' ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
