// The demo generator: the same seed always gives the same ledger, and the portfolio looks
// like a rural branch's (asserted loosely: shares within wide bands, rules never broken).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger, type LedgerDb } from '../../electron/ledger/db';
import { ensureDemoLedger, writeDemoLedgerFile } from '../../electron/ledger/demo/ensure-demo';
import { openCaseLedger } from '../../electron/ledger/index';
import { DEV_KEY_FILE_NAME } from '../../electron/ledger/key-file';
import { verifyAuditChain } from '../../electron/ledger/audit';
import { getMeta, META } from '../../electron/ledger/meta';
import { snapshotTables, tempDir } from './ledger-fixture';

const TODAY = '2026-11-28';
const dir = tempDir('fieldbook-demo-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CONTENT_TABLES = [
  'meta',
  'branches',
  'users',
  'borrowers',
  'contact_points',
  'cases',
  'loans',
  'instalments',
  'core_repayments',
  'facts',
  'contacts',
  'promises',
  'payments',
  'payment_reversals',
  'outbox',
  'audit',
];

function generate(name: string, seed: number, cases: number): { db: LedgerDb; file: string } {
  const file = path.join(dir, name);
  const key = crypto.randomBytes(32);
  writeDemoLedgerFile({ file, key, seed, cases, today: TODAY });
  return { db: openLedger({ file, key }), file };
}

describe('demo generator determinism', () => {
  it('gives identical content for the same seed and different content for another', () => {
    const a = generate('a.db', 5, 300);
    const b = generate('b.db', 5, 300);
    const c = generate('c.db', 6, 300);
    try {
      expect(snapshotTables(a.db, CONTENT_TABLES)).toEqual(snapshotTables(b.db, CONTENT_TABLES));
      const names = (db: LedgerDb) =>
        db.prepare('SELECT name FROM borrowers ORDER BY id').pluck().all();
      expect(names(c.db)).not.toEqual(names(a.db));
      // Encrypted with different keys, the files themselves share nothing readable.
      expect(fs.readFileSync(a.file).equals(fs.readFileSync(b.file))).toBe(false);
    } finally {
      for (const x of [a, b, c]) x.db.close();
    }
  });
});

