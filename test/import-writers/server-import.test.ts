// `npm run admin -- import-portfolio` against the server database (PGlite; PostgreSQL too
// with DATABASE_URL): the samples import, a re-import updates snapshots and keeps facts, a
// full file closes the loans it no longer lists, a file with bad rows imports nothing
// unless --valid-only, and devices are sent the new loans through the change feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { runAdmin } from '../../server/cli/run-admin';
import { pull } from '../../server/sync/pull';
import type { PullItem } from '../../shared/sync/records';
import { createBranch, type BranchRow } from '../../server/model/branches';
import { testBackends } from '../server/helpers/backends';
import { TEST_SCRYPT } from '../server/helpers/world';
import {
  OFFICER_CODES,
  SAMPLE_AS_OF,
  SAMPLE_EN,
  SAMPLE_ZH,
  loanLine,
  tempDir,
  writeCsv,
} from './helpers';
import { addOfficers, count } from './server-helpers';

const dir = tempDir();

async function admin(
  db: Database,
  args: string[],
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdmin(args, {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), readStdinLine: async () => '' },
    // The command closes what it opened; the test keeps its database.
    openDb: async () => ({ ...db, close: async () => undefined }),
    defaultActor: 'cli:test',
    scrypt: TEST_SCRYPT,
    now: () => new Date('2026-11-21T02:00:00Z'),
  });
  return { code, out, err };
}

