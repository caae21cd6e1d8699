// Migration 0002 (the officer's day): pinyin and search text backfilled for a ledger
// written by v1, search text kept current by triggers, route order, the new tables
// append-only, and the worklist's new filters read from indexes without sorting.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type LedgerDb } from '../../electron/ledger/db';
import { LEDGER_SCHEMA_VERSION, migrate, schemaVersion } from '../../electron/ledger/migrations';
import { routeKey } from '../../electron/ledger/pinyin';
import {
  worklistCountSql,
  worklistPageSql,
  type WorklistQuery,
} from '../../electron/ledger/queries/worklist';
import { writeDemoLedgerFile } from '../../electron/ledger/demo/ensure-demo';
import { buildFixture, IDS, tempDir, TODAY } from './ledger-fixture';

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

/** A branch written by a v1 Fieldbook: rows in the v1 shape, no pinyin. */
function seedV1(db: LedgerDb): void {
  db.exec(`
    INSERT INTO branches (id, code, name, county, timezone, policy_pack_id)
      VALUES ('b1', 'T-01', '测试支行', '平安县', 'Asia/Shanghai', 'cn-default');
    INSERT INTO users (id, branch_id, login, name, role) VALUES ('u1', 'b1', 'o1', '李建国', 'officer');
    INSERT INTO borrowers (id, branch_id, name, gender, id_number_masked, county, township, village, address)
      VALUES ('br1', 'b1', '曾德峰', 'M', '630221********1234', '平安县', '城关镇', '解放村', '解放村1号'),
             ('br2', 'b1', '王秀英', 'F', '630221********5678', '平安县', '白马镇', '河湾村', '河湾村2号');
    INSERT INTO contact_points (id, borrower_id, kind, value, party)
      VALUES ('cp1', 'br1', 'mobile', '138-0013-8000', 'borrower'),
             ('cp2', 'br1', 'address', '解放村1号', 'borrower'),
             ('cp3', 'br1', 'mobile', '13900000009', 'spouse');
    INSERT INTO cases (id, branch_id, borrower_id, township, village, opened_on, officer_id)
      VALUES ('c1', 'b1', 'br1', '城关镇', '解放村', '2026-01-01', 'u1'),
             ('c2', 'b1', 'br2', '白马镇', '河湾村', '2026-01-01', 'u1');
    INSERT INTO loans (id, case_id, borrower_id, loan_no, product, principal_fen, disbursed_on, term_months, annual_rate_pct, snapshot_at, snapshot_as_of)
      VALUES ('l1', 'c1', 'br1', 'PAXE2026000777', 'p', 100000, '2026-01-01', 12, 0, 't', '2026-11-27');
  `);
}

const searchText = (db: LedgerDb, caseId: string) =>
  db.prepare('SELECT search_text FROM cases WHERE id = ?').pluck().get(caseId);

