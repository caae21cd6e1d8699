// Screens, addressed in the URL hash so a reload lands where the user was:
//   #/                                  the worklist
//   #/case/<caseId>                     one case file
//   #/manager?asOf=&officer=            the branch manager's dashboard
//   #/manager/cases?figure=&asOf=&officer=   the cases behind one dashboard number
//   #/manager/officers?asOf=            officers side by side
//   #/manager/plans                     plans waiting for a decision
//   #/manager/report?asOf=              the printable branch report (no app shell)
//   #/import                            importing loans from core banking
// Opening a screen pushes a history entry, so the browser's (and the mouse's) back button
// and Esc return to where the user came from; the worklist stays mounted and keeps its
// scroll position, and so does the screen a case was opened from.
import { useCallback, useSyncExternalStore } from 'react';
import type { DashboardFigure } from '../../../shared/domain/portfolio';
import type { IsoDate } from '../../../shared/domain/types';
import { isIsoDate } from '../../../shared/dates';
import { decodeFigure, encodeFigure } from '../features/manager/figure-param';

/** The date and officer a manager's screen is narrowed to (null: today, whole branch). */
export interface ManagerScope {
  asOf: IsoDate | null;
  officerId: string | null;
}

export type Route =
  | { screen: 'worklist' }
  | { screen: 'case'; caseId: string }
  | ({ screen: 'dashboard' } & ManagerScope)
  /** figure is null when the URL names no figure the ledger knows (an edited or old link). */
  | ({ screen: 'cases'; figure: DashboardFigure | null } & ManagerScope)
  | { screen: 'officers'; asOf: IsoDate | null }
  | { screen: 'plans' }
  | { screen: 'report'; asOf: IsoDate | null }
  | { screen: 'import' };

export type ScreenName = Route['screen'];

/** Screens only a branch manager (or admin) may open. */
export const MANAGER_SCREENS: ReadonlySet<ScreenName> = new Set([
  'dashboard',
  'cases',
  'officers',
  'plans',
  'report',
  'import',
]);

function dateParam(params: URLSearchParams): IsoDate | null {
  const value = params.get('asOf');
  return value && isIsoDate(value) ? value : null;
}

function officerParam(params: URLSearchParams): string | null {
  const value = params.get('officer');
  return value ? value : null;
}

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#/, '');
  const queryAt = body.indexOf('?');
  const path = queryAt < 0 ? body : body.slice(0, queryAt);
  const params = new URLSearchParams(queryAt < 0 ? '' : body.slice(queryAt + 1));
  const caseMatch = /^\/case\/([^/?#]+)/.exec(path);
  if (caseMatch?.[1]) return { screen: 'case', caseId: decodeURIComponent(caseMatch[1]) };
  const scope = (): ManagerScope => ({ asOf: dateParam(params), officerId: officerParam(params) });
  switch (path.replace(/\/+$/, '')) {
    case '/manager':
      return { screen: 'dashboard', ...scope() };
    case '/manager/cases':
      return { screen: 'cases', figure: decodeFigure(params.get('figure')), ...scope() };
    case '/manager/officers':
      return { screen: 'officers', asOf: dateParam(params) };
    case '/manager/plans':
      return { screen: 'plans' };
    case '/manager/report':
      return { screen: 'report', asOf: dateParam(params) };
    case '/import':
      return { screen: 'import' };
    default:
      return { screen: 'worklist' };
  }
}

function query(entries: [string, string | null][]): string {
  const params = new URLSearchParams();
  for (const [k, v] of entries) if (v !== null) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The hash of a route: parseRoute(routeHash(r)) gives r back. */
export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'worklist':
      return '#/';
    case 'case':
      return `#/case/${encodeURIComponent(route.caseId)}`;
    case 'dashboard':
      return `#/manager${query([
        ['asOf', route.asOf],
        ['officer', route.officerId],
      ])}`;
    case 'cases':
      return `#/manager/cases${query([
        ['figure', route.figure ? encodeFigure(route.figure) : null],
        ['asOf', route.asOf],
        ['officer', route.officerId],
      ])}`;
    case 'officers':
      return `#/manager/officers${query([['asOf', route.asOf]])}`;
    case 'plans':
      return '#/manager/plans';
    case 'report':
      return `#/manager/report${query([['asOf', route.asOf]])}`;
    case 'import':
      return '#/import';
  }
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
  /** The current hash, for screens that must tell two routes of one screen apart. */
  hash: string;
  openCase: (caseId: string) => void;
  /** Opens a screen with a new history entry (replace: change the current entry, e.g. a filter). */
  navigate: (route: Route, options?: { replace?: boolean }) => void;
  /** Back to where the user came from, or to `fallback` (the worklist) when opened directly. */
  back: (fallback?: Route) => void;
}

/** Opens a screen from outside a component (a link's click handler). */
export function openRoute(route: Route, options?: { replace?: boolean }): void {
  go(routeHash(route), options?.replace === true);
}

function go(hash: string, replace: boolean): void {
  if (replace) {
    const state = window.history.state as Record<string, unknown> | null;
    window.history.replaceState(state, '', hash);
  } else {
    window.history.pushState({ [PUSHED]: true }, '', hash);
  }
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRouter(): Router {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const route = parseRoute(hash);
  const navigate = useCallback(
    (next: Route, options?: { replace?: boolean }) => openRoute(next, options),
    [],
  );
  const openCase = useCallback((caseId: string) => openRoute({ screen: 'case', caseId }), []);
  const back = useCallback((fallback?: Route) => {
    const state = window.history.state as Record<string, unknown> | null;
    if (state?.[PUSHED]) {
      window.history.back();
    } else {
      // Opened directly (a reload on a case): replace, so back does not leave the app.
      window.history.replaceState(null, '', routeHash(fallback ?? { screen: 'worklist' }));
      window.dispatchEvent(new PopStateEvent('popstate'));
    }
  }, []);
  return { route, hash, openCase, navigate, back };
}
