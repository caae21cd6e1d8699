// Opens the encrypted case ledger. The cipher and key are set before anything else
// touches the file: SQLite reads page 1 lazily, so the first real read (sqlite_master)
// is what proves the key is right.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/errors';

export type LedgerDb = Database.Database;

/** Keys are 32 random bytes; SQLCipher takes them raw (no passphrase derivation). */
export const LEDGER_KEY_BYTES = 32;

let nativeBinding: string | undefined;

/**
 * Loads the SQLite driver from this compiled binding instead of the one in node_modules
 * (Electron main: the driver built for Electron's ABI). Affects ledgers opened afterwards.
 */
export function setNativeBinding(file: string | undefined): void {
  nativeBinding = file;
}

export interface OpenLedgerOptions {
  file: string;
  key: Buffer;
  /** Open read-only (benchmarks and inspection tools); migrations cannot run then. */
  readonly?: boolean;
}

export function openLedger({ file, key, readonly = false }: OpenLedgerOptions): LedgerDb {
  if (key.length !== LEDGER_KEY_BYTES) {
    throw new AppError(
      'ledger_locked',
      `The ledger key must be ${LEDGER_KEY_BYTES} bytes, got ${key.length}`,
      {
        reason: 'bad_key_length',
      },
    );
  }
  if (!readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, {
    readonly,
    fileMustExist: readonly,
    timeout: 5000,
    ...(nativeBinding !== undefined && { nativeBinding }),
  });
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma(`key="x'${key.toString('hex')}'"`);
    verifyKey(db, file);
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Money facts must survive a power cut the moment the officer sees them confirmed.
    db.pragma('synchronous = FULL');
    // Pages are decrypted as they are read: a 64 MB page cache keeps a branch's worklist
    // and recent cases decrypted in memory (a 2,000-case ledger fits entirely).
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    checkIntegrity(db, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function verifyKey(db: LedgerDb, file: string): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new AppError(
        'ledger_locked',
        `Cannot open the case ledger ${path.basename(file)}: the key does not match (or the file is not a Fieldbook ledger)`,
        { reason: 'wrong_key' },
      );
    }
    throw err;
  }
}

/** quick_check once, and once more: a transient I/O error should not condemn the file. */
function checkIntegrity(db: LedgerDb, file: string): void {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    if (rows.length === 1 && rows[0]?.quick_check === 'ok') return;
  }
  throw new AppError(
    'internal',
    `The case ledger ${path.basename(file)} failed its integrity check`,
    {
      reason: 'ledger_corrupt',
    },
  );
}
