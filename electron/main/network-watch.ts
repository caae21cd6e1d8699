// Tells the sync scheduler when the network comes back, from Electron main. Main has no
// navigator.onLine; it polls Electron's net.isOnline() (the OS's own connectivity state,
// cheap: no request is made) and reports each offline → online edge, and a wake from sleep
// (the laptop was closed on the bus), after which Wi-Fi usually reconnects within seconds.
//
// Why here and not only in the page: the renderer's 'online' event also asks for a sync
// (renderer/src/features/sync/use-sync-status.ts), but a minimised window's timers are
// throttled and the page may be reloading; main sees the edge regardless. Both may fire
// for the same edge: the scheduler joins a run already going, so that costs nothing.
// "Online" here only means a network interface is up; whether head office answers is what
// the sync itself finds out, and its backoff handles a network that is up but useless.
//
// Plain Node on purpose (the Electron APIs are passed in), so it is unit-tested.

export interface NetworkWatchOptions {
  isOnline(): boolean;
  /** A network came back (or the laptop woke up): sync now, forgetting the backoff. */
  onBack(): void;
  /** How often to look (default 5 s). */
  pollMs?: number;
  /** Subscribes to "the system resumed from sleep"; returns the unsubscribe. */
  onResume?(listener: () => void): () => void;
  /** Wait after a wake before asking for a sync (default 3 s: Wi-Fi reconnects first). */
  resumeDelayMs?: number;
  timers?: {
    setInterval(fn: () => void, ms: number): unknown;
    clearInterval(handle: unknown): void;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  };
}

export interface NetworkWatch {
  stop(): void;
}

export const NETWORK_POLL_MS = 5_000;
export const RESUME_DELAY_MS = 3_000;

const realTimers: Required<NetworkWatchOptions>['timers'] = {
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms);
    // Never keeps the app alive by itself.
    h.unref?.();
    return h;
  },
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function startNetworkWatch(options: NetworkWatchOptions): NetworkWatch {
  const timers = options.timers ?? realTimers;
  const safeIsOnline = (): boolean => {
    try {
      return options.isOnline();
    } catch {
      // Unknown is treated as online: the sync's own failure and backoff then decide.
      return true;
    }
  };
  let wasOnline = safeIsOnline();
  let resumeTimer: unknown = null;

  const poll = timers.setInterval(() => {
    const online = safeIsOnline();
    if (online && !wasOnline) options.onBack();
    wasOnline = online;
  }, options.pollMs ?? NETWORK_POLL_MS);

  const unsubscribe = options.onResume?.(() => {
    if (resumeTimer !== null) timers.clearTimeout(resumeTimer);
    resumeTimer = timers.setTimeout(() => {
      resumeTimer = null;
      wasOnline = safeIsOnline();
      if (wasOnline) options.onBack();
    }, options.resumeDelayMs ?? RESUME_DELAY_MS);
  });

  return {
    stop() {
      timers.clearInterval(poll);
      if (resumeTimer !== null) timers.clearTimeout(resumeTimer);
      resumeTimer = null;
      unsubscribe?.();
    },
  };
}