for (const backend of testBackends()) {
  describe(`import-portfolio on ${backend.name}`, () => {
    let db: Database;
    let branch: BranchRow;

    beforeAll(async () => {
      db = await backend.open();
      branch = await db.transaction((tx) => createBranch(tx, { code: 'PA01', name: '平安县支行' }));
      await addOfficers(db, branch.id, OFFICER_CODES);
    }, 60_000);
    afterAll(async () => db?.close());

    it('imports the English sample: one loan per row, cases open and assigned for delinquent loans, change rows for devices', async () => {
      const r = await admin(db, [
        'import-portfolio',
        SAMPLE_EN.file,
        '--branch',
        'PA01',
        '--as-of',
        SAMPLE_AS_OF,
      ]);
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
      const rows = SAMPLE_EN.full ? 200 : 30;
      expect(
        await count(db, 'select count(*)::int as n from loans where branch_id = $1', [branch.id]),
      ).toBe(rows);
      expect(await count(db, 'select count(*)::int as n from loan_snapshots')).toBe(rows);
      const delinquent = await count(
        db,
        `select count(*)::int as n from loans l join loan_snapshots s on s.loan_id = l.id
          where exists (select 1 from json_array_elements(s.schedule) i where (i->>'dueDate') < $1 and (i->>'paidFen')::bigint < (i->>'principalFen')::bigint + (i->>'interestFen')::bigint)`,
        [SAMPLE_AS_OF],
      );
      const open = await count(db, `select count(*)::int as n from cases where status = 'open'`);
      expect(open).toBeGreaterThan(0);
      expect(open).toBe(delinquent);
      // Every open case has the officer the file names.
      const unassignedOpen = await count(
        db,
        `select count(*)::int as n from cases where status = 'open' and officer_id is null`,
      );
      expect(unassignedOpen).toBe(0);
      // LN110000003 is 39 days late with two instalments (1,695.96) unpaid: its snapshot says so.
      const snap = await db.query<{
        schedule: { dueDate: string; principalFen: number; interestFen: number; paidFen: number }[];
        outstanding_principal_fen: number;
      }>(
        `select s.schedule, s.outstanding_principal_fen from loan_snapshots s join loans l on l.id = s.loan_id where l.loan_no = 'LN110000003'`,
      );
      const unpaid = (snap[0]?.schedule ?? [])
        .filter((i) => i.dueDate < SAMPLE_AS_OF)
        .reduce((s, i) => s + i.principalFen + i.interestFen - i.paidFen, 0);
      expect(unpaid).toBe(169_596);
      // One row per new case: a bundle, the whole case as it is when a device pulls it.
      const feed = await db.query<{ entity: string; change_kind: string; n: number }>(
        'select entity, change_kind, count(*)::int as n from changes where case_id is not null group by entity, change_kind',
      );
      expect(feed).toEqual([{ entity: 'case', change_kind: 'bundle', n: rows }]);
      expect(r.out.join('\n')).toMatch(
        new RegExp(`Imported ${rows} loans in one transaction: ${rows} new, 0 updated`),
      );
    });

    it('re-importing the same file changes nothing and adds no change rows', async () => {
      const before = await count(db, 'select count(*)::int as n from changes');
      const r = await admin(db, [
        'import-portfolio',
        SAMPLE_EN.file,
        '--branch',
        'PA01',
        '--as-of',
        SAMPLE_AS_OF,
      ]);
      expect(r.code).toBe(0);
      expect(await count(db, 'select count(*)::int as n from changes')).toBe(before);
      expect(await count(db, 'select count(*)::int as n from loan_snapshots')).toBe(
        SAMPLE_EN.full ? 200 : 30,
      );
    });

    it('imports the GBK sample with Chinese headers and prints the report in Chinese', async () => {
      const r = await admin(db, [
        'import-portfolio',
        SAMPLE_ZH.file,
        '--branch',
        'PA01',
        '--as-of',
        SAMPLE_AS_OF,
        '--lang',
        'zh',
      ]);
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.out.join('\n')).toContain('已在一个事务中导入');
      const principal = await db.query<{ principal_fen: number; disbursed_on: string }>(
        `select principal_fen, disbursed_on from loans where loan_no = 'LN120000000'`,
      );
      expect(principal[0]).toEqual({ principal_fen: 10_000_000, disbursed_on: '2026-01-21' });
    });

    it('a later file updates the snapshot, adds new phones, reopens and assigns; --full closes loans it does not list', async () => {
      const lines = [
        loanLine({ loanNo: 'RE-1', officer: 'OF001' }),
        loanLine({
          loanNo: 'RE-2',
          officer: 'OF002',
          arrears: '1000.00',
          dpd: '5',
          nextDue: '2026-11-15',
        }),
      ];
      const first = writeCsv(dir, 're-1.csv', lines);
      expect(
        (await admin(db, ['import-portfolio', first, '--branch', 'PA01', '--as-of', '2026-11-20']))
          .code,
      ).toBe(0);
      const re1 = await db.query<{ case_id: string; status: string; officer_id: string | null }>(
        `select l.case_id, c.status, c.officer_id from loans l join cases c on c.id = l.case_id where l.loan_no = 'RE-1'`,
      );
      expect(re1[0]?.status).toBe('closed');
      expect(re1[0]?.officer_id).toBeNull();

      // Ten days later RE-1 is late, RE-2 has paid up; a new phone number for RE-2.
      const second = writeCsv(dir, 're-2.csv', [
        loanLine({
          loanNo: 'RE-1',
          officer: 'OF001',
          arrears: '1000.00',
          dpd: '15',
          nextDue: '2026-11-15',
        }),
        loanLine({
          loanNo: 'RE-2',
          officer: 'OF002',
          outstanding: '1000.00',
          phone: '13900000002',
        }),
      ]);
      const r = await admin(db, [
        'import-portfolio',
        second,
        '--branch',
        'PA01',
        '--as-of',
        '2026-11-30',
      ]);
      expect(r.code).toBe(0);
      const after = await db.query<{ status: string; officer: string | null; snaps: number }>(
        `select c.status, u.username as officer, (select count(*)::int from loan_snapshots s where s.loan_id = l.id) as snaps
           from loans l join cases c on c.id = l.case_id left join users u on u.id = c.officer_id where l.loan_no = 'RE-1'`,
      );
      expect(after[0]).toEqual({ status: 'open', officer: 'of001', snaps: 2 });
      const phones = await db.query<{ value: string }>(
        `select cp.value from contact_points cp join loans l on l.borrower_id = cp.borrower_id where l.loan_no = 'RE-2' order by cp.value`,
      );
      expect(phones.map((p) => p.value)).toEqual(['13800000001', '13900000002']);
      const latest = await db.query<{ outstanding_principal_fen: number; as_of: string }>(
        `select s.outstanding_principal_fen, s.as_of from loan_snapshots s join loans l on l.id = s.loan_id
          where l.loan_no = 'RE-2' order by s.as_of desc limit 1`,
      );
      expect(latest[0]).toEqual({ outstanding_principal_fen: 100_000, as_of: '2026-11-30' });

      // A full file listing only RE-2: every other active loan of the branch is closed, none deleted.
      const loansBefore = await count(db, 'select count(*)::int as n from loans');
      const full = writeCsv(dir, 're-3.csv', [
        loanLine({ loanNo: 'RE-2', officer: 'OF002', outstanding: '1000.00' }),
      ]);
      const f = await admin(db, [
        'import-portfolio',
        full,
        '--branch',
        'PA01',
        '--as-of',
        '2026-12-01',
        '--full',
      ]);
      expect(f.code).toBe(0);
      expect(await count(db, 'select count(*)::int as n from loans')).toBe(loansBefore);
      expect(await count(db, `select count(*)::int as n from loans where status = 'active'`)).toBe(
        1,
      );
      // RE-2's case stays open (it was opened when RE-2 was late; curing does not close it); all others closed.
      const open = await db.query<{ loan_no: string }>(
        `select l.loan_no from cases c join loans l on l.case_id = c.id where c.status = 'open'`,
      );
      expect(open.map((o) => o.loan_no)).toEqual(['RE-2']);
      const closedRe1 = await db.query<{ status: string; outstanding_principal_fen: number }>(
        `select s.status, s.outstanding_principal_fen from loan_snapshots s join loans l on l.id = s.loan_id
          where l.loan_no = 'RE-1' and s.as_of = '2026-12-01'`,
      );
      expect(closedRe1[0]).toEqual({ status: 'closed', outstanding_principal_fen: 0 });
    });

    it('a file with a bad row imports nothing; --valid-only imports the rest; --dry-run writes nothing', async () => {
      const lines = [
        loanLine({ loanNo: 'BAD-1' }),
        loanLine({ loanNo: 'BAD-2', principal: '-5.00' }),
        loanLine({ loanNo: 'BAD-3', disbursedOn: '2026/2/30' }),
        loanLine({ loanNo: 'BAD-4', officer: 'OF099', arrears: '10', dpd: '3' }),
      ];
      const file = writeCsv(dir, 'bad.csv', lines);
      const loans = await count(db, 'select count(*)::int as n from loans');
      const feed = await count(db, 'select count(*)::int as n from changes');
      const refused = await admin(db, [
        'import-portfolio',
        file,
        '--branch',
        'PA01',
        '--as-of',
        '2026-12-01',
      ]);
      expect(refused.code).toBe(1);
      expect(refused.err.join('\n')).toContain('3 rows are rejected: nothing was imported');
      const report = refused.out.join('\n');
      expect(report).toMatch(/row 3 \[principal\]: Principal cannot be negative/);
      expect(report).toMatch(
        /row 4 \[disbursed_on\]: Disbursed on "2026\/2\/30" does not exist on the calendar/,
      );
      expect(report).toMatch(/row 5 \[officer_code\]: Officer "OF099" is not a known user/);
      expect(await count(db, 'select count(*)::int as n from loans')).toBe(loans);

      const dry = await admin(db, [
        'import-portfolio',
        file,
        '--branch',
        'PA01',
        '--as-of',
        '2026-12-01',
        '--valid-only',
        '--dry-run',
      ]);
      expect(dry.code).toBe(0);
      expect(dry.out.join('\n')).toContain('Dry run: nothing was written.');
      expect(await count(db, 'select count(*)::int as n from loans')).toBe(loans);
      expect(await count(db, 'select count(*)::int as n from changes')).toBe(feed);

      const some = await admin(db, [
        'import-portfolio',
        file,
        '--branch',
        'PA01',
        '--as-of',
        '2026-12-01',
        '--valid-only',
      ]);
      expect(some.code).toBe(0);
      expect(
        await count(db, `select count(*)::int as n from loans where loan_no like 'BAD-%'`),
      ).toBe(1);

      // An unknown officer only warns when asked: the loan imports, its case unassigned.
      const warn = await admin(db, [
        'import-portfolio',
        file,
        '--branch',
        'PA01',
        '--as-of',
        '2026-12-01',
        '--valid-only',
        '--unknown-officer',
        'warn',
      ]);
      expect(warn.code).toBe(0);
      const bad4 = await db.query<{ status: string; officer_id: string | null }>(
        `select c.status, c.officer_id from loans l join cases c on c.id = l.case_id where l.loan_no = 'BAD-4'`,
      );
      expect(bad4[0]).toEqual({ status: 'open', officer_id: null });
    });

    it('an officer pulls each imported case whole (borrower, phones, loan, snapshot) in pages near the limit', async () => {
      const officer = (
        await db.query<{ id: string }>(`select id from users where username = 'of002'`)
      )[0]?.id as string;
      const scope = {
        userId: officer,
        role: 'officer' as const,
        userBranchId: branch.id,
        deviceId: 'device-of002',
        deviceBranchId: branch.id,
      };
      // The officer's device is up to date before the file arrives.
      let cursor: string | undefined;
      for (let more = true; more;) {
        const page = await pull(db, scope, { cursor, limit: 500 });
        cursor = page.cursor;
        more = page.hasMore;
      }
      const lines = Array.from({ length: 12 }, (_, i) =>
        loanLine({
          loanNo: `PULL-${i + 1}`,
          officer: 'OF002',
          arrears: '300',
          dpd: '20',
          phone: `1390000${String(1000 + i)}`,
        }),
      );
      const r = await admin(db, [
        'import-portfolio',
        writeCsv(dir, 'pull.csv', lines),
        '--branch',
        'PA01',
        '--as-of',
        '2026-12-02',
      ]);
      expect(r.code).toBe(0);
      const limit = 20;
      const items: PullItem[] = [];
      let pages = 0;
      for (let more = true; more; pages++) {
        const page = await pull(db, scope, { cursor, limit });
        // A case is ~6 items: a page of bundles stays near the limit (a bundle counts 8).
        expect(page.items.length).toBeLessThanOrEqual(limit);
        items.push(...page.items);
        cursor = page.cursor;
        more = page.hasMore;
      }
      expect(pages).toBeGreaterThan(1);
      const loans = items.flatMap((i) => (i.type === 'loan' ? [i.loan] : []));
      expect(loans.map((l) => l.loanNo).sort()).toEqual(
        lines.map((_, i) => `PULL-${i + 1}`).sort(),
      );
      const cases = new Set(items.flatMap((i) => (i.type === 'case' ? [i.case.id] : [])));
      const borrowers = new Set(
        items.flatMap((i) => (i.type === 'borrower' ? [i.borrower.id] : [])),
      );
      const snapshotLoans = new Set(
        items.flatMap((i) => (i.type === 'loan_snapshot' ? [i.snapshot.loanId] : [])),
      );
      const phones = items.flatMap((i) =>
        i.type === 'contact_point' ? [i.contactPoint.value] : [],
      );
      for (const loan of loans) {
        expect(cases.has(loan.caseId)).toBe(true);
        expect(borrowers.has(loan.borrowerId)).toBe(true);
        expect(snapshotLoans.has(loan.id)).toBe(true);
      }
      expect(phones.sort()).toEqual(lines.map((_, i) => `1390000${String(1000 + i)}`).sort());
      // Caught up: the next pull brings nothing.
      const after = await pull(db, scope, { cursor, limit });
      expect(after.items).toEqual([]);
    });

    it('refuses an unknown branch and a missing file with a message, writing nothing', async () => {
      const noBranch = await admin(db, ['import-portfolio', SAMPLE_EN.file, '--branch', 'NOPE']);
      expect(noBranch.code).toBe(1);
      const noFile = await admin(db, [
        'import-portfolio',
        `${dir}/missing.csv`,
        '--branch',
        'PA01',
      ]);
      expect(noFile.code).toBe(1);
      expect(noFile.err.join('\n')).toMatch(/missing\.csv/);
    });
  });
}