describe('demo portfolio of 2,000 cases', () => {
  let db: LedgerDb;
  beforeAll(() => {
    db = generate('branch.db', 1, 2000).db;
  });
  afterAll(() => db.close());

  const count = (sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params) as number;

  it('has most cases current or 1-30 days late and a tail past 180', () => {
    const share = (bucket: string) =>
      count('SELECT count(*) FROM cases WHERE bucket = ?', bucket) / 2000;
    expect(share('M0') + share('M1')).toBeGreaterThan(0.55);
    expect(share('M0') + share('M1')).toBeLessThan(0.85);
    for (const b of ['M2', 'M3', 'M4-6']) expect(share(b), b).toBeGreaterThan(0.02);
    expect(share('M6+')).toBeGreaterThan(0.01);
    expect(share('M6+')).toBeLessThan(0.12);
    expect(count('SELECT max(dpd) FROM cases')).toBeGreaterThan(180);
    expect(getMeta(db, META.derivedAsOf)).toBe(TODAY);
  });

  it('has realistic people and places', () => {
    const names = db.prepare('SELECT name FROM borrowers').pluck().all() as string[];
    for (const n of names) expect(n).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    // Common surnames dominate: 王, 李, 张 together are roughly a fifth of the population.
    const big3 = names.filter((n) => /^[王李张]/.test(n)).length / names.length;
    expect(big3).toBeGreaterThan(0.12);
    expect(big3).toBeLessThan(0.3);
    expect(count('SELECT count(DISTINCT township) FROM borrowers')).toBe(6);
    expect(count('SELECT count(DISTINCT village) FROM borrowers')).toBeGreaterThan(40);
    expect(
      count(
        `SELECT count(*) FROM contact_points WHERE kind = 'mobile' AND value NOT GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'`,
      ),
    ).toBe(0);
    expect(count(`SELECT count(DISTINCT party) FROM contact_points`)).toBe(4);
    expect(count(`SELECT count(DISTINCT product) FROM loans`)).toBe(6);
    // Every borrower is searchable by pinyin, and every case by name, phone and loan number.
    expect(
      count(`SELECT count(*) FROM borrowers WHERE name_initials IS NULL OR name_pinyin IS NULL`),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) FROM cases c JOIN borrowers b ON b.id = c.borrower_id
         WHERE instr(c.search_text, '|' || b.name || '|' || b.name_initials || '|' || b.name_pinyin || '|') = 0
            OR c.route_key = ''
            OR EXISTS (SELECT 1 FROM loans l WHERE l.case_id = c.id AND instr(c.search_text, lower(l.loan_no)) = 0)
            OR EXISTS (SELECT 1 FROM contact_points cp WHERE cp.borrower_id = b.id AND cp.kind = 'mobile' AND instr(c.search_text, cp.value) = 0)`,
      ),
    ).toBe(0);
    // Every officer has a patch; the manager has none.
    expect(count(`SELECT count(DISTINCT officer_id) FROM cases`)).toBe(12);
    expect(
      count(
        `SELECT count(*) FROM cases c JOIN users u ON u.id = c.officer_id WHERE u.role <> 'officer'`,
      ),
    ).toBe(0);
  });

  it('keeps to the collection rules in its history', () => {
    // Visits always with a second collector who is someone else.
    expect(count(`SELECT count(*) FROM contacts WHERE channel = 'visit'`)).toBeGreaterThan(200);
    expect(
      count(`SELECT count(*) FROM contacts c JOIN facts f ON f.id = c.fact_id
             WHERE c.channel = 'visit' AND (c.second_collector_id IS NULL OR c.second_collector_id = f.recorded_by)`),
    ).toBe(0);
    // Calls, SMS and visits only between 08:00 and 22:00 in Shanghai (UTC+8).
    const localHours = db
      .prepare(
        `SELECT DISTINCT (CAST(substr(occurred_at, 12, 2) AS INTEGER) + 8) % 24 FROM contacts`,
      )
      .pluck()
      .all() as number[];
    for (const h of localHours) expect(h >= 8 && h < 22, `hour ${h}`).toBe(true);
    // Nothing happened today or later: the demo history ends yesterday.
    expect(count(`SELECT count(*) FROM facts WHERE business_date >= ?`, TODAY)).toBe(0);
  });

  it('has promises kept, partly kept, broken and pending, and field payments with receipts', () => {
    const statuses = db
      .prepare(
        'SELECT promise_status, count(*) AS n FROM cases WHERE promise_status IS NOT NULL GROUP BY 1',
      )
      .all() as { promise_status: string; n: number }[];
    const byStatus = Object.fromEntries(statuses.map((s) => [s.promise_status, s.n]));
    expect(byStatus.kept).toBeGreaterThan(50);
    expect(byStatus.broken).toBeGreaterThan(50);
    expect(byStatus.pending).toBeGreaterThan(20);
    expect(byStatus.partly_kept).toBeGreaterThan(0);
    expect(count('SELECT count(*) FROM payments')).toBeGreaterThan(100);
    expect(
      count(
        `SELECT count(*) FROM payments WHERE receipt_no NOT GLOB '[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]-[0-9][0-9][0-9][0-9][0-9][0-9]'`,
      ),
    ).toBe(0);
    expect(count('SELECT count(*) FROM payment_reversals')).toBeGreaterThan(0);
    for (const flag of ['flag_hardship', 'flag_vulnerable', 'flag_dispute'])
      expect(count(`SELECT count(*) FROM cases WHERE ${flag} = 1`), flag).toBeGreaterThan(0);
    const factsPerCase = count('SELECT count(*) FROM facts') / 2000;
    expect(factsPerCase).toBeGreaterThan(3);
    expect(factsPerCase).toBeLessThan(15);
  });

  it("is the first officer's device: receipts continue that device's sequence", () => {
    const prefix = getMeta(db, META.receiptPrefix) as string;
    const issued = count(`SELECT count(*) FROM payments WHERE receipt_no LIKE ?`, `${prefix}-%`);
    expect(Number(getMeta(db, META.receiptSeq))).toBe(issued);
    expect(
      count(
        `SELECT count(*) FROM facts WHERE device_id = ? AND recorded_by <> ?`,
        getMeta(db, META.deviceId),
        getMeta(db, META.currentUserId),
      ),
    ).toBe(0);
    expect(count('SELECT count(*) FROM outbox')).toBe(0);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, entries: 1 });
  });
});

describe('ensureDemoLedger', () => {
  it('creates the demo ledger on first start only, keyed by the dev key file', () => {
    const dataDir = path.join(dir, 'first-start');
    const first = ensureDemoLedger({ dataDir, cases: 150, today: TODAY });
    expect(first.created).toMatchObject({ cases: 150, officers: 12 });
    expect(first.devKey?.createdNow).toBe(true);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['ledger.db', DEV_KEY_FILE_NAME]);

    const second = ensureDemoLedger({ dataDir, cases: 150, today: TODAY });
    expect(second.created).toBeNull();
    expect(second.key.equals(first.key)).toBe(true);

    const ledger = openCaseLedger({
      file: second.file,
      key: second.key,
      keyStorage: 'dev-key-file',
      today: TODAY,
    });
    try {
      const info = ledger.handlers['app.info']({}, { userId: ledger.currentUserId });
      expect(info).toMatchObject({
        demo: true,
        caseCount: 150,
        keyStorage: 'dev-key-file',
        branch: { name: '平安县农村商业银行 城关支行' },
      });
    } finally {
      ledger.close();
    }

    // A ledger whose key file went missing cannot be opened: say so, do not overwrite it.
    fs.rmSync(path.join(dataDir, DEV_KEY_FILE_NAME));
    expect(() => ensureDemoLedger({ dataDir, today: TODAY })).toThrow(/dev key file was missing/);
  });
});
