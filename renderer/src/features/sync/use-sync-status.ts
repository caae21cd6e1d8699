// The header's sync status, polled: every 15 seconds normally, every second while a sync
// or a first download runs (so the progress bar moves), and again when the OS says the
// network is back (which also asks for a sync). Polling never counts as user activity.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncStatusView } from '../../../../shared/api/sync-contract';
import { asApiError, invoke, type ApiError } from '../../api/client';

const IDLE_POLL_MS = 15_000;
const BUSY_POLL_MS = 1_000;

export interface SyncStatusState {
  status: SyncStatusView | null;
  /** A "Sync now" is in flight from this window. */
  syncing: boolean;
  error: ApiError | undefined;
  syncNow: () => void;
  /** Someone has dealt with a refused change: it leaves the list (the status is answered). */
  dismissRefusal: (mutationId: number) => Promise<void>;
}

export function useSyncStatus(): SyncStatusState {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    invoke('sync.status', {})
      .then((s) => {
        if (!mounted.current) return;
        setStatus(s);
        const busy = s.syncing || s.firstDownload !== null;
        timer = setTimeout(() => setTick((n) => n + 1), busy ? BUSY_POLL_MS : IDLE_POLL_MS);
      })
      .catch(() => {
        if (mounted.current) timer = setTimeout(() => setTick((n) => n + 1), IDLE_POLL_MS);
      });
    return () => clearTimeout(timer);
  }, [tick]);

  const syncNow = useCallback(() => {
    setSyncing(true);
    setError(undefined);
    // Poll fast while it runs, so a first download shows its counts.
    const fast = setInterval(() => setTick((n) => n + 1), BUSY_POLL_MS);
    invoke('sync.now', {})
      .then((s) => mounted.current && setStatus(s))
      .catch((err: unknown) => mounted.current && setError(asApiError('sync.now', err)))
      .finally(() => {
        clearInterval(fast);
        if (mounted.current) setSyncing(false);
      });
  }, []);

  const dismissRefusal = useCallback(async (mutationId: number) => {
    const s = await invoke('sync.dismissRefusal', { mutationId });
    if (mounted.current) setStatus(s);
  }, []);

  useEffect(() => {
    const back = () => {
      if (status?.mode === 'enrolled') syncNow();
    };
    window.addEventListener('online', back);
    return () => window.removeEventListener('online', back);
  }, [status?.mode, syncNow]);

  return { status, syncing, error, syncNow, dismissRefusal };
}
