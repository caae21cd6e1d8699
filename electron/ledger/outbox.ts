// Mutations this device owes the server, in the wire shape of shared/sync (kind,
// case, author, payload, HLC). Written in the same transaction as the fact or field
// change they carry; the sync client pushes pending rows in mutation_id order.
import type { Instant } from '../../shared/domain/types';
import type { Hlc } from '../../shared/sync/hlc';
import type {
  CaseUpdatePayload,
  ContactPointPayload,
  FactPayload,
} from '../../shared/sync/mutations';
import { SYNC_SCHEMA_VERSION } from '../../shared/sync/protocol';
import type { LedgerDb } from './db';
import { stmt } from './statements';

export type OutboxMutation =
  | { kind: 'fact'; caseId: string; userId: string; hlc: Hlc; payload: FactPayload }
  | { kind: 'case_update'; caseId: string; userId: string; hlc: Hlc; payload: CaseUpdatePayload }
  | {
      kind: 'contact_point';
      caseId: string;
      userId: string;
      hlc: Hlc;
      payload: ContactPointPayload;
    };

export type OutboxStatus = 'pending' | 'sent' | 'refused';

export type OutboxRow = OutboxMutation & {
  mutationId: number;
  schemaVersion: number;
  createdAt: Instant;
  proof: string | null;
  status: OutboxStatus;
  refusalCode: string | null;
  refusalReason: string | null;
};

/** Queues one mutation; returns its mutation id (strictly increasing on this device). */
export function enqueueMutation(db: LedgerDb, m: OutboxMutation, createdAt: Instant): number {
  const result = stmt(
    db,
    `INSERT INTO outbox (kind, case_id, user_id, payload, hlc, schema_version, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    m.kind,
    m.caseId,
    m.userId,
    JSON.stringify(m.payload),
    m.hlc,
    SYNC_SCHEMA_VERSION,
    createdAt,
  );
  return Number(result.lastInsertRowid);
}

interface OutboxDbRow {
  mutation_id: number;
  kind: OutboxMutation['kind'];
  case_id: string;
  user_id: string;
  payload: string;
  hlc: string;
  schema_version: number;
  created_at: string;
  proof: string | null;
  status: OutboxStatus;
  refusal_code: string | null;
  refusal_reason: string | null;
}

/** Pending mutations, oldest first (what the next push sends). */
export function pendingMutations(db: LedgerDb, limit = 500): OutboxRow[] {
  return stmt<OutboxDbRow>(
    db,
    `SELECT * FROM outbox WHERE status = 'pending' ORDER BY mutation_id LIMIT ?`,
  )
    .all(limit)
    .map((r) => ({
      ...mutationOf(r),
      mutationId: r.mutation_id,
      schemaVersion: r.schema_version,
      createdAt: r.created_at,
      proof: r.proof,
      status: r.status,
      refusalCode: r.refusal_code,
      refusalReason: r.refusal_reason,
    }));
}

/** The stored mutation, its payload typed by its kind (enqueueMutation wrote the pair). */
function mutationOf(r: OutboxDbRow): OutboxMutation {
  const head = { caseId: r.case_id, userId: r.user_id, hlc: r.hlc };
  switch (r.kind) {
    case 'fact':
      return { ...head, kind: r.kind, payload: JSON.parse(r.payload) as FactPayload };
    case 'case_update':
      return { ...head, kind: r.kind, payload: JSON.parse(r.payload) as CaseUpdatePayload };
    case 'contact_point':
      return { ...head, kind: r.kind, payload: JSON.parse(r.payload) as ContactPointPayload };
  }
}
