// What a push batch needs to know about its cases, read once for the whole batch instead
// of once per mutation: the cases (locked, in id order so concurrent batches cannot
// deadlock), their loans, and who has ever been assigned to them.
import type { Queryable } from '../db/database';
import { CASE_COLUMNS, type CaseRow } from '../model/cases';

export interface BatchLoan {
  id: string;
  case_id: string;
  status: 'active' | 'closed';
}

export interface PushBatch {
  case(id: string): CaseRow | undefined;
  loan(id: string): BatchLoan | undefined;
  wasAssigned(caseId: string, officerId: string): boolean;
}

export async function loadPushBatch(tx: Queryable, caseIds: readonly string[]): Promise<PushBatch> {
  const ids = [...new Set(caseIds)].sort();
  // The rows are updated in memory as mutations apply, so later mutations of the batch see earlier ones.
  const cases = await tx.query<CaseRow>(
    `select ${CASE_COLUMNS} from cases where id = any($1::text[]) order by id for update`,
    [ids],
  );
  const loans = await tx.query<BatchLoan>(
    'select id, case_id, status from loans where case_id = any($1::text[])',
    [ids],
  );
  const assigned = await tx.query<{ case_id: string; officer_id: string }>(
    'select distinct case_id, officer_id from case_assignments where case_id = any($1::text[])',
    [ids],
  );
  const caseMap = new Map(cases.map((c) => [c.id, c]));
  const loanMap = new Map(loans.map((l) => [l.id, l]));
  const assignedSet = new Set(assigned.map((a) => `${a.case_id}\n${a.officer_id}`));
  return {
    case: (id) => caseMap.get(id),
    loan: (id) => loanMap.get(id),
    wasAssigned: (caseId, officerId) => assignedSet.has(`${caseId}\n${officerId}`),
  };
}
