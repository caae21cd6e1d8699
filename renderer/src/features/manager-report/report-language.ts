// The report's language comes from its address (#/manager/report?asOf=…&lang=en), not
// from the app's setting, so a manager can print the English report for head office
// without switching the whole app; without the parameter it follows the app.
import { useCallback, useSyncExternalStore } from 'react';
import { isLanguage, type Language } from '../../i18n';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener('hashchange', onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener('hashchange', onChange);
  };
}

function hashParams(hash: string): URLSearchParams {
  const q = hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
}

export function useReportLanguage(appLanguage: string): [Language, (lang: Language) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const asked = hashParams(hash).get('lang');
  const lang: Language = isLanguage(asked)
    ? asked
    : isLanguage(appLanguage)
      ? appLanguage
      : 'zh-CN';
  const setLang = useCallback((next: Language) => {
    const current = window.location.hash;
    const q = current.indexOf('?');
    const path = q < 0 ? current : current.slice(0, q);
    const params = hashParams(current);
    params.set('lang', next);
    window.history.replaceState(window.history.state, '', `${path}?${params.toString()}`);
    window.dispatchEvent(new PopStateEvent('popstate', { state: window.history.state }));
  }, []);
  return [lang, setLang];
}
