// Small zod building blocks shared by the sync protocol schemas.
import { z } from 'zod';

export const entityIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'expected an id');

/**
 * True when the first ten characters of s (already shaped 'YYYY-MM-DD') name a real day.
 * Plain arithmetic: a first sync checks some 30,000 dates, and a Date per check showed.
 */
function isCalendarDay(s: string): boolean {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDay, 'not a calendar date');

/** UTC instant with milliseconds and 'Z', as Date#toISOString() writes it. */
export const instantSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    'expected a UTC instant like 2026-11-28T07:30:00.000Z',
  )
  .refine(
    (s) =>
      isCalendarDay(s) &&
      Number(s.slice(11, 13)) < 24 &&
      Number(s.slice(14, 16)) < 60 &&
      Number(s.slice(17, 19)) < 60,
    'not a valid instant',
  );

/** Integer fen, never a float. */
export const fenSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const positiveFenSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const shortTextSchema = z.string().trim().max(2000);
