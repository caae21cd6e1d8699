// Migration 0012: promises carry who recorded them, filled from their facts on a ledger
// that already holds promises; the append-only guard is back afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerDb } from '../../electron/ledger/db';
import { migrate } from '../../electron/ledger/migrations';
import { ledgerAtVersion } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function ledgerAt(version: number): LedgerDb {
  return ledgerAtVersion(version, cleanups);
}

/** A promise fact and its side row as a v11 ledger wrote them (no case or user rows needed). */
function addPromise(db: LedgerDb, id: string, recordedBy: string, madeOn: string): void {
  db.pragma('foreign_keys = OFF');
  db.prepare(
    `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
     VALUES (?, 'case-1', 'promise', ?, ?, ?, 'device-1', ?, '{}')`,
  ).run(id, `${madeOn}T02:00:00.000Z`, madeOn, recordedBy, `${madeOn}T02:00:00.000Z-0000-device-1`);
  db.prepare(
    `INSERT INTO promises (fact_id, case_id, made_on, made_at, due_date, amount_fen)
     VALUES (?, 'case-1', ?, ?, '2026-12-05', 50000)`,
  ).run(id, madeOn, `${madeOn}T02:00:00.000Z`);
  db.pragma('foreign_keys = ON');
}

describe('migration 0012 (promise recorder)', () => {
  it('fills each promise’s recorder from its fact and keeps promises append-only', () => {
    const db = ledgerAt(11);
    addPromise(db, 'fact-a', 'officer-1', '2026-11-20');
    addPromise(db, 'fact-b', 'officer-2', '2026-11-21');
    expect(migrate(db, 12)).toEqual([12]);

    expect(
      db.prepare('SELECT fact_id, recorded_by FROM promises ORDER BY fact_id').raw().all(),
    ).toEqual([
      ['fact-a', 'officer-1'],
      ['fact-b', 'officer-2'],
    ]);
    expect(() => db.prepare(`UPDATE promises SET amount_fen = 1`).run()).toThrow(/append-only/);

    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('promises', 'facts')`,
      )
      .all() as { name: string; sql: string | null }[];
    const names = indexes.map((i) => i.name);
    expect(names).not.toContain('promises_made_on');
    expect(names).not.toContain('promises_due_date');
    expect(names).not.toContain('facts_promise_date');
    for (const cover of ['promises_made_on_cover', 'promises_due_date_cover']) {
      expect(indexes.find((i) => i.name === cover)?.sql).toMatch(/recorded_by\)$/);
    }
  });
});
