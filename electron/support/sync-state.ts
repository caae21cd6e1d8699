// Counts that describe a laptop's sync state for a support bundle: how many changes wait,
// were sent or refused, how big the ledger is, when work was last queued. Numbers, ids
// and times only: no payloads, no names, no refusal texts (they may quote borrower data).
import type { LedgerDb } from '../ledger/db';

export interface SyncStateCounts {
  deviceId: string | null;
  demo: boolean;
  outbox: { pending: number; sent: number; refused: number };
  /** Refusals by stable code (server reasons are codes; their texts stay out). */
  refusedByCode: Record<string, number>;
  oldestPendingAt: string | null;
  newestMutationAt: string | null;
  ledger: { cases: number; borrowers: number; facts: number; users: number };
}

function tableExists(db: LedgerDb, table: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
    undefined
  );
}

function count(db: LedgerDb, table: string): number {
  if (!tableExists(db, table)) return 0;
  return Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).pluck().get() ?? 0);
}

function meta(db: LedgerDb, key: string): string | null {
  if (!tableExists(db, 'meta')) return null;
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
  return typeof v === 'string' ? v : null;
}

/** Reads the counts from an open ledger (read-only queries). */
export function syncStateFromLedger(db: LedgerDb): SyncStateCounts {
  const outbox = { pending: 0, sent: 0, refused: 0 };
  const refusedByCode: Record<string, number> = {};
  let oldestPendingAt: string | null = null;
  let newestMutationAt: string | null = null;
  if (tableExists(db, 'outbox')) {
    for (const row of db
      .prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status')
      .all() as { status: string; n: number }[]) {
      if (row.status === 'pending' || row.status === 'sent' || row.status === 'refused')
        outbox[row.status] = Number(row.n);
    }
    for (const row of db
      .prepare(
        "SELECT coalesce(refusal_code, 'unknown') AS code, count(*) AS n FROM outbox WHERE status = 'refused' GROUP BY 1",
      )
      .all() as { code: string; n: number }[]) {
      // Codes are short identifiers; anything else is not trusted into the bundle.
      refusedByCode[/^[a-z0-9_]{1,40}$/.test(row.code) ? row.code : 'other'] = Number(row.n);
    }
    oldestPendingAt =
      (db.prepare("SELECT min(created_at) FROM outbox WHERE status = 'pending'").pluck().get() as
        string | null) ?? null;
    newestMutationAt =
      (db.prepare('SELECT max(created_at) FROM outbox').pluck().get() as string | null) ?? null;
  }
  return {
    deviceId: meta(db, 'device_id'),
    demo: meta(db, 'demo') === '1',
    outbox,
    refusedByCode,
    oldestPendingAt,
    newestMutationAt,
    ledger: {
      cases: count(db, 'cases'),
      borrowers: count(db, 'borrowers'),
      facts: count(db, 'facts'),
      users: count(db, 'users'),
    },
  };
}
