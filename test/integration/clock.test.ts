// A pinned business date (FIELDBOOK_TODAY) must hold for the whole life of the process,
// including across local midnight: e2e runs and demos started late in the day rely on it.
import { describe, expect, it } from 'vitest';
import { clockPinnedTo } from '../../electron/ledger/clock';
import { businessDate } from '../../shared/dates';

describe('clockPinnedTo', () => {
  it('keeps the pinned date with the real time of day, across local midnight', () => {
    let real = new Date('2026-12-03T15:58:00.000Z'); // 23:58 in Shanghai
    const clock = clockPinnedTo('2026-11-28', 'Asia/Shanghai', { now: () => real });
    expect(businessDate(clock.now(), 'Asia/Shanghai')).toBe('2026-11-28');
    expect(clock.now().toISOString()).toBe('2026-11-28T15:58:00.000Z');

    real = new Date('2026-12-03T16:03:00.000Z'); // 00:03 on 4 Dec in Shanghai
    expect(businessDate(clock.now(), 'Asia/Shanghai')).toBe('2026-11-28');
    expect(clock.now().toISOString()).toBe('2026-11-27T16:03:00.000Z');
  });
});
