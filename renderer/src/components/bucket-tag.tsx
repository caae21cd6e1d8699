// A delinquency bucket as a tag whose colour deepens with severity. Severity comes from
// the bucket's lower bound, so a policy pack with other codes still gets sensible colours.
import { Tag } from 'antd';
import { bucketRangeLabel, type BucketRange, type FormatContext } from '../i18n/format';

export function bucketColor(minDays: number): string {
  if (minDays <= 0) return 'green';
  if (minDays <= 30) return 'gold';
  if (minDays <= 60) return 'orange';
  if (minDays <= 90) return 'volcano';
  if (minDays <= 180) return 'red';
  return 'magenta';
}

export interface BucketTagProps {
  code: string;
  /** The bucket's definition from worklist.facets; without it the tag falls back to DPD. */
  range: BucketRange | undefined;
  daysPastDue: number;
  ctx: FormatContext;
}

export function BucketTag({ code, range, daysPastDue, ctx }: BucketTagProps) {
  // A native title, not an antd Tooltip: a worklist screen draws dozens of these per scroll.
  return (
    <Tag
      color={bucketColor(range?.minDays ?? daysPastDue)}
      className="fb-bucket-tag"
      data-testid="bucket-tag"
      title={range ? bucketRangeLabel(range, ctx) : undefined}
    >
      {code}
    </Tag>
  );
}
