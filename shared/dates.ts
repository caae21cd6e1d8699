// Business dates are 'YYYY-MM-DD' strings in the branch's time zone. Arithmetic on them is
// done in UTC so that no local daylight-saving shift can add or lose a day.
// Instants are converted to local dates and times only through Intl with an explicit zone.
import type { Instant, IsoDate } from './domain/types';

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function parts(date: IsoDate): { y: number; m: number; d: number } {
  // One regex and plain arithmetic: schedules call this dozens of times per loan.
  const match = ISO_DATE_RE.exec(date);
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    if (y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return { y, m, d };
  }
  throw new RangeError(`Not a valid ISO date: ${JSON.stringify(date)}`);
}

function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

function toUtcMs(date: IsoDate): number {
  const { y, m, d } = parts(date);
  return Date.UTC(y, m - 1, d);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  const days = DAYS_IN_MONTH[month - 1];
  // Months outside 1-12 roll over the year, as Date.UTC does.
  return days ?? new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True only for a real calendar date in 'YYYY-MM-DD' form ('2027-02-29' is false). */
export function isIsoDate(s: string): boolean {
  const match = ISO_DATE_RE.exec(s);
  if (!match) return false;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`addDays: n must be an integer, got ${n}`);
  return fromUtcMs(toUtcMs(date) + n * MS_PER_DAY);
}

/** to - from in whole days (negative when `to` is earlier). */
/** The first day of the month of `date`. */
export function monthStart(date: IsoDate): IsoDate {
  return `${date.slice(0, 8)}01`;
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / MS_PER_DAY);
}

/**
 * Adds calendar months, clamping to the month's last day: 2026-01-31 +1 -> 2026-02-28,
 * 2028-01-31 +1 -> 2028-02-29. `anchorDay` (1-31) is the day a schedule wants to keep,
 * so the month after a clamped 28 Feb goes back to the 31st rather than staying on the 28th.
 */
export function addMonthsClamped(date: IsoDate, months: number, anchorDay?: number): IsoDate {
  if (!Number.isInteger(months))
    throw new RangeError(`addMonthsClamped: months must be an integer, got ${months}`);
  if (
    anchorDay !== undefined &&
    (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > 31)
  ) {
    throw new RangeError(`addMonthsClamped: anchorDay must be 1-31, got ${anchorDay}`);
  }
  const { y, m, d } = parts(date);
  const monthIndex = y * 12 + (m - 1) + months;
  const ty = Math.floor(monthIndex / 12);
  const tm = (monthIndex % 12) + 1;
  const day = Math.min(anchorDay ?? d, daysInMonth(ty, tm));
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** True for a time zone name Intl knows ('Asia/Shanghai', 'America/Chicago', 'UTC'). */
export function isTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

function zonedFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dateTimeFormatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone, which is what callers should see.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    dateTimeFormatters.set(timeZone, f);
  }
  return f;
}

export interface LocalDateTime {
  date: IsoDate;
  /** Minutes since local midnight, 0-1439. */
  minuteOfDay: number;
  second: number;
}

function toDate(instant: Instant | Date): Date {
  const d = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return d;
}

/** The wall-clock date and time of an instant in a zone (Intl-based). */
export function localDateTime(instant: Instant | Date, timeZone: string): LocalDateTime {
  const values: Record<string, number> = {};
  for (const p of zonedFormatter(timeZone).formatToParts(toDate(instant))) {
    if (p.type !== 'literal') values[p.type] = Number(p.value);
  }
  const y = values.year ?? 0;
  const mo = values.month ?? 1;
  const d = values.day ?? 1;
  const h = (values.hour ?? 0) % 24;
  const date = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return { date, minuteOfDay: h * 60 + (values.minute ?? 0), second: values.second ?? 0 };
}

/** The business date an instant falls on in the branch's (or debtor's) time zone. */
export function businessDate(instant: Instant | Date, timeZone: string): IsoDate {
  return localDateTime(instant, timeZone).date;
}

/** Zone offset (local - UTC) in minutes at an instant. */
function offsetMinutes(utcMs: number, timeZone: string): number {
  const local = localDateTime(new Date(utcMs), timeZone);
  const localAsUtc = toUtcMs(local.date) + local.minuteOfDay * 60_000 + local.second * 1000;
  const wholeSecondUtc = Math.floor(utcMs / 1000) * 1000;
  return Math.round((localAsUtc - wholeSecondUtc) / 60_000);
}

/**
 * The instant at which a zone's wall clock shows `date` + `minuteOfDay`. For a wall time
 * skipped by a daylight-saving jump (02:30 on a spring-forward night) the result is shifted
 * forward by the gap (03:30), as Temporal's 'compatible' mode does; a repeated wall time
 * usually resolves to the earlier of the two.
 */
export function zonedTimeToInstant(date: IsoDate, minuteOfDay: number, timeZone: string): Instant {
  const wallAsUtc = toUtcMs(date) + minuteOfDay * 60_000;
  // Two passes settle the offset everywhere except inside a DST gap.
  const firstGuess = wallAsUtc - offsetMinutes(wallAsUtc, timeZone) * 60_000;
  const secondGuess = wallAsUtc - offsetMinutes(firstGuess, timeZone) * 60_000;
  const earlier = Math.min(firstGuess, secondGuess);
  const later = Math.max(firstGuess, secondGuess);
  const check = (ms: number): boolean => {
    const l = localDateTime(new Date(ms), timeZone);
    return l.date === date && l.minuteOfDay === minuteOfDay;
  };
  if (check(earlier)) return new Date(earlier).toISOString();
  if (check(later)) return new Date(later).toISOString();
  // Inside a gap: the wall time never happens; use the pre-gap offset, which lands after the gap.
  return new Date(later).toISOString();
}

const EN_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** '2026年11月20日' (zh-CN) or '20 Nov 2026' (en). Built by hand so output never depends on ICU data. */
export function formatIsoDate(date: IsoDate, lang: 'zh-CN' | 'en'): string {
  const { y, m, d } = parts(date);
  if (lang === 'zh-CN') return `${y}年${m}月${d}日`;
  return `${d} ${EN_MONTHS[m - 1]} ${y}`;
}

/** 'HH:MM' for minutes since local midnight (the renderer shows "allowed again at 08:00"). */
export function formatMinuteOfDay(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Parses 'HH:MM' (00:00-24:00) to minutes since midnight, or null. */
export function parseMinuteOfDay(text: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : null;
}
