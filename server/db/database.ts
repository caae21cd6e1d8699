// One small query interface over two engines: PGlite (embedded, a trial needs no setup)
// and a real PostgreSQL server (pg). The same SQL runs on both; values always travel as
// parameters ($1, $2 …), never inside the SQL text.
//
// Column values come back the same from both engines:
//   bigint/bigserial -> number (throws beyond 2^53), date -> 'YYYY-MM-DD',
//   timestamptz -> ISO instant with 'Z', json/jsonb -> parsed value.

export type SqlParam =
  string | number | boolean | null | readonly (string | null)[] | readonly (number | null)[];

export type Row = Record<string, unknown>;

export interface Queryable {
  /** One statement. Rows are typed by the caller: the shape is the SQL's promise. */
  query<R extends object = Row>(sql: string, params?: readonly SqlParam[]): Promise<R[]>;
}

export interface Transaction extends Queryable {
  /** Runs fn inside a savepoint; if fn throws, only its writes are rolled back and the error is rethrown. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

export type Backend = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly backend: Backend;
  /** BEGIN … COMMIT, or ROLLBACK if fn throws. Never call the Database itself inside fn: use tx. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A PostgreSQL error as both engines report it (SQLSTATE code, constraint name). */
export interface PgError {
  code: string;
  constraint?: string;
}

export function isPgError(err: unknown): err is PgError {
  return (
    typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
  );
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (!isPgError(err) || err.code !== '23505') return false;
  return constraint === undefined || err.constraint === constraint;
}

export function makeSavepoint(tx: Queryable): Transaction['savepoint'] {
  let counter = 0;
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const name = `sp_${++counter}`;
    await tx.query(`savepoint ${name}`);
    try {
      const value = await fn();
      await tx.query(`release savepoint ${name}`);
      return value;
    } catch (err) {
      await tx.query(`rollback to savepoint ${name}`);
      await tx.query(`release savepoint ${name}`);
      throw err;
    }
  };
}

// ---------- value parsing shared by both engines ----------

export const PG_TYPE = { INT8: 20, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const;

export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint value beyond 2^53: ${text}`);
  return n;
}

const TS_RE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** '2026-11-28 07:30:00.123456+00' (any whole-minute offset) -> '2026-11-28T07:30:00.123Z'. */
export function parseTimestamptz(text: string): string {
  // Fast path: both engines run with TimeZone=UTC, so values come as '2026-11-28 07:30:00.123456+00'.
  if (
    text.length >= 22 &&
    text.endsWith('+00') &&
    text[10] === ' ' &&
    (text.length === 22 || text[19] === '.')
  ) {
    const frac = text.length === 22 ? '000' : text.slice(20, -3).padEnd(3, '0').slice(0, 3);
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${frac}Z`;
  }
  const m = TS_RE.exec(text);
  if (!m) throw new RangeError(`unexpected timestamp text: ${text}`);
  const frac = (m[3] ?? '.000').slice(1, 4).padEnd(3, '0');
  let offset = m[4] ?? 'Z';
  if (offset !== 'Z')
    offset = offset.length === 3 ? `${offset}:00` : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const millis = Date.parse(`${m[1]}T${m[2]}.${frac}${offset}`);
  if (Number.isNaN(millis)) throw new RangeError(`unexpected timestamp text: ${text}`);
  return new Date(millis).toISOString();
}
