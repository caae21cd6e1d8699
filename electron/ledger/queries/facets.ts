// What the worklist can be filtered by: the townships and villages that have open cases
// (in pinyin order, as a Chinese reader expects, and the same order as the worklist
// grouped by village), and the branch policy's buckets.
import type { WorklistFacets } from '../../../shared/api/contract';
import type { LedgerDb } from '../db';
import { placePinyin } from '../pinyin';
import type { LedgerPolicy } from '../policy';
import { stmt } from '../statements';

/** Pinyin order, then the characters (as cases.route_key orders them). */
function byPinyin(a: string, b: string): number {
  const pa = placePinyin(a);
  const pb = placePinyin(b);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

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
    .sort(([a], [b]) => byPinyin(a, b))
    .map(([name, villages]) => ({ name, villages: villages.sort(byPinyin) }));
  return {
    townships,
    buckets: policy.buckets.map((b) => ({ code: b.code, minDays: b.minDays, maxDays: b.maxDays })),
  };
}
