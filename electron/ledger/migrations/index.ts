// Applies the ledger's migrations in order, each in its own transaction, and records
// them in schema_migrations and PRAGMA user_version (which moves with the transaction).
import { AppError } from '../../../shared/errors';
import type { LedgerDb } from '../db';
import { restoreDeferredIndexes } from '../sync/index-deferral';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-officer-day';
import { migration0003 } from './0003-sync';
import { migration0004 } from './0004-manager';
import { migration0005 } from './0005-import';
import { migration0006 } from './0006-sync-pending';
import { migration0007 } from './0007-manager-dashboard';
import { migration0008 } from './0008-dashboard-reads';
import { migration0009 } from './0009-refused-facts';
import { migration0011 } from './0011-kept-dashboard';
import { migration0012 } from './0012-promise-recorder';
import { migration0013 } from './0013-download-indexes';
import { migration0015 } from './0015-dashboard-sums';

export interface Migration {
  version: number;
  name: string;
  up(db: LedgerDb): void;
}

/** Every migration, in version order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0011,
  migration0012,
  migration0013,
  migration0015,
];

export const LEDGER_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersion(db: LedgerDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Migrates up to `target` (default: latest). Returns the versions applied now. */
export function migrate(db: LedgerDb, target: number = LEDGER_SCHEMA_VERSION): number[] {
  const current = schemaVersion(db);
  if (current > LEDGER_SCHEMA_VERSION) {
    throw new AppError(
      'conflict',
      `This ledger has schema version ${current}, newer than this Fieldbook understands (${LEDGER_SCHEMA_VERSION}); update the app`,
      { reason: 'ledger_newer_than_app', version: current },
    );
  }
  // Indexes a first download set aside and did not get to build (the app was killed)
  // come back before any migration that might drop or expect them (index-deferral.ts).
  if (current < target) restoreDeferredIndexes(db);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