describe('migration 0002 (officer day)', () => {
  it('upgrades a v1 ledger: pinyin, route keys and search text for what is already there', () => {
    const db = freshDb();
    expect(migrate(db, 1)).toEqual([1]);
    seedV1(db);
    expect(migrate(db, 2)).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    expect(LEDGER_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    expect(
      db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all(),
    ).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'officer-day' },
    ]);
    // 曾 as a surname reads zeng.
    expect(
      db
        .prepare(`SELECT name_initials, name_pinyin, time_zone FROM borrowers WHERE id = 'br1'`)
        .get(),
    ).toEqual({ name_initials: 'zdf', name_pinyin: 'zengdefeng', time_zone: null });
    // Phone numbers as digits, addresses left out, loan numbers in lower case.
    expect(searchText(db, 'c1')).toBe(
      '|曾德峰|zdf|zengdefeng|13800138000|13900000009|paxe2026000777|',
    );
    expect(searchText(db, 'c2')).toBe('|王秀英|wxy|wangxiuying|||');
    // 解放村 reads jiefang as a place (not xie, the surname).
    expect(db.prepare(`SELECT route_key FROM cases WHERE id = 'c1'`).pluck().get()).toBe(
      routeKey('城关镇', '解放村'),
    );
    expect(routeKey('城关镇', '解放村')).toContain('jiefangcun');
    expect(routeKey('白马镇', '河湾村') < routeKey('城关镇', '解放村')).toBe(true);
  });

  it('keeps the search text current as reference rows change', () => {
    const db = freshDb();
    migrate(db, 1);
    seedV1(db);
    migrate(db, 2);
    db.exec(
      `INSERT INTO contact_points (id, borrower_id, kind, value, party) VALUES ('cp4', 'br2', 'landline', '0971 8123456', 'borrower')`,
    );
    expect(searchText(db, 'c2')).toBe('|王秀英|wxy|wangxiuying|09718123456||');
    db.exec(`UPDATE contact_points SET value = '0971 8999999' WHERE id = 'cp4'`);
    expect(searchText(db, 'c2')).toContain('|09718999999|');
    db.exec(`DELETE FROM contact_points WHERE id = 'cp4'`);
    expect(searchText(db, 'c2')).toBe('|王秀英|wxy|wangxiuying|||');
    db.exec(`INSERT INTO loans (id, case_id, borrower_id, loan_no, product, principal_fen, disbursed_on, term_months, annual_rate_pct, snapshot_at, snapshot_as_of)
      VALUES ('l2', 'c2', 'br2', 'PAXE2026000888', 'p', 100000, '2026-01-01', 12, 0, 't', '2026-11-27')`);
    expect(searchText(db, 'c2')).toBe('|王秀英|wxy|wangxiuying||paxe2026000888|');
    db.exec(
      `UPDATE borrowers SET name = '王秀兰', name_initials = 'wxl', name_pinyin = 'wangxiulan' WHERE id = 'br2'`,
    );
    expect(searchText(db, 'c2')).toBe('|王秀兰|wxl|wangxiulan||paxe2026000888|');
    // A status change (a number found wrong) keeps the number searchable.
    db.exec(`UPDATE contact_points SET status = 'invalid' WHERE id = 'cp1'`);
    expect(searchText(db, 'c1')).toContain('|13800138000|');
  });

  it('makes overrides and plan proposals and decisions append-only', () => {
    const f = buildFixture();
    cleanups.push(f.cleanup);
    f.db
      .prepare(
        `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload) VALUES ('f1', ?, 'contact', 't', '2026-11-28', ?, 'd', 'h', '{}')`,
      )
      .run(IDS.caseLate, IDS.officer);
    f.db
      .prepare(
        `INSERT INTO overrides (contact_fact_id, case_id, at, recorded_by, rule_codes, reason) VALUES ('f1', ?, 't', ?, '[]', 'r')`,
      )
      .run(IDS.caseLate, IDS.officer);
    f.db
      .prepare(
        `INSERT INTO plan_proposals (fact_id, case_id, loan_id, proposed_at, monthly_fen, months, total_fen, first_due_date) VALUES ('f1', ?, ?, 't', 100, 1, 100, '2026-12-01')`,
      )
      .run(IDS.caseLate, IDS.loanLate);
    f.db
      .prepare(
        `INSERT INTO plan_decisions (fact_id, case_id, proposal_fact_id, decision, decided_at) VALUES ('f1', ?, 'f1', 'approved', 't')`,
      )
      .run(IDS.caseLate);
    expect(() =>
      f.db
        .prepare(
          `INSERT INTO plan_decisions (fact_id, case_id, proposal_fact_id, decision, decided_at) VALUES ('f1', ?, 'f1', 'rejected', 't')`,
        )
        .run(IDS.caseLate),
    ).toThrow(/UNIQUE/);
    for (const sql of [
      `UPDATE overrides SET reason = 'x'`,
      `DELETE FROM overrides`,
      `UPDATE plan_proposals SET monthly_fen = 1`,
      `DELETE FROM plan_proposals`,
      `UPDATE plan_decisions SET decision = 'rejected'`,
      `DELETE FROM plan_decisions`,
    ]) {
      expect(() => f.db.exec(sql), sql).toThrow(/append-only/);
    }
  });

  it('serves the new filters, search and route order from indexes, the page without sorting', () => {
    // A few hundred demo cases with statistics (the generator runs ANALYZE), so the planner
    // chooses as it does on a branch's ledger.
    const dir = tempDir();
    const file = path.join(dir, 'demo.db');
    const key = crypto.randomBytes(32);
    writeDemoLedgerFile({ file, key, seed: 3, cases: 400, today: TODAY });
    const db = openLedger({ file, key });
    cleanups.push(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const base = { groupBy: 'none', offset: 0, limit: 50 } as const;
    const OFFICER = db
      .prepare(`SELECT officer_id FROM cases GROUP BY officer_id ORDER BY count(*) DESC LIMIT 1`)
      .pluck()
      .get() as string;
    const cases: [WorklistQuery, string][] = [
      [{ ...base, search: 'oycy' }, 'cases_worklist_filters'],
      [{ ...base, promise: 'due_today_or_overdue' }, 'cases_worklist_filters'],
      [{ ...base, notContactedDays: 7, hardship: true }, 'cases_worklist_filters'],
      [{ ...base, followUpDue: true }, 'cases_worklist_filters'],
      [{ ...base, groupBy: 'village' }, 'cases_worklist_route'],
      [{ ...base, groupBy: 'village', search: 'wang' }, 'cases_worklist_route'],
      [{ ...base, groupBy: 'village', officerId: OFFICER }, 'cases_worklist_officer_route'],
    ];
    for (const [query, index] of cases) {
      const page = worklistPageSql(query, TODAY);
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${page.sql}`).all(...page.params, 50, 0) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .slice(0, 3)
        .join('\n');
      expect(plan, JSON.stringify(query)).toMatch(new RegExp(`COVERING INDEX ${index}( |$)`, 'm'));
      expect(plan, JSON.stringify(query)).not.toContain('TEMP B-TREE');
      const count = worklistCountSql(query, TODAY);
      const countPlan = (
        db.prepare(`EXPLAIN QUERY PLAN ${count.sql}`).all(...count.params) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('\n');
      expect(countPlan, JSON.stringify(query)).toMatch(/COVERING INDEX cases_/);
    }
  });
});
