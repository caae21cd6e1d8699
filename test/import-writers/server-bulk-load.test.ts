// A bulk load (server/portfolio/bulk-load.ts) checks the references between the rows it
// writes once, at the end: it must write exactly what the row-checked import writes, leave
// every constraint as it was whether it commits or not, and the constraints it adds back
// must really check the rows. The snapshot's schedule text (import-chunk.ts) is the text
// JSON.stringify would write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { createBranch, type BranchRow } from '../../server/model/branches';
import { deferPortfolioReferences, isBulkLoad } from '../../server/portfolio/bulk-load';
import { scheduleJson } from '../../server/portfolio/import-chunk';
import type { ServerImportOptions } from '../../server/portfolio/import-writer';
import { testBackends } from '../server/helpers/backends';
import { OFFICER_CODES, tempDir } from './helpers';
import { addOfficers, bigLoanFile, count, writeServerImport } from './server-helpers';

const dir = tempDir();
const AS_OF = '2026-11-20';
/** More than two of the writer's chunks (2,000 rows). */
const ROWS = 4_500;

const bigFile = (name: string, prefix: string): string => bigLoanFile(dir, name, prefix, ROWS);

/** Every foreign key of the schema, as PostgreSQL would print it. */
async function foreignKeys(db: Database): Promise<string[]> {
  const rows = await db.query<{ t: string }>(
    `select conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated::text as t
       from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace order by 1`,
  );
  return rows.map((r) => r.t);
}

interface Written {
  tables: Record<string, number>;
  feed: { entity: string; change_kind: string; n: number }[];
}

/** What an import of loans numbered `prefix-…` wrote, table by table, and its change rows (seq in (from, to]) by entity. */
async function written(
  db: Database,
  prefix: string,
  fromSeq: number,
  toSeq: number,
): Promise<Written> {
  const like = `${prefix}-%`;
  const tables = {
    loans: await count(db, 'select count(*)::int as n from loans where loan_no like $1', [like]),
    borrowers: await count(
      db,
      'select count(distinct l.borrower_id)::int as n from loans l where l.loan_no like $1',
      [like],
    ),
    casesOpen: await count(
      db,
      `select count(*)::int as n from cases c join loans l on l.case_id = c.id where l.loan_no like $1 and c.status = 'open' and c.officer_id is not null`,
      [like],
    ),
    assignments: await count(
      db,
      'select count(*)::int as n from case_assignments a join loans l on l.case_id = a.case_id where l.loan_no like $1',
      [like],
    ),
    contactPoints: await count(
      db,
      'select count(*)::int as n from contact_points p join loans l on l.borrower_id = p.borrower_id where l.loan_no like $1',
      [like],
    ),
    snapshots: await count(
      db,
      'select count(*)::int as n from loan_snapshots s join loans l on l.id = s.loan_id where l.loan_no like $1',
      [like],
    ),
    arrearsInstalments: await count(
      db,
      `select count(*)::int as n from loan_snapshots s join loans l on l.id = s.loan_id,
              json_array_elements(s.schedule) i
        where l.loan_no like $1 and (i->>'dueDate') < $2 and (i->>'paidFen')::bigint < (i->>'principalFen')::bigint + (i->>'interestFen')::bigint`,
      [like, AS_OF],
    ),
  };
  const feed = await db.query<{ entity: string; change_kind: string; n: number }>(
    `select entity, change_kind, count(*)::int as n from changes where seq > $1 and seq <= $2
      group by entity, change_kind order by entity, change_kind`,
    [String(fromSeq), String(toSeq)],
  );
  return { tables, feed };
}

