// Ledgers written by earlier versions hold SQLCipher pages. An officer who updates the app
// must find every case and fact where it was: the first writable open converts the file
// to AEGIS-256 under the same key, once, without ever risking the original.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import {
  LEDGER_CIPHER,
  LEGACY_LEDGER_CIPHER,
  openLedger,
  type LedgerCipher,
} from '../../electron/ledger/db';
import { fixedClock } from '../../electron/ledger/clock';
import { bindLedger } from '../../electron/ledger/ledger';
import { recordContact } from '../../electron/ledger/commands/record-contact';
import {
  buildFixture,
  IDS,
  LATE_BORROWER_NAME,
  NOW,
  snapshotTables,
  tempDir,
} from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const TABLES = ['borrowers', 'cases', 'facts', 'contacts', 'meta'] as const;
const NOTE = '借款人称下周卖猪后还款';
const NAME_BYTES = Buffer.from(LATE_BORROWER_NAME, 'utf8');

function keyed(file: string, cipher: LedgerCipher, key: Buffer): Database.Database {
  const db = new Database(file);
  db.pragma(`cipher='${cipher}'`);
  db.pragma(`key="x'${key.toString('hex')}'"`);
  return db;
}

/** Whether a connection made by hand with `cipher` and `key` reads the file. */
function opensWith(file: string, cipher: LedgerCipher, key: Buffer): boolean {
  const db = keyed(file, cipher, key);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SQLITE_NOTADB') return false;
    throw err;
  } finally {
    db.close();
  }
}

function folderBytes(dir: string): Map<string, Buffer> {
  return new Map(fs.readdirSync(dir).map((n) => [n, fs.readFileSync(path.join(dir, n))]));
}

interface LegacyLedger {
  dir: string;
  file: string;
  key: Buffer;
  userVersion: number;
  /** The rows as the legacy app last saw them (its last fact still in the WAL). */
  rows: Record<string, unknown[]>;
}

/**
 * The fixture as an earlier version of the app left it: SQLCipher pages, WAL mode, and the
 * last fact (a contact with a note) only in the WAL, as after a crash or a power cut.
 * With `hotJournal` instead: a rollback-journal ledger killed halfway through a write
 * (a first sync's download), its hot journal next to it.
 */
function legacyLedger(options: { hotJournal?: boolean } = {}): LegacyLedger {
  const f = buildFixture();
  cleanups.push(f.cleanup);
  const userVersion = Number(f.db.pragma('user_version', { simple: true }));
  f.db.pragma('wal_checkpoint(TRUNCATE)');
  f.db.pragma('journal_mode = DELETE');
  f.db.close();

  const writer = keyed(f.file, LEDGER_CIPHER, f.key);
  writer.pragma(`cipher='${LEGACY_LEDGER_CIPHER}'`);
  writer.pragma(`rekey="x'${f.key.toString('hex')}'"`);
  const dir = tempDir('fieldbook-legacy-');
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'ledger.db');
  let rows: Record<string, unknown[]>;
  if (options.hotJournal) {
    // A table the interrupted write appends to. Its first journaled page is then one of
    // the table's, not page 1: AEGIS reports SQLITE_CORRUPT (not NOTADB) for such a page
    // when SQLite tries to roll the SQLCipher journal back with it.
    writer.exec(`CREATE TABLE half_written (x BLOB); INSERT INTO half_written VALUES (1);`);
    rows = snapshotTables(writer, TABLES);
    writer.pragma('cache_size = 2'); // spills the half-written pages into the file
    writer.exec(`BEGIN;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
      INSERT INTO half_written SELECT randomblob(3000) FROM n;`);
    expect(fs.statSync(`${f.file}-journal`).size).toBeGreaterThan(0);
    fs.copyFileSync(f.file, file);
    fs.copyFileSync(`${f.file}-journal`, `${file}-journal`);
    writer.exec('ROLLBACK');
  } else {
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    recordContact(bindLedger(writer, fixedClock(NOW)), IDS.officer, {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      outcome: 'promise_to_pay',
      note: NOTE,
    });
    rows = snapshotTables(writer, TABLES);
    expect(fs.statSync(`${f.file}-wal`).size).toBeGreaterThan(0);
    fs.copyFileSync(f.file, file);
    fs.copyFileSync(`${f.file}-wal`, `${file}-wal`);
  }
  writer.close();
  return { dir, file, key: f.key, userVersion, rows };
}

function expectLockedOut(run: () => unknown): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe('ledger_locked');
  expect((caught as AppError).params).toMatchObject({ reason: 'wrong_key' });
  expect((caught as AppError).message).toMatch(/key does not match/);
}

