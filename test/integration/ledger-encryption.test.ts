// Encryption at rest: a lost laptop's ledger file must be useless without the key, and
// no borrower's name may be readable in the file's bytes (main file or WAL).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { LEDGER_CIPHER, LEGACY_LEDGER_CIPHER, openLedger } from '../../electron/ledger/db';
import { DEV_KEY_FILE_NAME, loadOrCreateDevKey } from '../../electron/ledger/key-file';
import { recordContact } from '../../electron/ledger/commands/record-contact';
import { buildFixture, IDS, LATE_BORROWER_NAME, tempDir, type Fixture } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function fixture(): Fixture {
  const f = buildFixture();
  cleanups.push(f.cleanup);
  return f;
}

const NAME_BYTES = Buffer.from(LATE_BORROWER_NAME, 'utf8');
const NOTE = '借款人称下周卖猪后还款';

function fileHolds(file: string, needle: Buffer): boolean {
  return fs.existsSync(file) && fs.readFileSync(file).includes(needle);
}

describe('ledger encryption at rest', () => {
  it('cannot be read without the key, nor with a wrong one', () => {
    const f = fixture();
    f.db.close();

    const noKey = new Database(f.file);
    expect(() => noKey.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(
      /not a database/,
    );
    noKey.close();

    const wrongKey = new Database(f.file);
    wrongKey.pragma(`cipher='${LEDGER_CIPHER}'`);
    wrongKey.pragma(`key="x'${crypto.randomBytes(32).toString('hex')}'"`);
    expect(() => wrongKey.prepare('SELECT name FROM borrowers').all()).toThrow(/not a database/);
    wrongKey.close();

    // The ledger's own opener says so in words and with a code the UI can act on.
    let caught: unknown;
    try {
      openLedger({ file: f.file, key: crypto.randomBytes(32) });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('ledger_locked');
    expect((caught as AppError).message).toMatch(/key does not match/);

    // And the right key still opens it.
    const again = openLedger({ file: f.file, key: f.key });
    expect(
      again.prepare('SELECT name FROM borrowers WHERE id = ?').pluck().get(IDS.borrowerLate),
    ).toBe(LATE_BORROWER_NAME);
    again.close();
  });

  it('writes a new ledger with AEGIS-256 pages under the raw key, not SQLCipher', () => {
    const f = fixture();
    f.db.close();
    expect(LEDGER_CIPHER).toBe('aegis');
    const keyed = (cipher: string): Database.Database => {
      const db = new Database(f.file);
      db.pragma(`cipher='${cipher}'`);
      db.pragma(`key="x'${f.key.toString('hex')}'"`);
      return db;
    };
    const aegis = keyed(LEDGER_CIPHER);
    expect(
      aegis.prepare('SELECT name FROM borrowers WHERE id = ?').pluck().get(IDS.borrowerLate),
    ).toBe(LATE_BORROWER_NAME);
    aegis.close();
    const legacy = keyed(LEGACY_LEDGER_CIPHER);
    expect(() => legacy.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(
      /not a database/,
    );
    legacy.close();
  });

  it('never shows a borrower name or a note in the bytes of the main file or the WAL', () => {
    const f = fixture();
    // The name is certainly stored, and a fresh fact sits in the WAL before any checkpoint.
    expect(
      f.db.prepare('SELECT count(*) FROM borrowers WHERE name = ?').pluck().get(LATE_BORROWER_NAME),
    ).toBe(1);
    recordContact(f.ledger, IDS.officer, {
      caseId: IDS.caseLate,
      channel: 'call',
      party: 'borrower',
      outcome: 'promise_to_pay',
      note: NOTE,
    });
    const wal = `${f.file}-wal`;
    expect(fs.statSync(wal).size).toBeGreaterThan(0);
    for (const file of [f.file, wal]) {
      expect(fileHolds(file, NAME_BYTES), file).toBe(false);
      expect(fileHolds(file, Buffer.from(NOTE, 'utf8')), file).toBe(false);
    }
    f.db.pragma('wal_checkpoint(TRUNCATE)');
    f.db.close();
    for (const file of fs.readdirSync(f.dir).map((n) => path.join(f.dir, n))) {
      expect(fileHolds(file, NAME_BYTES), file).toBe(false);
      expect(fileHolds(file, Buffer.from(NOTE, 'utf8')), file).toBe(false);
    }
    // A control: the same bytes are found when they really are in a file.
    const plain = path.join(f.dir, 'plain.db');
    const control = new Database(plain);
    control.exec(`CREATE TABLE t (name TEXT); INSERT INTO t VALUES ('${LATE_BORROWER_NAME}')`);
    control.close();
    expect(fileHolds(plain, NAME_BYTES)).toBe(true);
  });
});

describe('dev key file', () => {
  it('is created once, private to the user, and says it is for development only', () => {
    const dir = tempDir('fieldbook-key-');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const first = loadOrCreateDevKey(dir);
    expect(first.createdNow).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(first.file).toBe(path.join(dir, DEV_KEY_FILE_NAME));
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    expect(first.warning).toMatch(/development only/);
    expect(first.warning).toContain(first.file);

    const second = loadOrCreateDevKey(dir);
    expect(second.createdNow).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('refuses a damaged key file rather than making a new key for an existing ledger', () => {
    const dir = tempDir('fieldbook-key-');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, DEV_KEY_FILE_NAME), 'not-a-key\n');
    expect(() => loadOrCreateDevKey(dir)).toThrow(/damaged/);
  });
});
