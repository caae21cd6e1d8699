// A portfolio import announces each case it creates with one 'bundle' change row (migration
// 0003). Going back to the schema before it spells every bundle out as the rows an older
// server pulls by (borrower, case, phones, loan, snapshot), so no device misses a case.
import { describe, expect, it } from 'vitest';
import { createPasswordCredential } from '../../shared/node/password';
import { runAdmin } from '../../server/cli/run-admin';
import { migrateDown } from '../../server/db/migrate';
import { createBranch } from '../../server/model/branches';
import { addUser } from '../../server/model/users';
import { testBackends } from '../server/helpers/backends';
import { TEST_SCRYPT } from '../server/helpers/world';
import { loanLine, tempDir, writeCsv } from './helpers';

const dir = tempDir();

describe.each(testBackends())('import change rows across migration 0003 on $name', (backend) => {
  it('going down turns each bundle into the rows it stands for, in the case officer’s name', async () => {
    const db = await backend.open();
    try {
      const branch = await db.transaction((tx) =>
        createBranch(tx, { code: 'PA01', name: '平安县支行' }),
      );
      const credential = await createPasswordCredential('pw-officer-secret', TEST_SCRYPT);
      const officer = await db.transaction((tx) =>
        addUser(tx, {
          branchId: branch.id,
          username: 'of001',
          name: 'Officer OF001',
          role: 'officer',
          credential,
        }),
      );
      const file = writeCsv(dir, 'three.csv', [
        loanLine({ loanNo: 'B-1', arrears: '300', dpd: '20', phone: '13900001001' }),
        loanLine({ loanNo: 'B-2', arrears: '300', dpd: '20', phone: '13900001002' }),
        loanLine({ loanNo: 'B-3' }),
      ]);
      const code = await runAdmin(
        ['import-portfolio', file, '--branch', 'PA01', '--as-of', '2026-11-20'],
        {
          io: { out: () => undefined, err: () => undefined, readStdinLine: async () => '' },
          openDb: async () => ({ ...db, close: async () => undefined }),
          defaultActor: 'cli:test',
          scrypt: TEST_SCRYPT,
          now: () => new Date('2026-11-21T02:00:00Z'),
        },
      );
      expect(code).toBe(0);
      // entity, kind, whether the row names the officer (null: nobody's case), how many.
      const kinds = async (): Promise<string[]> =>
        (
          await db.query<{ entity: string; change_kind: string; officer: boolean; n: number }>(
            `select entity, change_kind, officer_id = $1 as officer, count(*)::int as n from changes
              where case_id is not null group by 1, 2, 3`,
            [officer.id],
          )
        )
          .map((r) => `${r.entity} ${r.change_kind} ${r.officer} ${r.n}`)
          .sort();
      // Two late loans (the officer's open cases) and one current (closed, nobody's).
      expect(await kinds()).toEqual(['case bundle null 1', 'case bundle true 2']);
      await migrateDown(db, '2026-12-01-0002-override-review');
      expect(await kinds()).toEqual([
        'borrower upsert null 1',
        'borrower upsert true 2',
        'case upsert null 1',
        'case upsert true 2',
        'contact_point upsert null 1',
        'contact_point upsert true 2',
        'loan upsert null 1',
        'loan upsert true 2',
        'loan_snapshot upsert null 1',
        'loan_snapshot upsert true 2',
      ]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