for (const backend of testBackends()) {
  describe(`server portfolio bulk load on ${backend.name}`, () => {
    let db: Database;
    let branch: BranchRow;
    let officerIds: Map<string, string>;

    const write = (
      file: string,
      options: Partial<ServerImportOptions> = {},
    ): ReturnType<typeof writeServerImport> =>
      writeServerImport(db, file, { branchId: branch.id, officerIds, asOf: AS_OF }, options);

    const maxSeq = (): Promise<number> =>
      count(db, 'select coalesce(max(seq), 0)::int as n from changes');

    beforeAll(async () => {
      db = await backend.open();
      branch = await db.transaction((tx) => createBranch(tx, { code: 'PA01', name: '平安县支行' }));
      officerIds = await addOfficers(db, branch.id, OFFICER_CODES.slice(0, 4));
    }, 60_000);
    afterAll(async () => db?.close());

    it('a cancelled bulk load writes nothing and leaves every constraint as it was', async () => {
      const keys = await foreignKeys(db);
      expect(keys.length).toBeGreaterThan(10);
      const seq = await maxSeq();
      const abort = new AbortController();
      await expect(
        write(bigFile('cancel.csv', 'CX'), {
          bulkLoad: true,
          signal: abort.signal,
          onProgress: (p) => {
            if (p.rowsRead >= 2_000) abort.abort();
          },
        }),
      ).rejects.toThrow();
      expect(await count(db, 'select count(*)::int as n from loans')).toBe(0);
      expect(await count(db, 'select count(*)::int as n from borrowers')).toBe(0);
      expect(await maxSeq()).toBe(seq);
      expect(await foreignKeys(db)).toEqual(keys);
    }, 120_000);

    it('writes what the row-checked import writes, with the same change rows, and puts every constraint back', async () => {
      const keys = await foreignKeys(db);
      const beforeChecked = await maxSeq();
      const checked = await write(bigFile('checked.csv', 'RC'), { bulkLoad: false });
      const beforeBulk = await maxSeq();
      const bulk = await write(bigFile('bulk.csv', 'RB'), { bulkLoad: true });
      expect(bulk).toEqual(checked);
      expect(bulk.loansCreated).toBe(ROWS);
      const afterBulk = await maxSeq();
      const checkedRows = await written(db, 'RC', beforeChecked, beforeBulk);
      const bulkRows = await written(db, 'RB', beforeBulk, afterBulk);
      expect(bulkRows).toEqual(checkedRows);
      expect(bulkRows.feed).toEqual([{ entity: 'case', change_kind: 'bundle', n: ROWS }]);
      expect(await foreignKeys(db)).toEqual(keys);
    }, 240_000);

    it('the constraints it adds back check every row: a dangling reference fails the transaction', async () => {
      const keys = await foreignKeys(db);
      let inserted = false;
      await expect(
        db.transaction(async (tx) => {
          const deferred = await deferPortfolioReferences(tx);
          expect(deferred.names).toContain('loan_snapshots.loan_snapshots_loan_id_fkey');
          // Nothing checks it now (the insert goes through)…
          await tx.query(
            `insert into loan_snapshots (id, loan_id, as_of, status, outstanding_principal_fen, schedule)
             values ('dangling-snapshot', 'no-such-loan', '2026-11-20', 'active', 0, '[]')`,
          );
          inserted = true;
          // …until the constraint is back.
          await deferred.restore();
        }),
      ).rejects.toMatchObject({ code: '23503' });
      expect(inserted).toBe(true);
      expect(
        await count(
          db,
          `select count(*)::int as n from loan_snapshots where id = 'dangling-snapshot'`,
        ),
      ).toBe(0);
      expect(await foreignKeys(db)).toEqual(keys);
    });

    it('is a bulk load only when the file is big and would at least double the loans the server holds', async () => {
      const held = await count(db, 'select count(*)::int as n from loans');
      expect(held).toBe(2 * ROWS);
      await db.transaction(async (tx) => {
        // The same book again (the daily file) is not one.
        expect(await isBulkLoad(tx, held, 1)).toBe(false);
        expect(await isBulkLoad(tx, 2 * held - 1, 1)).toBe(false);
        expect(await isBulkLoad(tx, 2 * held, 1)).toBe(true);
        // Below the minimum the row checks cost too little to be worth the lock.
        expect(await isBulkLoad(tx, 2 * held, 2 * held + 1)).toBe(false);
        expect(await isBulkLoad(tx, 20_000)).toBe(true);
      });
    });
  });
}

describe('the snapshot schedule as JSON text', () => {
  it('is the text JSON.stringify writes', () => {
    const instalments = [
      {
        seq: 1,
        dueDate: '2026-07-19',
        principalFen: 326_311,
        interestFen: 17_022,
        paidFen: 343_333,
      },
      { seq: 2, dueDate: '2026-08-19', principalFen: 329_088, interestFen: 0, paidFen: 0 },
    ];
    expect(scheduleJson(instalments)).toBe(JSON.stringify(instalments));
    expect(scheduleJson([])).toBe('[]');
  });

  it('refuses a value that is not whole fen or a date rather than writing invalid JSON', () => {
    const base = { seq: 1, dueDate: '2026-07-19', principalFen: 1, interestFen: 1, paidFen: 1 };
    expect(() => scheduleJson([{ ...base, paidFen: Number.NaN }])).toThrow(RangeError);
    expect(() => scheduleJson([{ ...base, interestFen: 0.5 }])).toThrow(RangeError);
    expect(() => scheduleJson([{ ...base, dueDate: '2026-07-19"' }])).toThrow(RangeError);
  });
});
