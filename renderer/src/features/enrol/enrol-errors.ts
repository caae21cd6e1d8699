// Why enrolment or a provisioning file failed, in the officer's words: the server's refusal
// reasons (enrol.reason.*) and the provisioning file's checks (enrol.provisioningError.*).
import type { TFunction } from 'i18next';
import type { ApiError } from '../../api/client';
import { errorText } from '../../i18n/format';

/** A provisioning file's stable code (shared/provisioning.ts PROVISIONING_ERROR_CODES) in words. */
export function provisioningErrorText(code: string, t: TFunction): string {
  return (
    t(`enrol.provisioningError.${code}`, { defaultValue: '' }) ||
    t('enrol.provisioningError.other', { code })
  );
}

/** The file the user opened cannot be used (or the error was something else: its own words). */
export function openedFileErrorText(error: ApiError, t: TFunction): string {
  if (error.params['reason'] === 'provisioning' && typeof error.params['code'] === 'string')
    return t('enrol.fileRefused', { reason: provisioningErrorText(error.params['code'], t) });
  return t('enrol.fileRefused', { reason: errorText(error, t) });
}

export function enrolErrorText(error: ApiError, t: TFunction): string {
  if (error.params['reason'] === 'provisioning') return openedFileErrorText(error, t);
  const reason = typeof error.params['reason'] === 'string' ? error.params['reason'] : null;
  if (reason) {
    const known = t(`enrol.reason.${reason}`, { defaultValue: '' });
    return t('enrol.failed', { reason: known || t('enrol.reason.other', { code: reason }) });
  }
  return t('enrol.failed', { reason: errorText(error, t) });
}
