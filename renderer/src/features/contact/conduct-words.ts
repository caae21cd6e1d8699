// What the conduct rules said, in words: each violation with its numbers, when the
// contact will be allowed again ("08:00 后可拨打"), and the notices to keep in mind.
import type { ContactCheck, ConductViolation } from '../../../../shared/policy/conduct';
import type { ContactChannel } from '../../../../shared/domain/types';
import { daysBetween } from '../../../../shared/dates';
import { shortDate, type FormatContext } from '../../i18n/format';

export function violationText(
  v: ConductViolation,
  channel: ContactChannel,
  ctx: FormatContext,
  check?: Pick<ContactCheck, 'timeZone'>,
): string {
  const { t } = ctx;
  switch (v.code) {
    case 'do_not_contact':
      return t('conduct.violation.do_not_contact');
    case 'channel_not_allowed':
      return t('conduct.violation.channel_not_allowed', {
        channel: t(`channel.${v.params.channel}`),
      });
    case 'outside_contact_hours': {
      const text = t(`conduct.violation.outside_contact_hours.${channel}`, {
        from: v.params.windowEnd,
        to: v.params.windowStart,
        now: v.params.localTime,
      });
      const zone = check?.timeZone ?? v.params.timeZone;
      return zone !== ctx.timeZone ? `${text}${t('conduct.debtorLocalTime', { zone })}` : text;
    }
    case 'effective_call_cap':
      return t('conduct.violation.effective_call_cap', v.params);
    case 'number_attempt_cap':
      return t('conduct.violation.number_attempt_cap', {
        count: v.params.count,
        limit: v.params.limit,
      });
    case 'weekly_call_cap':
      return t('conduct.violation.weekly_call_cap', v.params);
    case 'quiet_after_conversation':
      return t('conduct.violation.quiet_after_conversation', {
        quietDays: v.params.quietDays,
        date: shortDate(v.params.lastConversationOn, ctx),
      });
    case 'second_collector_required':
      return t('conduct.violation.second_collector_required');
    case 'third_party_not_allowed': {
      const p = v.params;
      if (p.requiredFailedAttempts === null && !p.whenDebtorNumbersInvalid)
        return t('conduct.violation.third_party_never');
      if (p.requiredFailedAttempts !== null && p.whenDebtorNumbersInvalid)
        return t('conduct.violation.third_party_not_yet', {
          required: p.requiredFailedAttempts,
          failed: p.failedAttempts,
        });
      if (p.requiredFailedAttempts !== null)
        return t('conduct.violation.third_party_after_attempts', {
          required: p.requiredFailedAttempts,
          failed: p.failedAttempts,
        });
      return t('conduct.violation.third_party_numbers_invalid');
    }
    case 'third_party_refused':
      return t('conduct.violation.third_party_refused');
    case 'third_party_contact_limit':
      return t('conduct.violation.third_party_contact_limit', {
        count: v.params.count,
        limit: v.params.limit,
      });
    default: {
      // A violation code added to the rules without words here fails to compile.
      const unknown: never = v;
      return String((unknown as { code: string }).code);
    }
  }
}

/** "08:00 后可拨打", "明天 08:00 后可拨打" / "allowed again at 08:00 tomorrow"; null when waiting does not help. */
export function nextAllowedText(
  check: ContactCheck,
  channel: ContactChannel,
  ctx: FormatContext,
): string | null {
  const next = check.nextAllowedLocal;
  if (!next) return null;
  const days = daysBetween(ctx.today, next.date);
  const day =
    days === 0
      ? ''
      : days === 1
        ? ctx.t('conduct.when.tomorrow')
        : ctx.t('conduct.when.onDate', { date: shortDate(next.date, ctx) });
  return ctx.t(`conduct.nextAllowed.${channel}`, { time: next.time, day });
}

/** The whole refusal as one line: every reason, then when it will be allowed. */
export function checkSummary(
  check: ContactCheck,
  channel: ContactChannel,
  ctx: FormatContext,
  ignore: readonly ConductViolation['code'][] = [],
): string {
  const reasons = check.violations
    .filter((v) => !ignore.includes(v.code))
    .map((v) => violationText(v, channel, ctx, check));
  const next = nextAllowedText(check, channel, ctx);
  return [...reasons, ...(next ? [next] : [])].join(ctx.t('conduct.joiner'));
}

/** Rule codes in words, for overrides the manager reviews. */
export function ruleCodeText(code: string, ctx: FormatContext): string {
  return ctx.t(`conduct.rule.${code}`, { defaultValue: code });
}
