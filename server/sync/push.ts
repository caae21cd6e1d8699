// POST /v1/sync/push: applies a batch of mutations from one device, each exactly once.
//
// The whole batch is one transaction. A refused mutation writes nothing (refusals are
// decided before a mutation's first write, see apply-mutation.ts) and never blocks the
// others. The answer to every mutation (accepted or refused, with its reason) is stored
// under (device, mutationId): a retried batch gets the very same answers and changes
// nothing. Pushes from one device are serialised by locking its row.
import {
  SYNC_SCHEMA_VERSION,
  type MutationResult,
  type ReceivedMutation,
  type PushResponse,
} from '../../shared/sync/protocol';
import { mutationProof, proofsEqual } from '../../shared/node/proofs';
import type { FactFlag } from '../../shared/sync/records';
import type { Database, Transaction } from '../db/database';
import { loadUserAuth, type UserAuth } from '../model/users';
import { applyMutation } from './apply-mutation';
import { appendChanges, type ChangeRow } from './change-feed';
import { loadPushBatch } from './push-batch';
import { Refusal } from './refusal';

export interface PushDevice {
  id: string;
  branchId: string | null;
}

type Mutation = ReceivedMutation;

interface StoredResult {
  mutation_id: number;
  status: 'accepted' | 'refused';
  reason: string | null;
  message: string | null;
  params: Record<string, string | number | boolean | null> | null;
  fact_id: string | null;
  flags: FactFlag[];
}

function fromStored(r: StoredResult): MutationResult {
  return r.status === 'accepted'
    ? {
        mutationId: r.mutation_id,
        status: 'accepted',
        duplicate: true,
        factId: r.fact_id,
        flags: r.flags,
      }
    : {
        mutationId: r.mutation_id,
        status: 'refused',
        duplicate: true,
        reason: r.reason as Extract<MutationResult, { status: 'refused' }>['reason'],
        message: r.message ?? '',
        params: r.params ?? {},
      };
}

/**
 * Who recorded the mutation, and may they have, on this device? Throws a Refusal if not.
 * A mutation without a proof of its own is the signed-in user's: the request proof (checked
 * before the body is read) covers it. Any other author's mutation needs that author's proof.
 */
function checkAuthor(
  device: PushDevice,
  signerId: string,
  m: Mutation,
  author: UserAuth | undefined,
): UserAuth {
  if (m.deviceId !== device.id)
    throw new Refusal('device_mismatch', 'This mutation was recorded on another device', {
      deviceId: m.deviceId,
    });
  if (m.schemaVersion > SYNC_SCHEMA_VERSION) {
    throw new Refusal(
      'unsupported_schema_version',
      `The server understands schema version ${SYNC_SCHEMA_VERSION}; update the server`,
      {
        schemaVersion: m.schemaVersion,
        supported: SYNC_SCHEMA_VERSION,
      },
    );
  }
  if (!author)
    throw new Refusal('unknown_author', 'The user who recorded this is not known to the server', {
      userId: m.userId,
    });
  if (author.branchId !== device.branchId) {
    throw new Refusal(
      'author_not_on_device',
      'The user who recorded this does not belong to this device’s branch',
      { userId: m.userId },
    );
  }
  const { proof, ...signed } = m;
  const valid =
    proof === null
      ? m.userId === signerId
      : author.allAuthKeys.some((key) => proofsEqual(mutationProof(key, signed), proof));
  if (!valid)
    throw new Refusal(
      'bad_author_proof',
      'The signature of this change does not match its author',
      { userId: m.userId },
    );
  if (author.disabled)
    throw new Refusal('author_disabled', 'The user who recorded this has been disabled', {
      userId: m.userId,
    });
  return author;
}

