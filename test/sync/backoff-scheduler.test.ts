import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay } from '../../electron/ledger/sync/backoff';
import { SyncScheduler, type SchedulerTimers } from '../../electron/ledger/sync/scheduler';

describe('backoff with jitter', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it('grows exponentially up to the cap, jittered within [base/2, ceiling]', () => {
    expect(backoffDelay(1, 0.999, policy)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(2, 0.999, policy)).toBeGreaterThan(1900);
    expect(backoffDelay(3, 0.999, policy)).toBeGreaterThan(3900);
    expect(backoffDelay(20, 0.999, policy)).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(20, 0.999, policy)).toBeGreaterThan(59_000);
    for (let a = 1; a < 40; a++) expect(backoffDelay(a, 0, policy)).toBe(500);
  });
  it('spreads devices retrying at the same attempt', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelay(6, r, policy)));
    expect(delays.size).toBe(5);
  });
  it('honours a longer Retry-After', () => {
    expect(retryDelay(1, 0.5, 30, policy)).toBe(30_000);
    expect(retryDelay(10, 0.999, 1, policy)).toBeGreaterThan(1000);
  });
});

function fakeTimers(): SchedulerTimers & {
  pending: { fn: () => void; ms: number }[];
  fire(): void;
} {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    pending,
    setTimeout(fn, ms) {
      const t = { fn, ms };
      pending.push(t);
      return t;
    },
    clearTimeout(h) {
      const i = pending.indexOf(h as { fn: () => void; ms: number });
      if (i >= 0) pending.splice(i, 1);
    },
    fire() {
      const t = pending.shift();
      t?.fn();
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('sync scheduler', () => {
  it('runs at start, then every interval; backs off after failures; network back retries at once', async () => {
    const timers = fakeTimers();
    let runs = 0;
    let failing = false;
    const s = new SyncScheduler({
      run: async () => {
        runs++;
        if (failing) throw new Error('offline');
      },
      isRetryable: () => true,
      intervalMs: 300_000,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      random: () => 0.999,
      timers,
    });
    await s.start();
    expect(runs).toBe(1);
    expect(timers.pending.map((t) => t.ms)).toEqual([300_000]);
    failing = true;
    timers.fire();
    await tick();
    expect(runs).toBe(2);
    expect(timers.pending[0]!.ms).toBeLessThanOrEqual(1000);
    timers.fire();
    await tick();
    expect(timers.pending[0]!.ms).toBeGreaterThan(1900);
    expect(s.consecutiveFailures).toBe(2);
    failing = false;
    await s.networkBack();
    expect(runs).toBe(4);
    expect(s.consecutiveFailures).toBe(0);
    expect(timers.pending.map((t) => t.ms)).toEqual([300_000]);
    s.stop();
    expect(timers.pending).toHaveLength(0);
  });

  it('"Sync now" during a run joins it; a wipe stops the schedule', async () => {
    const timers = fakeTimers();
    let runs = 0;
    let release: () => void = () => {};
    const s = new SyncScheduler({
      run: () =>
        new Promise<void>((resolve, reject) => {
          runs++;
          if (runs === 2) reject(new Error('wipe'));
          else release = resolve;
        }),
      isRetryable: (e) => !(e instanceof Error && e.message === 'wipe'),
      timers,
    });
    const a = s.start();
    const b = s.syncNow();
    expect(runs).toBe(1);
    release();
    await Promise.all([a, b]);
    await s.syncNow();
    expect(runs).toBe(2);
    expect(timers.pending).toHaveLength(0);
    await s.networkBack();
    expect(runs).toBe(2);
  });
});
