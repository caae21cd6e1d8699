// The Database interface on PGlite: PostgreSQL compiled to WebAssembly, in this process,
// storing its files in a data folder (or in memory for tests). One connection: PGlite
// queues statements and runs a transaction alone, which is what single-node trials need.
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import {
  PG_TYPE,
  makeSavepoint,
  parseInt8,
  parseTimestamptz,
  type Database,
  type Queryable,
  type Row,
  type SqlParam,
  type Transaction,
} from './database';

export interface PgliteDatabaseOptions {
  /** A folder, or undefined for memory. */
  dataDir?: string;
  /** An initialised data folder as a tarball (tests start from one: initdb is the slow part). */
  loadDataDir?: Blob;
  schema?: string;
  /** Reuse an already running PGlite (tests share one per file); close() then leaves it open. */
  instance?: PGlite;
}

export const pgliteParsers: NonNullable<PGliteOptions['parsers']> = {
  [PG_TYPE.INT8]: (text: string) => parseInt8(text),
  [PG_TYPE.DATE]: (text: string) => text,
  [PG_TYPE.TIMESTAMPTZ]: (text: string) => parseTimestamptz(text),
};

export async function createPglite(
  options: { dataDir?: string; loadDataDir?: Blob } = {},
): Promise<PGlite> {
  const pgOptions: PGliteOptions = { parsers: pgliteParsers };
  if (options.dataDir) pgOptions.dataDir = options.dataDir;
  if (options.loadDataDir) pgOptions.loadDataDir = options.loadDataDir;
  return PGlite.create(pgOptions);
}

export async function openPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  const owned = !options.instance;
  const pglite = options.instance ?? (await createPglite(options));
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new RangeError(`bad schema name: ${schema}`);
  await pglite.query(`set time zone 'UTC'`);
  if (schema) {
    await pglite.query(`create schema if not exists ${schema}`);
    await pglite.query(`set search_path to ${schema}`);
  }

  const q: Queryable = {
    async query<R extends object = Row>(sql: string, params?: readonly SqlParam[]): Promise<R[]> {
      const result = await pglite.query<R>(sql, params as unknown[] | undefined);
      return result.rows;
    },
  };

  return {
    backend: 'pglite',
    query: q.query,
    async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      return pglite.transaction(async (pgTx) => {
        const inner: Queryable = {
          async query<R extends object = Row>(
            sql: string,
            params?: readonly SqlParam[],
          ): Promise<R[]> {
            const result = await pgTx.query<R>(sql, params as unknown[] | undefined);
            return result.rows;
          },
        };
        return fn({ ...inner, savepoint: makeSavepoint(inner) });
      });
    },
    async close() {
      if (owned) await pglite.close();
    },
  };
}
