// Migrations: each applies and reverts cleanly in its own transaction, is recorded once,
// and a failing one leaves nothing behind.
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { appliedMigrations, migrateDown, migrateUp } from '../../server/db/migrate';
import { MIGRATIONS } from '../../server/migrations';
import type { Migration } from '../../server/migrations/migration';
import { testBackends } from './helpers/backends';

async function schemaSnapshot(db: Database): Promise<string[]> {
  const columns = await db.query<{ t: string }>(
    `select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as t
       from information_schema.columns where table_schema = current_schema() and table_name <> 'schema_migrations' order by 1`,
  );
  const indexes = await db.query<{ t: string }>(
    `select indexdef as t from pg_indexes where schemaname = current_schema() and tablename <> 'schema_migrations' order by 1`,
  );
  return [...columns.map((r) => r.t), ...indexes.map((r) => r.t)];
}

describe.each(testBackends())('migrations on $name', (backend) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('applies every migration once, in order, and records it', async () => {
    db = await backend.open({ migrate: false });
    expect(await migrateUp(db)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrateUp(db)).toEqual([]);
  });

  it.each(MIGRATIONS.map((m, i) => ({ id: m.id, index: i })))(
    '$id goes up and down to the same schema',
    async ({ index }) => {
      db = await backend.open({ migrate: false });
      const previous = index > 0 ? (MIGRATIONS[index - 1] as Migration).id : null;
      await migrateUp(db, MIGRATIONS.slice(0, index));
      const before = await schemaSnapshot(db);
      await migrateUp(db, MIGRATIONS.slice(0, index + 1));
      const after = await schemaSnapshot(db);
      expect(after).not.toEqual(before);
      expect(await migrateDown(db, previous)).toEqual([(MIGRATIONS[index] as Migration).id]);
      expect(await schemaSnapshot(db)).toEqual(before);
      await migrateUp(db, MIGRATIONS.slice(0, index + 1));
      expect(await schemaSnapshot(db)).toEqual(after);
    },
  );

  it('the initial schema has every table the server needs', async () => {
    db = await backend.open();
    const tables = (
      await db.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = current_schema() order by 1`,
      )
    ).map((r) => r.table_name);
    expect(tables).toEqual([
      'borrowers',
      'branches',
      'case_assignments',
      'cases',
      'changes',
      'contact_points',
      'devices',
      'enrolment_codes',
      'facts',
      'loan_snapshots',
      'loans',
      'mutation_results',
      'schema_migrations',
      'server_state',
      'user_credentials',
      'users',
    ]);
    const state = await db.query<{ n: number }>('select count(*)::int as n from server_state');
    expect(state[0]?.n).toBe(1);
  });

  it('a migration that fails halfway leaves neither its tables nor its record', async () => {
    db = await backend.open();
    const broken: Migration = {
      id: '2999-01-01-0001-broken',
      up: async (tx) => {
        await tx.query('create table half_done (id text primary key)');
        await tx.query('select * from no_such_table');
      },
      down: async () => undefined,
    };
    await expect(migrateUp(db, [...MIGRATIONS, broken])).rejects.toThrow();
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.id));
    const half = await db.query(
      `select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'half_done'`,
    );
    expect(half).toEqual([]);
  });

  it('refuses migrations listed out of order', async () => {
    db = await backend.open({ migrate: false });
    const a: Migration = {
      id: '2026-01-02-0001-b',
      up: async () => undefined,
      down: async () => undefined,
    };
    const b: Migration = {
      id: '2026-01-01-0001-a',
      up: async () => undefined,
      down: async () => undefined,
    };
    await expect(migrateUp(db, [a, b])).rejects.toThrow(/out of order/);
  });
});
