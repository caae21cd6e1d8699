// What the worklist can be filtered by: the townships and villages that have open cases
// (in pinyin order, as a Chinese reader expects), and the branch policy's buckets.
import type { WorklistFacets } from '../../../shared/api/contract';
import type { LedgerDb } from '../db';
import type { LedgerPolicy } from '../policy';
import { stmt } from '../statements';

const zhCollator = new Intl.Collator('zh-CN');

export function worklistFacets(db: LedgerDb, policy: LedgerPolicy): WorklistFacets {
  const rows = stmt<{ township: string; village: string }>(
    db,
    `SELECT DISTINCT township, village FROM cases WHERE status = 'open'`,
  ).all();
  const byTownship = new Map<string, string[]>();
  for (const { township, village } of rows) {
    const villages = byTownship.get(township) ?? [];
    villages.push(village);
    byTownship.set(township, villages);
  }
  const townships = [...byTownship.entries()]
    .sort(([a], [b]) => zhCollator.compare(a, b))
    .map(([name, villages]) => ({ name, villages: villages.sort(zhCollator.compare) }));
  return {
    townships,
    buckets: policy.buckets.map((b) => ({ code: b.code, minDays: b.minDays, maxDays: b.maxDays })),
  };
}
