// The sync client's own rows in the ledger (migration 0003): enrolment, cursors per user,
// progress and the last success. Callers own transactions.
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

export const SYNC_KEYS = {
  serverUrl: 'server_url',
  deviceToken: 'device_token',
  enrolledAt: 'enrolled_at',
  lastSuccessAt: 'last_success_at',
  lastError: 'last_error',
  /** JSON FirstDownloadProgress while a first download (or full resync) runs. */
  firstDownload: 'first_download',
} as const;
export type SyncKey = (typeof SYNC_KEYS)[keyof typeof SYNC_KEYS];

export function getSyncState(db: LedgerDb, key: SyncKey): string | null {
  const v = stmt<string>(db, 'SELECT value FROM sync_state WHERE key = ?').pluck().get(key);
  return typeof v === 'string' ? v : null;
}

export function setSyncState(db: LedgerDb, key: SyncKey, value: string | null): void {
  if (value === null) {
    stmt(db, 'DELETE FROM sync_state WHERE key = ?').run(key);
    return;
  }
  stmt(
    db,
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function getCursor(db: LedgerDb, userId: string): string | null {
  const v = stmt<string>(db, 'SELECT cursor FROM sync_cursors WHERE user_id = ?')
    .pluck()
    .get(userId);
  return typeof v === 'string' ? v : null;
}

export function setCursor(db: LedgerDb, userId: string, cursor: string | null, at: string): void {
  if (cursor === null) {
    stmt(db, 'DELETE FROM sync_cursors WHERE user_id = ?').run(userId);
    return;
  }
  stmt(
    db,
    `INSERT INTO sync_cursors (user_id, cursor, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
  ).run(userId, cursor, at);
}

export interface Enrolment {
  serverUrl: string;
  deviceId: string;
  deviceToken: string;
}
