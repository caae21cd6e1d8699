// The Database interface on a real PostgreSQL server through a pg connection pool.
import pg from 'pg';
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

function typeParser(oid: number, format?: string): (text: string) => unknown {
  if (format !== 'binary') {
    if (oid === PG_TYPE.INT8) return parseInt8;
    if (oid === PG_TYPE.DATE) return (text) => text;
    if (oid === PG_TYPE.TIMESTAMPTZ) return parseTimestamptz;
  }
  return pg.types.getTypeParser(oid, format as 'text') as (text: string) => unknown;
}

export interface PgDatabaseOptions {
  connectionString: string;
  /** Tables live in this schema (tests use one schema each); created if missing. */
  schema?: string;
  maxConnections?: number;
}

export async function openPgDatabase(options: PgDatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new RangeError(`bad schema name: ${schema}`);
  // Session settings travel as connection options. pg lets options in the URL override the
  // config, so options given in DATABASE_URL (?options=-c search_path=…) are merged here.
  let connectionString = options.connectionString;
  const settings = ['-c TimeZone=UTC'];
  try {
    const url = new URL(connectionString);
    const fromUrl = url.searchParams.get('options');
    if (fromUrl) settings.unshift(fromUrl);
    url.searchParams.delete('options');
    connectionString = url.toString();
  } catch {
    // Not a URL (e.g. a socket path): used as it is.
  }
  if (schema) settings.push(`-c search_path=${schema}`);
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    options: settings.join(' '),
    types: { getTypeParser: typeParser } as unknown as pg.CustomTypesConfig,
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  if (schema) await pool.query(`create schema if not exists ${schema}`);

  const run = async <R extends object>(
    client: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly SqlParam[],
  ) => {
    const result = await client.query(sql, params as unknown[] | undefined);
    return result.rows as R[];
  };

  return {
    backend: 'postgres',
    query: <R extends object = Row>(sql: string, params?: readonly SqlParam[]) =>
      run<R>(pool, sql, params),
    async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('begin');
        const q: Queryable = {
          query: <R extends object = Row>(sql: string, params?: readonly SqlParam[]) =>
            run<R>(client, sql, params),
        };
        const tx: Transaction = { ...q, savepoint: makeSavepoint(q) };
        const value = await fn(tx);
        await client.query('commit');
        return value;
      } catch (err) {
        try {
          await client.query('rollback');
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
