// Setup shared by the server import-writer tests: officers in a branch, a file bigger than
// the writer's chunks, a count query, and a file previewed and written as the CLI does.
import { createPasswordCredential } from '../../shared/node/password';
import {
  inspectPortfolio,
  previewPortfolio,
  type PortfolioPreview,
} from '../../shared/node/portfolio-import';
import type { Database } from '../../server/db/database';
import {
  writePortfolioImport,
  type ServerImportOptions,
} from '../../server/portfolio/import-writer';
import { addUser } from '../../server/model/users';
import { TEST_SCRYPT } from '../server/helpers/world';
import { OFFICER_CODES, loanLine, writeCsv } from './helpers';

export async function count(
  db: Database,
  sql: string,
  params: (string | number)[] = [],
): Promise<number> {
  const rows = await db.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}

/** Adds an officer per code (username: the code in lower case); their ids by username. */
export async function addOfficers(
  db: Database,
  branchId: string,
  codes: readonly string[],
): Promise<Map<string, string>> {
  const credential = await createPasswordCredential('pw-officer-secret', TEST_SCRYPT);
  const ids = new Map<string, string>();
  for (const code of codes) {
    const user = await db.transaction((tx) =>
      addUser(tx, {
        branchId,
        username: code.toLowerCase(),
        name: `Officer ${code}`,
        role: 'officer',
        credential,
      }),
    );
    ids.set(user.username, user.id);
  }
  return ids;
}

/** `rows` loans numbered `prefix-00000…`: every third late; officers by turn; two phone numbers on every fifth row. */
export function bigLoanFile(dir: string, name: string, prefix: string, rows: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const late = i % 3 === 0;
    lines.push(
      loanLine({
        loanNo: `${prefix}-${String(i).padStart(5, '0')}`,
        officer: OFFICER_CODES[i % 4],
        phone: i % 5 === 0 ? `1380000${String(i).padStart(4, '0')}/13900000000` : undefined,
        ...(late ? { arrears: '1000.00', dpd: '12', nextDue: '2026-11-15' } : {}),
      }),
    );
  }
  return writeCsv(dir, name, lines);
}

/** The preview of `file` dated `asOf`, against the branch's officers (codes: usernames). */
export async function previewServerImport(
  db: Database,
  branchId: string,
  file: string,
  asOf: string,
): Promise<PortfolioPreview> {
  const officers = await db.query<{ username: string; display_name: string }>(
    `select username, display_name from users where branch_id = $1 and role = 'officer'`,
    [branchId],
  );
  const inspection = await inspectPortfolio(file, { sampleSize: 0 });
  return previewPortfolio(file, {
    mapping: inspection.mapping,
    readOptions: inspection.readOptions,
    context: {
      asOfDate: asOf,
      officers: officers.map((o) => ({ code: o.username, name: o.display_name })),
      unknownOfficer: 'warning',
    },
    sampleSize: 0,
  });
}

/** `file` previewed and written into the branch at a fixed time, as the CLI does; `options` override. */
export async function writeServerImport(
  db: Database,
  file: string,
  target: { branchId: string; officerIds: Map<string, string>; asOf: string },
  options: Partial<ServerImportOptions> = {},
): ReturnType<typeof writePortfolioImport> {
  return writePortfolioImport(
    db,
    file,
    await previewServerImport(db, target.branchId, file, target.asOf),
    {
      branchId: target.branchId,
      assignedBy: 'cli:test',
      full: false,
      officerIds: target.officerIds,
      now: new Date('2026-11-21T02:00:00Z'),
      ...options,
    },
  );
}
