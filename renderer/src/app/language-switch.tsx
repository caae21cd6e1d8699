import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { isLanguage, setLanguage, type Language } from '../i18n';

const OPTIONS: { value: Language; label: string }[] = [
  // Each language names itself, so a user who cannot read the other one still finds it.
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const value = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return (
    <Segmented<Language>
      size="small"
      aria-label={t('app.language')}
      options={OPTIONS}
      value={value}
      onChange={(lang) => setLanguage(lang)}
    />
  );
}
