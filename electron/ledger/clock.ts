// Where "now" comes from. Commands take instants from a LedgerClock so tests and
// deterministic e2e runs can pin the business date.
import { businessDate, daysBetween } from '../../shared/dates';
import type { IsoDate } from '../../shared/domain/types';

export interface LedgerClock {
  now(): Date;
}

export const systemClock: LedgerClock = { now: () => new Date() };

/**
 * A clock whose business date (in `timeZone`) is always `today`, with the real time of
 * day: the real clock shifted by whole days. The shift is worked out on every call, so a
 * process that runs past local midnight stays on the pinned date. Used when the business
 * date is pinned (FIELDBOOK_TODAY) so recorded facts fall on the pinned date.
 */
export function clockPinnedTo(
  today: IsoDate,
  timeZone: string,
  base: LedgerClock = systemClock,
): LedgerClock {
  return {
    now: () => {
      const real = base.now();
      const shiftDays = daysBetween(businessDate(real, timeZone), today);
      return new Date(real.getTime() + shiftDays * 86_400_000);
    },
  };
}

/** A clock that always returns the same instant (tests). */
export function fixedClock(instant: string | Date): LedgerClock {
  const ms = new Date(instant).getTime();
  return { now: () => new Date(ms) };
}

/** A clock that starts at `instant` and runs on in real time from the moment it is made. */
export function clockStartingAt(
  instant: string | Date,
  base: LedgerClock = systemClock,
): LedgerClock {
  const startMs = new Date(instant).getTime();
  if (Number.isNaN(startMs)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  const baseStart = base.now().getTime();
  return { now: () => new Date(startMs + (base.now().getTime() - baseStart)) };
}

/**
 * A clock whose source can be swapped while the ledger is open: the dev bridge's e2e
 * hook sets it (e.g. to 22:30 to see a call refused) and puts the original back.
 */
export interface SwitchableClock extends LedgerClock {
  set(clock: LedgerClock): void;
  reset(): void;
}

export function switchableClock(initial: LedgerClock): SwitchableClock {
  let current = initial;
  return {
    now: () => current.now(),
    set: (clock) => {
      current = clock;
    },
    reset: () => {
      current = initial;
    },
  };
}
