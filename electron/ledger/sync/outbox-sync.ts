// The outbox as the sync client reads and settles it. Proofs: a mutation is signed with
// its author's auth key, which exists only in memory while that author is signed in, so
// rows are signed (and the proof stored) as soon as their author's key is available;
// a row without a proof waits, visible, for its author to sign in again.
import { mutationProof } from '../../../shared/node/proofs';
import type { Mutation, MutationResult } from '../../../shared/sync/protocol';
import type { FactPayload } from '../../../shared/sync/mutations';
import type { LedgerDb } from '../db';
import { stmt } from '../statements';
import { rederiveCases } from './apply-pull';
import { withdrawRefusedFact } from './refusals';

/** userId → authKey of the users signed in on this device now. */
export type AuthorKeys = ReadonlyMap<string, string>;

interface Row {
  mutation_id: number;
  kind: string;
  case_id: string;
  user_id: string;
  payload: string;
  hlc: string;
  schema_version: number;
  proof: string | null;
}

/** Stores the proof of every pending unsigned row whose author's key is at hand. */
export function signPendingMutations(db: LedgerDb, deviceId: string, keys: AuthorKeys): number {
  const rows = stmt<Row>(
    db,
    `SELECT * FROM outbox WHERE status = 'pending' AND proof IS NULL ORDER BY mutation_id`,
  ).all();
  const update = stmt(db, 'UPDATE outbox SET proof = ? WHERE mutation_id = ? AND proof IS NULL');
  let signed = 0;
  db.transaction(() => {
    for (const r of rows) {
      const key = keys.get(r.user_id);
      if (!key) continue;
      const proof = mutationProof(key, {
        deviceId,
        mutationId: r.mutation_id,
        schemaVersion: r.schema_version,
        userId: r.user_id,
        kind: r.kind,
        caseId: r.case_id,
        hlc: r.hlc,
        payload: JSON.parse(r.payload) as unknown,
      });
      update.run(proof, r.mutation_id);
      signed++;
    }
  })();
  return signed;
}

/** The next batch to push: signed pending rows, oldest first. */
export function nextPushBatch(db: LedgerDb, deviceId: string, limit: number): Mutation[] {
  return stmt<Row>(
    db,
    `SELECT * FROM outbox WHERE status = 'pending' AND proof IS NOT NULL ORDER BY mutation_id LIMIT ?`,
  )
    .all(limit)
    .map((r) => ({
      deviceId,
      mutationId: r.mutation_id,
      schemaVersion: r.schema_version,
      userId: r.user_id,
      kind: r.kind,
      caseId: r.case_id,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      hlc: r.hlc,
      proof: r.proof as string,
    }));
}

/**
 * Records the server's answer for each mutation, in one transaction: accepted → sent;
 * refused → kept with its reason until someone acts on it, and a refused fact no longer
 * counts in derived state (refusals.ts). Results for ids this device
 * does not hold as pending (a duplicate answer to an earlier retry) change nothing.
 */
export function settlePushResults(
  db: LedgerDb,
  results: readonly MutationResult[],
  at: string,
): { accepted: number; refused: number } {
  const accept = stmt(
    db,
    `UPDATE outbox SET status = 'sent', sent_at = ? WHERE mutation_id = ? AND status = 'pending'`,
  );
  const refuse = stmt(
    db,
    `UPDATE outbox SET status = 'refused', sent_at = ?, refusal_code = ?, refusal_reason = ?
     WHERE mutation_id = ? AND status = 'pending'`,
  );
  const row = stmt<{ kind: string; case_id: string; payload: string }>(
    db,
    'SELECT kind, case_id, payload FROM outbox WHERE mutation_id = ?',
  );
  let accepted = 0;
  let refused = 0;
  db.transaction(() => {
    const rederive = new Set<string>();
    for (const r of results) {
      if (r.status === 'accepted') {
        accepted += accept.run(at, r.mutationId).changes;
        continue;
      }
      const changed = refuse.run(at, r.reason, r.message, r.mutationId).changes;
      refused += changed;
      const m = changed > 0 ? row.get(r.mutationId) : undefined;
      if (m?.kind !== 'fact') continue;
      // Stays visible (fact and reason), stops counting (see refusals.ts).
      const caseId = withdrawRefusedFact(db, m.case_id, JSON.parse(m.payload) as FactPayload);
      if (caseId !== null) rederive.add(caseId);
    }
    if (rederive.size > 0) rederiveCases(db, rederive, Date.parse(at));
  }).immediate();
  return { accepted, refused };
}

export interface RefusedMutation {
  mutationId: number;
  kind: string;
  caseId: string;
  userId: string;
  createdAt: string;
  refusedAt: string | null;
  code: string;
  message: string;
}

/**
 * Refusals nobody has dismissed yet (refusals.ts dismissRefusal), oldest first. `status <>
 * 'sent'` lets SQLite use the partial index outbox_unsent instead of scanning the outbox.
 */
export function refusedMutations(db: LedgerDb): RefusedMutation[] {
  return stmt<{
    mutation_id: number;
    kind: string;
    case_id: string;
    user_id: string;
    created_at: string;
    sent_at: string | null;
    refusal_code: string | null;
    refusal_reason: string | null;
  }>(
    db,
    `SELECT mutation_id, kind, case_id, user_id, created_at, sent_at, refusal_code, refusal_reason
     FROM outbox WHERE status = 'refused' AND status <> 'sent' AND handled_at IS NULL
     ORDER BY mutation_id`,
  )
    .all()
    .map((r) => ({
      mutationId: r.mutation_id,
      kind: r.kind,
      caseId: r.case_id,
      userId: r.user_id,
      createdAt: r.created_at,
      refusedAt: r.sent_at,
      code: r.refusal_code ?? 'unknown',
      message: r.refusal_reason ?? '',
    }));
}

export function pendingCounts(db: LedgerDb): { pending: number; awaitingSignIn: number } {
  const row = stmt<{ pending: number; unsigned: number }>(
    db,
    `SELECT count(*) AS pending, count(*) FILTER (WHERE proof IS NULL) AS unsigned
     FROM outbox WHERE status = 'pending'`,
  ).get();
  return { pending: row?.pending ?? 0, awaitingSignIn: row?.unsigned ?? 0 };
}
