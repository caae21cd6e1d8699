import { describe, expect, it } from 'vitest';
import {
  bucketFor,
  bucketListProblems,
  DEFAULT_BUCKETS,
  type BucketDef,
} from '../../shared/domain/buckets';

describe('bucketFor with the default buckets', () => {
  it.each([
    [0, 'M0'],
    [1, 'M1'],
    [30, 'M1'],
    [31, 'M2'],
    [60, 'M2'],
    [61, 'M3'],
    [90, 'M3'],
    [91, 'M4-6'],
    [180, 'M4-6'],
    [181, 'M6+'],
    [5000, 'M6+'],
  ])('%i days past due -> %s', (dpd, code) => {
    expect(bucketFor(dpd)).toBe(code);
  });

  it('refuses a negative or fractional DPD', () => {
    expect(() => bucketFor(-1)).toThrow(RangeError);
    expect(() => bucketFor(1.5)).toThrow(RangeError);
  });
});

describe('custom buckets', () => {
  const weekly: BucketDef[] = [
    { code: 'current', minDays: 0, maxDays: 0 },
    { code: '1-7', minDays: 1, maxDays: 7 },
    { code: '8+', minDays: 8, maxDays: null },
  ];
  it('uses the lender list', () => {
    expect(bucketFor(7, weekly)).toBe('1-7');
    expect(bucketFor(8, weekly)).toBe('8+');
  });
  it('throws where a broken list has a gap', () => {
    expect(() => bucketFor(5, [{ code: 'a', minDays: 0, maxDays: 3 }])).toThrow(/no bucket/);
  });
});

describe('bucketListProblems', () => {
  it('accepts the defaults', () => {
    expect(bucketListProblems(DEFAULT_BUCKETS)).toEqual([]);
  });
  it('names gaps, overlaps, duplicates and a closed last bucket', () => {
    expect(bucketListProblems([])).toEqual(['there must be at least one bucket']);
    const gap = bucketListProblems([
      { code: 'M0', minDays: 0, maxDays: 0 },
      { code: 'M1', minDays: 2, maxDays: null },
    ]);
    expect(gap.join('\n')).toMatch(/M1.*minDays is 2, expected 1/);
    const overlap = bucketListProblems([
      { code: 'M0', minDays: 0, maxDays: 5 },
      { code: 'M1', minDays: 5, maxDays: null },
    ]);
    expect(overlap.join('\n')).toMatch(/expected 6/);
    expect(bucketListProblems([{ code: 'M0', minDays: 0, maxDays: 10 }]).join()).toMatch(
      /open-ended/,
    );
    const twice = bucketListProblems([
      { code: 'A', minDays: 0, maxDays: null },
      { code: 'A', minDays: 1, maxDays: null },
    ]).join('\n');
    expect(twice).toMatch(/bucket 1 \(A\): duplicate code/);
    expect(twice).toMatch(/bucket 0 \(A\): only the last bucket may be open-ended/);
    expect(
      bucketListProblems([
        { code: 'A', minDays: 0, maxDays: 5 },
        { code: 'B', minDays: 6, maxDays: 2 },
        { code: 'C', minDays: 3, maxDays: null },
      ]).join(),
    ).toMatch(/below minDays/);
  });
});
