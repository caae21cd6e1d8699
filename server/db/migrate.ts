// Applies migrations in id order, each in its own transaction together with its row in
// schema_migrations. A transaction-scoped advisory lock makes concurrent starts (several
// server processes on one PostgreSQL) apply each migration once.
import { MIGRATIONS } from '../migrations';
import type { Migration } from '../migrations/migration';
import type { Database } from './database';

const MIGRATION_LOCK = 7_270_001;

async function ensureTable(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`create table if not exists schema_migrations (
      id text primary key,
      applied_at timestamptz not null default now()
    )`);
  });
}

export async function appliedMigrations(db: Database): Promise<string[]> {
  await ensureTable(db);
  const rows = await db.query<{ id: string }>('select id from schema_migrations order by id');
  return rows.map((r) => r.id);
}

function checkOrder(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    if ((migrations[i - 1] as Migration).id >= (migrations[i] as Migration).id) {
      throw new Error(`migrations out of order: ${(migrations[i] as Migration).id}`);
    }
  }
}

/** Brings the schema up to date; returns the ids it applied. */
export async function migrateUp(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  checkOrder(migrations);
  await ensureTable(db);
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query('select 1 from schema_migrations where id = $1', [m.id]);
      if (seen.length > 0) return false;
      await m.up(tx);
      await tx.query('insert into schema_migrations (id) values ($1)', [m.id]);
      return true;
    });
    if (done) applied.push(m.id);
  }
  return applied;
}

/** Rolls back applied migrations newer than `targetId` (all of them when null), newest first. */
export async function migrateDown(
  db: Database,
  targetId: string | null,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  checkOrder(migrations);
  await ensureTable(db);
  const reverted: string[] = [];
  for (const m of [...migrations].reverse()) {
    if (targetId !== null && m.id <= targetId) break;
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query('select 1 from schema_migrations where id = $1', [m.id]);
      if (seen.length === 0) return false;
      await m.down(tx);
      await tx.query('delete from schema_migrations where id = $1', [m.id]);
      return true;
    });
    if (done) reverted.push(m.id);
  }
  return reverted;
}
