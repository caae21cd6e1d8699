// A contact the ledger refused under the conduct rules (AppError 'forbidden' with
// params.reason 'conduct'), in the same words as the check before it; any other error
// in plain words.
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ContactCheck, ConductViolation } from '../../../../shared/policy/conduct';
import type { ContactChannel } from '../../../../shared/domain/types';
import type { ApiError } from '../../api/client';
import { useFormatContext } from '../../app/use-format';
import { errorText, type FormatContext } from '../../i18n/format';
import { checkSummary } from './conduct-words';

/** The refusal as a check result, or null when the error is not a conduct refusal. */
export function conductRefusalCheck(error: ApiError): ContactCheck | null {
  const p = error.params;
  if (error.code !== 'forbidden' || p['reason'] !== 'conduct') return null;
  let violations: ConductViolation[] = [];
  try {
    const parsed = JSON.parse(String(p['violations'] ?? '[]')) as unknown;
    if (Array.isArray(parsed)) violations = parsed as ConductViolation[];
  } catch {
    violations = [];
  }
  const timeZone = typeof p['timeZone'] === 'string' ? p['timeZone'] : '';
  const date = p['nextAllowedDate'];
  const time = p['nextAllowedTime'];
  return {
    allowed: false,
    violations,
    nextAllowedAt: typeof p['nextAllowedAt'] === 'string' ? p['nextAllowedAt'] : null,
    nextAllowedLocal:
      typeof date === 'string' && typeof time === 'string' ? { date, time, timeZone } : null,
    timeZone,
    notices: [],
  };
}

/** Any API error in words; a conduct refusal with its reasons and when it will be allowed. */
export function describeError(
  error: ApiError,
  channel: ContactChannel,
  ctx: FormatContext,
): string {
  const refusal = conductRefusalCheck(error);
  if (refusal && refusal.violations.length > 0)
    return ctx.t('conduct.refused', { reasons: checkSummary(refusal, channel, ctx) });
  return errorText(error, ctx.t);
}

export function ConductErrorAlert({
  error,
  channel,
}: {
  error: ApiError;
  channel: ContactChannel;
}) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const refusal = conductRefusalCheck(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="fb-form-alert"
      data-testid="contact-error"
      title={refusal ? t('conduct.refusedTitle') : t('common.saveFailed')}
      description={describeError(error, channel, ctx)}
    />
  );
}
