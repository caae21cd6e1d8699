// Multi-row INSERTs for the portfolio import: rows are collected per table and written
// with one statement per CHUNK rows instead of one per row. Each call into SQLite has a
// fixed cost (bind, step, reset, the statement's trigger programs) that a 100,000-loan
// file pays several million times otherwise. Statements are prepared once per shape and
// reused (a chunk of CHUNK rows; a remainder as powers of two, so at most a handful of
// shapes per table).
//
// Nothing is written until flush(): the caller flushes its tables parent first, so the
// immediate foreign-key checks always find the parent row.
import type { LedgerDb } from '../db';
import { stmt } from '../statements';

const MAX_PARAMS_PER_STATEMENT = 999;

export class BulkInsert {
  private params: unknown[] = [];
  private rows = 0;
  private readonly chunk: number;

  /**
   * `head` is 'INSERT INTO t (a, b, c)'; `row` the VALUES tuple of one row, e.g. '(?, ?, 0)'
   * with `width` parameters.
   */
  constructor(
    private readonly db: LedgerDb,
    private readonly head: string,
    private readonly row: string,
    private readonly width: number,
  ) {
    this.chunk = Math.max(1, Math.min(128, Math.floor(MAX_PARAMS_PER_STATEMENT / width)));
  }

  get pending(): number {
    return this.rows;
  }

  add(...values: unknown[]): void {
    if (values.length !== this.width) {
      throw new Error(`BulkInsert: ${values.length} values for a row of ${this.width}`);
    }
    for (const v of values) this.params.push(v);
    this.rows++;
  }

  flush(): void {
    let at = 0;
    let left = this.rows;
    while (left > 0) {
      let n = this.chunk;
      if (left < n) n = 2 ** Math.floor(Math.log2(left));
      stmt(this.db, this.sql(n)).run(this.params.slice(at, at + n * this.width));
      at += n * this.width;
      left -= n;
    }
    this.params = [];
    this.rows = 0;
  }

  private readonly sqlByRows = new Map<number, string>();

  private sql(rows: number): string {
    let sql = this.sqlByRows.get(rows);
    if (sql === undefined) {
      sql = `${this.head} VALUES ${Array.from({ length: rows }, () => this.row).join(', ')}`;
      this.sqlByRows.set(rows, sql);
    }
    return sql;
  }
}
