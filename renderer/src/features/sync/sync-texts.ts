// Words for the sync status: refusal reasons and what to do, last-error codes, mutation kinds.
import type { TFunction } from 'i18next';

export function refusalText(code: string, t: TFunction): { reason: string; todo: string } {
  const known = t(`sync.refusal.${code}.reason`, { defaultValue: '' });
  if (!known) {
    return {
      reason: t('sync.refusal.other.reason', { code }),
      todo: t('sync.refusal.other.todo'),
    };
  }
  return { reason: known, todo: t(`sync.refusal.${code}.todo`) };
}

export function lastErrorText(code: string, t: TFunction): string {
  const known = t(`sync.errorCode.${code}`, { defaultValue: '' });
  return known || t('sync.errorCode.other', { code });
}

export function kindText(kind: string, t: TFunction): string {
  return t(`sync.kind.${kind}`, { defaultValue: kind });
}
