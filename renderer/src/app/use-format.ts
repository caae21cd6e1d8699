// The formatting context for the current language, business date and branch zone.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage } from '../i18n';
import type { FormatContext } from '../i18n/format';
import { useAppInfo } from './app-info';

export function useFormatContext(): FormatContext {
  const { t, i18n } = useTranslation();
  const info = useAppInfo();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return useMemo(
    () => ({ t, lang, today: info.today, timeZone: info.branch.timezone }),
    [t, lang, info.today, info.branch.timezone],
  );
}
