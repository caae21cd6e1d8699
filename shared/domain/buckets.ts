// Delinquency buckets (账龄): DPD ranges a lender configures in its policy pack.
// A valid bucket list starts at 0, has no gaps or overlaps, and ends open (maxDays null),
// so every non-negative DPD falls in exactly one bucket.

export interface BucketDef {
  code: string;
  minDays: number;
  /** Inclusive upper bound; null for the open-ended last bucket. */
  maxDays: number | null;
}

export const DEFAULT_BUCKETS: BucketDef[] = [
  { code: 'M0', minDays: 0, maxDays: 0 },
  { code: 'M1', minDays: 1, maxDays: 30 },
  { code: 'M2', minDays: 31, maxDays: 60 },
  { code: 'M3', minDays: 61, maxDays: 90 },
  { code: 'M4-6', minDays: 91, maxDays: 180 },
  { code: 'M6+', minDays: 181, maxDays: null },
];

/** Problems with a bucket list, in words for a pack author; empty when the list is usable. */
export function bucketListProblems(buckets: readonly BucketDef[]): string[] {
  const problems: string[] = [];
  if (buckets.length === 0) return ['there must be at least one bucket'];
  const codes = new Set<string>();
  let expectedMin = 0;
  buckets.forEach((b, i) => {
    if (codes.has(b.code)) problems.push(`bucket ${i} (${b.code}): duplicate code`);
    codes.add(b.code);
    if (b.minDays !== expectedMin) {
      problems.push(
        `bucket ${i} (${b.code}): minDays is ${b.minDays}, expected ${expectedMin} (no gaps or overlaps)`,
      );
    }
    const last = i === buckets.length - 1;
    if (b.maxDays === null) {
      if (!last) problems.push(`bucket ${i} (${b.code}): only the last bucket may be open-ended`);
    } else {
      if (b.maxDays < b.minDays)
        problems.push(
          `bucket ${i} (${b.code}): maxDays ${b.maxDays} is below minDays ${b.minDays}`,
        );
      if (last)
        problems.push(`bucket ${i} (${b.code}): the last bucket must be open-ended (maxDays null)`);
      expectedMin = b.maxDays + 1;
    }
  });
  return problems;
}

/** The code of the bucket holding `daysPastDue`. Throws for a negative DPD or a list with a gap there. */
export function bucketFor(
  daysPastDue: number,
  buckets: readonly BucketDef[] = DEFAULT_BUCKETS,
): string {
  if (!Number.isInteger(daysPastDue) || daysPastDue < 0) {
    throw new RangeError(
      `bucketFor: daysPastDue must be a non-negative integer, got ${daysPastDue}`,
    );
  }
  for (const b of buckets) {
    if (daysPastDue >= b.minDays && (b.maxDays === null || daysPastDue <= b.maxDays)) return b.code;
  }
  throw new RangeError(`bucketFor: no bucket holds ${daysPastDue} days past due`);
}
