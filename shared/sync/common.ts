// Small zod building blocks shared by the sync protocol schemas.
//
// Each block runs ONE zod check: a first sync validates some 200,000 ids, dates, instants
// and amounts, and every check zod runs is a call and a loop turn of its own (three checks
// per id took twice as long as one). Shape, length, calendar and range are tested in one
// function that reports what the first failed rule says; the messages never quote the
// value (it may be borrower data).
import { z } from 'zod';

// The rules themselves, shared by these schemas and the pull page's fast check
// (pull-check.ts), so that the two cannot disagree on what an id, a date or an amount is.

const ID_RE = /^[A-Za-z0-9_.:-]+$/;

/** 1 to 64 characters of [A-Za-z0-9_.:-]. */
export function isEntityId(s: unknown): boolean {
  return typeof s === 'string' && s.length >= 1 && s.length <= 64 && ID_RE.test(s);
}

export const entityIdSchema = z.string().superRefine((s, ctx) => {
  if (isEntityId(s)) return;
  ctx.addIssue({
    code: 'custom',
    message: s.length > 64 ? 'expected an id of at most 64 characters' : 'expected an id',
  });
});

/** The number written by the two digits of s at i (the caller's pattern has checked them). */
function twoDigits(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
}

/**
 * True when the first ten characters of s (already shaped 'YYYY-MM-DD') name a real day.
 * Plain arithmetic on the characters: a first sync checks some 30,000 dates and instants,
 * and a Date (or the substrings to parse) per check showed.
 */
function isCalendarDay(s: string): boolean {
  const y = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const m = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: unknown): boolean {
  return typeof s === 'string' && DATE_RE.test(s) && isCalendarDay(s);
}

export const isoDateSchema = z.string().superRefine((s, ctx) => {
  if (!DATE_RE.test(s)) ctx.addIssue({ code: 'custom', message: 'expected YYYY-MM-DD' });
  else if (!isCalendarDay(s)) ctx.addIssue({ code: 'custom', message: 'not a calendar date' });
});

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isValidMoment(s: string): boolean {
  return (
    isCalendarDay(s) && twoDigits(s, 11) < 24 && twoDigits(s, 14) < 60 && twoDigits(s, 17) < 60
  );
}

export function isInstant(s: unknown): boolean {
  return typeof s === 'string' && INSTANT_RE.test(s) && isValidMoment(s);
}

/** UTC instant with milliseconds and 'Z', as Date#toISOString() writes it. */
export const instantSchema = z.string().superRefine((s, ctx) => {
  if (!INSTANT_RE.test(s))
    ctx.addIssue({
      code: 'custom',
      message: 'expected a UTC instant like 2026-11-28T07:30:00.000Z',
    });
  else if (!isValidMoment(s)) ctx.addIssue({ code: 'custom', message: 'not a valid instant' });
});

/** An integer number of fen from `min` up to Number.MAX_SAFE_INTEGER, never a float. */
export function isFen(n: unknown, min: 0 | 1 = 0): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min;
}

function fenFrom(min: 0 | 1) {
  return z.number().superRefine((n, ctx) => {
    if (isFen(n, min)) return;
    ctx.addIssue({
      code: 'custom',
      message: !Number.isInteger(n)
        ? 'expected whole fen'
        : n < min
          ? `expected at least ${min} fen`
          : 'amount too large',
    });
  });
}

/** Integer fen, never a float. */
export const fenSchema = fenFrom(0);
export const positiveFenSchema = fenFrom(1);

export const shortTextSchema = z.string().trim().max(2000);
