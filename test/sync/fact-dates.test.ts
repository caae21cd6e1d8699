import { describe, expect, it } from 'vitest';
import { businessDate } from '../../shared/dates';
import { factBusinessDate } from '../../electron/ledger/sync/fact-from-sync';

describe('business date of a pulled fact', () => {
  it('agrees with businessDate across midnights, zones and DST changes', () => {
    const zones = [
      'Asia/Shanghai',
      'Asia/Kolkata',
      'America/New_York',
      'Australia/Lord_Howe',
      'UTC',
    ];
    const start = Date.UTC(2026, 2, 1);
    for (const zone of zones) {
      for (let ms = start; ms < start + 400 * 86_400_000; ms += 7 * 3_600_000 + 13 * 60_000) {
        // The hour's first instant seen, then its last (the second is answered from the cache).
        const hourStart = ms - (ms % 3_600_000);
        for (const at of [ms, hourStart, hourStart + 3_599_999]) {
          const instant = new Date(at).toISOString();
          expect(factBusinessDate(instant, zone), `${zone} ${instant}`).toBe(
            businessDate(instant, zone),
          );
        }
      }
    }
  });
});
