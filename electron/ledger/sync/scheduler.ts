// When sync runs: at start, when the network comes back, every `intervalMs` while all is
// well, on "Sync now", and after a failure on an exponential backoff with jitter. One run
// at a time; a request made while a run is going joins it. Timers are injected so tests
// drive time by hand.
import { retryDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

export interface SchedulerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncSchedulerOptions {
  run(): Promise<unknown>;
  /** False for failures that must not be retried (wipe, not enrolled): the scheduler stops. */
  isRetryable(err: unknown): boolean;
  intervalMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  timers?: SchedulerTimers;
  onError?(err: unknown): void;
}

export const DEFAULT_SYNC_INTERVAL_MS = 5 * 60_000;

export class SyncScheduler {
  private timer: unknown = null;
  private failures = 0;
  private stopped = true;
  private current: Promise<void> | null = null;
  private readonly timers: SchedulerTimers;

  constructor(private readonly options: SyncSchedulerOptions) {
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
  }

  /** At app start (or after sign-in): sync now, then keep going. */
  start(): Promise<void> {
    this.stopped = false;
    return this.trigger();
  }

  /** The OS says the network is back: retry at once, forgetting the backoff. */
  networkBack(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.failures = 0;
    return this.trigger();
  }

  /** The user pressed "Sync now". */
  syncNow(): Promise<void> {
    if (this.stopped) this.stopped = false;
    return this.trigger();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  /** Consecutive failed runs (0 after a success). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  private clear(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private trigger(): Promise<void> {
    this.clear();
    this.current ??= this.runAndReschedule().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async runAndReschedule(): Promise<void> {
    let delay: number | null;
    try {
      await this.options.run();
      this.failures = 0;
      delay = this.options.intervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    } catch (err) {
      this.options.onError?.(err);
      if (!this.options.isRetryable(err)) {
        this.stop();
        return;
      }
      this.failures++;
      const retryAfter =
        typeof (err as { retryAfterSeconds?: unknown }).retryAfterSeconds === 'number'
          ? (err as { retryAfterSeconds: number }).retryAfterSeconds
          : null;
      delay = retryDelay(
        this.failures,
        (this.options.random ?? Math.random)(),
        retryAfter,
        this.options.backoff ?? DEFAULT_BACKOFF,
      );
    }
    if (this.stopped) return;
    this.clear();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.trigger();
    }, delay);
  }
}
