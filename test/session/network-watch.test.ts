// Electron main's network watch (electron/main/network-watch.ts), driven by hand: a sync is
// asked for on each offline → online edge and after a wake from sleep, never while the
// network stays up or down, and nothing fires after stop().
import { describe, expect, it } from 'vitest';
import { startNetworkWatch } from '../../electron/main/network-watch';

function handTimers() {
  let interval: (() => void) | null = null;
  const timeouts = new Map<number, () => void>();
  let next = 1;
  return {
    timers: {
      setInterval: (fn: () => void) => {
        interval = fn;
        return 'poll';
      },
      clearInterval: () => {
        interval = null;
      },
      setTimeout: (fn: () => void) => {
        const id = next++;
        timeouts.set(id, fn);
        return id;
      },
      clearTimeout: (id: unknown) => {
        timeouts.delete(id as number);
      },
    },
    tick: () => interval?.(),
    fireTimeouts: () => {
      const due = [...timeouts.values()];
      timeouts.clear();
      due.forEach((fn) => fn());
    },
    pendingTimeouts: () => timeouts.size,
  };
}

describe('network watch in Electron main', () => {
  it('asks for a sync once per return of the network', () => {
    const clock = handTimers();
    let online = true;
    let backs = 0;
    const watch = startNetworkWatch({
      isOnline: () => online,
      onBack: () => backs++,
      timers: clock.timers,
    });
    clock.tick();
    expect(backs).toBe(0); // up all along: the scheduler's own interval covers it
    online = false;
    clock.tick();
    clock.tick();
    expect(backs).toBe(0);
    online = true;
    clock.tick();
    expect(backs).toBe(1);
    clock.tick();
    expect(backs).toBe(1);
    online = false;
    clock.tick();
    online = true;
    clock.tick();
    expect(backs).toBe(2);
    watch.stop();
    online = false;
    clock.tick();
    online = true;
    clock.tick();
    expect(backs).toBe(2);
  });

  it('after a wake from sleep, asks once the network is up, and not if it is still down', () => {
    const clock = handTimers();
    let online = true;
    let backs = 0;
    let resume: (() => void) | null = null;
    let unsubscribed = false;
    const watch = startNetworkWatch({
      isOnline: () => online,
      onBack: () => backs++,
      timers: clock.timers,
      onResume: (listener) => {
        resume = listener;
        return () => {
          unsubscribed = true;
        };
      },
    });
    resume!();
    resume!(); // two wake events close together: one delayed check
    expect(clock.pendingTimeouts()).toBe(1);
    clock.fireTimeouts();
    expect(backs).toBe(1);
    online = false;
    resume!();
    clock.fireTimeouts();
    expect(backs).toBe(1);
    // Still down after the wake: the poll reports the edge when it comes.
    online = true;
    clock.tick();
    expect(backs).toBe(2);
    resume!();
    watch.stop();
    expect(clock.pendingTimeouts()).toBe(0);
    expect(unsubscribed).toBe(true);
  });

  it('an isOnline that throws counts as online (the sync itself then finds out)', () => {
    const clock = handTimers();
    let backs = 0;
    let state: 'down' | 'broken' = 'down';
    startNetworkWatch({
      isOnline: () => {
        if (state === 'broken') throw new Error('no net module');
        return false;
      },
      onBack: () => backs++,
      timers: clock.timers,
    });
    state = 'broken';
    clock.tick();
    expect(backs).toBe(1);
  });
});
