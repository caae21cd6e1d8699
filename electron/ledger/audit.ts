// Append-only audit trail, hash-chained: each entry's hash covers its own fields and the
// previous entry's hash, so editing, removing or reordering any entry breaks every hash
// after it. Entries hold a hash of the payload, never the payload (no borrower data here).
import crypto from 'node:crypto';
import { canonicalJson } from '../../shared/sync/canonical-json';
import type { LedgerDb } from './db';
import { stmt } from './statements';

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  at: string;
  actorId: string;
  deviceId: string;
  /** What happened, e.g. 'contact.record', 'payment.record', 'demo.generate'. */
  action: string;
  entity: string;
  entityId: string;
  payload: unknown;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor_id: string;
  device_id: string;
  action: string;
  entity: string;
  entity_id: string;
  payload_hash: string;
  prev_hash: string;
  hash: string;
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export function payloadHash(payload: unknown): string {
  return sha256(canonicalJson(payload));
}

/** The hash an entry must carry: its fields and the previous entry's hash. */
export function entryHash(e: Omit<AuditRow, 'hash'>): string {
  return sha256(
    JSON.stringify([
      e.seq,
      e.at,
      e.actor_id,
      e.device_id,
      e.action,
      e.entity,
      e.entity_id,
      e.payload_hash,
      e.prev_hash,
    ]),
  );
}

/** Appends one entry; call inside the command's transaction. */
export function appendAudit(db: LedgerDb, input: AuditEntryInput): { seq: number; hash: string } {
  const last = stmt<{ seq: number; hash: string }>(
    db,
    'SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1',
  ).get();
  const row: Omit<AuditRow, 'hash'> = {
    seq: (last?.seq ?? 0) + 1,
    at: input.at,
    actor_id: input.actorId,
    device_id: input.deviceId,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId,
    payload_hash: payloadHash(input.payload),
    prev_hash: last?.hash ?? AUDIT_GENESIS_HASH,
  };
  const hash = entryHash(row);
  stmt(
    db,
    `INSERT INTO audit (seq, at, actor_id, device_id, action, entity, entity_id, payload_hash, prev_hash, hash)
     VALUES (@seq, @at, @actor_id, @device_id, @action, @entity, @entity_id, @payload_hash, @prev_hash, @hash)`,
  ).run({ ...row, hash });
  return { seq: row.seq, hash };
}

export type AuditVerification =
  | { ok: true; entries: number; headHash: string }
  | {
      ok: false;
      entries: number;
      brokenAtSeq: number;
      reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
    };

/** Walks the whole chain from the first entry and recomputes every hash. */
export function verifyAuditChain(db: LedgerDb): AuditVerification {
  let prevHash = AUDIT_GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of db
    .prepare('SELECT * FROM audit ORDER BY seq')
    .iterate() as IterableIterator<AuditRow>) {
    if (row.seq !== expectedSeq)
      return { ok: false, entries, brokenAtSeq: row.seq, reason: 'sequence_gap' };
    if (row.prev_hash !== prevHash)
      return { ok: false, entries, brokenAtSeq: row.seq, reason: 'prev_hash_mismatch' };
    const { hash, ...fields } = row;
    if (entryHash(fields) !== hash)
      return { ok: false, entries, brokenAtSeq: row.seq, reason: 'hash_mismatch' };
    prevHash = hash;
    expectedSeq++;
    entries++;
  }
  return { ok: true, entries, headHash: prevHash };
}