async function storeResults(
  tx: Transaction,
  deviceId: string,
  fresh: readonly { m: Mutation; result: MutationResult }[],
): Promise<void> {
  if (fresh.length === 0) return;
  const col = <T>(f: (x: { m: Mutation; result: MutationResult }) => T) => fresh.map(f);
  const refused = (r: MutationResult) => (r.status === 'refused' ? r : null);
  await tx.query(
    `insert into mutation_results (device_id, mutation_id, user_id, case_id, kind, status, reason, message, params, fact_id, flags)
     select $1, mutation_id, user_id, case_id, kind, status, reason, message, params::jsonb, fact_id, flags::jsonb
       from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         as t(mutation_id, user_id, case_id, kind, status, reason, message, params, fact_id, flags)`,
    [
      deviceId,
      col((x) => x.m.mutationId),
      col((x) => x.m.userId),
      col((x) => x.m.caseId),
      col((x) => x.m.kind.slice(0, 40)),
      col((x) => x.result.status),
      col((x) => refused(x.result)?.reason ?? null),
      col((x) => refused(x.result)?.message ?? null),
      col((x) => {
        const r = refused(x.result);
        return r ? JSON.stringify(r.params) : null;
      }),
      col((x) => (x.result.status === 'accepted' ? x.result.factId : null)),
      col((x) => JSON.stringify(x.result.status === 'accepted' ? x.result.flags : [])),
    ],
  );
}

export interface PushOutcome extends PushResponse {
  accepted: number;
  refused: number;
  duplicates: number;
}

export async function applyPush(
  db: Database,
  device: PushDevice,
  signerId: string,
  mutations: readonly Mutation[],
): Promise<PushOutcome> {
  return db.transaction(async (tx: Transaction) => {
    const locked = await tx.query<{ last_mutation_id: number }>(
      'select last_mutation_id from devices where id = $1 for update',
      [device.id],
    );
    if (locked.length === 0) throw new Error(`device ${device.id} vanished`);
    const ids = [...new Set(mutations.map((m) => m.mutationId))];
    const stored = await tx.query<StoredResult>(
      `select mutation_id, status, reason, message, params, fact_id, flags from mutation_results
        where device_id = $1 and mutation_id = any($2::bigint[])`,
      [device.id, ids],
    );
    const known = new Map<number, MutationResult>(
      stored.map((r) => [r.mutation_id, fromStored(r)]),
    );
    const authors = await loadUserAuth(tx, [...new Set(mutations.map((m) => m.userId))]);
    const batch = await loadPushBatch(
      tx,
      mutations.filter((m) => !known.has(m.mutationId)).map((m) => m.caseId),
    );

    const results = new Map<number, MutationResult>();
    const changes: ChangeRow[] = [];
    let accepted = 0;
    let refused = 0;
    let duplicates = 0;
    const fresh: { m: Mutation; result: MutationResult }[] = [];
    // Applied in mutationId order: the device's order of recording.
    for (const m of [...mutations].sort((a, b) => a.mutationId - b.mutationId)) {
      if (results.has(m.mutationId)) continue;
      const earlier = known.get(m.mutationId);
      if (earlier) {
        results.set(m.mutationId, earlier);
        duplicates++;
        continue;
      }
      let result: MutationResult;
      try {
        const author = checkAuthor(device, signerId, m, authors.get(m.userId));
        const applied = await applyMutation(tx, {
          deviceId: device.id,
          author,
          mutation: m,
          batch,
        });
        changes.push(...applied.changes);
        result = {
          mutationId: m.mutationId,
          status: 'accepted',
          duplicate: false,
          factId: applied.factId,
          flags: applied.flags,
        };
        accepted++;
      } catch (err) {
        if (!(err instanceof Refusal)) throw err; // anything unexpected fails the request; the device retries it
        result = {
          mutationId: m.mutationId,
          status: 'refused',
          duplicate: false,
          reason: err.reason,
          message: err.message,
          params: err.params,
        };
        refused++;
      }
      results.set(m.mutationId, result);
      fresh.push({ m, result });
    }
    await storeResults(tx, device.id, fresh);
    const maxId = Math.max(locked[0]?.last_mutation_id ?? 0, ...ids);
    await tx.query('update devices set last_mutation_id = $2, last_seen_at = now() where id = $1', [
      device.id,
      maxId,
    ]);
    await appendChanges(tx, changes); // last: it holds the feed lock until commit
    return {
      // One answer per mutation sent, in the order sent (a repeated id gets the same answer twice).
      results: mutations.map((m) => results.get(m.mutationId) as MutationResult),
      lastMutationId: maxId,
      accepted,
      refused,
      duplicates,
    };
  });
}
