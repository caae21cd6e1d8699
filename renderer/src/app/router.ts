// Two screens, addressed in the URL hash so a reload lands where the officer was:
//   #/               the worklist
//   #/case/<caseId>  one case file
// Opening a case pushes a history entry, so the browser's (and the mouse's) back button
// and Esc all return to the worklist, which stays mounted and keeps its scroll position.
import { useCallback, useSyncExternalStore } from 'react';

export type Route = { screen: 'worklist' } | { screen: 'case'; caseId: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/case\/([^/?#]+)/.exec(hash);
  if (match?.[1]) return { screen: 'case', caseId: decodeURIComponent(match[1]) };
  return { screen: 'worklist' };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener('hashchange', onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener('hashchange', onChange);
  };
}

const PUSHED = 'fieldbook.pushed';

export interface Router {
  route: Route;
  openCase: (caseId: string) => void;
  back: () => void;
}

export function useRouter(): Router {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const route = parseRoute(hash);
  const openCase = useCallback((caseId: string) => {
    window.history.pushState({ [PUSHED]: true }, '', `#/case/${encodeURIComponent(caseId)}`);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, []);
  const back = useCallback(() => {
    const state = window.history.state as Record<string, unknown> | null;
    if (state?.[PUSHED]) {
      window.history.back();
    } else {
      // Opened directly (a reload on a case): replace, so back does not leave the app.
      window.history.replaceState(null, '', '#/');
      window.dispatchEvent(new PopStateEvent('popstate'));
    }
  }, []);
  return { route, openCase, back };
}
