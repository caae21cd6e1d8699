// The ledger's page cipher, and the one-time conversion of ledgers written before it.
//
// AEGIS-256 is authenticated encryption (32-byte nonce + 16-byte tag per page, 48 reserved
// bytes) and AES-NI makes it as fast as no encryption at all; SQLCipher's AES-256-CBC +
// HMAC-SHA512 cost a first sync ~140 ms of CPU. Both take the 32-byte key raw
// (`x'<hex>'` bypasses the key derivation), so the same key opens either scheme.
//
// The conversion never writes to the ledger itself: it re-encrypts a copy, checks the copy
// opens with the new cipher, syncs it, and renames it over the ledger. A crash at any
// point leaves either the untouched ledger or the converted one, plus at worst a stale
// copy that openLedger removes before anything else.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';

export const LEDGER_CIPHER = 'aegis';
/** Every ledger written before AEGIS: SQLCipher 4 pages (80 reserved bytes). */
export const LEGACY_LEDGER_CIPHER = 'sqlcipher';
export type LedgerCipher = typeof LEDGER_CIPHER | typeof LEGACY_LEDGER_CIPHER;

/** The raw key as the key and rekey pragmas take it (`x'<hex>'` skips key derivation). */
function keyLiteral(key: Buffer): string {
  return `"x'${key.toString('hex')}'"`;
}

/** Sets the cipher and the raw key: the first statements on any ledger connection. */
export function applyKey(db: Database.Database, cipher: LedgerCipher, key: Buffer): void {
  db.pragma(`cipher='${cipher}'`);
  db.pragma(`key=${keyLiteral(key)}`);
}

/** The sibling the conversion writes; never a ledger anyone opens. */
export function conversionCopyOf(file: string): string {
  return `${file}.aegis-convert`;
}

/** Removes a copy (and its journal) left by a conversion that did not finish. */
export function removeConversionCopy(file: string): void {
  const copy = conversionCopyOf(file);
  for (const f of [copy, `${copy}-journal`, `${copy}-wal`, `${copy}-shm`]) {
    fs.rmSync(f, { force: true });
  }
}

export interface LegacyConversion {
  /** A writable connection to `file` whose key was verified with LEGACY_LEDGER_CIPHER. */
  legacy: Database.Database;
  file: string;
  key: Buffer;
  /** Opens a plain connection with the driver openLedger uses (it may be Electron's build). */
  connect(file: string): Database.Database;
}

export type ConversionOutcome =
  | 'converted'
  /** Another connection has the ledger open: the copy could miss its writes. (The driver
   * also refuses to rekey a copy whose header still says WAL.) */
  | 'in_use'
  /** The copy could not be made (disk full, a file locked by a scanner): the ledger is as it was. */
  | 'failed';

/**
 * Re-encrypts a legacy ledger with LEDGER_CIPHER in place of the original. Closes
 * `legacy` in every case; on any outcome but 'converted' the ledger keeps its SQLCipher
 * pages and every row (at most its WAL was checkpointed) until a later open converts it.
 */
export function convertLegacyLedger({
  legacy,
  file,
  key,
  connect,
}: LegacyConversion): ConversionOutcome {
  if (!settleIntoMainFile(legacy, file)) return 'in_use';
  const copy = conversionCopyOf(file);
  try {
    removeConversionCopy(file);
    fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
    reencrypt(copy, key, connect);
    fsyncFile(copy);
    fs.renameSync(copy, file);
  } catch (err) {
    removeConversionCopy(file);
    console.warn(
      `Fieldbook: the ledger ${path.basename(file)} stays on its old cipher for now:`,
      err instanceof Error ? err.message : err,
    );
    return 'failed';
  }
  fsyncDirectory(path.dirname(file));
  return 'converted';
}

/**
 * Checkpoints the WAL into the ledger file, leaves WAL mode and closes, so that the file
 * alone holds every committed page. False when another connection holds the ledger open
 * (it keeps WAL mode then) or a sidecar still holds data.
 */
function settleIntoMainFile(legacy: Database.Database, file: string): boolean {
  let mode: string;
  try {
    legacy.pragma('wal_checkpoint(TRUNCATE)');
    mode = String(legacy.pragma('journal_mode = DELETE', { simple: true }));
  } catch {
    mode = '';
  } finally {
    legacy.close();
  }
  return mode === 'delete' && isEmptyOrAbsent(`${file}-wal`) && isEmptyOrAbsent(`${file}-journal`);
}

/** Rekeys the copy to LEDGER_CIPHER (same key) and proves a fresh connection reads it whole. */
function reencrypt(copy: string, key: Buffer, connect: (file: string) => Database.Database): void {
  const db = connect(copy);
  try {
    applyKey(db, LEGACY_LEDGER_CIPHER, key);
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    // The copy is disposable until it is checked and synced below: no journal and no
    // syncs while it is rewritten (a third faster on a 21 MB ledger).
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    // rekey re-encrypts every page with the cipher now selected; the reserved bytes per
    // page differ (80 → 48), so it runs a VACUUM into the new layout.
    db.pragma(`cipher='${LEDGER_CIPHER}'`);
    db.pragma(`rekey=${keyLiteral(key)}`);
  } finally {
    db.close();
  }
  const check = connect(copy);
  try {
    applyKey(check, LEDGER_CIPHER, key);
    const verdict = check.pragma('quick_check', { simple: true });
    if (verdict !== 'ok')
      throw new Error(`the converted copy failed its check: ${String(verdict)}`);
  } finally {
    check.close();
  }
}

/** True for a file that is missing or holds no bytes (no page was ever written to it). */
export function isEmptyOrAbsent(file: string): boolean {
  try {
    return fs.statSync(file).size === 0;
  } catch {
    return true;
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes the rename durable; Windows cannot open a directory, and its rename is durable. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Best effort: SQLite syncs this directory again when it creates the ledger's WAL,
    // before the first write to the converted ledger can be confirmed.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
