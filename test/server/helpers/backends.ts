// The databases server tests run on: PGlite always, and a real PostgreSQL server too when
// DATABASE_URL is set. Each open() gives a fresh, migrated schema; close() drops it, so
// re-runs start clean. One PGlite per test file (it takes seconds to start), started
// from a cached initdb tarball so later files start in well under a second.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import type { Database } from '../../../server/db/database';
import { migrateUp } from '../../../server/db/migrate';
import { openPgDatabase } from '../../../server/db/pg-database';
import { createPglite, openPgliteDatabase } from '../../../server/db/pglite-database';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** A fresh schema with every migration applied (migrate: false leaves it empty). */
  open(options?: { migrate?: boolean }): Promise<Database>;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function pgliteTemplate(): Promise<Blob> {
  const version = (
    JSON.parse(
      readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
    ) as { version: string }
  ).version;
  const file = join(ROOT, 'node_modules/.cache/fieldbook-test', `pglite-${version}-initdb.tar`);
  if (!existsSync(file)) {
    const fresh = await createPglite();
    const dump = await fresh.dumpDataDir('none');
    await fresh.close();
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file); // atomic: parallel test files never read half a tarball
  }
  return new Blob([readFileSync(file)]);
}

let schemaCounter = 0;
function uniqueSchema(): string {
  return `t_${process.pid}_${++schemaCounter}_${Math.floor(Math.random() * 1e6)}`;
}

export function testBackends(): TestBackend[] {
  let shared: Promise<PGlite> | null = null;
  const pglite: TestBackend = {
    name: 'pglite',
    async open(options = {}) {
      shared ??= pgliteTemplate().then((blob) => createPglite({ loadDataDir: blob }));
      const instance = await shared;
      const schema = uniqueSchema();
      const db = await openPgliteDatabase({ instance, schema });
      if (options.migrate !== false) await migrateUp(db);
      return {
        ...db,
        async close() {
          await instance.query(`drop schema if exists ${schema} cascade`);
          await instance.query('set search_path to public');
        },
      };
    },
  };
  afterAll(async () => {
    if (shared) await (await shared).close();
  });

  const backends = [pglite];
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    backends.push({
      name: 'postgres',
      async open(options = {}) {
        const schema = uniqueSchema();
        const db = await openPgDatabase({ connectionString: url, schema, maxConnections: 4 });
        if (options.migrate !== false) await migrateUp(db);
        return {
          ...db,
          async close() {
            try {
              await db.query(`drop schema if exists ${schema} cascade`);
            } finally {
              await db.close();
            }
          },
        };
      },
    });
  }
  return backends;
}