describe('a ledger written with SQLCipher', () => {
  it('is converted to AEGIS-256 at the first open, every row and the schema version intact', () => {
    const legacy = legacyLedger();
    expect(opensWith(legacy.file, LEDGER_CIPHER, legacy.key)).toBe(false);

    const db = openLedger({ file: legacy.file, key: legacy.key });
    expect(snapshotTables(db, TABLES)).toEqual(legacy.rows);
    expect(db.pragma('user_version', { simple: true })).toBe(legacy.userVersion);
    expect(
      db.prepare('SELECT name FROM borrowers WHERE id = ?').pluck().get(IDS.borrowerLate),
    ).toBe(LATE_BORROWER_NAME);
    // The fact that was only in the legacy WAL survived.
    expect(
      db.prepare('SELECT count(*) FROM contacts WHERE case_id = ?').pluck().get(IDS.caseLate),
    ).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();

    expect(opensWith(legacy.file, LEDGER_CIPHER, legacy.key)).toBe(true);
    expect(opensWith(legacy.file, LEGACY_LEDGER_CIPHER, legacy.key)).toBe(false);
    expect(fs.readdirSync(legacy.dir).filter((n) => n.includes('aegis-convert'))).toEqual([]);
    for (const [name, bytes] of folderBytes(legacy.dir)) {
      expect(bytes.includes(NAME_BYTES), name).toBe(false);
      expect(bytes.includes(Buffer.from(NOTE, 'utf8')), name).toBe(false);
    }

    // Converted once: the next open is a plain AEGIS open of the same rows.
    const again = openLedger({ file: legacy.file, key: legacy.key });
    expect(snapshotTables(again, TABLES)).toEqual(legacy.rows);
    again.close();
  });

  it('rolls back a write interrupted by a crash before converting', () => {
    const legacy = legacyLedger({ hotJournal: true });
    const db = openLedger({ file: legacy.file, key: legacy.key });
    expect(snapshotTables(db, TABLES)).toEqual(legacy.rows);
    expect(db.prepare('SELECT count(*) FROM half_written').pluck().get()).toBe(1);
    db.close();
    expect(fs.existsSync(`${legacy.file}-journal`)).toBe(false);
    expect(opensWith(legacy.file, LEDGER_CIPHER, legacy.key)).toBe(true);
  });

  it('is read as it is by a read-only open, and stays SQLCipher', () => {
    const legacy = legacyLedger();
    const db = openLedger({ file: legacy.file, key: legacy.key, readonly: true });
    expect(snapshotTables(db, TABLES)).toEqual(legacy.rows);
    db.close();
    expect(fs.readdirSync(legacy.dir).filter((n) => n.includes('aegis-convert'))).toEqual([]);
    expect(opensWith(legacy.file, LEDGER_CIPHER, legacy.key)).toBe(false);
    expect(opensWith(legacy.file, LEGACY_LEDGER_CIPHER, legacy.key)).toBe(true);
  });

  it('stays SQLCipher while another connection has it open, and converts at a later open', () => {
    const legacy = legacyLedger();
    const other = keyed(legacy.file, LEGACY_LEDGER_CIPHER, legacy.key);
    expect(other.prepare('SELECT count(*) FROM facts').pluck().get()).toBeGreaterThan(0);

    const db = openLedger({ file: legacy.file, key: legacy.key });
    expect(snapshotTables(db, TABLES)).toEqual(legacy.rows);
    // Both connections still see one file: a write on one is read by the other.
    db.prepare(`INSERT INTO meta (key, value) VALUES ('cipher-test', 'x')`).run();
    expect(other.prepare(`SELECT value FROM meta WHERE key = 'cipher-test'`).pluck().get()).toBe(
      'x',
    );
    db.close();
    other.close();
    expect(opensWith(legacy.file, LEDGER_CIPHER, legacy.key)).toBe(false);
    expect(fs.readdirSync(legacy.dir).filter((n) => n.includes('aegis-convert'))).toEqual([]);

    const later = openLedger({ file: legacy.file, key: legacy.key });
    expect(later.prepare(`SELECT value FROM meta WHERE key = 'cipher-test'`).pluck().get()).toBe(
      'x',
    );
    later.close();
    expect(opensWith(legacy.file, LEDGER_CIPHER, legacy.key)).toBe(true);
  });

  it('refuses a wrong key in the same words as before and leaves every byte as it was', () => {
    const legacy = legacyLedger();
    // The ledger and its WAL; an attempt may add a -shm (the WAL's index, rebuilt from it).
    const digests = (): Record<string, string> =>
      Object.fromEntries(
        [...folderBytes(legacy.dir)]
          .filter(([name]) => !name.endsWith('-shm'))
          .map(([name, bytes]) => [name, crypto.createHash('sha256').update(bytes).digest('hex')]),
      );
    const before = digests();
    expect(Object.keys(before).sort()).toEqual(['ledger.db', 'ledger.db-wal']);
    expectLockedOut(() => openLedger({ file: legacy.file, key: crypto.randomBytes(32) }));
    expectLockedOut(() =>
      openLedger({ file: legacy.file, key: crypto.randomBytes(32), readonly: true }),
    );
    expect(digests()).toEqual(before);
  });
});

describe('a copy left by an interrupted conversion', () => {
  const stale = (file: string): void => {
    fs.writeFileSync(`${file}.aegis-convert`, crypto.randomBytes(10_000));
    fs.writeFileSync(`${file}.aegis-convert-journal`, crypto.randomBytes(3_000));
  };

  it('is removed, and the AEGIS ledger next to it opens', () => {
    const f = buildFixture();
    cleanups.push(f.cleanup);
    f.db.close();
    stale(f.file);
    const db = openLedger({ file: f.file, key: f.key });
    expect(
      db.prepare('SELECT name FROM borrowers WHERE id = ?').pluck().get(IDS.borrowerLate),
    ).toBe(LATE_BORROWER_NAME);
    db.close();
    expect(fs.readdirSync(f.dir).filter((n) => n.includes('aegis-convert'))).toEqual([]);
  });

  it('does not stop the conversion of the legacy ledger next to it', () => {
    const legacy = legacyLedger();
    stale(legacy.file);
    const db = openLedger({ file: legacy.file, key: legacy.key });
    expect(snapshotTables(db, TABLES)).toEqual(legacy.rows);
    db.close();
    expect(fs.readdirSync(legacy.dir).filter((n) => n.includes('aegis-convert'))).toEqual([]);
    expect(opensWith(legacy.file, LEDGER_CIPHER, legacy.key)).toBe(true);
  });
});
