// Decides what the window shows: the first-run wizard while the device is not set up,
// the sign-in (or unlock) screen while an enrolled device has nobody signed in or is
// locked, and the app otherwise — keyed by the user, so switching user starts clean.
// The demo ledger goes straight to the app. Keys and clicks postpone the auto-lock
// (session.touch, at most twice a minute); a timer shows the lock screen when it falls due.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SessionStateView } from '../../../../shared/api/sync-contract';
import { asApiError, invoke, type ApiError } from '../../api/client';
import { errorText } from '../../i18n/format';
import { EnrolScreen } from '../enrol/enrol-screen';
import { SessionContext, type SessionControl } from './session-context';
import { SignInScreen } from './sign-in-screen';

const TOUCH_EVERY_MS = 30_000;
const RECHECK_MS = 60_000;

export function SessionGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [state, setState] = useState<SessionStateView | null>(null);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const lastTouch = useRef(0);

  const refresh = useCallback(() => {
    invoke('session.state', {})
      .then((s) => {
        setState(s);
        setError(undefined);
      })
      .catch((err: unknown) => setError(asApiError('session.state', err)));
  }, []);

  useEffect(refresh, [refresh]);

  const active = state?.mode === 'enrolled' && state.signedIn !== null && !state.locked;

  // Activity postpones the auto-lock; only while someone is signed in and unlocked.
  useEffect(() => {
    if (!active) return;
    const onActivity = () => {
      const now = Date.now();
      if (now - lastTouch.current < TOUCH_EVERY_MS) return;
      lastTouch.current = now;
      invoke('session.touch', {}).then(setState, () => undefined);
    };
    window.addEventListener('keydown', onActivity, true);
    window.addEventListener('pointerdown', onActivity, true);
    return () => {
      window.removeEventListener('keydown', onActivity, true);
      window.removeEventListener('pointerdown', onActivity, true);
    };
  }, [active]);

  // Show the lock screen when the auto-lock falls due (and re-check now and then).
  useEffect(() => {
    if (!active) return;
    const due = state.autoLockAt !== null ? state.autoLockAt - Date.now() + 500 : RECHECK_MS;
    const id = setTimeout(refresh, Math.max(1_000, Math.min(due, RECHECK_MS)));
    return () => clearTimeout(id);
  }, [active, state, refresh]);

  const control = useMemo<SessionControl | null>(
    () =>
      state && {
        state,
        setState,
        lock: () => void invoke('session.lock', {}).then(setState, refresh),
        switchUser: () => void invoke('session.switchUser', {}).then(setState, refresh),
        refresh,
      },
    [state, refresh],
  );

  if (error && !state) {
    return (
      <div className="fb-fullpage">
        <Result
          status="error"
          title={t('app.loadFailed')}
          subTitle={errorText(error, t)}
          extra={
            <Button type="primary" onClick={refresh}>
              {t('app.retry')}
            </Button>
          }
        />
      </div>
    );
  }
  if (!state || !control) {
    return (
      <div className="fb-fullpage" role="status">
        <Spin size="large" />
        <div className="fb-fullpage-caption">{t('app.loading')}</div>
      </div>
    );
  }
  let screen: ReactNode;
  if (state.mode === 'not_enrolled')
    screen = <EnrolScreen onDone={setState} wipedAt={state.wipedAt ?? null} />;
  else if (state.mode === 'enrolled' && (state.signedIn === null || state.locked))
    screen = <SignInScreen state={state} onDone={setState} onSwitchUser={control.switchUser} />;
  else screen = <div key={state.signedIn?.id ?? 'demo'}>{children}</div>;
  return <SessionContext.Provider value={control}>{screen}</SessionContext.Provider>;
}
