import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../electron/ledger/db';
import { schemaVersion } from '../../electron/ledger/migrations';
import { ensureSyncSchema } from '../../electron/ledger/sync/sync-schema';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-mig3-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ledger migration 0003 (sync)', () => {
  it('adds the sync tables once, and opens fact deletes only for a case with a purge permit', () => {
    const db = openLedger({ file: path.join(dir, 'l.db'), key: crypto.randomBytes(32) });
    ensureSyncSchema(db);
    ensureSyncSchema(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(3);
    const versions = db
      .prepare('SELECT version FROM schema_migrations ORDER BY version')
      .pluck()
      .all();
    expect(versions.filter((v) => v === 3)).toHaveLength(1);
    for (const t of [
      'sync_state',
      'sync_cursors',
      'sync_case_removals',
      'sign_in_attempts',
      'case_purge',
    ])
      expect(
        db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(t),
      ).toBe(1);

    db.exec(`
      INSERT INTO branches (id, code, name, timezone, policy_pack_id) VALUES ('b', 'B', 'B', 'Asia/Shanghai', 'cn-default');
      INSERT INTO users (id, branch_id, login, name, role) VALUES ('u', 'b', 'u', 'U', 'officer');
      INSERT INTO borrowers (id, branch_id, name, id_number_masked, county, township, village, address) VALUES ('br', 'b', '张三', 'x', 'c', 't', 'v', 'a');
      INSERT INTO cases (id, branch_id, borrower_id, township, village, opened_on, officer_id) VALUES ('c', 'b', 'br', 't', 'v', '2026-01-01', 'u');
      INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
        VALUES ('f', 'c', 'note', '2026-01-01T00:00:00.000Z', '2026-01-01', 'u', 'd', 'h', '{}');
    `);
    expect(() => db.prepare("DELETE FROM facts WHERE id = 'f'").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE facts SET payload = '[]' WHERE id = 'f'").run()).toThrow(
      /append-only/,
    );
    db.transaction(() => {
      db.prepare("INSERT INTO case_purge (case_id) VALUES ('c')").run();
      db.prepare("DELETE FROM facts WHERE id = 'f'").run();
      db.prepare("DELETE FROM case_purge WHERE case_id = 'c'").run();
    })();
    expect(db.prepare('SELECT count(*) FROM facts').pluck().get()).toBe(0);
    db.close();
  });
});
