// Prepared statements are cached per connection: preparing costs more than running a
// small indexed query, and every hot path (worklist, case file, commands) reuses a few.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { LedgerDb } from './db';

const caches = new WeakMap<LedgerDb, Map<string, Database.Statement>>();

export function stmt<Row = unknown>(db: LedgerDb, sql: string): Database.Statement<unknown[], Row> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s as Database.Statement<unknown[], Row>;
}
