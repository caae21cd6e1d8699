// Opens the encrypted case ledger. The cipher and key are set before anything else
// touches the file: SQLite reads page 1 lazily, so the first real read (sqlite_master)
// is what proves the key is right.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/errors';
import {
  applyKey,
  convertLegacyLedger,
  isEmptyOrAbsent,
  LEDGER_CIPHER,
  LEGACY_LEDGER_CIPHER,
  removeConversionCopy,
  type LedgerCipher,
} from './ledger-cipher';

export { LEDGER_CIPHER, LEGACY_LEDGER_CIPHER, type LedgerCipher } from './ledger-cipher';

export type LedgerDb = Database.Database;

/** Keys are 32 random bytes, taken raw by either cipher (no passphrase derivation). */
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
  if (!readonly) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    removeConversionCopy(file);
  }
  const db = openKeyed(file, key, readonly);
  try {
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

/**
 * A connection whose key is proven, with LEDGER_CIPHER. A ledger written before it
 * (LEGACY_LEDGER_CIPHER) is converted on a writable open and opened as it is on a
 * read-only one.
 */
function openKeyed(file: string, key: Buffer, readonly: boolean): LedgerDb {
  const current = connectKeyed(file, key, LEDGER_CIPHER, readonly);
  if (!('refused' in current)) return current;
  // A new or empty file never held legacy pages.
  const legacy = !isEmptyOrAbsent(file)
    ? connectKeyed(file, key, LEGACY_LEDGER_CIPHER, readonly)
    : current;
  if ('refused' in legacy) throw keyRefusal(current.refused, file);
  if (readonly) return legacy;
  const outcome = convertLegacyLedger({ legacy, file, key, connect: (f) => connect(f, false) });
  // Not converted (another connection has it open, or the copy failed): the ledger is
  // untouched and stays legacy until a later open.
  const cipher = outcome === 'converted' ? LEDGER_CIPHER : LEGACY_LEDGER_CIPHER;
  const reopened = connectKeyed(file, key, cipher, readonly);
  if ('refused' in reopened) throw keyRefusal(reopened.refused, file);
  return reopened;
}

function connect(file: string, readonly: boolean): LedgerDb {
  return new Database(file, {
    readonly,
    fileMustExist: readonly,
    timeout: 5000,
    ...(nativeBinding !== undefined && { nativeBinding }),
  });
}

/**
 * Opens `file` with `cipher` and the key and reads page 1. `refused` holds the error
 * when the pages do not decrypt: SQLITE_NOTADB, or SQLITE_CORRUPT when SQLite first
 * tried to roll back a hot journal written with the other cipher (it keeps the journal
 * then, and the right cipher rolls it back).
 */
function connectKeyed(
  file: string,
  key: Buffer,
  cipher: LedgerCipher,
  readonly: boolean,
): LedgerDb | { refused: Error } {
  const db = connect(file, readonly);
  try {
    applyKey(db, cipher, key);
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    return db;
  } catch (err) {
    db.close();
    const code = (err as { code?: unknown }).code;
    if (err instanceof Error && (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')) {
      return { refused: err };
    }
    throw err;
  }
}

/** Neither cipher decrypts the file: the wrong key, or not a ledger (or a damaged one). */
function keyRefusal(refused: Error, file: string): Error {
  if ((refused as { code?: unknown }).code !== 'SQLITE_NOTADB') return refused;
  return new AppError(
    'ledger_locked',
    `Cannot open the case ledger ${path.basename(file)}: the key does not match (or the file is not a Fieldbook ledger)`,
    { reason: 'wrong_key' },
  );
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
