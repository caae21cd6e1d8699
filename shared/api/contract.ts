// The one API between the renderer and the ledger. Each operation is a name, a zod
// schema for its input (validated in main / the dev bridge before any handler runs)
// and an output type. Electron IPC and the dev bridge both serve exactly this map.
import { z } from 'zod';
import { entityId, isoDate, noInput, op, type Operation } from './operation';
import { managerOps } from './manager-contract';
import { importOps } from './import-contract';
import { syncOps, type SessionOpName } from './sync-contract';
import type { ContactCheck } from '../policy/conduct';
import type { PolicyPack } from '../policy/pack';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  HARDSHIP_REASONS,
  PAYMENT_METHODS,
  type CaseFlags,
  type ContactChannel,
  type ContactOutcome,
  type ContactParty,
  type FactKind,
  type Fen,
  type HardshipReason,
  type Instant,
  type IsoDate,
  type PaymentMethod,
  type PriorityReason,
  type PromiseStatus,
  type UserRole,
} from '../domain/types';

const shortText = z.string().trim().max(2000);
/** Money in fen: a positive safe integer (¥90 trillion is far beyond any field payment). */
const fenAmount = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const fenAmountOrZero = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

// ---------- output types ----------

export interface UserSummary {
  id: string;
  name: string;
  role: UserRole;
}

export interface AppInfo {
  appVersion: string;
  schemaVersion: number;
  branch: { id: string; code: string; name: string; timezone: string };
  /** The business date the ledger's derived state (DPD, buckets, priority) is computed for. */
  today: IsoDate;
  currentUser: UserSummary;
  officers: UserSummary[];
  /** True for the generated demo ledger: no server, no sign-in. */
  demo: boolean;
  /** Where the ledger's encryption key is kept: Electron safeStorage, or the dev bridge's key file. */
  keyStorage: 'safe-storage' | 'dev-key-file' | 'test';
  caseCount: number;
}

export interface WorklistFacets {
  townships: { name: string; villages: string[] }[];
  buckets: { code: string; minDays: number; maxDays: number | null }[];
}

export interface WorklistRow {
  caseId: string;
  borrowerName: string;
  phone: string | null;
  township: string;
  village: string;
  loanNo: string;
  officer: UserSummary;
  daysPastDue: number;
  bucket: string;
  arrearsFen: Fen;
  outstandingFen: Fen;
  promise: { dueDate: IsoDate; amountFen: Fen; status: PromiseStatus } | null;
  lastContact: { at: Instant; channel: ContactChannel; outcome: ContactOutcome } | null;
  nextActionDate: IsoDate | null;
  flags: CaseFlags;
  priorityScore: number;
  reasons: PriorityReason[];
}

export interface WorklistPage {
  rows: WorklistRow[];
  total: number;
  asOf: IsoDate;
}

export interface InstalmentView {
  seq: number;
  dueDate: IsoDate;
  principalFen: Fen;
  interestFen: Fen;
  paidFen: Fen;
  status: 'paid' | 'partly_paid' | 'overdue' | 'due' | 'future';
}

export interface LoanView {
  id: string;
  loanNo: string;
  product: string;
  principalFen: Fen;
  disbursedOn: IsoDate;
  termMonths: number;
  status: 'active' | 'closed';
  daysPastDue: number;
  bucket: string;
  arrearsFen: Fen;
  /** Unpaid principal after every payment known to this device, field payments included. */
  outstandingFen: Fen;
  schedule: InstalmentView[];
}

export interface ContactPointView {
  id: string;
  kind: 'mobile' | 'landline' | 'address';
  value: string;
  party: ContactParty;
  name: string | null;
  relation: string | null;
  status: 'active' | 'invalid';
}

export interface TimelineEntry {
  factId: string;
  kind: FactKind;
  occurredAt: Instant;
  recordedBy: UserSummary;
  /** Kind-specific fields, already free of secrets; the renderer formats them. */
  details: Record<string, string | number | boolean | null>;
  /**
   * Set when head office refused this fact (recorded on this device): it is shown, but
   * counts in no figure. `code` is the server's refusal code (the renderer explains it);
   * `dismissed` once someone has dealt with it and it left the sync status's list.
   */
  refusal?: FactRefusalView;
}

export interface FactRefusalView {
  code: string;
  message: string;
  dismissed: boolean;
}

