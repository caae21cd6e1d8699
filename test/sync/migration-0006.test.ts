import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../electron/ledger/db';
import { migrate, schemaVersion } from '../../electron/ledger/migrations';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-mig6-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ledger migration 0006 (pulled items kept for later)', () => {
  it('adds sync_pending_items once, on a ledger at v5, and case removal finds its case_id', () => {
    const db = openLedger({ file: path.join(dir, 'l.db'), key: crypto.randomBytes(32) });
    migrate(db, 5);
    expect(schemaVersion(db)).toBe(5);
    expect(
      db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sync_pending_items'").get(),
    ).toBeUndefined();
    migrate(db);
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(6);
    const columns = (
      db.prepare('PRAGMA table_info(sync_pending_items)').all() as { name: string }[]
    ).map((c) => c.name);
    expect(columns).toEqual(['item_key', 'case_id', 'item', 'why', 'first_seen_at', 'attempts']);
    db.prepare(
      `INSERT INTO sync_pending_items (item_key, case_id, item, why, first_seen_at) VALUES ('fact:x', 'c1', '{}', 'case missing', '2026-11-28T00:00:00.000Z')`,
    ).run();
    expect(() =>
      db.prepare(`UPDATE sync_pending_items SET attempts = 0 WHERE item_key = 'fact:x'`).run(),
    ).toThrow();
    db.close();
  });
});
