// What a device receives from the change feed: the current state of each entity it may
// see. Every item is an idempotent upsert keyed by its id, except 'case_removed', which
// tells the device a case is no longer its to hold (reassigned to another officer).
import { z } from 'zod';
import { CONTACT_PARTIES, FACT_KINDS, USER_ROLES } from '../domain/types';
import { entityIdSchema, fenSchema, instantSchema, isoDateSchema } from './common';
import { hlcSchema } from './hlc';

export const branchRecordSchema = z.object({
  id: entityIdSchema,
  code: z.string(),
  name: z.string(),
  timezone: z.string(),
});
export type BranchRecord = z.infer<typeof branchRecordSchema>;

/**
 * A user as the devices of their branch know them: enough to sign in offline.
 * passwordVerifier is a self-describing scrypt verifier (shared/node/password.ts);
 * it is null for a disabled user, and the device must refuse that user's sign-in.
 */
export const directoryUserSchema = z.object({
  id: entityIdSchema,
  branchId: entityIdSchema.nullable(),
  username: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  passwordVerifier: z.string().nullable(),
  disabled: z.boolean(),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const caseFlagsSchema = z.object({
  hardship: z.boolean(),
  vulnerable: z.boolean(),
  dispute: z.boolean(),
  doNotContact: z.boolean(),
});

/** Fields of a case that last-writer-wins by HLC, and the stamp each carries. */
export const CASE_CLOCKED_FIELDS = [
  'officerId',
  'nextActionDate',
  'flags.hardship',
  'flags.vulnerable',
  'flags.dispute',
  'flags.doNotContact',
] as const;
export type CaseClockedField = (typeof CASE_CLOCKED_FIELDS)[number];

export const caseRecordSchema = z.object({
  id: entityIdSchema,
  branchId: entityIdSchema,
  borrowerId: entityIdSchema,
  officerId: entityIdSchema.nullable(),
  status: z.enum(['open', 'closed']),
  nextActionDate: isoDateSchema.nullable(),
  flags: caseFlagsSchema,
  clocks: z.record(z.string(), hlcSchema),
  updatedAt: instantSchema,
});
export type CaseRecord = z.infer<typeof caseRecordSchema>;

export const borrowerRecordSchema = z.object({
  id: entityIdSchema,
  branchId: entityIdSchema,
  name: z.string(),
  gender: z.enum(['F', 'M']).nullable(),
  /** Devices never receive the full identity number. */
  idNumberMasked: z.string(),
  township: z.string(),
  village: z.string(),
  county: z.string(),
  address: z.string(),
});
export type BorrowerRecord = z.infer<typeof borrowerRecordSchema>;

export const CONTACT_POINT_KINDS = ['mobile', 'landline', 'address'] as const;

export const contactPointRecordSchema = z.object({
  id: entityIdSchema,
  borrowerId: entityIdSchema,
  kind: z.enum(CONTACT_POINT_KINDS),
  value: z.string(),
  party: z.enum(CONTACT_PARTIES),
  name: z.string().nullable(),
  relation: z.string().nullable(),
  status: z.enum(['active', 'invalid']),
  hlc: hlcSchema,
});
export type ContactPointRecord = z.infer<typeof contactPointRecordSchema>;

export const loanRecordSchema = z.object({
  id: entityIdSchema,
  caseId: entityIdSchema,
  borrowerId: entityIdSchema,
  loanNo: z.string(),
  product: z.string(),
  principalFen: fenSchema,
  disbursedOn: isoDateSchema,
  termMonths: z.number().int().positive(),
  status: z.enum(['active', 'closed']),
});
export type LoanRecord = z.infer<typeof loanRecordSchema>;

export const snapshotInstalmentSchema = z.object({
  seq: z.number().int().positive(),
  dueDate: isoDateSchema,
  principalFen: fenSchema,
  interestFen: fenSchema,
  /** Paid towards this instalment as core banking knows it on asOf. */
  paidFen: fenSchema,
});

/** A loan as core banking saw it at the end of a business day. */
export const loanSnapshotRecordSchema = z.object({
  id: entityIdSchema,
  loanId: entityIdSchema,
  asOf: isoDateSchema,
  status: z.enum(['active', 'closed']),
  outstandingPrincipalFen: fenSchema,
  schedule: z.array(snapshotInstalmentSchema),
  receivedAt: instantSchema,
});
export type LoanSnapshotRecord = z.infer<typeof loanSnapshotRecordSchema>;

/**
 * What the server noticed about an accepted fact. Never a reason to drop it:
 * - loan_closed: a payment on a loan core banking had already closed (needs a look);
 * - former_officer: recorded by an officer the case had been reassigned away from;
 * - superseded: a reassignment older (by HLC) than the case's current assignment.
 */
export const FACT_FLAGS = ['loan_closed', 'former_officer', 'superseded'] as const;
export type FactFlag = (typeof FACT_FLAGS)[number];

/**
 * Fact kinds on the wire: the ledger's case facts and 'override_review' (a manager's review
 * of a conduct override, which devices keep as a side row of the contact, not as a
 * timeline fact).
 */
export const SYNC_FACT_KINDS = [...FACT_KINDS, 'override_review'] as const;
export type SyncFactKind = (typeof SYNC_FACT_KINDS)[number];

export const factRecordSchema = z.object({
  id: entityIdSchema,
  caseId: entityIdSchema,
  kind: z.enum(SYNC_FACT_KINDS),
  recordedBy: entityIdSchema,
  deviceId: entityIdSchema,
  occurredAt: instantSchema,
  hlc: hlcSchema,
  /**
   * The fact payload as the device pushed it (shared/sync/mutations.ts). Here only its
   * shape as a JSON object: the device checks its content once, against
   * factPayloadSchema by kind, where it maps the fact (electron/ledger/sync/
   * fact-from-sync.ts), so that one bad payload is kept aside on its own instead of
   * failing its whole page. (A record schema checked every member a second time.)
   */
  payload: z.looseObject({}),
  flags: z.array(z.enum(FACT_FLAGS)),
  receivedAt: instantSchema,
});
export type FactRecord = z.infer<typeof factRecordSchema>;

/** A fact as a version 2 pull sends it (see compactFact). */
export const compactFactRecordSchema = factRecordSchema.extend({
  flags: z.array(z.enum(FACT_FLAGS)).optional(),
});

const nonFactItems = [
  z.object({ type: z.literal('branch'), branch: branchRecordSchema }),
  z.object({ type: z.literal('user'), user: directoryUserSchema }),
  z.object({ type: z.literal('case'), case: caseRecordSchema }),
  z.object({ type: z.literal('case_removed'), caseId: entityIdSchema }),
  z.object({ type: z.literal('borrower'), borrower: borrowerRecordSchema }),
  z.object({ type: z.literal('contact_point'), contactPoint: contactPointRecordSchema }),
  z.object({ type: z.literal('loan'), loan: loanRecordSchema }),
  z.object({ type: z.literal('loan_snapshot'), snapshot: loanSnapshotRecordSchema }),
] as const;

export const pullItemSchema = z.discriminatedUnion('type', [
  ...nonFactItems,
  z.object({ type: z.literal('fact'), fact: factRecordSchema }),
]);
export type PullItem = z.infer<typeof pullItemSchema>;

/** Pull items of a version 2 answer: facts compact (expand them with expandFact). */
export const pullItemV2Schema = z.discriminatedUnion('type', [
  ...nonFactItems,
  z.object({ type: z.literal('fact'), fact: compactFactRecordSchema }),
]);
export type PullItemV2 = z.infer<typeof pullItemV2Schema>;
export type PullItemType = PullItem['type'];

/** The id of the record a pull item carries (the case's, for a removal). */
export function pullItemId(item: PullItem): string {
  switch (item.type) {
    case 'branch':
      return item.branch.id;
    case 'user':
      return item.user.id;
    case 'case':
      return item.case.id;
    case 'case_removed':
      return item.caseId;
    case 'borrower':
      return item.borrower.id;
    case 'contact_point':
      return item.contactPoint.id;
    case 'loan':
      return item.loan.id;
    case 'loan_snapshot':
      return item.snapshot.id;
    case 'fact':
      return item.fact.id;
  }
}

/** Parents first: the server lists a page in this order so a device can apply it in order. */
export const PULL_ITEM_ORDER: Record<PullItemType, number> = {
  case_removed: 0,
  branch: 1,
  user: 2,
  borrower: 3,
  case: 4,
  contact_point: 5,
  loan: 6,
  loan_snapshot: 7,
  fact: 8,
};

/**
 * Version 2 pulls send a fact's payload without what the record already says (factKind,
 * factId and occurredAt repeat kind, id and occurredAt) and without empty flags; the
 * device puts them back before anything reads the fact. Only members equal to the record's
 * are left out, so expandFact(compactFact(f)) is f.
 */
export function compactFact(f: FactRecord): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f.payload)) {
    if (k === 'factKind' && v === f.kind) continue;
    if (k === 'factId' && v === f.id) continue;
    if (k === 'occurredAt' && v === f.occurredAt) continue;
    payload[k] = v;
  }
  const { flags, ...rest } = f;
  return flags.length > 0 ? { ...rest, payload, flags } : { ...rest, payload };
}

type CompactFact = Omit<FactRecord, 'flags'> & { flags?: FactFlag[] };

export function expandFact(f: CompactFact): FactRecord {
  return expandFactInPlace({ ...f });
}

/**
 * expandFact on the record itself, which it returns whole: for a pulled page, parsed fresh
 * for the device (10,000 facts copied took ~13 ms of a first sync; in place ~2.5 ms).
 */
export function expandFactInPlace(f: CompactFact): FactRecord {
  const payload: Record<string, unknown> = {
    factKind: f.kind,
    factId: f.id,
    occurredAt: f.occurredAt,
  };
  const sent = f.payload as Record<string, unknown>;
  for (const key of Object.keys(sent)) payload[key] = sent[key];
  const whole = f as FactRecord;
  whole.payload = payload as FactRecord['payload'];
  if (whole.flags === undefined) whole.flags = [];
  return whole;
}