export interface CaseFile {
  caseId: string;
  status: 'open' | 'closed';
  flags: CaseFlags;
  officer: UserSummary;
  nextActionDate: IsoDate | null;
  borrower: {
    id: string;
    name: string;
    gender: 'F' | 'M' | null;
    idNumberMasked: string;
    township: string;
    village: string;
    county: string;
    address: string;
  };
  contactPoints: ContactPointView[];
  loans: LoanView[];
  promises: {
    factId: string;
    madeOn: IsoDate;
    dueDate: IsoDate;
    amountFen: Fen;
    status: PromiseStatus;
  }[];
  priority: { score: number; reasons: PriorityReason[] };
  payments: PaymentView[];
  plans: PlanView[];
  overrides: OverrideView[];
  timeline: TimelineEntry[];
  asOf: IsoDate;
}

export interface RecordedFact {
  factId: string;
  caseId: string;
  kind: FactKind;
  occurredAt: Instant;
}

export interface RecordedPayment extends RecordedFact {
  receiptNo: string;
}

/** Everything a printed receipt shows, in the data; the renderer lays it out in zh or en. */
export interface Receipt {
  receiptNo: string;
  paymentFactId: string;
  branch: { name: string; code: string };
  borrower: { name: string; idNumberMasked: string; village: string; township: string };
  loanNo: string;
  amountFen: Fen;
  method: PaymentMethod;
  reference: string | null;
  collectedAt: Instant;
  collectedBy: UserSummary;
  /** Arrears and outstanding on the loan right after this payment. */
  arrearsAfterFen: Fen;
  outstandingAfterFen: Fen;
  reversal: { factId: string; at: Instant; reason: string; by: UserSummary } | null;
}

export interface PaymentView {
  factId: string;
  loanId: string;
  loanNo: string;
  amountFen: Fen;
  method: PaymentMethod;
  receiptNo: string;
  collectedAt: Instant;
  collectedBy: UserSummary;
  reversed: boolean;
  /** Head office refused it: it never counted, has no receipt and cannot be reversed. */
  refused?: boolean;
}

export type PlanStatus = 'proposed' | 'approved' | 'rejected';

export interface PlanView {
  factId: string;
  loanId: string;
  loanNo: string;
  status: PlanStatus;
  hardshipReasons: HardshipReason[];
  monthlyIncomeFen: Fen;
  essentialExpensesFen: Fen;
  otherDebtPaymentsFen: Fen;
  affordableFen: Fen;
  monthlyFen: Fen;
  instalments: { seq: number; dueDate: IsoDate; amountFen: Fen }[];
  proposedAt: Instant;
  proposedBy: UserSummary;
  decision: { at: Instant; by: UserSummary; comment: string } | null;
}

/** A conduct rule the officer overrode with a written reason, flagged for the manager. */
export interface OverrideView {
  factId: string;
  at: Instant;
  by: UserSummary;
  ruleCodes: string[];
  reason: string;
}

// ---------- input schemas ----------

