// Branches: the unit a manager runs and a device belongs to.
import type { Queryable } from '../db/database';
import { ServerError } from '../errors';
import { appendChanges } from '../sync/change-feed';
import { newId } from './ids';

export interface BranchRow {
  id: string;
  code: string;
  name: string;
  timezone: string;
}

const CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function createBranch(
  tx: Queryable,
  input: { code: string; name: string; timezone?: string },
): Promise<BranchRow> {
  const code = input.code.trim().toUpperCase();
  const name = input.name.trim();
  const timezone = input.timezone?.trim() || 'Asia/Shanghai';
  if (!CODE_RE.test(code)) {
    throw new ServerError(
      'invalid_argument',
      `Branch code "${code}" must be 1-32 letters, digits, '-' or '_'`,
    );
  }
  if (!name) throw new ServerError('invalid_argument', 'A branch needs a name');
  if (!validTimeZone(timezone))
    throw new ServerError(
      'invalid_argument',
      `Unknown time zone "${timezone}" (use an IANA name such as Asia/Shanghai)`,
    );
  const existing = await tx.query('select 1 from branches where code = $1', [code]);
  if (existing.length > 0)
    throw new ServerError('conflict', `A branch with code ${code} already exists`);
  const id = newId();
  await tx.query('insert into branches (id, code, name, timezone) values ($1, $2, $3, $4)', [
    id,
    code,
    name,
    timezone,
  ]);
  await appendChanges(tx, [
    { entity: 'branch', entityId: id, branchId: id, caseId: null, officerId: null },
  ]);
  return { id, code, name, timezone };
}

export async function findBranchByCode(q: Queryable, code: string): Promise<BranchRow> {
  const rows = await q.query<BranchRow>(
    'select id, code, name, timezone from branches where code = $1',
    [code.trim().toUpperCase()],
  );
  const row = rows[0];
  if (!row) throw new ServerError('not_found', `No branch with code ${code.trim().toUpperCase()}`);
  return row;
}

export async function getBranch(q: Queryable, id: string): Promise<BranchRow | null> {
  const rows = await q.query<BranchRow>(
    'select id, code, name, timezone from branches where id = $1',
    [id],
  );
  return rows[0] ?? null;
}
