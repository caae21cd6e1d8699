// The one query interface over PGlite and PostgreSQL: the same values back from both
// engines, transactions and savepoints that roll back, and the PGlite data-folder lock.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { isUniqueViolation } from '../../server/db/database';
import {
  DataFolderBusyError,
  databaseLocationFromEnv,
  describeLocation,
  takeDataFolderLock,
} from '../../server/db/open';
import { testBackends } from './helpers/backends';

describe.each(testBackends())('database interface on $name', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await backend.open({ migrate: false });
    await db.query(
      'create table sample (id bigserial primary key, code text unique, day date, at timestamptz, doc jsonb, amount bigint, ok boolean)',
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('returns the same JavaScript values from both engines', async () => {
    const rows = await db.query(
      `insert into sample (code, day, at, doc, amount, ok) values ($1, $2, $3, $4::jsonb, $5, $6) returning *`,
      [
        'A',
        '2026-11-28',
        '2026-11-28T07:30:00.123Z',
        JSON.stringify({ name: '王', n: [1, 2] }),
        9_007_199_254_740_991,
        true,
      ],
    );
    expect(rows).toEqual([
      {
        id: 1,
        code: 'A',
        day: '2026-11-28',
        at: '2026-11-28T07:30:00.123Z',
        doc: { name: '王', n: [1, 2] },
        amount: 9_007_199_254_740_991,
        ok: true,
      },
    ]);
    const arrays = await db.query<{ n: number }>(
      'select count(*)::int as n from sample where code = any($1::text[])',
      [['A', null, 'B']],
    );
    expect(arrays[0]?.n).toBe(1);
  });

  it('rolls a failed transaction back whole, and a failed savepoint back alone', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into sample (code) values ('T1')`);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await db.query(`select 1 from sample where code = 'T1'`)).toEqual([]);

    await db.transaction(async (tx) => {
      await tx.query(`insert into sample (code) values ('T2')`);
      const err = await tx
        .savepoint(() => tx.query(`insert into sample (code) values ('A')`))
        .catch((e: unknown) => e);
      expect(isUniqueViolation(err, 'sample_code_key')).toBe(true);
      await tx.query(`insert into sample (code) values ('T3')`);
    });
    const codes = (
      await db.query<{ code: string }>(`select code from sample where code like 'T%' order by code`)
    ).map((r) => r.code);
    expect(codes).toEqual(['T2', 'T3']);
  });
});

describe('choosing the database', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fieldbook-db-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses PostgreSQL when DATABASE_URL is set, else PGlite in FIELDBOOK_SERVER_DATA or .data/server', () => {
    expect(
      databaseLocationFromEnv({ DATABASE_URL: 'postgres://u:secret@db.internal:5433/fieldbook' }),
    ).toMatchObject({ databaseUrl: expect.any(String) });
    expect(
      describeLocation(
        databaseLocationFromEnv({ DATABASE_URL: 'postgres://u:secret@db.internal:5433/fieldbook' }),
      ),
    ).toBe('PostgreSQL at db.internal:5433/fieldbook');
    expect(databaseLocationFromEnv({ FIELDBOOK_SERVER_DATA: '/srv/fieldbook' })).toEqual({
      dataDir: '/srv/fieldbook',
    });
    expect(databaseLocationFromEnv({}).dataDir).toMatch(/\.data\/server$/);
  });

  it('lets one process at a time open a PGlite data folder', () => {
    const lock = join(dir, 'server.lock');
    const release = takeDataFolderLock(lock);
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(lock)).toBe(false);
    // A live process holds it (our parent stands in for the running server).
    writeFileSync(lock, String(process.ppid));
    expect(() => takeDataFolderLock(lock)).toThrow(DataFolderBusyError);
    expect(() => takeDataFolderLock(lock)).toThrow(/stop the server first/);
    // A lock left by a process that died is taken over.
    writeFileSync(lock, '999999999');
    const again = takeDataFolderLock(lock);
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    again();
  });
});