export const worklistQuerySchema = z
  .object({
    officerId: entityId.optional(),
    township: z.string().max(64).optional(),
    village: z.string().max(64).optional(),
    bucket: z.string().max(16).optional(),
    /** Name, phone (any part), loan number, or pinyin initials of the name ('wdf' → 王德峰). */
    search: z.string().trim().max(64).optional(),
    promise: z.enum(['due_today', 'overdue', 'due_today_or_overdue']).optional(),
    /** Cases whose last contact is at least this many days ago (or never). */
    notContactedDays: z.number().int().min(1).max(3650).optional(),
    hardship: z.boolean().optional(),
    /** Cases whose next-action date has come. */
    followUpDue: z.boolean().optional(),
    /** 'village': ordered by township, village, then priority, to plan a day's route. */
    groupBy: z.enum(['none', 'village']).default('none'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();

export const recordContactSchema = z
  .object({
    caseId: entityId,
    channel: z.enum(CONTACT_CHANNELS),
    party: z.enum(CONTACT_PARTIES),
    contactPointId: entityId.optional(),
    outcome: z.enum(CONTACT_OUTCOMES),
    note: shortText.optional(),
    nextActionDate: isoDate.optional(),
    secondCollectorId: entityId.optional(),
    /** A promise taken in this contact, recorded in the same transaction. */
    promise: z.object({ amountFen: fenAmount, dueDate: isoDate }).strict().optional(),
    /** Going ahead against a conduct rule: a written reason, flagged for the manager. */
    override: z
      .object({ reason: z.string().trim().min(10).max(1000) })
      .strict()
      .optional(),
  })
  .strict();

export const checkContactSchema = z
  .object({
    caseId: entityId,
    channel: z.enum(CONTACT_CHANNELS),
    party: z.enum(CONTACT_PARTIES),
    contactPointId: entityId.optional(),
    secondCollectorId: entityId.optional(),
  })
  .strict();

export const recordPromiseSchema = z
  .object({ caseId: entityId, amountFen: fenAmount, dueDate: isoDate, note: shortText.optional() })
  .strict();

export const recordPaymentSchema = z
  .object({
    caseId: entityId,
    loanId: entityId.optional(),
    amountFen: fenAmount,
    method: z.enum(PAYMENT_METHODS),
    /** Transfer or wallet transaction number, when there is one. */
    reference: z.string().trim().max(64).optional(),
    note: shortText.optional(),
  })
  .strict();

export const reversePaymentSchema = z
  // Two characters: '重复录入' (entered twice) must pass; an empty or one-letter reason must not.
  .object({ paymentFactId: entityId, reason: z.string().trim().min(2).max(1000) })
  .strict();

export const proposePlanSchema = z
  .object({
    caseId: entityId,
    loanId: entityId,
    hardshipReasons: z.array(z.enum(HARDSHIP_REASONS)).min(1).max(HARDSHIP_REASONS.length),
    monthlyIncomeFen: fenAmountOrZero,
    essentialExpensesFen: fenAmountOrZero,
    otherDebtPaymentsFen: fenAmountOrZero,
    /** The monthly instalment the officer proposes (at most what the household can afford, unless explained in the note). */
    monthlyFen: fenAmount,
    startDate: isoDate,
    note: shortText.optional(),
  })
  .strict();

export const recordNoteSchema = z
  .object({ caseId: entityId, text: z.string().trim().min(1).max(2000) })
  .strict();

export const setFlagsSchema = z
  .object({
    caseId: entityId,
    flags: z
      .object({
        hardship: z.boolean(),
        vulnerable: z.boolean(),
        dispute: z.boolean(),
        doNotContact: z.boolean(),
      })
      .partial()
      .strict()
      .refine((f) => Object.keys(f).length > 0, 'no flag given'),
    reason: z.string().trim().min(1).max(1000),
  })
  .strict();

// ---------- the contract ----------

export const api = {
  'app.info': op<AppInfo>()(noInput),
  'worklist.facets': op<WorklistFacets>()(noInput),
  'worklist.list': op<WorklistPage>()(worklistQuerySchema),
  'case.get': op<CaseFile>()(z.object({ caseId: entityId }).strict()),
  'contact.record': op<RecordedFact>()(recordContactSchema),
  /** What the conduct rules say about a contact right now, before the officer makes it. */
  'contact.check': op<ContactCheck>()(checkContactSchema),
  'promise.record': op<RecordedFact>()(recordPromiseSchema),
  'payment.record': op<RecordedPayment>()(recordPaymentSchema),
  /** A payment is never edited or deleted: a reversal is a new fact with a reason. */
  'payment.reverse': op<RecordedFact>()(reversePaymentSchema),
  'receipt.get': op<Receipt>()(z.object({ paymentFactId: entityId }).strict()),
  'plan.propose': op<RecordedFact>()(proposePlanSchema),
  'note.record': op<RecordedFact>()(recordNoteSchema),
  'case.setFlags': op<RecordedFact>()(setFlagsSchema),
  /** The branch's conduct policy pack (contact hours, caps, word lists, grace days). */
  'policy.get': op<PolicyPack>()(noInput),
  ...managerOps,
  ...importOps,
  ...syncOps,
} as const;

export type { Operation };
export type Api = typeof api;
export type OpName = keyof Api;
/** What a caller sends (defaults may be left out). */
export type OpInput<N extends OpName> = z.input<Api[N]['input']>;
/** What a handler receives after validation (defaults filled in). */
export type OpParsedInput<N extends OpName> = z.output<Api[N]['input']>;
export type OpOutput<N extends OpName> = Api[N] extends Operation<z.ZodType, infer O> ? O : never;

export const OP_NAMES = Object.keys(api) as OpName[];

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

/** Who is calling: set by the transport from the signed-in session, never by the renderer. */
export interface CallContext {
  userId: string;
}

export type OpHandler<N extends OpName> = (
  input: OpParsedInput<N>,
  ctx: CallContext,
) => OpOutput<N> | Promise<OpOutput<N>>;

/**
 * The session operations (sync-contract.ts) are answered by the device session
 * (electron/ledger/session), which wraps the case ledger's handlers; the ledger itself
 * leaves them out, so they are optional here and required in CompleteApiHandlers.
 */
export type ApiHandlers = { [N in Exclude<OpName, SessionOpName>]: OpHandler<N> } & {
  [N in SessionOpName]?: OpHandler<N>;
};

/** What a transport serves: every operation, session ones included. */
export type CompleteApiHandlers = { [N in OpName]: OpHandler<N> };

/** What the renderer sees, over IPC (preload) or HTTP (dev bridge). */
export interface FieldbookApi {
  invoke<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>>;
}
