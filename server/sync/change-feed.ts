// Appends rows to the change feed that devices pull (server/sync/pull.ts).
//
// Invariant: a row's seq is allocated and committed while holding FEED_LOCK, so rows
// become visible in seq order and a reader that has seen seq N has seen every committed
// row below N. Without it, a transaction that took seq 100 but committed after one that
// took 101 would be skipped by a device whose cursor had already passed 101.
// appendChanges must therefore be the LAST statement a transaction runs before commit
// (it holds the lock until then; taking other locks afterwards could deadlock).
import type { Queryable } from '../db/database';

export const FEED_LOCK = 7_270_002;

export const CHANGE_ENTITIES = [
  'branch',
  'user',
  'case',
  'borrower',
  'contact_point',
  'loan',
  'loan_snapshot',
  'fact',
] as const;
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number];

export interface ChangeRow {
  entity: ChangeEntity;
  entityId: string;
  /**
   * 'assignment' rows give a case to officerId and take it from prevOfficerId; a 'bundle'
   * row (entity 'case') stands for the whole case as it is when pulled: its borrower,
   * contact points, loans, latest snapshots and facts (the import writes one per case it
   * creates, server/portfolio/import-statements.ts).
   */
  changeKind?: 'upsert' | 'assignment' | 'bundle';
  branchId: string | null;
  caseId: string | null;
  /** The case's officer after this change (null for rows that belong to no case). */
  officerId: string | null;
  prevOfficerId?: string | null;
  /** The device whose push made this change: it is not sent the fact back. */
  originDeviceId?: string | null;
}

export async function appendChanges(tx: Queryable, rows: readonly ChangeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query('select pg_advisory_xact_lock($1)', [FEED_LOCK]);
  await tx.query(
    `insert into changes (entity, entity_id, change_kind, branch_id, case_id, officer_id, prev_officer_id, origin_device_id)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
    [
      rows.map((r) => r.entity),
      rows.map((r) => r.entityId),
      rows.map((r) => r.changeKind ?? 'upsert'),
      rows.map((r) => r.branchId),
      rows.map((r) => r.caseId),
      rows.map((r) => r.officerId),
      rows.map((r) => r.prevOfficerId ?? null),
      rows.map((r) => r.originDeviceId ?? null),
    ],
  );
}

/** Change rows for every case of a borrower (borrowers and contact points travel with their cases). */
export async function borrowerChangeRows(
  tx: Queryable,
  borrowerId: string,
  entity: 'borrower' | 'contact_point',
  entityId: string,
  originDeviceId: string | null = null,
): Promise<ChangeRow[]> {
  const cases = await tx.query<{ id: string; branch_id: string; officer_id: string | null }>(
    'select id, branch_id, officer_id from cases where borrower_id = $1 order by id',
    [borrowerId],
  );
  return cases.map((c) => ({
    entity,
    entityId,
    branchId: c.branch_id,
    caseId: c.id,
    officerId: c.officer_id,
    originDeviceId,
  }));
}
