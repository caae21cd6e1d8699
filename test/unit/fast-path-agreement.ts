// A fast check in front of a zod schema (pull-check.ts, fact-payload-check.ts) may only ever
// say "valid" where the schema says valid AND returns the value unchanged. These helpers
// hold such a check to zod: samples as sent, then each object inside a sample with each
// member removed, replaced by each wrong value, or joined by an unknown member.
import { expect } from 'vitest';
import type { z } from 'zod';

/** Every object inside `v` with the path to it (arrays: every element). */
function objectsIn(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [];
  const out: (string | number)[][] = Array.isArray(v) ? [] : [path];
  for (const [k, child] of Object.entries(v))
    out.push(...objectsIn(child, [...path, Array.isArray(v) ? Number(k) : k]));
  return out;
}

function at(root: unknown, path: (string | number)[]): Record<string, unknown> {
  let o = root as Record<string | number, unknown>;
  for (const p of path) o = o[p] as Record<string | number, unknown>;
  return o as Record<string, unknown>;
}

/** The sample with one member of one of its objects removed, made wrong, or one added. */
export function variantsOf(sample: Record<string, unknown>, wrong: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const path of objectsIn(sample)) {
    for (const m of Object.keys(at(sample, path))) {
      const removed = structuredClone(sample);
      delete at(removed, path)[m];
      out.push(removed);
      for (const w of wrong) {
        const changed = structuredClone(sample);
        at(changed, path)[m] = w;
        out.push(changed);
      }
    }
    const extra = structuredClone(sample);
    at(extra, path).unexpected = 'x';
    out.push(extra);
  }
  return out;
}

/** Each sample is accepted as sent, and zod returns it unchanged. */
export function expectAcceptedAsZodReturns(
  samples: readonly unknown[],
  accept: (v: unknown) => boolean,
  schema: z.ZodType,
): void {
  for (const s of samples) {
    expect(accept(s), JSON.stringify(s)).toBe(true);
    const parsed = schema.safeParse(s);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(s);
  }
}

/**
 * Every variant the check accepts, zod accepts and returns unchanged; each one it declines
 * goes to `declined` (the caller's own check). Returns how many were checked and declined.
 */
export function holdToZod(
  variants: readonly unknown[],
  accept: (v: unknown) => boolean,
  schema: z.ZodType,
  declined: (v: unknown, zodSays: boolean) => void = () => {},
): { checked: number; declined: number } {
  let refused = 0;
  for (const v of variants) {
    const parsed = schema.safeParse(v);
    if (accept(v)) {
      expect(parsed.success, JSON.stringify(v)).toBe(true);
      expect(parsed.data).toEqual(v);
    } else {
      refused++;
      declined(v, parsed.success);
    }
  }
  return { checked: variants.length, declined: refused };
}
