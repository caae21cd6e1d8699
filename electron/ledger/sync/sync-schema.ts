// Until migrations/index.ts lists migration0003 (the lead registers it), the sync client
// applies it exactly as the runner would: in its own transaction, recorded in
// schema_migrations and PRAGMA user_version. Once registered, migrate() has done it and
// this is a no-op.
import type { LedgerDb } from '../db';
import { LEDGER_SCHEMA_VERSION, migrate, schemaVersion } from '../migrations';
import { migration0003 } from '../migrations/0003-sync';
import { restoreDeferredIndexes } from './index-deferral';

export function ensureSyncSchema(db: LedgerDb): void {
  // Indexes a download set aside and did not get to build (the app was killed): back first,
  // before any migration that might expect them (index-deferral.ts).
  restoreDeferredIndexes(db);
  const current = schemaVersion(db);
  // migrate() refuses a ledger newer than the migrations it lists, which is what a ledger
  // at v3 is while 0003 is not registered yet.
  if (current < migration0003.version || LEDGER_SCHEMA_VERSION > current) migrate(db);
  if (schemaVersion(db) >= migration0003.version) return;
  db.transaction(() => {
    migration0003.up(db);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      migration0003.version,
      migration0003.name,
      new Date().toISOString(),
    );
    db.pragma(`user_version = ${migration0003.version}`);
  }).immediate();
}
