// The wire protocol between a device and the head-office server (docs/SERVER.md).
//
// Every request except POST /v1/enrol carries the device token:
//   Authorization: Bearer <deviceToken>
// Every request except enrol and GET /v1/directory also names the signed-in user and
// proves that user's password was typed on this device (shared/node/proofs.ts):
//   X-Fieldbook-User: <userId>
//   X-Fieldbook-Proof: <requestProof>
// Bodies are JSON, optionally gzip- or br-compressed (Content-Encoding) both ways.
import { z } from 'zod';
import { entityIdSchema, instantSchema } from './common';
import { hlcSchema } from './hlc';
import {
  FACT_FLAGS,
  branchRecordSchema,
  directoryUserSchema,
  pullItemSchema,
  pullItemV2Schema,
} from './records';

/**
 * Version of the sync wire format (push envelope, push answers, pull records).
 * 1: every mutation carried deviceId, schemaVersion, userId and its own proof.
 * 2: the push names the device and version once, a mutation authored by the signed-in user
 *    carries neither userId nor proof (the request proof covers it), answers omit defaults,
 *    and pulled fact payloads leave out what the fact record already says.
 * 3: a contact carries its conduct override, a reassignment the officer it was taken from,
 *    and a manager's review of an override is an 'override_review' fact. Devices below 3
 *    are served facts without them (server/sync/downgrade.ts); their pushes are unchanged.
 * The server accepts all three (an outdated device keeps syncing until it updates). A
 * device newer than the server is refused, never guessed at.
 */
export const SYNC_SCHEMA_VERSION = 3;
/** Oldest version the server still serves. */
export const SYNC_MIN_SCHEMA_VERSION = 1;

export const HEADER_USER = 'x-fieldbook-user';
export const HEADER_PROOF = 'x-fieldbook-proof';
/**
 * On a pull answer with more to come: its `cursor`, readable before the body is (the same
 * value). Devices that do not know it read the cursor from the body, as before.
 */
export const HEADER_NEXT_CURSOR = 'x-fieldbook-next-cursor';

export const PUSH_MAX_MUTATIONS = 500;
export const PULL_DEFAULT_LIMIT = 1000;
export const PULL_MAX_LIMIT = 5000;

// ---------- errors ----------

/** Stable codes of a request that failed as a whole. The message is English; devices translate by code. */
export const SYNC_ERROR_CODES = [
  'invalid_input',
  'invalid_json',
  'unsupported_media_type',
  'unsupported_encoding',
  'payload_too_large',
  'not_found',
  'unauthenticated',
  'device_unknown',
  'user_unauthenticated',
  'user_unknown',
  'bad_proof',
  'user_disabled',
  'user_not_on_device',
  'enrolment_code_invalid',
  'enrolment_code_expired',
  'enrolment_code_used',
  'resync_required',
  'conflict',
  'rate_limited',
  'internal',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const syncErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(SYNC_ERROR_CODES),
    message: z.string(),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .optional(),
  }),
});
export type SyncErrorBody = z.infer<typeof syncErrorBodySchema>;

/**
 * The answer (HTTP 410) to any request made with a revoked device token, whatever the
 * route: the device must delete its ledger, keys and caches and return to enrolment.
 */
export const wipeInstructionSchema = z.object({
  instruction: z.literal('wipe'),
  reason: z.literal('device_revoked'),
  message: z.string(),
  revokedAt: instantSchema,
});
export type WipeInstruction = z.infer<typeof wipeInstructionSchema>;

// ---------- enrolment and directory ----------

export const enrolRequestSchema = z
  .object({
    code: z.string().trim().min(1).max(64),
    deviceName: z.string().trim().min(1).max(100),
    appVersion: z.string().max(40).optional(),
  })
  .strict();
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const directorySchema = z.object({
  /** Null for a head-office device (admins only). */
  branch: branchRecordSchema.nullable(),
  users: z.array(directoryUserSchema),
});
export type Directory = z.infer<typeof directorySchema>;

