// The server's portfolio writer (server/portfolio/import-writer.ts) on files bigger than one
// chunk: the change rows devices pull carry each case's officer and come parent first; a
// re-import that assigns a case says so in the feed; a cancel or a loan of another branch
// writes nothing; a full file closes what it no longer lists, with change rows.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { createBranch, type BranchRow } from '../../server/model/branches';
import type { ServerImportOptions } from '../../server/portfolio/import-writer';
import { testBackends } from '../server/helpers/backends';
import { OFFICER_CODES, loanLine, tempDir, writeCsv } from './helpers';
import { addOfficers, bigLoanFile, count, writeServerImport } from './server-helpers';

const dir = tempDir();
const AS_OF = '2026-11-20';
/** More than two chunks of the writer (2,000 rows each), so reading and writing overlap. */
const ROWS = 4_500;

const bigFile = (name: string, prefix: string, rows = ROWS): string =>
  bigLoanFile(dir, name, prefix, rows);

for (const backend of testBackends()) {
  describe(`server portfolio writer on ${backend.name}`, () => {
    let db: Database;
    let branch: BranchRow;
    let other: BranchRow;
    let officerIds: Map<string, string>;
    /** The feed as setup left it (branches and users are in it too). */
    let setupSeq: number;

    const write = (
      file: string,
      options: Partial<ServerImportOptions> = {},
    ): ReturnType<typeof writeServerImport> =>
      writeServerImport(db, file, { branchId: branch.id, officerIds, asOf: AS_OF }, options);

    beforeAll(async () => {
      db = await backend.open();
      branch = await db.transaction((tx) => createBranch(tx, { code: 'PA01', name: '平安县支行' }));
      other = await db.transaction((tx) => createBranch(tx, { code: 'PA02', name: '东山支行' }));
      officerIds = await addOfficers(db, branch.id, OFFICER_CODES.slice(0, 4));
      setupSeq = await count(db, 'select coalesce(max(seq), 0)::int as n from changes');
    }, 60_000);
    afterAll(async () => db?.close());

    it('a cancel halfway writes nothing', async () => {
      const file = bigFile('cancel.csv', 'CX');
      const abort = new AbortController();
      await expect(
        write(file, {
          signal: abort.signal,
          onProgress: (p) => {
            if (p.rowsRead >= 2_000) abort.abort();
          },
        }),
      ).rejects.toThrow();
      expect(await count(db, 'select count(*)::int as n from loans')).toBe(0);
      expect(await count(db, 'select count(*)::int as n from borrowers')).toBe(0);
      expect(
        await count(db, 'select count(*)::int as n from changes where seq > $1', [
          String(setupSeq),
        ]),
      ).toBe(0);
    }, 120_000);

    it('imports a file of several chunks: every loan once, one bundle row per new case, carrying the case officer', async () => {
      const file = bigFile('big.csv', 'BG');
      const result = await write(file);
      expect(result).toMatchObject({
        rowsRead: ROWS,
        loansCreated: ROWS,
        loansUpdated: 0,
        rowsLeftOut: 0,
        casesOpened: ROWS / 3,
        casesAssigned: ROWS / 3,
      });
      expect(await count(db, 'select count(*)::int as n from loans')).toBe(ROWS);
      expect(await count(db, 'select count(*)::int as n from loan_snapshots')).toBe(ROWS);
      // One number per row, two on every fifth.
      expect(await count(db, 'select count(*)::int as n from contact_points')).toBe(
        ROWS + ROWS / 5,
      );
      const late = await db.query<{ loan_no: string; status: string; officer: string | null }>(
        `select l.loan_no, c.status, u.username as officer from loans l join cases c on c.id = l.case_id
           left join users u on u.id = c.officer_id where l.loan_no in ('BG-00000', 'BG-00001', 'BG-04497')
          order by l.loan_no`,
      );
      expect(late).toEqual([
        { loan_no: 'BG-00000', status: 'open', officer: 'of001' },
        { loan_no: 'BG-00001', status: 'closed', officer: null },
        { loan_no: 'BG-04497', status: 'open', officer: 'of002' },
      ]);
      const assignments = await count(
        db,
        'select count(*)::int as n from case_assignments where ended_at is null',
      );
      expect(assignments).toBe(ROWS / 3);

      // One change row per new case: a bundle, which a device pulls whole (borrower, phones,
      // loan, snapshot; server/sync/pull.ts lists them parents first).
      const feed = await db.query<{ entity: string; change_kind: string; n: number }>(
        'select entity, change_kind, count(*)::int as n from changes where seq > $1 group by entity, change_kind',
        [String(setupSeq)],
      );
      expect(feed).toEqual([{ entity: 'case', change_kind: 'bundle', n: ROWS }]);
      expect(result.changeRows).toBe(ROWS);
      // Each row names its case's officer (an officer's device pulls by it) and its branch.
      expect(
        await count(
          db,
          `select count(*)::int as n from changes ch join cases c on c.id = ch.case_id
            where ch.officer_id is distinct from c.officer_id or ch.branch_id <> $1`,
          [branch.id],
        ),
      ).toBe(0);
      // Every loan's case has its bundle row.
      const withoutRow = await count(
        db,
        `select count(*)::int as n from loans l
          where not exists (select 1 from changes c where c.entity = 'case' and c.change_kind = 'bundle'
                              and c.entity_id = l.case_id and c.seq > $1)`,
        [String(setupSeq)],
      );
      expect(withoutRow).toBe(0);
    }, 120_000);

    it('the same file again writes nothing new; a later file assigns an unassigned late case, in the feed', async () => {
      const feedBefore = await count(db, 'select count(*)::int as n from changes');
      const again = await write(bigFile('big-again.csv', 'BG'));
      expect(again).toMatchObject({ loansCreated: 0, loansUpdated: ROWS, changeRows: 0 });
      expect(await count(db, 'select count(*)::int as n from changes')).toBe(feedBefore);
      expect(await count(db, 'select count(*)::int as n from loan_snapshots')).toBe(ROWS);

      // Imported without officers: the late loan's case is open and nobody's.
      const first = writeCsv(dir, 'unassigned.csv', [
        loanLine({
          loanNo: 'UA-1',
          officer: 'OF003',
          arrears: '1000.00',
          dpd: '5',
          nextDue: '2026-11-15',
        }),
      ]);
      await write(first, { officerIds: new Map() });
      const seq = await count(db, 'select coalesce(max(seq), 0)::int as n from changes');
      const later = await write(first);
      expect(later).toMatchObject({ loansUpdated: 1, casesAssigned: 1 });
      const rows = await db.query<{
        entity: string;
        change_kind: string;
        officer: string | null;
        prev: string | null;
      }>(
        `select ch.entity, ch.change_kind, u.username as officer, ch.prev_officer_id as prev
           from changes ch left join users u on u.id = ch.officer_id where ch.seq > $1 order by ch.seq`,
        [String(seq)],
      );
      expect(rows).toEqual([
        { entity: 'case', change_kind: 'assignment', officer: 'of003', prev: null },
      ]);
      const history = await count(
        db,
        `select count(*)::int as n from case_assignments a join loans l on l.case_id = a.case_id
          where l.loan_no = 'UA-1' and a.ended_at is null and a.assigned_by = 'cli:test'`,
      );
      expect(history).toBe(1);
    }, 120_000);

    it('refuses a loan number another branch holds, writing nothing', async () => {
      const loans = await count(db, 'select count(*)::int as n from loans');
      const feed = await count(db, 'select count(*)::int as n from changes');
      const file = writeCsv(dir, 'foreign.csv', [
        loanLine({ loanNo: 'NEW-1' }),
        loanLine({ loanNo: 'BG-00007' }),
      ]);
      await expect(write(file, { branchId: other.id, officerIds: new Map() })).rejects.toThrow(
        /BG-00007 belongs to another branch/,
      );
      expect(await count(db, 'select count(*)::int as n from loans')).toBe(loans);
      expect(await count(db, 'select count(*)::int as n from changes')).toBe(feed);
    });

    it('a full file closes the loans it no longer lists and their cases, with change rows for devices', async () => {
      // Every BG loan but the first 100 is listed again; UA-1 is not.
      const listed = readFileSync(bigFile('full.csv', 'BG'), 'utf8').trim().split('\n').slice(1);
      const file = writeCsv(dir, 'full-cut.csv', listed.slice(100));
      const seq = await count(db, 'select coalesce(max(seq), 0)::int as n from changes');
      const result = await write(file, { full: true });
      expect(result.loansClosed).toBe(101);
      // Of the 100 BG loans, 34 were late (open cases); UA-1's case was open too.
      expect(result.casesClosed).toBe(35);
      const closedLoans = await count(
        db,
        `select count(*)::int as n from loans where status = 'closed'`,
      );
      expect(closedLoans).toBe(101);
      const closedSnapshots = await count(
        db,
        `select count(*)::int as n from loan_snapshots where status = 'closed' and as_of = $1`,
        [AS_OF],
      );
      expect(closedSnapshots).toBe(101);
      const feed = await db.query<{ entity: string; n: number }>(
        `select entity, count(*)::int as n from changes where seq > $1 group by entity order by entity`,
        [String(seq)],
      );
      expect(Object.fromEntries(feed.map((f) => [f.entity, f.n]))).toEqual({
        case: 35,
        loan: 101,
        loan_snapshot: 101,
      });
      expect(
        await count(
          db,
          `select count(*)::int as n from changes ch join cases c on c.id = ch.case_id
            where ch.seq > $1 and ch.officer_id is distinct from c.officer_id`,
          [String(seq)],
        ),
      ).toBe(0);
    }, 120_000);
  });
}
