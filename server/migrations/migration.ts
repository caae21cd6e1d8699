// A migration: a dated id, and up/down steps that run inside one transaction each.
import type { Queryable } from '../db/database';

export interface Migration {
  /** 'YYYY-MM-DD-NNNN-what', sorted by this id. */
  id: string;
  up(tx: Queryable): Promise<void>;
  down(tx: Queryable): Promise<void>;
}

/** Runs DDL statements one by one (one statement per query on both engines). */
export async function runStatements(tx: Queryable, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await tx.query(sql);
}
