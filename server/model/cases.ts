// Cases and who works them. The officer of a case is a last-writer-wins field stamped
// with an HLC (field_clocks.officerId); every change of officer also ends the current
// row in case_assignments and opens a new one, so "was this officer ever on the case"
// stays answerable after reassignments.
import type { CaseFlags } from '../../shared/domain/types';
import { compareHlc, stampAfter, type Hlc } from '../../shared/sync/hlc';
import type { Queryable } from '../db/database';
import { ServerError } from '../errors';
import type { ChangeRow } from '../sync/change-feed';
import { newId } from './ids';
import { findUserByUsername } from './users';

export interface CaseRow {
  id: string;
  branch_id: string;
  borrower_id: string;
  officer_id: string | null;
  status: 'open' | 'closed';
  next_action_date: string | null;
  flags: CaseFlags;
  field_clocks: Record<string, Hlc>;
  updated_at: string;
}

export const CASE_COLUMNS =
  'id, branch_id, borrower_id, officer_id, status, next_action_date, flags, field_clocks, updated_at';

export async function loadCaseForUpdate(q: Queryable, caseId: string): Promise<CaseRow | null> {
  const rows = await q.query<CaseRow>(
    `select ${CASE_COLUMNS} from cases where id = $1 for update`,
    [caseId],
  );
  return rows[0] ?? null;
}

/**
 * Gives the case to `toOfficerId` if `hlc` is newer than the stamp of the current
 * assignment. Returns the change row to append, or null when the move lost (the caller
 * keeps the fact and flags it 'superseded') or changed nothing.
 */
export async function moveCase(
  tx: Queryable,
  c: CaseRow,
  toOfficerId: string,
  hlc: Hlc,
  assignedBy: string,
): Promise<{ moved: boolean; superseded: boolean; change: ChangeRow | null }> {
  if (compareHlc(hlc, c.field_clocks.officerId) <= 0)
    return { moved: false, superseded: true, change: null };
  const clocks = { ...c.field_clocks, officerId: hlc };
  if (c.officer_id === toOfficerId) {
    await tx.query('update cases set field_clocks = $2::jsonb where id = $1', [
      c.id,
      JSON.stringify(clocks),
    ]);
    c.field_clocks = clocks;
    return { moved: false, superseded: false, change: null };
  }
  await tx.query(
    'update case_assignments set ended_at = now() where case_id = $1 and ended_at is null',
    [c.id],
  );
  await tx.query(
    'insert into case_assignments (id, case_id, officer_id, assigned_by, hlc) values ($1, $2, $3, $4, $5)',
    [newId(), c.id, toOfficerId, assignedBy, hlc],
  );
  await tx.query(
    'update cases set officer_id = $2, field_clocks = $3::jsonb, updated_at = now() where id = $1',
    [c.id, toOfficerId, JSON.stringify(clocks)],
  );
  const previous = c.officer_id;
  c.officer_id = toOfficerId;
  c.field_clocks = clocks;
  return {
    moved: true,
    superseded: false,
    change: {
      entity: 'case',
      entityId: c.id,
      changeKind: 'assignment',
      branchId: c.branch_id,
      caseId: c.id,
      officerId: toOfficerId,
      prevOfficerId: previous,
    },
  };
}

export interface AssignCaseInput {
  caseId: string;
  officerUsername: string;
  /** 'assign' wants an unassigned case; 'reassign' wants one that has another officer. */
  mode: 'assign' | 'reassign';
  assignedBy: string;
  now?: Date;
}

/** An assignment made at head office (admin CLI): it always wins over stored stamps. */
export async function assignCase(
  tx: Queryable,
  input: AssignCaseInput,
): Promise<{ case: CaseRow; change: ChangeRow }> {
  const c = await loadCaseForUpdate(tx, input.caseId);
  if (!c) throw new ServerError('not_found', `No case with id ${input.caseId}`);
  const officer = await findUserByUsername(tx, input.officerUsername);
  if (officer.role !== 'officer')
    throw new ServerError(
      'invalid_argument',
      `${officer.username} is a ${officer.role}, not an officer`,
    );
  if (officer.disabled_at)
    throw new ServerError('invalid_argument', `${officer.username} is disabled`);
  if (officer.branch_id !== c.branch_id)
    throw new ServerError(
      'invalid_argument',
      `${officer.username} works in another branch than this case`,
    );
  if (input.mode === 'assign' && c.officer_id !== null) {
    const current = await tx.query<{ username: string }>(
      'select username from users where id = $1',
      [c.officer_id],
    );
    throw new ServerError(
      'conflict',
      `Case ${c.id} is already assigned to ${current[0]?.username ?? c.officer_id}; use reassign-case`,
    );
  }
  if (input.mode === 'reassign' && c.officer_id === null) {
    throw new ServerError('conflict', `Case ${c.id} has no officer yet; use assign-case`);
  }
  if (c.officer_id === officer.id)
    throw new ServerError('conflict', `Case ${c.id} is already assigned to ${officer.username}`);
  const stamp = stampAfter(c.field_clocks.officerId, (input.now ?? new Date()).getTime());
  const result = await moveCase(tx, c, officer.id, stamp, input.assignedBy);
  if (!result.change) throw new Error('head-office assignment did not move the case');
  return { case: c, change: result.change };
}
