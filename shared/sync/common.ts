// Small zod building blocks shared by the sync protocol schemas.
import { z } from 'zod';

export const entityIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'expected an id');

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

/** UTC instant with milliseconds and 'Z', as Date#toISOString() writes it. */
export const instantSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    'expected a UTC instant like 2026-11-28T07:30:00.000Z',
  )
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid instant');

/** Integer fen, never a float. */
export const fenSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const positiveFenSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const shortTextSchema = z.string().trim().max(2000);
