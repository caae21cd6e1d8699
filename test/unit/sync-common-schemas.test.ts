// The sync protocol's building blocks run one check each (shared/sync/common.ts): they
// must accept and refuse exactly what the separate checks did, with the same words, and
// never quote the value refused.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  entityIdSchema,
  fenSchema,
  instantSchema,
  isoDateSchema,
  positiveFenSchema,
} from '../../shared/sync/common';

function refusal(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? '?');
}

describe('sync building blocks', () => {
  it('ids: 1 to 64 characters of letters, digits and _.:-', () => {
    expect(refusal(entityIdSchema, '01a223ed-4ec6-73be-bf29-73aaa6d084ae')).toBeNull();
    expect(refusal(entityIdSchema, 'snap:12')).toBeNull();
    expect(refusal(entityIdSchema, 'x'.repeat(64))).toBeNull();
    expect(refusal(entityIdSchema, '')).toBe('expected an id');
    expect(refusal(entityIdSchema, 'a b')).toBe('expected an id');
    expect(refusal(entityIdSchema, '张三')).toBe('expected an id');
    expect(refusal(entityIdSchema, 'x'.repeat(65))).toBe('expected an id of at most 64 characters');
    expect(refusal(entityIdSchema, 12)).not.toBeNull();
  });

  it('dates: YYYY-MM-DD that name a real day', () => {
    expect(refusal(isoDateSchema, '2026-11-28')).toBeNull();
    expect(refusal(isoDateSchema, '2024-02-29')).toBeNull();
    expect(refusal(isoDateSchema, '2000-02-29')).toBeNull();
    expect(refusal(isoDateSchema, '2026-02-29')).toBe('not a calendar date');
    expect(refusal(isoDateSchema, '1900-02-29')).toBe('not a calendar date');
    expect(refusal(isoDateSchema, '2026-04-31')).toBe('not a calendar date');
    expect(refusal(isoDateSchema, '2026-13-01')).toBe('not a calendar date');
    expect(refusal(isoDateSchema, '2026-00-10')).toBe('not a calendar date');
    expect(refusal(isoDateSchema, '2026-1-5')).toBe('expected YYYY-MM-DD');
    expect(refusal(isoDateSchema, '2026-11-28T00:00:00.000Z')).toBe('expected YYYY-MM-DD');
    expect(refusal(isoDateSchema, null)).not.toBeNull();
  });

  it('instants: UTC with milliseconds and Z, a real moment', () => {
    expect(refusal(instantSchema, '2026-11-28T07:30:00.000Z')).toBeNull();
    expect(refusal(instantSchema, '2024-02-29T23:59:59.999Z')).toBeNull();
    const shape = 'expected a UTC instant like 2026-11-28T07:30:00.000Z';
    expect(refusal(instantSchema, '2026-11-28T07:30:00Z')).toBe(shape);
    expect(refusal(instantSchema, '2026-11-28T07:30:00.000+08:00')).toBe(shape);
    expect(refusal(instantSchema, '2026-11-28')).toBe(shape);
    expect(refusal(instantSchema, '2026-02-30T07:30:00.000Z')).toBe('not a valid instant');
    expect(refusal(instantSchema, '2026-11-28T24:00:00.000Z')).toBe('not a valid instant');
    expect(refusal(instantSchema, '2026-11-28T07:60:00.000Z')).toBe('not a valid instant');
    expect(refusal(instantSchema, '2026-11-28T07:30:60.000Z')).toBe('not a valid instant');
  });

  it('fen: whole, not negative (positive: at least 1), safe integers only', () => {
    expect(refusal(fenSchema, 0)).toBeNull();
    expect(refusal(fenSchema, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(refusal(fenSchema, 12.5)).toBe('expected whole fen');
    expect(refusal(fenSchema, -1)).toBe('expected at least 0 fen');
    expect(refusal(fenSchema, Number.MAX_SAFE_INTEGER + 1)).toBe('amount too large');
    expect(refusal(fenSchema, Number.NaN)).not.toBeNull();
    expect(refusal(fenSchema, Number.POSITIVE_INFINITY)).not.toBeNull();
    expect(refusal(fenSchema, '100')).not.toBeNull();
    expect(refusal(positiveFenSchema, 1)).toBeNull();
    expect(refusal(positiveFenSchema, 0)).toBe('expected at least 1 fen');
  });

  it('a refusal never quotes the value', () => {
    const secret = '440103199001011234';
    for (const schema of [entityIdSchema, isoDateSchema, instantSchema])
      expect(refusal(schema, `${secret} ${secret}`)).not.toContain(secret);
  });
});