export const enrolResponseSchema = directorySchema.extend({
  deviceId: entityIdSchema,
  /** Shown once: the server keeps only its SHA-256. Store it with the ledger's keys. */
  deviceToken: z.string(),
  schemaVersion: z.number().int(),
  serverTime: instantSchema,
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

// ---------- push ----------

/**
 * One mutation as the device's outbox holds it. The envelope is validated for the whole
 * request; kind and payload are validated per mutation (unknown kinds and bad payloads
 * are refused one by one). `proof` binds the mutation to its author's password
 * (shared/node/proofs.ts mutationProof), computed when it was recorded.
 */
export const mutationSchema = z
  .object({
    deviceId: entityIdSchema,
    /** Per device, increasing; the server applies each (deviceId, mutationId) exactly once. */
    mutationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    schemaVersion: z.number().int().positive(),
    /** Who recorded it; may differ from the signed-in user when several users share a device. */
    userId: entityIdSchema,
    kind: z.string().min(1).max(40),
    caseId: entityIdSchema,
    payload: z.record(z.string(), z.unknown()),
    hlc: hlcSchema,
    proof: z.string().min(1).max(200),
  })
  .strict();
export type Mutation = z.infer<typeof mutationSchema>;

/** Version 1 push body: every mutation whole. Still accepted from outdated devices. */
export const pushRequestV1Schema = z
  .object({
    mutations: z.array(mutationSchema).min(1).max(PUSH_MAX_MUTATIONS),
  })
  .strict();

/**
 * One mutation in a version 2 push. Fields the request already says are left out:
 * - deviceId: the request's (present only to name another device, which is refused);
 * - schemaVersion: the request's unless the mutation was recorded under another;
 * - userId and proof: absent when the signed-in user recorded it (the request proof
 *   covers the body); present, with the author's own proof, for a mutation another user
 *   recorded on this device (shared laptop).
 */
export const wireMutationSchema = z
  .object({
    mutationId: mutationSchema.shape.mutationId,
    kind: mutationSchema.shape.kind,
    caseId: entityIdSchema,
    hlc: hlcSchema,
    payload: mutationSchema.shape.payload,
    userId: entityIdSchema.optional(),
    proof: mutationSchema.shape.proof.optional(),
    schemaVersion: mutationSchema.shape.schemaVersion.optional(),
    deviceId: entityIdSchema.optional(),
  })
  .strict()
  .refine((m) => (m.userId === undefined) === (m.proof === undefined), {
    message: 'userId and proof go together (both absent for the signed-in user’s own mutations)',
  });
export type WireMutation = z.infer<typeof wireMutationSchema>;

export const pushRequestV2Schema = z
  .object({
    schemaVersion: z.number().int().min(2),
    deviceId: entityIdSchema,
    mutations: z.array(wireMutationSchema).min(1).max(PUSH_MAX_MUTATIONS),
  })
  .strict();

/** Either version; v2 is told apart by its schemaVersion member. */
export const pushRequestSchema = z.union([pushRequestV2Schema, pushRequestV1Schema]);
export type PushRequest = z.infer<typeof pushRequestSchema>;
export type PushRequestV2 = z.infer<typeof pushRequestV2Schema>;

/** A mutation as the server applies it: proof null when the request proof covers it. */
export type ReceivedMutation = Omit<Mutation, 'proof'> & { proof: string | null };

/**
 * The version 2 body for these mutations as `signerId` pushes them from `deviceId`:
 * the signer's own mutations go without userId and proof.
 */
export function toPushRequest(
  deviceId: string,
  signerId: string,
  mutations: readonly Mutation[],
): PushRequestV2 {
  return {
    schemaVersion: SYNC_SCHEMA_VERSION,
    deviceId,
    mutations: mutations.map((m) => {
      const own = m.userId === signerId;
      return {
        mutationId: m.mutationId,
        kind: m.kind,
        caseId: m.caseId,
        hlc: m.hlc,
        payload: m.payload,
        ...(own ? {} : { userId: m.userId, proof: m.proof }),
        ...(m.schemaVersion === SYNC_SCHEMA_VERSION ? {} : { schemaVersion: m.schemaVersion }),
        ...(m.deviceId === deviceId ? {} : { deviceId: m.deviceId }),
      };
    }),
  };
}

/** Both versions as the mutations the server applies, signed in as `signerId`. */
export function fromPushRequest(body: PushRequest, signerId: string): ReceivedMutation[] {
  if (!('schemaVersion' in body)) return body.mutations;
  return body.mutations.map((m) => ({
    deviceId: m.deviceId ?? body.deviceId,
    mutationId: m.mutationId,
    schemaVersion: m.schemaVersion ?? body.schemaVersion,
    userId: m.userId ?? signerId,
    kind: m.kind,
    caseId: m.caseId,
    payload: m.payload,
    hlc: m.hlc,
    proof: m.proof ?? null,
  }));
}

/** Why a mutation was refused. Final: a retry of the same mutation gets the same answer. */
export const REFUSAL_CODES = [
  'unknown_kind',
  'invalid_payload',
  'unsupported_schema_version',
  'device_mismatch',
  'unknown_author',
  'author_not_on_device',
  'author_disabled',
  'bad_author_proof',
  'unknown_case',
  'forbidden',
  'case_reassigned',
  'role_not_allowed',
  'unknown_loan',
  'unknown_contact_point',
  'unknown_fact',
  'unknown_officer',
  'duplicate_fact',
  'duplicate_receipt',
  'already_reversed',
  'already_decided',
  'already_reviewed',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

// In version 2 answers, duplicate: false, factId (the device made it) and flags: [] are
// left out; the defaults put them back.
export const mutationResultSchema = z.discriminatedUnion('status', [
  z.object({
    mutationId: z.number().int(),
    status: z.literal('accepted'),
    /** True when this mutation had already been applied by an earlier request. */
    duplicate: z.boolean().default(false),
    factId: entityIdSchema.nullable().default(null),
    flags: z.array(z.enum(FACT_FLAGS)).default([]),
  }),
  z.object({
    mutationId: z.number().int(),
    status: z.literal('refused'),
    duplicate: z.boolean().default(false),
    reason: z.enum(REFUSAL_CODES),
    /** English words for a person; the device translates by reason. */
    message: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  }),
]);
export type MutationResult = z.infer<typeof mutationResultSchema>;

/** A result as a version 2 answer sends it: defaults left out. */
export function compactMutationResult(r: MutationResult): Record<string, unknown> {
  const out: Record<string, unknown> = { mutationId: r.mutationId, status: r.status };
  if (r.duplicate) out.duplicate = true;
  if (r.status === 'accepted') {
    if (r.flags.length > 0) out.flags = r.flags;
  } else {
    out.reason = r.reason;
    out.message = r.message;
    out.params = r.params;
  }
  return out;
}

export const pushResponseSchema = z.object({
  results: z.array(mutationResultSchema),
  /** Highest mutation id the server has applied (accepted or refused) for this device. */
  lastMutationId: z.number().int(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

// ---------- pull ----------

export const pullQuerySchema = z
  .object({
    /** Opaque; absent on a first sync or after resync_required. */
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(PULL_MAX_LIMIT).default(PULL_DEFAULT_LIMIT),
    /** The device's SYNC_SCHEMA_VERSION; absent from version 1 devices. */
    v: z.coerce.number().int().min(1).default(1),
  })
  .strict();
export type PullQuery = z.input<typeof pullQuerySchema>;

export const pullResponseSchema = z.object({
  items: z.array(pullItemSchema),
  /** Keep it only once this page is applied; send it back to get the next one. */
  cursor: z.string(),
  hasMore: z.boolean(),
  serverTime: instantSchema,
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** A version 2 answer (pull with v=2): facts compact, see compactFact in records.ts. */
export const pullResponseV2Schema = pullResponseSchema.extend({
  items: z.array(pullItemV2Schema),
});
export type PullResponseV2 = z.infer<typeof pullResponseV2Schema>;

export { hlcSchema };
