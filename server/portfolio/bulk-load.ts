// A bulk load (a portfolio file at least twice as big as every loan the server already
// holds, e.g. a lender's whole book on the day the server is set up) checks the references
// between the rows it writes once, at the end, instead of row by row.
//
// Row by row, every borrower, case, assignment, contact point, loan and snapshot the import
// writes runs a foreign-key trigger that looks its parent up and locks it: ~860,000 checks
// for 100,000 loans (each ~4 µs), about 3.5 s of the server's CPU. Here those constraints are dropped
// inside the import's transaction and added back before it commits; adding a foreign key
// checks the whole table in one join, which costs less than the row checks when the
// import is at least half of the table. PostgreSQL DDL is transactional: a failed, cancelled
// or killed import rolls back with its constraints as they were, and a committed one has
// every constraint back, checked against every row.
//
// The price is the lock: dropping a foreign key takes an ACCESS EXCLUSIVE lock on the
// child and the parent table, so until the import commits nobody else reads or writes the
// portfolio tables or the branches (device pulls and pushes wait). That is why only a bulk
// load does it; a daily file into a server that already holds the book keeps the row
// checks. The references to users (officers) stay checked row by row: every request's
// sign-in check reads users, and locking them would stall the whole server.
import type { Transaction } from '../db/database';

/** Below this many rows the row checks cost too little to be worth the lock. */
export const BULK_LOAD_MIN_ROWS = 20_000;

/** The portfolio tables whose references among themselves a bulk load checks at the end. */
const CHILD_TABLES = [
  'borrowers',
  'cases',
  'case_assignments',
  'contact_points',
  'loans',
  'loan_snapshots',
];
const PARENT_TABLES = ['branches', 'borrowers', 'cases', 'loans'];

/**
 * A file of `rows` rows is a bulk load when it is big and would at least double the loans
 * the server holds. (The daily file of a branch already loaded is not one: its loans are
 * known, updating them checks no reference, and the lock would be for nothing.)
 */
export async function isBulkLoad(
  tx: Transaction,
  rows: number,
  minRows: number = BULK_LOAD_MIN_ROWS,
): Promise<boolean> {
  if (rows < minRows) return false;
  const most = Math.floor(rows / 2);
  // Counting stops past `most`: on a big server this reads no more than half the file's length.
  const held = await tx.query<{ n: number }>(
    'select count(*)::int as n from (select 1 from loans limit $1) l',
    [most + 1],
  );
  return (held[0]?.n ?? 0) <= most;
}

export interface DeferredReferences {
  /** The constraints dropped, as `table.constraint`. */
  readonly names: readonly string[];
  /** Adds every dropped constraint back (each checks its whole table). */
  restore(): Promise<void>;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Drops the foreign keys among the portfolio tables, to be added back by restore(). */
export async function deferPortfolioReferences(tx: Transaction): Promise<DeferredReferences> {
  // Every lock at once, strongest first: taken one constraint at a time, the locks would
  // be raised table by table while other sessions hold weaker ones (a deadlock risk).
  await tx.query(
    `lock table ${[...new Set([...CHILD_TABLES, ...PARENT_TABLES])].join(', ')} in access exclusive mode`,
  );
  const constraints = await tx.query<{ tbl: string; name: string; def: string }>(
    `select c.conrelid::regclass::text as tbl, c.conname as name, pg_get_constraintdef(c.oid) as def
       from pg_constraint c
      where c.contype = 'f' and c.conrelid = any($1::regclass[]) and c.confrelid = any($2::regclass[])
      order by c.conrelid::regclass::text, c.conname`,
    [CHILD_TABLES, PARENT_TABLES],
  );
  for (const c of constraints)
    await tx.query(`alter table ${c.tbl} drop constraint ${quoteIdent(c.name)}`);
  return {
    names: constraints.map((c) => `${c.tbl}.${c.name}`),
    async restore() {
      for (const c of constraints)
        await tx.query(`alter table ${c.tbl} add constraint ${quoteIdent(c.name)} ${c.def}`);
    },
  };
}
