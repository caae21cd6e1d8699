// i18next for the renderer: zh-CN by default, English on request. The choice is kept in
// localStorage and mirrored to <html lang> so screen readers and fonts follow it.
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN.json';
import en from './en.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'fieldbook.language';
const DEFAULT_LANGUAGE: Language = 'zh-CN';

// English must carry every key the Chinese file has (it may add plural forms): this
// assignment fails to compile when a key is missing.
const englishHasEveryKey: typeof zhCN = en;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

function reflectLanguage(lang: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export const i18n: I18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: zhCN },
    en: { translation: englishHasEveryKey },
  },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  // React already escapes text; double escaping would show '&amp;' in names.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
reflectLanguage(i18n.language);

i18n.on('languageChanged', (lang) => {
  reflectLanguage(lang);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for this session.
  }
});

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

export function setLanguage(lang: Language): void {
  void i18n.changeLanguage(lang);
}
