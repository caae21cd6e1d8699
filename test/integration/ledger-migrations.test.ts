// Migration 0001: the schema it creates, the append-only triggers, and that the
// worklist queries are served by the indexes made for them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type LedgerDb } from '../../electron/ledger/db';
import { LEDGER_SCHEMA_VERSION, migrate, schemaVersion } from '../../electron/ledger/migrations';
import {
  worklistCountSql,
  worklistPageSql,
  type WorklistQuery,
} from '../../electron/ledger/queries/worklist';
import { buildFixture, IDS, tempDir, TODAY, type Fixture } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function freshDb(): LedgerDb {
  const dir = tempDir();
  const db = openLedger({ file: path.join(dir, 'ledger.db'), key: crypto.randomBytes(32) });
  cleanups.push(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

function fixture(): Fixture {
  const f = buildFixture();
  cleanups.push(f.cleanup);
  return f;
}

function columns(db: LedgerDb, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

function plan(db: LedgerDb, sql: string, params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
    .map((r) => r.detail)
    .join('\n');
}

describe('migration 0001 (initial schema)', () => {
  it('creates every table and records version 1 once', () => {
    const db = freshDb();
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, 1)).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    expect(tables).toEqual([
      'audit',
      'borrowers',
      'branches',
      'cases',
      'contact_points',
      'contacts',
      'core_repayments',
      'facts',
      'instalments',
      'loans',
      'meta',
      'outbox',
      'payment_reversals',
      'payments',
      'promises',
      'schema_migrations',
      'users',
    ]);
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'initial' },
    ]);
    // Running again applies nothing and changes nothing.
    expect(migrate(db, 1)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(1);
  });

  it('keeps money in integer fen and the derived worklist columns on cases', () => {
    const db = freshDb();
    migrate(db);
    expect(columns(db, 'cases')).toEqual(
      expect.arrayContaining([
        'officer_id',
        'status',
        'flag_hardship',
        'flag_vulnerable',
        'flag_dispute',
        'flag_do_not_contact',
        'next_action_date',
        'field_clocks',
        'dpd',
        'bucket',
        'arrears_fen',
        'outstanding_fen',
        'promise_due_date',
        'promise_amount_fen',
        'promise_status',
        'last_contact_at',
        'last_contact_channel',
        'last_contact_outcome',
        'priority_score',
        'priority_reasons',
      ]),
    );
    const moneyColumns = db
      .prepare(
        `SELECT m.name AS tbl, p.name AS col, p.type FROM sqlite_master m, pragma_table_info(m.name) p
                WHERE m.type = 'table' AND p.name LIKE '%\\_fen' ESCAPE '\\'`,
      )
      .all() as { tbl: string; col: string; type: string }[];
    expect(moneyColumns.length).toBeGreaterThan(8);
    for (const c of moneyColumns)
      expect(`${c.tbl}.${c.col}:${c.type}`).toBe(`${c.tbl}.${c.col}:INTEGER`);
  });

  it('refuses a payment of zero and a second reversal of one payment', () => {
    const f = fixture();
    const insertFact = f.db.prepare(
      `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload) VALUES (?, ?, ?, '2026-11-28T02:00:00.000Z', '2026-11-28', ?, 'd', 'h', '{}')`,
    );
    insertFact.run('f1', IDS.caseLate, 'payment', IDS.officer);
    expect(() =>
      f.db
        .prepare(
          `INSERT INTO payments (fact_id, case_id, loan_id, paid_on, amount_fen, method, receipt_no) VALUES ('f1', ?, ?, '2026-11-28', 0, 'cash', 'R-1')`,
        )
        .run(IDS.caseLate, IDS.loanLate),
    ).toThrow(/CHECK constraint failed/);
    f.db
      .prepare(
        `INSERT INTO payments (fact_id, case_id, loan_id, paid_on, amount_fen, method, receipt_no) VALUES ('f1', ?, ?, '2026-11-28', 100, 'cash', 'R-1')`,
      )
      .run(IDS.caseLate, IDS.loanLate);
    insertFact.run('f2', IDS.caseLate, 'payment_reversal', IDS.officer);
    insertFact.run('f3', IDS.caseLate, 'payment_reversal', IDS.officer);
    const reverse = f.db.prepare(
      `INSERT INTO payment_reversals (fact_id, case_id, reverses_fact_id, reason) VALUES (?, ?, 'f1', 'x')`,
    );
    reverse.run('f2', IDS.caseLate);
    expect(() => reverse.run('f3', IDS.caseLate)).toThrow(/UNIQUE constraint failed/);
  });

  it('makes facts, their side tables and the audit trail append-only', () => {
    const f = fixture();
    f.db
      .prepare(
        `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload) VALUES ('f1', ?, 'note', '2026-11-28T02:00:00.000Z', '2026-11-28', ?, 'd', 'h', '{"text":"a"}')`,
      )
      .run(IDS.caseLate, IDS.officer);
    f.db
      .prepare(
        `INSERT INTO promises (case_id, made_at, fact_id, made_on, due_date, amount_fen) VALUES (?, 't', 'f1', '2026-11-28', '2026-12-01', 100)`,
      )
      .run(IDS.caseLate);
    f.db
      .prepare(
        `INSERT INTO audit (seq, at, actor_id, device_id, action, entity, entity_id, payload_hash, prev_hash, hash) VALUES (1, 't', 'a', 'd', 'x', 'e', 'i', 'p', 'q', 'h')`,
      )
      .run();
    for (const sql of [
      `UPDATE facts SET payload = '{"text":"b"}'`,
      `DELETE FROM facts`,
      `UPDATE promises SET amount_fen = 1`,
      `DELETE FROM promises`,
      `UPDATE audit SET action = 'y'`,
      `DELETE FROM audit`,
    ]) {
      expect(() => f.db.exec(sql), sql).toThrow(/append-only/);
    }
    expect(f.db.prepare('SELECT payload FROM facts').pluck().get()).toBe('{"text":"a"}');
  });

  it('serves each worklist filter from its own partial index, without sorting the cases', () => {
    const f = fixture();
    f.db.exec('ANALYZE');
    const cases: [WorklistQuery, string][] = [
      [{ groupBy: 'none', offset: 0, limit: 50 }, 'cases_worklist'],
      [
        { groupBy: 'none', offset: 0, limit: 50, village: '东关村', bucket: 'M3' },
        'cases_worklist_village',
      ],
      [{ groupBy: 'none', offset: 0, limit: 50, officerId: IDS.officer }, 'cases_worklist_officer'],
      [{ groupBy: 'none', offset: 0, limit: 50, township: '城关镇' }, 'cases_worklist_township'],
      [{ groupBy: 'none', offset: 0, limit: 50, bucket: 'M1' }, 'cases_worklist_bucket'],
    ];
    for (const [query, index] of cases) {
      const page = worklistPageSql(query, TODAY);
      const pagePlan = plan(f.db, page.sql, [...page.params, 50, 0]);
      const pageIdSelection = pagePlan.split('\n').slice(0, 3).join('\n');
      expect(pageIdSelection, JSON.stringify(query)).toMatch(
        new RegExp(`COVERING INDEX ${index}( |$)`, 'm'),
      );
      // The page of ids comes straight off the index, already in priority order.
      expect(pageIdSelection, JSON.stringify(query)).not.toContain('TEMP B-TREE');
      const count = worklistCountSql(query, TODAY);
      expect(plan(f.db, count.sql, count.params), JSON.stringify(query)).toMatch(
        /COVERING INDEX cases_/,
      );
    }
  });

  it('refuses a ledger written by a newer Fieldbook', () => {
    const db = freshDb();
    migrate(db);
    db.pragma(`user_version = ${LEDGER_SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this Fieldbook understands/);
  });
});
