// The ledger's own settings (one row per key in `meta`): which branch and user this
// device serves, its device id and receipt numbering, and the date derived state is for.
import type { LedgerDb } from './db';
import { stmt } from './statements';

export const META = {
  branchId: 'branch_id',
  currentUserId: 'current_user_id',
  /** Business date the cases' derived columns were computed for. */
  derivedAsOf: 'derived_as_of',
  deviceId: 'device_id',
  /** Prefix unique to this device; receipt numbers are prefix + sequence. */
  receiptPrefix: 'receipt_prefix',
  /** Last receipt sequence number used on this device. */
  receiptSeq: 'receipt_seq',
  /** Last hybrid-logical-clock stamp issued on this device. */
  hlcLast: 'hlc_last',
  /** '1' for a generated demo ledger (no server, no sign-in). */
  demo: 'demo',
} as const;
export type MetaKey = (typeof META)[keyof typeof META];

export function getMeta(db: LedgerDb, key: MetaKey): string | null {
  const value = stmt<string>(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(key);
  return typeof value === 'string' ? value : null;
}

export function setMeta(db: LedgerDb, key: MetaKey, value: string): void {
  stmt(
    db,
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
